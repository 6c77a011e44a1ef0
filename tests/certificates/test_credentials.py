"""The Open Badges 3.0 credential, checked as a third party would: with jwcrypto (not
PyJWT, which signed it) and nothing but the key published in /.well-known/did.json."""

import base64
import hashlib
import json
from datetime import timedelta

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jws, jwt

from certificates import credentials, status_list, vc_jwt
from certificates.issuing import revoke_certificate
from certificates.keys import SigningKeyError, parse_signing_key

pytestmark = pytest.mark.django_db


def _download(client, certificate):
    client.force_login(certificate.user)
    response = client.get(f"/certificates/{certificate.number}/credential.jwt")
    assert response.status_code == 200
    return response


def _verify(token: str, key) -> tuple[dict, dict]:
    """jwcrypto checks the EdDSA signature; returns (header, payload)."""
    verified = jwt.JWT(jwt=token, key=key, algs=["EdDSA"], expected_type="JWS")
    return verified.token.jose_header, json.loads(verified.claims)


def test_did_document_publishes_the_ed25519_key_as_a_json_web_key(client, settings):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert "public" in response["Cache-Control"]
    document = response.json()
    assert document["id"] == "did:web:127.0.0.1%3A8000"  # the port is percent-encoded
    (method,) = document["verificationMethod"]
    assert method["id"] == "did:web:127.0.0.1%3A8000#key-1"
    assert method["type"] == "JsonWebKey"
    assert method["controller"] == document["id"]
    assert method["publicKeyJwk"]["kty"] == "OKP" and method["publicKeyJwk"]["crv"] == "Ed25519"
    assert "d" not in method["publicKeyJwk"]  # never the private part
    assert document["assertionMethod"] == [method["id"]]


def test_credential_verifies_with_jwcrypto_from_the_published_key_only(client, certificate, published_key):
    kid, key = published_key
    response = _download(client, certificate)
    assert response["Content-Type"] == "application/vc+jwt"
    assert f'filename="{certificate.number}.jwt"' in response["Content-Disposition"]
    header, payload = _verify(response.content.decode(), key)
    assert header == {"alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"}
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["id"] == kid.split("#")[0]
    assert payload["issuer"]["type"] == ["Profile"]
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"] == certificate.verification_url
    assert payload["nbf"] == int(certificate.issued_at.replace(microsecond=0).timestamp())
    assert payload["validFrom"].endswith("Z")
    assert "exp" not in payload and "validUntil" not in payload  # a course certificate does not expire


def test_credential_subject_is_the_achievement_and_a_hashed_email(client, certificate, published_key):
    _header, payload = _verify(_download(client, certificate).content.decode(), published_key[1])
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    email_identity = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    assert email_identity["type"] == "IdentityObject" and email_identity["hashed"] is True
    salt = email_identity["salt"]
    assert (
        email_identity["identityHash"]
        == "sha256$" + hashlib.sha256(f"gold@example.test{salt}".encode()).hexdigest()
    )
    assert "gold@example.test" not in json.dumps(payload)
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Practical Django"
    assert "Ines Instructor" in achievement["description"]
    assert achievement["criteria"]["narrative"]
    assert achievement["id"].startswith("http")


def test_credential_points_at_its_bit_in_the_status_list(client, certificate, published_key):
    _header, payload = _verify(_download(client, certificate).content.decode(), published_key[1])
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"].endswith("/certificates/status/1")
    assert status["statusListIndex"] == str(certificate.status_list_index % status_list.LIST_SIZE)


def _status_bit(client, key, entry: dict) -> bool:
    path = entry["statusListCredential"].split("8000", 1)[1]
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    _header, status_credential = _verify(response.content.decode(), key)
    assert status_credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    # Per the spec: multibase base64url (no padding) of the GZIP-compressed bitstring.
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    import gzip

    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    position = int(entry["statusListIndex"])
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def test_after_revocation_the_status_list_marks_the_credential_revoked(
    client, certificate, published_key, admin_user
):
    token = _download(client, certificate).content.decode()
    _header, payload = _verify(token, published_key[1])
    entry = payload["credentialStatus"]
    assert _status_bit(client, published_key[1], entry) is False

    client.force_login(admin_user)
    response = client.post(
        f"/admin/certificates/revoke/{certificate.pk}/", {"reason": "Assessment found to be copied"}
    )
    assert response.status_code == 302

    assert _status_bit(client, published_key[1], entry) is True


def test_only_the_revoked_bit_is_set(client, certificate, published_key, admin_user):
    revoke_certificate(certificate, actor=admin_user, reason="Test")
    bits = status_list.decode_bitstring(
        status_list.status_list_credential(1)["credentialSubject"]["encodedList"]
    )
    set_positions = [i for i in range(len(bits) * 8) if status_list.bit_is_set(bits, i)]
    assert set_positions == [certificate.status_list_index % status_list.LIST_SIZE]


def test_status_list_is_briefly_cacheable_and_unknown_lists_are_404(client, certificate):
    response = client.get("/certificates/status/1")
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert client.get("/certificates/status/0").status_code == 404
    assert client.get("/certificates/status/99").status_code == 404


def test_a_forged_credential_fails_verification(client, certificate, published_key):
    token = _download(client, certificate).content.decode()
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Brain Surgery"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{header}.{forged_payload}.{signature}"
    with pytest.raises(jws.InvalidJWSSignature):
        _verify(forged, published_key[1])
    with pytest.raises(pyjwt.InvalidSignatureError):
        vc_jwt.read_credential(forged)


def test_a_credential_signed_with_another_key_is_refused(certificate, published_key):
    impostor = Ed25519PrivateKey.generate()
    credential = credentials.build_credential(certificate)
    token = pyjwt.encode(
        {**credential, "iss": credential["issuer"]["id"], "nbf": 0},
        impostor,
        algorithm="EdDSA",
        headers={"kid": vc_jwt.key_id(), "typ": "vc+jwt"},
    )
    with pytest.raises(jws.InvalidJWSSignature):
        _verify(token, published_key[1])
    with pytest.raises(pyjwt.InvalidSignatureError):
        vc_jwt.read_credential(token)


def test_an_expired_or_not_yet_valid_credential_is_refused(certificate):
    credential = credentials.build_credential(certificate)
    expired = {
        **credential,
        "validUntil": vc_jwt.iso_datetime(certificate.issued_at - timedelta(days=1)),
    }
    with pytest.raises(pyjwt.ExpiredSignatureError):
        vc_jwt.read_credential(vc_jwt.sign_credential(expired))
    future = {**credential, "validFrom": vc_jwt.iso_datetime(certificate.issued_at + timedelta(days=30))}
    with pytest.raises(pyjwt.ImmatureSignatureError):
        vc_jwt.read_credential(vc_jwt.sign_credential(future))
    assert vc_jwt.read_credential(credentials.signed_credential(certificate))["jti"] == credential["id"]


def test_a_token_with_alg_none_is_refused(certificate):
    unsigned = pyjwt.encode({"iss": vc_jwt.issuer_did(), "nbf": 0}, None, algorithm="none")
    with pytest.raises(pyjwt.InvalidTokenError):
        vc_jwt.read_credential(unsigned)


def test_signing_twice_gives_the_same_credential(certificate):
    assert credentials.signed_credential(certificate) == credentials.signed_credential(certificate)


def test_the_signing_key_is_read_from_pem_or_raw_base64():
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    raw = base64.b64encode(
        key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    ).decode()
    assert parse_signing_key(pem).public_key().public_bytes_raw() == (
        parse_signing_key(raw).public_key().public_bytes_raw()
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "not base64 at all!",
        base64.b64encode(b"short").decode(),
        "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----",
    ],
)
def test_a_missing_or_malformed_signing_key_is_refused(value):
    with pytest.raises(SigningKeyError):
        parse_signing_key(value)


def test_an_rsa_key_is_refused():
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )
    with pytest.raises(SigningKeyError, match="Ed25519"):
        parse_signing_key(pem)


def test_system_check_fails_loudly_without_a_key(settings):
    from certificates.checks import signing_key_is_usable

    settings.CERTIFICATE_SIGNING_KEY = ""
    (error,) = signing_key_is_usable(None)
    assert error.id == "certificates.E001"


def test_the_status_list_is_identical_between_changes_and_never_valid_from_the_future(
    client, certificate, admin_user
):
    from django.utils import timezone

    first = client.get("/certificates/status/1").content
    assert client.get("/certificates/status/1").content == first
    nbf = pyjwt.decode(first, options={"verify_signature": False})["nbf"]
    assert nbf <= timezone.now().timestamp()
    revoke_certificate(certificate, actor=admin_user, reason="Changed")
    assert client.get("/certificates/status/1").content != first
