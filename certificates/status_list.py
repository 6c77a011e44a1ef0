"""The published revocation list: a W3C Bitstring Status List v1.0.

Every certificate owns one bit (its `status_list_index`); bit set = revoked. A list holds
131,072 entries (16 KB uncompressed, the spec's minimum, so one bit says little about
which learner it is), published as a signed VC-JWT of a `BitstringStatusListCredential`
at /certificates/status/<n>. Index i lives in list i // LIST_SIZE + 1 at position
i % LIST_SIZE; bit 0 is the most significant bit of the first byte, as the spec says.
The list is computed from the database on each request, so a revocation shows at once
(only the short HTTP cache delays it).
"""

import base64
import gzip
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse

from . import vc_jwt
from .models import Certificate

LIST_SIZE = 131_072
STATUS_PURPOSE = "revocation"


def list_number_for(index: int) -> int:
    return index // LIST_SIZE + 1


def position_in_list(index: int) -> int:
    return index % LIST_SIZE


def list_url(list_number: int) -> str:
    return settings.CERTIFICATE_BASE_URL + reverse("certificates:status_list", args=[list_number])


def draw_index(issued_so_far: int) -> int:
    """A random free-looking index for a new certificate.

    Random rather than sequential (the spec's advice: neighbours in the list should not
    reveal issue order). Each list is filled to at most half before the next one starts,
    so a random draw rarely hits a taken index; the unique constraint catches the rest.
    """
    list_offset = issued_so_far // (LIST_SIZE // 2)
    return list_offset * LIST_SIZE + secrets.randbelow(LIST_SIZE)


def entry_for(index: int) -> dict:
    """The `credentialStatus` a credential carries for its index."""
    url = list_url(list_number_for(index))
    position = position_in_list(index)
    return {
        "id": f"{url}#{position}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(position),
        "statusListCredential": url,
    }


def encode_bitstring(set_positions, size: int = LIST_SIZE) -> str:
    """GZIP the bitstring and encode it as multibase base64url without padding ("u…")."""
    bits = bytearray(size // 8)
    for position in set_positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode_bitstring(encoded_list: str) -> bytes:
    """The uncompressed bitstring of an `encodedList` (what a verifier does)."""
    text = encoded_list[1:] if encoded_list.startswith("u") else encoded_list
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def bit_is_set(bitstring: bytes, position: int) -> bool:
    return bool(bitstring[position // 8] & (0x80 >> (position % 8)))


def highest_list_number() -> int:
    top = (
        Certificate.objects.order_by("-status_list_index").values_list("status_list_index", flat=True).first()
    )
    return list_number_for(top) if top is not None else 1


def revoked_positions(list_number: int) -> list[int]:
    start = (list_number - 1) * LIST_SIZE
    indices = Certificate.objects.revoked().filter(
        status_list_index__gte=start, status_list_index__lt=start + LIST_SIZE
    )
    return [index - start for index in indices.values_list("status_list_index", flat=True)]


def _changed_at(list_number: int) -> datetime:
    """When the list last changed (its latest revocation, else its first issue): a stable
    validFrom, so the signed list stays byte-identical between changes and never carries
    a "not before" in the future of a verifier whose clock runs a little slow."""
    start = (list_number - 1) * LIST_SIZE
    in_list = Certificate.objects.filter(
        status_list_index__gte=start, status_list_index__lt=start + LIST_SIZE
    )
    moments = in_list.aggregate(revoked=Max("revoked_at"), first=Min("issued_at"))
    return moments["revoked"] or moments["first"] or datetime.now(UTC)


def status_list_credential(list_number: int) -> dict:
    url = list_url(list_number)
    return {
        "@context": [vc_jwt.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": vc_jwt.issuer_did(),
        "validFrom": vc_jwt.iso_datetime(_changed_at(list_number)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode_bitstring(revoked_positions(list_number)),
        },
    }


def signed_status_list(list_number: int) -> str:
    return vc_jwt.sign_credential(status_list_credential(list_number))
