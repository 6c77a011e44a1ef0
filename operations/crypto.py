"""Streaming authenticated encryption for backup archives (AES-256-GCM, chunked).

Why chunked: a backup is gigabytes of media, so it is encrypted as it is written and
verified as it is read, never held in memory. Plain GCM over the whole stream would
only tell us about tampering at the very end, after we had acted on the bytes.

File layout (all integers big-endian)::

    header  = MAGIC (8) | version (1) | key id length (1) | key id (ascii)
              | nonce prefix (8, random per archive) | chunk size (4)
    chunk   = ciphertext length (4) | ciphertext | GCM tag (16)

Each chunk is sealed with nonce = nonce prefix || chunk index (4 bytes), so no nonce is
ever reused under one key (a fresh random prefix per archive, a counter within it), and
with associated data = header || chunk index (8) || final flag (1). Binding the index
stops chunks being reordered or spliced in from another archive; binding the final flag
means a file cut off at a chunk boundary is detected (its last chunk says "not final"),
and binding the header means the key id or chunk size cannot be edited undetected.
The last chunk (possibly empty) is the only one with the final flag set, and nothing may
follow it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import struct
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from Crypto.Cipher import AES

MAGIC = b"LECTBAK\x00"
VERSION = 1
TAG_SIZE = 16
NONCE_PREFIX_SIZE = 8
DEFAULT_CHUNK_SIZE = 1024 * 1024
MAX_CHUNK_SIZE = 64 * 1024 * 1024
_LENGTH = struct.Struct(">I")


class BackupIntegrityError(Exception):
    """The archive is not what we wrote: tampered, truncated, or sealed with another key."""


def load_key(value: str | None = None) -> bytes:
    """The 32-byte key from BACKUP_ENCRYPTION_KEY (base64). Refuses anything else loudly."""
    raw = settings.BACKUP_ENCRYPTION_KEY if value is None else value
    if not raw:
        raise ImproperlyConfigured("BACKUP_ENCRYPTION_KEY is not set: backups cannot be encrypted or read.")
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError as error:
        raise ImproperlyConfigured("BACKUP_ENCRYPTION_KEY is not valid base64.") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"BACKUP_ENCRYPTION_KEY must decode to 32 bytes, not {len(key)}.")
    return key


def key_id(key: bytes) -> str:
    """A short public fingerprint of the key, so a wrong key is named, not guessed at."""
    return hashlib.sha256(b"lectern-backup-key-id\x00" + key).hexdigest()[:16]


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">QB", index, 1 if final else 0)


def _nonce(prefix: bytes, index: int) -> bytes:
    if index >= 2**32:
        raise BackupIntegrityError("Archive has too many chunks for one nonce prefix.")
    return prefix + struct.pack(">I", index)


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: bytes written are sealed chunk by chunk into `sink`.

    `close()` seals the final chunk; forgetting it leaves a file restore will refuse as
    truncated, which is the safe failure. `sha256` and `bytes_written` describe the
    encrypted output (what is stored and mailed to admins).
    """

    def __init__(self, sink: BinaryIO, key: bytes, chunk_size: int = DEFAULT_CHUNK_SIZE):
        super().__init__()
        if not 0 < chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError("chunk_size out of range")
        self._sink = sink
        self._key = key
        self._chunk_size = chunk_size
        self._prefix = os.urandom(NONCE_PREFIX_SIZE)
        kid = key_id(key).encode("ascii")
        self.header = MAGIC + bytes([VERSION, len(kid)]) + kid + self._prefix + _LENGTH.pack(chunk_size)
        self._buffer = bytearray()
        self._index = 0
        self._digest = hashlib.sha256()
        self.bytes_written = 0
        self._emit(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.closed:
            raise ValueError("write to a closed EncryptingWriter")
        self._buffer += data
        # Keep at least one byte back: only close() knows which chunk is the last.
        while len(self._buffer) > self._chunk_size:
            self._seal(bytes(self._buffer[: self._chunk_size]), final=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._sink.flush()
        super().close()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def _seal(self, plaintext: bytes, final: bool) -> None:
        cipher = AES.new(self._key, AES.MODE_GCM, nonce=_nonce(self._prefix, self._index), mac_len=TAG_SIZE)
        cipher.update(_aad(self.header, self._index, final))
        ciphertext, tag = cipher.encrypt_and_digest(plaintext)
        self._emit(_LENGTH.pack(len(ciphertext)) + ciphertext + tag)
        self._index += 1

    def _emit(self, data: bytes) -> None:
        self._sink.write(data)
        self._digest.update(data)
        self.bytes_written += len(data)


def read_header(source: BinaryIO) -> tuple[bytes, str, bytes, int]:
    """Parse the header: (raw header bytes, key id, nonce prefix, chunk size)."""
    fixed = source.read(len(MAGIC) + 2)
    if len(fixed) < len(MAGIC) + 2 or fixed[: len(MAGIC)] != MAGIC:
        raise BackupIntegrityError("Not a Lectern backup archive (bad magic bytes).")
    version, kid_len = fixed[len(MAGIC)], fixed[len(MAGIC) + 1]
    if version != VERSION:
        raise BackupIntegrityError(
            f"Unsupported archive encryption version {version} (this build reads {VERSION})."
        )
    rest = source.read(kid_len + NONCE_PREFIX_SIZE + _LENGTH.size)
    if len(rest) != kid_len + NONCE_PREFIX_SIZE + _LENGTH.size:
        raise BackupIntegrityError("Archive is truncated inside its header.")
    try:
        kid = rest[:kid_len].decode("ascii")
    except UnicodeDecodeError:
        raise BackupIntegrityError("Archive header is damaged (key id is not text).") from None
    prefix = rest[kid_len : kid_len + NONCE_PREFIX_SIZE]
    (chunk_size,) = _LENGTH.unpack(rest[kid_len + NONCE_PREFIX_SIZE :])
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise BackupIntegrityError("Archive header names an impossible chunk size.")
    return fixed + rest, kid, prefix, chunk_size


class DecryptingReader(io.RawIOBase):
    """A read-only file object yielding only plaintext whose tag has been checked.

    Raises BackupIntegrityError on a wrong key, any flipped bit, reordered or missing
    chunks, a missing final chunk (truncation) or bytes after it. Callers must still
    read to the end before trusting the whole: a tampered chunk 900 is only found there.
    """

    def __init__(self, source: BinaryIO, key: bytes):
        super().__init__()
        self._source = source
        self._key = key
        self.header, self.key_id, self._prefix, self._chunk_size = read_header(source)
        if not hmac.compare_digest(self.key_id.encode(), key_id(key).encode()):
            raise BackupIntegrityError(
                f"Archive was encrypted with key {self.key_id}, but the configured BACKUP_ENCRYPTION_KEY "
                f"is {key_id(key)}: wrong key."
            )
        self._index = 0
        self._pending = b""
        self._finished = False
        self.bytes_read = len(self.header)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._finished:
            self._pending = self._next_chunk()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _next_chunk(self) -> bytes:
        raw_length = self._source.read(_LENGTH.size)
        if len(raw_length) < _LENGTH.size:
            raise BackupIntegrityError(
                f"Archive is truncated: it ends after chunk {self._index} without the final chunk."
            )
        (length,) = _LENGTH.unpack(raw_length)
        if length > self._chunk_size:
            raise BackupIntegrityError(
                f"Chunk {self._index} claims {length} bytes, more than the chunk size."
            )
        body = self._source.read(length + TAG_SIZE)
        if len(body) < length + TAG_SIZE:
            raise BackupIntegrityError(f"Archive is truncated inside chunk {self._index}.")
        self.bytes_read += _LENGTH.size + len(body)
        ciphertext, tag = body[:length], body[length:]
        nonce = _nonce(self._prefix, self._index)
        # Full chunks are never final and only full-size chunks are non-final; try the
        # flag that matches the length first, then the other so a forged length fails on the tag.
        for final in (False, True) if length == self._chunk_size else (True,):
            cipher = AES.new(self._key, AES.MODE_GCM, nonce=nonce, mac_len=TAG_SIZE)
            cipher.update(_aad(self.header, self._index, final))
            try:
                plaintext = cipher.decrypt_and_verify(ciphertext, tag)
            except ValueError:
                continue
            self._index += 1
            if final:
                self._finished = True
                if self._source.read(1):
                    raise BackupIntegrityError("Archive has data after its final chunk.")
            return plaintext
        raise BackupIntegrityError(
            f"Chunk {self._index} failed authentication: the archive was modified or damaged."
        )
