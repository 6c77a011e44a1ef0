"""My certificates over the API: listed with their PDF and Open Badges credential links,
addressed by the public number, each link working with the owner's token and a 404 for
anyone else's."""

import pytest
from rest_framework.test import APIClient

from ...learning.api.support import bearer, error_code, expired, forged

pytestmark = pytest.mark.django_db


def test_my_certificates_list_pdf_and_credential(gold, certificate, published_key):
    from jwcrypto import jwt

    api = bearer(gold)
    listed = api.get("/api/v1/me/certificates/")
    assert listed.status_code == 200, listed.content
    assert "no-store" in listed["Cache-Control"]
    (row,) = listed.json()["results"]
    assert row["number"] == certificate.number and row["revoked"] is False
    assert row["course_title"] == certificate.course_title
    assert row["verification_url"] == certificate.verification_url
    base = f"http://testserver/api/v1/me/certificates/{certificate.number}/"
    assert row["pdf_url"] == base + "certificate.pdf" and row["credential_url"] == base + "credential.jwt"
    assert "id" not in row
    assert api.get(f"/api/v1/me/certificates/{certificate.number}/").json() == row

    pdf = api.get(row["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    credential = api.get(row["credential_url"])
    assert credential.status_code == 200 and credential["Content-Type"] == "application/vc+jwt"
    _key_id, key = published_key
    token = jwt.JWT(jwt=credential.content.decode(), key=key, algs=["EdDSA"], expected_type="JWS")
    assert certificate.number in token.claims


def test_someone_elses_certificate_does_not_exist_for_you(silver, certificate):
    api = bearer(silver)
    assert api.get("/api/v1/me/certificates/").json()["count"] == 0
    base = f"/api/v1/me/certificates/{certificate.number}/"
    for url in (base, base + "certificate.pdf", base + "credential.jwt"):
        assert error_code(api.get(url), 404) == "not_found"


def test_no_valid_token_no_certificates(gold, certificate):
    base = f"/api/v1/me/certificates/{certificate.number}/"
    for client in (APIClient(), expired(gold), forged(gold)):
        for url in ("/api/v1/me/certificates/", base, base + "certificate.pdf", base + "credential.jwt"):
            assert client.get(url).status_code == 401, url


def test_a_row_id_or_a_made_up_number_is_404(gold, certificate):
    api = bearer(gold)
    assert api.get(f"/api/v1/me/certificates/{certificate.pk}/").status_code == 404
    assert api.get("/api/v1/me/certificates/LCT-2020-AAAAAA/").status_code == 404
