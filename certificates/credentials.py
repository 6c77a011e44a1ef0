"""Open Badges 3.0 credentials, secured as VC-JWTs.

A certificate is also an `OpenBadgeCredential` (1EdTech Open Badges 3.0 on the W3C
Verifiable Credentials Data Model 2.0). It is secured with JOSE as the W3C VC-JOSE-COSE
recommendation and OB 3.0's JSON Web Token proof format describe:

`vc_jwt.py` signs it (EdDSA, `typ` vc+jwt); the claims OB 3.0 maps from the credential
(`iss`, `jti`, `nbf`, `exp`, `sub`) are derived there. Ours carry no `sub`: the learner is
identified by a salted email hash instead, as OB 3.0's IdentityObject allows.
"""

import hashlib

from django.conf import settings
from django.urls import reverse

from . import status_list
from .vc_jwt import VC_CONTEXT, iso_datetime, issuer_did, sign_credential

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"


def recipient_identity(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: "sha256$" + hex SHA-256 of the email followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def achievement_id(course) -> str:
    return settings.CERTIFICATE_BASE_URL + reverse("certificates:achievement", args=[course.pk])


def build_credential(certificate) -> dict:
    """The OpenBadgeCredential for `certificate`, from its issue-time snapshot only, so
    signing it again later gives the very same credential."""
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
