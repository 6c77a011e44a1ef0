"""Helpers for the API's account routes: a client that signs in the way an app does."""

import re

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

import altcha
import pytest
from rest_framework.test import APIClient

from ...challenges.solving import solved
from ...conftest import PASSWORD

SITE = "https://lectern.test"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """Rate limits, lockout records aside, live in the cache: each test starts afresh.
    Account emails link to the site's own address."""
    settings.WAGTAILADMIN_BASE_URL = SITE
    cache.clear()
    yield
    cache.clear()


def url(name: str) -> str:
    return reverse(f"api:{name}")


def bot_check(client) -> str:
    """Solve the bot check the API announces, as an app would."""
    announced = client.get(url("auth_bot_check")).json()
    assert announced["provider"] == "altcha"
    return solved(altcha.Challenge.from_dict(announced["challenge"]))


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(url("auth_login"), {"email": email, "password": password, **extra}, format="json")


def tokens_for(user, password=PASSWORD) -> dict:
    response = sign_in(APIClient(), user.email, password)
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def refresh(token: str, client=None):
    return (client or APIClient()).post(url("auth_refresh"), {"refresh": token}, format="json")


def error_code(response) -> str:
    return response.json()["error"]["code"]


def link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)
