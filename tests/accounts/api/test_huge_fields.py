"""Huge values in the account routes' bodies are refused, never a server error (found by
schemathesis: every field a one-megabyte string made login, the second-factor step,
register and password change answer 500).

Several such fields add up past `DATA_UPLOAD_MAX_MEMORY_SIZE`, and Django refuses to read
the body when the view first asks for it: that is the caller's mistake, answered 413
`request_too_large` in the envelope. One huge field fits, and is refused as content (422)
or as a wrong password (401), with nothing stored.
"""

from django.conf import settings

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from accounts.models import User

from .conftest import bearer, error_code, tokens_for, url

MEGABYTE = "x" * 1_000_000
FIELDS = {
    "auth_login": ["email", "password", "cookie"],
    "auth_login_mfa": ["ticket", "code", "cookie"],
    "auth_register": ["email", "full_name", "password", "bot_check"],
    "auth_password_change": ["current_password", "new_password", "cookie"],
}

pytestmark = pytest.mark.django_db


def _client(route, learner):
    return bearer(tokens_for(learner)["access"]) if route == "auth_password_change" else APIClient()


@pytest.mark.parametrize("route", list(FIELDS))
def test_every_field_a_megabyte_is_413_in_the_envelope(route, learner):
    body = dict.fromkeys(FIELDS[route], MEGABYTE)
    response = _client(route, learner).post(url(route), body, format="json")
    assert response.status_code == 413, response.content[:500]
    assert error_code(response) == "request_too_large"
    assert response.json()["error"]["details"] == {"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}


def test_a_megabyte_name_is_refused_as_content_and_no_account_is_made():
    body = {
        "email": "new@example.com",
        "full_name": MEGABYTE,
        "password": "a long pass phrase",
        "bot_check": "x",
    }
    response = APIClient().post(url("auth_register"), body, format="json")
    assert response.status_code == 422
    assert "full_name" in response.json()["error"]["details"]["fields"]
    assert not User.objects.filter(email="new@example.com").exists()


def test_a_megabyte_password_is_a_wrong_password(learner):
    response = APIClient().post(
        url("auth_login"), {"email": learner.email, "password": MEGABYTE}, format="json"
    )
    assert response.status_code == 401 and error_code(response) == "invalid_credentials"
    assert AccessAttempt.objects.filter(username=learner.email.lower()).count() == 1


def test_a_megabyte_current_password_does_not_change_the_password(learner):
    client = _client("auth_password_change", learner)
    body = {"current_password": MEGABYTE, "new_password": "another long pass phrase"}
    response = client.post(url("auth_password_change"), body, format="json")
    assert response.status_code == 422
    assert "current_password" in response.json()["error"]["details"]["fields"]
    learner.refresh_from_db()
    assert not learner.check_password("another long pass phrase")
