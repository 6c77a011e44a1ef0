"""The doors attackers knock on have their own, stricter limits: 429 with Retry-After."""

import pytest
from rest_framework.test import APIClient

from .conftest import bot_check, error_code, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "scope"),
    [
        ("auth_login", "login"),
        ("auth_login_mfa", "login"),
        ("auth_register", "register"),
        ("auth_password_reset", "password_reset"),
        ("auth_password_reset_confirm", "password_reset"),
    ],
)
def test_each_door_has_its_own_limit(settings, route, scope):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, scope: "2/min"},
    }
    client = APIClient()
    for _ in range(2):
        assert client.post(url(route), {}, format="json").status_code == 422
    response = client.post(url(route), {}, format="json")
    assert response.status_code == 429 and error_code(response) == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_default_limits_are_the_documented_ones(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert (rates["login"], rates["register"], rates["password_reset"]) == ("10/min", "5/hour", "5/hour")


def test_reset_requests_share_the_sites_per_account_limit(
    home, learner, settings, django_capture_on_commit_callbacks
):
    assert settings.ACCOUNT_RATE_LIMITS["reset_password"] == "20/h/ip,3/h/key"
    client = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = client.post(
                url("auth_password_reset"),
                {"email": learner.email, "bot_check": bot_check(client)},
                format="json",
            )
            assert response.status_code == 202
    response = client.post(
        url("auth_password_reset"), {"email": learner.email, "bot_check": bot_check(client)}, format="json"
    )
    assert response.status_code == 429 and error_code(response) == "throttled"
