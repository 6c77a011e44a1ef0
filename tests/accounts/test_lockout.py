"""Ten wrong passwords lock the account (django-axes in allauth's login path)."""

from django.urls import reverse

import pytest

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_ten_wrong_passwords_lock_the_account_with_a_clear_message(client, home, learner, settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    for _ in range(9):
        response = _attempt(client, learner.email, "wrong-password")
        assert response.status_code == 200  # the form again, with an error

    response = _attempt(client, learner.email, "wrong-password")
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()

    # Even the right password is refused while the account is locked.
    response = _attempt(client, learner.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_below_the_limit_still_allow_login(client, home, learner):
    for _ in range(5):
        _attempt(client, learner.email, "wrong-password")
    response = _attempt(client, learner.email, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == learner.pk


def test_admin_login_counts_towards_the_same_lockout(client, home, editor):
    for _ in range(10):
        client.post(reverse("wagtailadmin_login"), {"username": editor.email, "password": "nope"})
    response = _attempt(client, editor.email, PASSWORD)
    assert response.status_code == 429
