"""The public verification page: anyone checks a number; revocation is plain to see."""

from django.utils.timezone import localtime

import pytest

from certificates.issuing import revoke_certificate

pytestmark = pytest.mark.django_db


def test_anyone_sees_name_course_instructor_and_date_of_a_valid_certificate(client, certificate):
    response = client.get(f"/certificates/verify/{certificate.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Valid certificate",
        "Giang Gold",
        "Practical Django",
        "Ines Instructor",
        certificate.number,
    ):
        assert expected in html
    assert certificate.issued_at.strftime("%Y") in html
    assert "Revoked" not in html
    assert "no-cache" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    assert "gold@example.test" not in html  # the page never shows the email


def test_a_revoked_certificate_says_when_and_why(client, certificate, admin_user):
    revoked = revoke_certificate(certificate, actor=admin_user, reason="Exam answers were shared")
    response = client.get(f"/certificates/verify/{certificate.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Revoked on {localtime(revoked.revoked_at):%-d %B %Y}" in html
    assert "Exam answers were shared" in html
    assert "Valid certificate" not in html
    assert "Ada Admin" not in html  # who revoked stays in the admin audit trail


def test_an_unknown_number_is_a_clear_not_found_with_the_form(client, db):
    response = client.get("/certificates/verify/LCT-2026-ZZZZZZ/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Certificate not found" in html
    assert "LCT-2026-ZZZZZZ" in html
    assert 'name="number"' in html


def test_a_malformed_number_in_the_address_is_not_found_too(client, db):
    response = client.get("/certificates/verify/<script>alert(1)<script>/")
    assert response.status_code in (404,)
    assert "<script>alert(1)" not in response.content.decode()


def test_the_form_sends_a_valid_number_to_its_page(client, certificate):
    response = client.get("/certificates/verify/", {"number": f"  {certificate.number.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/verify/{certificate.number}/"


def test_a_lowercase_number_in_the_address_redirects_to_the_canonical_one(client, certificate):
    response = client.get(f"/certificates/verify/{certificate.number.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/verify/{certificate.number}/"


@pytest.mark.parametrize("typed", ["", "hello", "LCT-2026-OOOOOO", "LCT-2026-ABC", "x" * 500])
def test_bad_input_in_the_form_gets_a_clear_error_and_keeps_what_was_typed(client, db, typed):
    response = client.get("/certificates/verify/", {"number": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "field--invalid" in html
    if typed:
        assert "That is not a certificate number" in html
    else:
        assert "This field is required" in html


def test_the_empty_form_is_a_plain_page(client, db):
    response = client.get("/certificates/verify/")
    assert response.status_code == 200
    assert "Enter a certificate number" in response.content.decode()


def test_lookups_are_rate_limited_per_client(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    for _ in range(3):
        assert client.get("/certificates/verify/LCT-2026-ZZZZZZ/").status_code == 404
    response = client.get(f"/certificates/verify/{certificate.number}/")
    assert response.status_code == 429
    assert "Too many lookups" in response.content.decode()
    assert "Giang Gold" not in response.content.decode()
    other_client = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert other_client.get(f"/certificates/verify/{certificate.number}/").status_code == 200


def test_verification_page_uses_the_certificates_stylesheet(client, certificate):
    html = client.get(f"/certificates/verify/{certificate.number}/").content.decode()
    assert "css/certificates.css" in html


def test_behind_the_proxy_each_visitor_has_their_own_budget(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = "2/m"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = f"/certificates/verify/{certificate.number}/"
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7", **via_proxy).status_code == 200
    # A forged left-most entry does not buy a fresh budget: nginx appends the real address.
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7", **via_proxy).status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.8", **via_proxy).status_code == 200


def test_a_forged_forwarded_for_from_an_untrusted_peer_buys_no_fresh_budget(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = "2/m"
    url = f"/certificates/verify/{certificate.number}/"
    # No trusted proxies (the default): even the loopback's header is the client's own word.
    for forged in ("198.51.100.7", "198.51.100.8"):
        assert client.get(url, HTTP_X_FORWARDED_FOR=forged, REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.9", REMOTE_ADDR="127.0.0.1").status_code == 429
