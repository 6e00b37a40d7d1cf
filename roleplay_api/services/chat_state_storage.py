"""How chat states are stored: the settings of the store, and the codec that turns a state's
text into what a row holds (plain text, or zstd-compressed and/or AES-GCM-encrypted bytes)
and back. Pure: no database, no Flask.

A row's ``codec`` names what was done to its bytes, in order ("zstd", "aesgcm",
"zstd+aesgcm"); NULL means the text is stored as sent (every row written before this existed).
Encryption binds each ciphertext to its user_session_id (associated data), so bytes copied to
another record do not decrypt.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

try:  # Python 3.14's standard library, else its backport (the same module)
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - which one depends on the Python version
    from backports import zstd  # type: ignore[import-not-found,no-redef]

ZSTD = "zstd"
AESGCM_CODEC = "aesgcm"
ZSTD_LEVEL = 3  # docs/PERFORMANCE.md: zstd 3 vs zlib, measured on chat states
_NONCE_BYTES = 12


_local = threading.local()


def _compress(data: bytes) -> bytes:
    """zstd, with this thread's compressor: setting one up is two thirds of a 2 KB call."""
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstd.ZstdCompressor(level=ZSTD_LEVEL)
    return compressor.compress(data, zstd.ZstdCompressor.FLUSH_FRAME)


def _decompress(data: bytes) -> bytes:
    """One zstd frame (what _compress writes), a third faster than zstd.decompress's loop."""
    decompressor = zstd.ZstdDecompressor()
    out = decompressor.decompress(data)
    if not decompressor.eof:
        raise StorageError("chat state's zstd frame is truncated")
    return out


class StorageError(RuntimeError):
    """A stored row this configuration cannot read (its key is not configured, or it is
    corrupt): an operator's problem, never the client's."""


@dataclass(frozen=True)
class Storage:
    """Compression above ``compress_min_bytes`` (0: never) and, with keys, encryption under
    the first key (the others only decrypt, until `flask chat-state rotate-key` is done)."""

    compress_min_bytes: int = 8192
    keys: Mapping[str, bytes] = field(default_factory=dict)
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for key_id, key in self.keys.items():
            self._ciphers[key_id] = AESGCM(key)

    @property
    def current_key_id(self) -> str | None:
        return next(iter(self.keys), None)

    def encode(self, user_session_id: str, text: str) -> dict[str, Any]:
        """The row's storage columns for ``text``, plus ``size`` (its UTF-8 bytes)."""
        data = text.encode()
        size = len(data)
        codecs = []
        if self.compress_min_bytes and size >= self.compress_min_bytes:
            packed = _compress(data)
            if len(packed) < size:  # text that does not compress is kept as it is
                data = packed
                codecs.append(ZSTD)
        key_id = self.current_key_id
        if key_id is not None:
            nonce = os.urandom(_NONCE_BYTES)
            data = nonce + self._ciphers[key_id].encrypt(nonce, data, user_session_id.encode())
            codecs.append(AESGCM_CODEC)
        if not codecs:
            return {
                "chat_state": text,
                "chat_state_data": None,
                "codec": None,
                "key_id": None,
                "size": size,
            }
        return {
            "chat_state": None,
            "chat_state_data": data,
            "codec": "+".join(codecs),
            "key_id": key_id,
            "size": size,
        }

    def decode(self, user_session_id: str, row: Mapping[str, Any]) -> str:
        """A row's (or a version's) state as the client sent it."""
        codec = row["codec"]
        if codec is None:
            return row["chat_state"]
        data = bytes(row["chat_state_data"])
        for step in reversed(codec.split("+")):
            if step == AESGCM_CODEC:
                cipher = self._ciphers.get(row["key_id"])
                if cipher is None:
                    raise StorageError(
                        f"chat state encrypted under key {row['key_id']!r}, which "
                        "CHAT_STATE_ENCRYPTION_KEYS does not hold"
                    )
                try:
                    nonce, sealed = data[:_NONCE_BYTES], data[_NONCE_BYTES:]
                    data = cipher.decrypt(nonce, sealed, user_session_id.encode())
                except InvalidTag:
                    raise StorageError(
                        "chat state fails authentication: corrupt or moved"
                    ) from None
            elif step == ZSTD:
                data = _decompress(data)
            else:
                raise StorageError(f"unknown chat-state codec {codec!r}")
        return data.decode()


@dataclass(frozen=True)
class ChatStateSettings:
    """The chat-state store's configuration, built once per app from its config."""

    max_bytes: int = 1024 * 1024
    history: int = 10  # versions kept per record; 0: none
    default_ttl_seconds: int | None = None
    storage: Storage = field(default_factory=Storage)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ChatStateSettings:
        return cls(
            max_bytes=config["CHAT_STATE_MAX_BYTES"],
            history=config.get("CHAT_STATE_HISTORY", 10),
            default_ttl_seconds=config.get("CHAT_STATE_DEFAULT_TTL_SECONDS") or None,
            storage=Storage(
                compress_min_bytes=config.get("CHAT_STATE_COMPRESS_MIN_BYTES", 8192),
                keys=dict(config.get("CHAT_STATE_ENCRYPTION_KEYS") or {}),
            ),
        )
