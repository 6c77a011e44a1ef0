"""The issuer's Ed25519 signing key, read from the environment.

Kept free of Django model imports so `config/settings/production.py` can parse the key
at start-up and refuse to run with a missing or malformed one.
"""

import base64
import binascii

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# The fixed key dev.py and test.py fall back to; production.py refuses it.
DEV_ONLY_KEY = "mMC9neTzqARD9B/MxTzlOWQK5PL5pUdlDxnFvlJIZkg="


class SigningKeyError(ValueError):
    pass


def parse_signing_key(value: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or from its 32 raw bytes in base64."""
    value = (value or "").strip()
    if not value:
        raise SigningKeyError("CERTIFICATE_SIGNING_KEY is empty: certificates cannot be signed.")
    if value.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(value.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise SigningKeyError(f"CERTIFICATE_SIGNING_KEY is not a readable PEM key: {error}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError("CERTIFICATE_SIGNING_KEY must be an Ed25519 key.")
        return key
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SigningKeyError("CERTIFICATE_SIGNING_KEY is neither PEM nor base64.") from None
    if len(raw) != 32:
        raise SigningKeyError("CERTIFICATE_SIGNING_KEY in base64 must hold exactly 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_jwk(public_key: Ed25519PublicKey) -> dict:
    """The public key as a JSON Web Key (RFC 8037: kty OKP, crv Ed25519)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
