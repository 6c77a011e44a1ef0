"""A visitor signs up, verifies, logs in and out, and resets a password (allauth)."""

import re

from django.core import mail
from django.urls import reverse

import pytest

from accounts.models import User

from ..challenges.solving import solved_bot_check
from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


SITE = "https://lectern.test"


@pytest.fixture(autouse=True)
def _site_address(settings):
    # Account emails link to the site's own address, not the request's host.
    settings.WAGTAILADMIN_BASE_URL = SITE


def _link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_sign_up_sends_verification_and_confirming_logs_in(client, home, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "New.Person@Example.test",
                "full_name": "Ngô Bảo Châu",
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
                **solved_bot_check(client),
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert user.full_name == "Ngô Bảo Châu"
    assert len(mail.outbox) == 1
    confirm_url = _link_in_last_mail(re.escape(SITE) + r"/accounts/confirm-email/\S+/")

    # Unverified: login is refused until the address is confirmed.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-passphrase-42"}
    )
    assert "_auth_user_id" not in client.session

    response = client.post(confirm_url.removeprefix(SITE))
    assert response.status_code == 302
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-passphrase-42"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_up_with_bad_input_shows_errors_and_keeps_what_was_typed(client, home, learner):
    response = client.post(
        reverse("account_signup"),
        {
            "email": learner.email,
            "full_name": "Someone",
            "password1": "short",
            "password2": "other",
            **solved_bot_check(client),
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(full_name="Someone").exists()
    page = response.content.decode()
    assert "Someone" in page  # what was typed is kept
    assert response.context["form"].errors


def test_learner_logs_in_with_email_in_any_case_and_logs_out(client, home, learner):
    response = client.post(reverse("account_login"), {"login": learner.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == learner.pk
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, home, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email, **solved_bot_check(client)})
    assert len(mail.outbox) == 1
    reset_url = _link_in_last_mail(re.escape(SITE) + r"/accounts/password/reset/key/\S+/")
    response = client.get(reset_url.removeprefix(SITE), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(
        form_url, {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("brand-new-passphrase-7")


def test_google_login_is_offered_only_when_configured(client, home, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "/accounts/google/login/" not in client.get(reverse("account_login")).content.decode()

    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "id.apps.googleusercontent.com", "secret": "s", "key": ""}]}
    }
    assert "/accounts/google/login/" in client.get(reverse("account_login")).content.decode()
