"""Content keys, kept only wrapped under a master key from the environment.

Each rendition of a video (360p, 720p, 1080p, and the first stream-copied one) has its
own random 16-byte AES-128 content key (the HLS segment key) and IV, so the key a
viewer's tier opens never decrypts a quality above it. The key is kept in that
rendition's entry of `Video.renditions` (`rendition_key_entry`). Videos packaged before
that have one key for every rendition, in `Video.wrapped_key`; it stays the key of each
rendition that has none of its own until the video is packaged again. The
database holds every key only wrapped with AES-256-GCM under a master key, together with the
id of that master key, so the master key can rotate: `MEDIA_MASTER_KEYS` lists every
master key still needed to unwrap (`id1:<base64 32 bytes>,id2:<…>`) and
`MEDIA_MASTER_KEY_ID` names the one new keys are wrapped under. A database dump alone
therefore never reveals a content key.

Wrapped format: version byte 0x01, 12-byte nonce, 16-byte GCM tag, ciphertext. The
master-key id is authenticated as associated data, so a wrapped key cannot be
re-labelled with another id.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from Crypto.Cipher import AES

CONTENT_KEY_BYTES = 16
MASTER_KEY_BYTES = 32
_VERSION = b"\x01"
_NONCE_BYTES = 12
_TAG_BYTES = 16


class KeyUnwrapError(Exception):
    """A wrapped key cannot be opened: unknown master key id, or tampered bytes."""


def parse_master_keys(spec: str) -> dict[str, bytes]:
    """Parse `id1:<base64>,id2:<base64>` into {id: 32 raw bytes}; raise on anything odd."""
    keys: dict[str, bytes] = {}
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or len(key_id) > 40:
            raise ImproperlyConfigured(
                "MEDIA_MASTER_KEYS entries must look like <id>:<base64 of 32 bytes> (id up to 40 chars)."
            )
        try:
            raw = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"MEDIA_MASTER_KEYS: key {key_id!r} is not valid base64.") from exc
        if len(raw) != MASTER_KEY_BYTES:
            raise ImproperlyConfigured(
                f"MEDIA_MASTER_KEYS: key {key_id!r} must be {MASTER_KEY_BYTES} bytes, not {len(raw)}."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"MEDIA_MASTER_KEYS: key id {key_id!r} appears twice.")
        keys[key_id] = raw
    return keys


@lru_cache(maxsize=4)
def _keyring(spec: str, current_id: str) -> tuple[dict[str, bytes], str]:
    keys = parse_master_keys(spec)
    if not keys:
        raise ImproperlyConfigured(
            "MEDIA_MASTER_KEYS is empty: video content keys cannot be wrapped or unwrapped."
        )
    if current_id not in keys:
        raise ImproperlyConfigured(
            f"MEDIA_MASTER_KEY_ID {current_id!r} is not one of the ids in MEDIA_MASTER_KEYS."
        )
    return keys, current_id


def keyring() -> tuple[dict[str, bytes], str]:
    """All master keys by id, and the id new keys are wrapped under (from settings)."""
    return _keyring(
        getattr(settings, "MEDIA_MASTER_KEYS", "") or "", getattr(settings, "MEDIA_MASTER_KEY_ID", "") or ""
    )


def current_master_key_id() -> str:
    return keyring()[1]


def new_content_key() -> bytes:
    """A fresh random AES-128 key for one rendition."""
    return os.urandom(CONTENT_KEY_BYTES)


def wrap_key(raw: bytes) -> tuple[bytes, str]:
    """Wrap a content key under the current master key; returns (wrapped, master key id)."""
    if len(raw) != CONTENT_KEY_BYTES:
        raise ValueError(f"A content key is {CONTENT_KEY_BYTES} bytes, not {len(raw)}.")
    keys, key_id = keyring()
    nonce = os.urandom(_NONCE_BYTES)
    cipher = AES.new(keys[key_id], AES.MODE_GCM, nonce=nonce)
    cipher.update(key_id.encode())
    ciphertext, tag = cipher.encrypt_and_digest(raw)
    return _VERSION + nonce + tag + ciphertext, key_id


def unwrap_key(wrapped: bytes, key_id: str) -> bytes:
    """Open a wrapped content key; raises KeyUnwrapError if it cannot be opened."""
    keys, _current = keyring()
    master = keys.get(key_id)
    if master is None:
        raise KeyUnwrapError(f"Master key {key_id!r} is not configured (MEDIA_MASTER_KEYS).")
    wrapped = bytes(wrapped or b"")
    header = len(_VERSION) + _NONCE_BYTES + _TAG_BYTES
    if len(wrapped) != header + CONTENT_KEY_BYTES or not wrapped.startswith(_VERSION):
        raise KeyUnwrapError("Wrapped key has the wrong length or version.")
    nonce = wrapped[1 : 1 + _NONCE_BYTES]
    tag = wrapped[1 + _NONCE_BYTES : header]
    cipher = AES.new(master, AES.MODE_GCM, nonce=nonce)
    cipher.update(key_id.encode())
    try:
        return cipher.decrypt_and_verify(wrapped[header:], tag)
    except ValueError as exc:
        raise KeyUnwrapError("Wrapped key failed authentication.") from exc


def rewrap_key(wrapped: bytes, key_id: str) -> tuple[bytes, str, bool]:
    """Re-wrap under the current master key; returns (wrapped, key id, changed)."""
    if key_id == current_master_key_id():
        return bytes(wrapped), key_id, False
    new_wrapped, new_id = wrap_key(unwrap_key(wrapped, key_id))
    return new_wrapped, new_id, True


def rendition_key_entry(raw: bytes) -> dict[str, str]:
    """A content key wrapped for a rendition's JSON entry: {"wrapped": base64, "master_key_id"}."""
    wrapped, key_id = wrap_key(raw)
    return {"wrapped": base64.b64encode(wrapped).decode(), "master_key_id": key_id}


def unwrap_rendition_key(entry: dict) -> bytes:
    """Open a rendition's wrapped key; raises KeyUnwrapError if it cannot be opened."""
    try:
        wrapped = base64.b64decode(entry["wrapped"], validate=True)
        key_id = str(entry["master_key_id"])
    except (KeyError, TypeError, binascii.Error, ValueError) as exc:
        raise KeyUnwrapError("A rendition's key entry is malformed.") from exc
    return unwrap_key(wrapped, key_id)


def rewrap_rendition_key(entry: dict) -> tuple[dict, bool]:
    """The entry re-wrapped under the current master key; returns (entry, changed)."""
    if entry.get("master_key_id") == current_master_key_id():
        return entry, False
    return rendition_key_entry(unwrap_rendition_key(entry)), True
