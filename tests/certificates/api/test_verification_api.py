"""Public certificate verification over the API: the same facts as the verification page,
revoked shows revoked, and one rate-limit budget shared with the page."""

from datetime import UTC

import pytest
from rest_framework.test import APIClient

from certificates.issuing import revoke_certificate

from ...api.clients import assert_error

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/certificates/verify/"


def test_anyone_verifies_a_number_and_sees_what_the_page_shows(client, certificate):
    response = client.get(f"{VERIFY}{certificate.number}/")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "number": certificate.number,
        "status": "valid",
        "learner_name": "Giang Gold",
        "course_title": "Practical Django",
        "instructors": ["Ines Instructor"],
        "issued_at": certificate.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "revoked_at": None,
        "revoked_reason": None,
        "verification_url": certificate.verification_url,
    }
    assert "no-cache" in response["Cache-Control"]
    assert "gold@example.test" not in response.content.decode()


def test_a_number_typed_in_lowercase_finds_its_certificate(client, certificate):
    assert client.get(f"{VERIFY}{certificate.number.lower()}/").json()["number"] == certificate.number


def test_a_revoked_certificate_says_revoked_when_and_why(client, certificate, admin_user):
    revoke_certificate(certificate, actor=admin_user, reason="Exam answers were shared")
    body = client.get(f"{VERIFY}{certificate.number}/").json()
    assert body["status"] == "revoked"
    assert body["revoked_at"].endswith("Z")
    assert body["revoked_reason"] == "Exam answers were shared"
    assert "Ada Admin" not in str(body)


@pytest.mark.parametrize("number", ["LCT-2026-ZZZZZZ", "not-a-number"])
def test_an_unknown_number_is_404(client, db, number):
    assert_error(client.get(f"{VERIFY}{number}/"), 404, "not_found")


def test_lookups_share_the_pages_budget_and_answer_429_with_retry_after(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    assert client.get("/certificates/verify/LCT-2026-ZZZZZZ/").status_code == 404  # the page
    for _ in range(2):
        assert client.get(f"{VERIFY}LCT-2026-ZZZZZZ/").status_code == 404  # the API
    refused = client.get(f"{VERIFY}{certificate.number}/")
    assert_error(refused, 429, "throttled")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Giang Gold" not in refused.content.decode()
    assert client.get(f"/certificates/verify/{certificate.number}/").status_code == 429  # the page too
    assert APIClient(REMOTE_ADDR="203.0.113.9").get(f"{VERIFY}{certificate.number}/").status_code == 200
