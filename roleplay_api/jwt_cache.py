"""Verified JWTs kept until they would expire, so each distinct token is checked once."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any


class VerifiedTokenCache:
    """Tokens whose signature and claims were verified, kept until they would expire.

    A token is the same bytes every time its holder sends it, and a verified one stays valid
    until ``exp`` (+ leeway): nbf and iat only ever pass once they have passed. So checking it
    again is repeated work: PyJWT decodes it three times and walks its base64 character by
    character, about a fifth of a list request. Bounded (oldest out first); per app, because
    each app has its own key. The revocation check is not cached: it runs on every request.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, token: str) -> dict[str, Any] | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        valid_until, claims = entry
        if time.time() >= valid_until:
            self._entries.pop(token, None)
            return None
        return dict(claims)  # a copy: callers may add to what they get

    def put(self, token: str, claims: dict[str, Any], leeway: float | timedelta) -> None:
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        expires = claims.get("exp")
        valid_until = float(expires) + leeway if expires is not None else float("inf")
        while len(self._entries) >= self.size:
            try:  # another thread may have taken the same oldest entry
                del self._entries[next(iter(self._entries))]
            except (KeyError, RuntimeError, StopIteration):
                break
        self._entries[token] = (valid_until, dict(claims))
