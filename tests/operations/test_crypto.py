"""The archive format: chunks sealed with AES-256-GCM; any change, cut or wrong key is refused."""

import io
import os
import struct

from django.core.exceptions import ImproperlyConfigured

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from operations import crypto

from .conftest import OTHER_KEY

KEY = crypto.load_key()
CHUNK = 64


def seal(data: bytes, chunk_size: int = CHUNK) -> bytes:
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, KEY, chunk_size=chunk_size)
    for start in range(0, len(data), 37):  # odd-sized writes straddle chunk boundaries
        writer.write(data[start : start + 37])
    writer.close()
    return sink.getvalue()


def open_all(blob: bytes, key: bytes = KEY) -> bytes:
    return crypto.DecryptingReader(io.BytesIO(blob), key).read()


def header_length(blob: bytes) -> int:
    return len(crypto.read_header(io.BytesIO(blob))[0])


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 10 * CHUNK + 5])
def test_what_is_sealed_opens_unchanged_at_every_size(size):
    data = os.urandom(size)
    assert open_all(seal(data)) == data


def test_the_same_data_never_seals_to_the_same_bytes():
    data = b"x" * 500
    assert seal(data) != seal(data)


def test_sha256_and_size_describe_the_encrypted_output():
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, KEY, chunk_size=CHUNK)
    writer.write(b"hello" * 100)
    writer.close()
    import hashlib

    assert writer.sha256 == hashlib.sha256(sink.getvalue()).hexdigest()
    assert writer.bytes_written == len(sink.getvalue())


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=400), position=st.integers(min_value=0), bit=st.integers(0, 7))
def test_flipping_any_single_bit_is_refused(data, position, bit):
    blob = bytearray(seal(data))
    blob[position % len(blob)] ^= 1 << bit
    with pytest.raises(crypto.BackupIntegrityError):
        open_all(bytes(blob))


@pytest.mark.parametrize("cut", [1, 16, 17, CHUNK + 20])
def test_a_truncated_archive_is_refused(cut):
    blob = seal(os.urandom(5 * CHUNK + 3))
    with pytest.raises(crypto.BackupIntegrityError, match="truncated|authentication"):
        open_all(blob[:-cut])


def test_cutting_exactly_at_a_chunk_boundary_is_refused_as_truncation():
    blob = seal(os.urandom(5 * CHUNK + 3))
    record = 4 + CHUNK + crypto.TAG_SIZE
    cut_after_two_chunks = header_length(blob) + 2 * record
    with pytest.raises(crypto.BackupIntegrityError, match="truncated"):
        open_all(blob[:cut_after_two_chunks])


def test_swapping_two_chunks_is_refused():
    blob = seal(os.urandom(5 * CHUNK))
    start, record = header_length(blob), 4 + CHUNK + crypto.TAG_SIZE
    first, second = blob[start : start + record], blob[start + record : start + 2 * record]
    swapped = blob[:start] + second + first + blob[start + 2 * record :]
    with pytest.raises(crypto.BackupIntegrityError, match="authentication"):
        open_all(swapped)


def test_anything_after_the_final_chunk_is_refused():
    with pytest.raises(crypto.BackupIntegrityError, match="after its final chunk"):
        open_all(seal(b"payload") + b"\x00")


def test_editing_the_header_chunk_size_is_refused():
    blob = bytearray(seal(os.urandom(3 * CHUNK)))
    offset = header_length(bytes(blob)) - 4
    blob[offset : offset + 4] = struct.pack(">I", CHUNK * 2)
    with pytest.raises(crypto.BackupIntegrityError):
        open_all(bytes(blob))


def test_the_wrong_key_is_named_and_refused():
    blob = seal(b"secret")
    with pytest.raises(crypto.BackupIntegrityError, match="wrong key"):
        open_all(blob, crypto.load_key(OTHER_KEY))


def test_a_forged_key_id_with_the_wrong_key_still_fails_authentication():
    other = crypto.load_key(OTHER_KEY)
    blob = seal(b"secret")
    forged = blob.replace(crypto.key_id(KEY).encode(), crypto.key_id(other).encode())
    with pytest.raises(crypto.BackupIntegrityError):
        open_all(forged, other)


def test_something_that_is_not_an_archive_is_refused():
    with pytest.raises(crypto.BackupIntegrityError, match="Not a Lectern backup"):
        open_all(b"PK\x03\x04 a zip file")


@pytest.mark.parametrize(
    "value, message",
    [("", "not set"), ("not base64!", "base64"), ("c2hvcnQ=", "32 bytes")],
)
def test_a_missing_or_malformed_key_fails_loudly(value, message, settings):
    settings.BACKUP_ENCRYPTION_KEY = value
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.load_key()
