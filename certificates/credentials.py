"""Open Badges 3.0 credentials, secured as VC-JWTs.

A certificate is also an `OpenBadgeCredential` (1EdTech Open Badges 3.0 on the W3C
Verifiable Credentials Data Model 2.0). It is secured with JOSE as the W3C VC-JOSE-COSE
recommendation and OB 3.0's JSON Web Token proof format describe:

- JOSE header: `alg` EdDSA (Ed25519), `kid` did:web:<host>#key-1 (resolvable through
  /.well-known/did.json), `typ` "vc+jwt" and `cty` "vc" (VC-JOSE-COSE's media types).
- JWT payload: the credential itself (its members at the top level, no `vc` wrapper),
  plus the registered claims OB 3.0 maps from it: `iss` = issuer.id, `jti` = id,
  `nbf` = validFrom, `exp` = validUntil (only when there is one) and `sub` =
  credentialSubject.id (only when there is one; ours identify the learner by a salted
  email hash instead, as OB 3.0's IdentityObject allows).

Signing uses PyJWT with cryptography; the tests verify with jwcrypto, a different
library, from nothing but the published DID document.
"""

from datetime import UTC, datetime
from functools import cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .keys import SigningKeyError, parse_signing_key

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
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


def recipient_identity(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: "sha256$" + hex SHA-256 of the email followed by the salt."""
    import hashlib

    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def achievement_id(course) -> str:
    return settings.CERTIFICATE_BASE_URL + reverse("certificates:achievement", args=[course.pk])


def build_credential(certificate) -> dict:
    """The OpenBadgeCredential for `certificate`, from its issue-time snapshot only, so
    signing it again later gives the very same credential."""
    from . import status_list

    base_url = settings.CERTIFICATE_BASE_URL
    title = certificate.course_title
    taught_by = ", ".join(certificate.instructors)
    description = f"Completed the course “{title}” on {settings.CERTIFICATE_ISSUER_NAME}"
    description += f", taught by {taught_by}." if taught_by else "."
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": certificate.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{title}: certificate of completion",
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": settings.CERTIFICATE_ISSUER_NAME,
            "url": base_url + "/",
        },
        "validFrom": iso_datetime(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": certificate.recipient_hash,
                    "salt": certificate.recipient_salt,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.learner_name,
                },
            ],
            "achievement": {
                "id": certificate.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": title,
                "description": description,
                "criteria": {
                    "narrative": (
                        "Complete every required lesson of the course, including passing its "
                        "required quizzes, as a member whose plan includes certificates."
                    )
                },
            },
        },
        "credentialStatus": status_list.entry_for(certificate.status_list_index),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def signed_credential(certificate) -> str:
    return sign_credential(build_credential(certificate))
