"""Chat-state's pure rules: If-Match parsing, API-key and input checks, JSON Merge Patch.
No database, no Flask."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Sequence
from typing import Any, Literal

import orjson

from roleplay_api.errors import (
    BadRequest,
    Forbidden,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)

# The one definition of a valid user_session_id, shared by the body schema (which imports it),
# the path check and the OpenAPI document. Matched with fullmatch: "$" alone would let a
# trailing newline through.
USER_SESSION_ID_PATTERN = r"^[A-Za-z0-9_\-.:]{1,255}$"
USER_SESSION_ID_RE = re.compile(USER_SESSION_ID_PATTERN.removeprefix("^").removesuffix("$"))
USER_SESSION_ID_RULE = "Must be 1 to 255 characters of A-Z a-z 0-9 _ - . :"
USER_SESSION_ID_DOC = {
    "type": "string",
    "pattern": USER_SESSION_ID_PATTERN,
    "minLength": 1,
    "maxLength": 255,
}


# None: no If-Match; "*": any existing record; a set: one of these versions (empty: none can match).
Precondition = Literal["*"] | frozenset[int] | None
# RFC 9110's If-Match: "*" or a list of entity-tags ([W/]"<etagc>*"). Also in the OpenAPI
# document, so clients and fuzzers know a bare 3 is malformed (400), not merely stale (412).
_ENTITY_TAG = r'(?:W/)?"[!#-~]*"'  # obs-text (bytes >= 0x80) left out: no client sends it
IF_MATCH_PATTERN = rf"^ *(?:\*|{_ENTITY_TAG}(?: *, *{_ENTITY_TAG})*) *$"
IF_MATCH_RULE = 'If-Match must be "*" or quoted entity-tags such as "3" (a comma-separated list)'
_IF_MATCH = re.compile(IF_MATCH_PATTERN)
_TAG = re.compile(r'(W/)?"([^"]*)"')
_VERSION = re.compile(r"[1-9][0-9]{0,9}")
_MAX_VERSION = 2**31 - 1  # the column is a 32-bit integer


def parse_if_match(header: str | None) -> Precondition:
    """``*`` or entity-tags; only strong ``"N"`` tags can match. Not the header's syntax: 400."""
    if header is None:
        return None
    if not _IF_MATCH.fullmatch(header):
        raise BadRequest(IF_MATCH_RULE, details={"If-Match": [IF_MATCH_RULE]})
    if header.strip() == "*":
        return "*"
    versions = set()
    for weak, tag in _TAG.findall(header):
        if not weak and _VERSION.fullmatch(tag) and int(tag) <= _MAX_VERSION:
            versions.add(int(tag))
    return frozenset(versions)


def check_api_key(given: str | None, keys: Sequence[str]) -> None:
    """401 without a key, 403 with a wrong one; every configured key is compared in full."""
    if not given:
        raise Unauthorized("X-API-Key header is required")
    # Bytes, because compare_digest refuses non-ASCII str (a header may carry any latin-1).
    offered = given.encode("latin-1", "replace")
    matched = False
    for key in keys:  # no early exit: the time taken does not say which key matched
        matched |= hmac.compare_digest(offered, key.encode())
    if not matched:
        raise Forbidden("X-API-Key is not valid")


def etag(version: int) -> str:
    return f'"{version}"'


def check_user_session_id(value: str) -> None:
    if not USER_SESSION_ID_RE.fullmatch(value):
        raise BadRequest(
            f"user_session_id: {USER_SESSION_ID_RULE}",
            details={"user_session_id": [USER_SESSION_ID_RULE]},
        )


def check_chat_state(text: str, max_bytes: int) -> None:
    """NUL -> 400, more than ``max_bytes`` of UTF-8 -> 413, not JSON -> 400."""
    if "\x00" in text:
        raise BadRequest(
            "chat_state must not contain NUL characters",
            details={"chat_state": ["Must not contain NUL characters."]},
        )
    # UTF-8 takes 1..4 bytes a character: encode only when the length alone cannot decide.
    if len(text) > max_bytes or (len(text) * 4 > max_bytes and len(text.encode()) > max_bytes):
        raise PayloadTooLarge(f"chat_state is larger than {max_bytes} bytes")
    if not is_json(text):
        raise BadRequest(
            "chat_state must be a string that holds valid JSON",
            details={"chat_state": ["Not valid JSON."]},
        )


def is_json(text: str) -> bool:
    """Whether ``text`` is JSON (RFC 8259): orjson first, as it is fast and strict."""
    try:
        orjson.loads(text)
        return True
    except orjson.JSONDecodeError:
        pass
    # orjson also refuses a few texts the grammar allows: numbers past a double's range (1e400)
    # and escaped lone surrogates ("\ud800"), which JavaScript's JSON.stringify writes for a
    # string cut inside an emoji. The stdlib parser, minus its NaN/Infinity extension, decides.
    try:
        json.loads(text, parse_constant=_not_json)
        return True
    except (ValueError, RecursionError):
        return False


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


# ---- JSON Merge Patch (RFC 7396) ------------------------------------------------------------

MERGE_PATCH_TYPE = "application/merge-patch+json"
TTL_MAX_SECONDS = 10 * 366 * 24 * 3600  # ten years; longer is "never": leave ttl_seconds out
VERSION_MAX = _MAX_VERSION


def check_merge_patch_type(mimetype: str, body: bytes) -> None:
    """PATCH takes only a merge patch: any other body type is a 415, no body at all a 400."""
    if mimetype != MERGE_PATCH_TYPE:
        raise UnsupportedMediaType(f"PATCH needs Content-Type: {MERGE_PATCH_TYPE}")
    if not body.strip():
        raise BadRequest(
            "A merge patch must be a JSON object", details={"_body": ["Must be a JSON object."]}
        )


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 section 2: ``patch`` applied to ``target``; neither is changed.

    Iterative, so a deeply nested patch costs no recursion (the body parser bounds the depth).
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    stack = [(result, patch)]
    while stack:
        into, changes = stack.pop()
        for name, value in changes.items():
            if value is None:
                into.pop(name, None)
            elif isinstance(value, dict):
                current = into.get(name)
                into[name] = dict(current) if isinstance(current, dict) else {}
                stack.append((into[name], value))
            else:
                into[name] = value
    return result


def load_state_object(text: str) -> dict[str, Any]:
    """A stored chat_state as the JSON object a merge patch applies to (400 if it is not one)."""
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        # Valid JSON orjson refuses: lone surrogates (kept), numbers past a double (refused,
        # as writing them back would change them).
        try:
            document = json.loads(text, parse_constant=_not_json, parse_float=_finite)
        except _OutOfRange:
            raise BadRequest(
                "The stored chat_state holds a number out of range; a merge patch cannot "
                "apply to it without changing it",
                details={"chat_state": ["A number is out of range."]},
            ) from None
        except (ValueError, RecursionError):
            document = None
    if not isinstance(document, dict):
        raise BadRequest(
            "The stored chat_state is not a JSON object, so a merge patch cannot apply to it",
            details={"chat_state": ["Not a JSON object."]},
        )
    return document


class _OutOfRange(ValueError):
    pass


def _finite(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise _OutOfRange(literal)
    return value


def dump_state(document: dict[str, Any]) -> str:
    """A patched document as chat_state text (compact JSON)."""
    try:
        return orjson.dumps(document).decode()
    except orjson.JSONEncodeError:
        pass  # nested deeper than orjson writes (254 levels), or lone surrogates
    try:
        text = json.dumps(document, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        raise BadRequest(
            "The patched chat_state cannot be written as JSON (nested too deeply)",
            details={"chat_state": ["Cannot be written as JSON."]},
        ) from None
    return text


def check_ttl_seconds(value: int | None) -> None:
    if value is not None and not 1 <= value <= TTL_MAX_SECONDS:
        rule = f"Must be between 1 and {TTL_MAX_SECONDS}."
        raise BadRequest(f"ttl_seconds: {rule}", details={"ttl_seconds": [rule]})
