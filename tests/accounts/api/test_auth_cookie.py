"""Cookie mode for browser clients: the refresh token lives in an httpOnly, Secure,
SameSite=Strict cookie scoped to the auth routes, and refreshing from it needs the CSRF
token (a cookie the browser sends by itself proves nothing)."""

import pytest
from rest_framework.test import APIClient

from .conftest import error_code, sign_in, url

pytestmark = pytest.mark.django_db

COOKIE = "lectern_refresh"


def _browser():
    # Django's test client skips CSRF checks unless asked; a browser is checked.
    return APIClient(enforce_csrf_checks=True)


def test_login_in_cookie_mode_keeps_the_refresh_token_out_of_reach_of_scripts(learner):
    browser = _browser()
    response = sign_in(browser, learner.email, cookie=True)
    assert response.status_code == 200
    body = response.json()
    assert body["refresh"] is None and body["access"] and body["csrf_token"]
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Strict" and cookie["path"] == "/api/v1/auth/"
    assert int(cookie["max-age"]) == 7 * 24 * 3600
    assert "csrftoken" in response.cookies


def test_refreshing_from_the_cookie_needs_the_csrf_token(learner):
    browser = _browser()
    sign_in(browser, learner.email, cookie=True)
    csrf = browser.cookies["csrftoken"].value

    response = browser.post(url("auth_refresh"), {}, format="json")
    assert response.status_code == 403 and error_code(response) == "csrf_failed"
    response = browser.post(url("auth_refresh"), {}, format="json", HTTP_X_CSRFTOKEN="x" * 32)
    assert response.status_code == 403 and error_code(response) == "csrf_failed"

    before = browser.cookies[COOKIE].value
    response = browser.post(url("auth_refresh"), {}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200, response.content
    assert response.json()["refresh"] is None
    assert browser.cookies[COOKIE].value != before  # rotated


def test_the_cookie_is_one_family_like_any_refresh_token(learner):
    browser = _browser()
    sign_in(browser, learner.email, cookie=True)
    csrf = browser.cookies["csrftoken"].value
    stolen = browser.cookies[COOKIE].value
    browser.post(url("auth_refresh"), {}, format="json", HTTP_X_CSRFTOKEN=csrf)
    browser.post(url("auth_refresh"), {}, format="json", HTTP_X_CSRFTOKEN=csrf)

    response = APIClient().post(url("auth_refresh"), {"refresh": stolen}, format="json")
    assert error_code(response) == "refresh_token_reused"
    response = browser.post(url("auth_refresh"), {}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert error_code(response) == "token_revoked"


def test_logout_clears_the_cookie(learner):
    browser = _browser()
    access = sign_in(browser, learner.email, cookie=True).json()["access"]
    response = browser.post(url("auth_logout"), {}, format="json", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 204
    assert response.cookies[COOKIE].value == ""
