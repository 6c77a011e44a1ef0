"""API sign-in counts toward the same lockout as the site's form: the same (account,
address) pair, the same limits, the same truthful answer, in the API's envelope."""

from datetime import UTC, datetime, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from ...conftest import PASSWORD
from ...factories import UserFactory
from .conftest import error_code, sign_in

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"
HOME = "198.51.100.10"
ELSEWHERE = "203.0.113.50"


@pytest.fixture(autouse=True)
def _login_throttle_out_of_the_way(settings):
    """The login route's own rate limit (10 a minute) would answer before the eleventh
    attempt reaches the lockout; these tests are about the lockout."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "login": "1000/min", "anon": "1000/min"},
    }


def _api(address=HOME):
    return APIClient(REMOTE_ADDR=address)


def _site_attempt(email, password, address=HOME):
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("account_login"), {"login": email, "password": password}), client


def test_ten_wrong_api_passwords_lock_the_pair_on_the_site_too(home, learner):
    for _ in range(9):
        response = sign_in(_api(), learner.email, WRONG)
        assert response.status_code == 401 and error_code(response) == "invalid_credentials"

    response = sign_in(_api(), learner.email, WRONG)
    assert response.status_code == 429, response.content
    error = response.json()["error"]
    assert error["code"] == "account_locked"
    assert error["details"]["scope"] == "pair"
    assert "Other accounts are not affected" in error["message"]
    assert 3500 <= int(response["Retry-After"]) == error["details"]["retry_after"] <= 3600
    until = datetime.strptime(error["details"]["until"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(minutes=58) < until - timezone.now() <= timedelta(hours=1)
    assert AccessAttempt.objects.get(username=learner.email, ip_address=HOME).failures_since_start == 10

    # The right password is refused too, over the API and on the site, and not counted.
    response = sign_in(_api(), learner.email, PASSWORD)
    assert response.status_code == 429 and error_code(response) == "account_locked"
    response, client = _site_attempt(learner.email, PASSWORD)
    assert response.status_code == 429 and "Sign-in to this account paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=learner.email, ip_address=HOME).failures_since_start == 10

    # Only that pair: the account from elsewhere, and another account from here, sign in.
    assert sign_in(_api(ELSEWHERE), learner.email, PASSWORD).status_code == 200
    other = UserFactory(email="other@example.test")
    other.emailaddress_set.create(email=other.email, verified=True, primary=True)
    assert sign_in(_api(), other.email, PASSWORD).status_code == 200


def test_site_failures_count_for_the_api(home, learner):
    for _ in range(10):
        _site_attempt(learner.email, WRONG)
    response = sign_in(_api(), learner.email, PASSWORD)
    assert response.status_code == 429 and error_code(response) == "account_locked"
    assert "access" not in response.json()


def test_a_successful_api_sign_in_clears_only_its_own_pair(home, learner):
    other = UserFactory(email="victim@example.test")
    for _ in range(9):
        sign_in(_api(), other.email, WRONG)
    for _ in range(5):
        sign_in(_api(), learner.email, WRONG)

    assert sign_in(_api(), learner.email, PASSWORD).status_code == 200

    assert not AccessAttempt.objects.filter(username=learner.email).exists()
    assert AccessAttempt.objects.get(username=other.email).failures_since_start == 9
    response = sign_in(_api(), other.email, WRONG)
    assert error_code(response) == "account_locked"
