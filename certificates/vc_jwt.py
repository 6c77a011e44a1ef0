"""Verifiable Credentials secured as JWTs (VC-JOSE-COSE), signed with the site's Ed25519
key: what an Open Badges credential (credentials.py) and a status list credential
(status_list.py) both need, so neither imports the other for it.

- JOSE header: `alg` EdDSA (Ed25519), `kid` did:web:<host>#key-1 (resolvable through
  /.well-known/did.json), `typ` "vc+jwt" and `cty` "vc" (VC-JOSE-COSE's media types).
- JWT payload: the credential itself (its members at the top level, no `vc` wrapper),
  plus the registered claims derived from it: `iss` = issuer.id, `jti` = id,
  `nbf` = validFrom, `exp` = validUntil (only when there is one) and `sub` =
  credentialSubject.id (only when there is one).

Signing uses PyJWT with cryptography; the tests verify with jwcrypto, a different
library, from nothing but the published DID document.
"""

from datetime import UTC, datetime
from functools import cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .keys import SigningKeyError, parse_signing_key

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
JOSE_TYPE = "vc+jwt"
MEDIA_TYPE = "application/vc+jwt"
ALGORITHM = "EdDSA"


@cache
def _parsed_key(value: str) -> Ed25519PrivateKey:
    try:
        return parse_signing_key(value)
    except SigningKeyError as error:
        raise ImproperlyConfigured(str(error)) from None


def signing_key() -> Ed25519PrivateKey:
    return _parsed_key(settings.CERTIFICATE_SIGNING_KEY)


def issuer_did() -> str:
    """did:web of the public host; a port is percent-encoded as the did:web method says."""
    host = urlsplit(settings.CERTIFICATE_BASE_URL).netloc
    return "did:web:" + quote(host, safe="")


def key_id() -> str:
    return issuer_did() + "#key-1"


def iso_datetime(moment: datetime) -> str:
    """XML Schema dateTime in UTC, to the second, as the VC data model expects."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _numeric_date(iso_value: str) -> int:
    return int(datetime.fromisoformat(iso_value.replace("Z", "+00:00")).timestamp())


def sign_credential(credential: dict) -> str:
    """Secure `credential` as a VC-JWT: the credential is the payload, with the claims
    OB 3.0 derives from it."""
    claims = {
        "iss": credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"]
    }
    if "id" in credential:
        claims["jti"] = credential["id"]
    subject = credential.get("credentialSubject", {})
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    if "validFrom" in credential:
        claims["nbf"] = _numeric_date(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    headers = {"kid": key_id(), "typ": JOSE_TYPE, "cty": "vc"}
    return jwt.encode({**credential, **claims}, signing_key(), algorithm=ALGORITHM, headers=headers)


def read_credential(token: str) -> dict:
    """Verify a VC-JWT signed by this site and return its payload.

    Raises jwt.InvalidTokenError for a forged signature, a token not yet valid (nbf) or
    expired (exp), another issuer, or a header that is not ours.
    """
    header = jwt.get_unverified_header(token)
    if header.get("alg") != ALGORITHM or header.get("kid") != key_id() or header.get("typ") != JOSE_TYPE:
        raise jwt.InvalidTokenError("Not a credential issued by this site.")
    return jwt.decode(
        token,
        signing_key().public_key(),
        algorithms=[ALGORITHM],
        issuer=issuer_did(),
        options={"require": ["iss", "nbf"]},
    )
