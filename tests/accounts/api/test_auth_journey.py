"""An app's whole account journey over the API: register, confirm the email from the
mail, sign in, refresh, edit the profile, change and reset the password."""

import re

from django.core import mail

import pytest
from rest_framework.test import APIClient

from accounts.models import User

from ...conftest import PASSWORD
from .conftest import (
    SITE,
    bearer,
    bot_check,
    error_code,
    link_in_last_mail,
    refresh,
    sign_in,
    tokens_for,
    url,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-passphrase-42"


def test_register_confirm_sign_in_refresh_edit_change_password(home, django_capture_on_commit_callbacks):
    app = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        response = app.post(
            url("auth_register"),
            {
                "email": "New.Person@Example.test",
                "full_name": "Ngô Bảo Châu",
                "password": NEW_PASSWORD,
                "bot_check": bot_check(app),
            },
            format="json",
        )
    assert response.status_code == 202, response.content
    user = User.objects.get(email="new.person@example.test")
    assert user.full_name == "Ngô Bảo Châu"
    confirm_url = link_in_last_mail(re.escape(SITE) + r"/accounts/confirm-email/\S+/")

    # Not confirmed yet: refused, and the link is sent again.
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(app, user.email, NEW_PASSWORD)
    assert response.status_code == 403 and error_code(response) == "email_not_verified"
    assert "access" not in response.json()

    # The link from the mail, opened on the site, confirms the address.
    assert APIClient().post(confirm_url.removeprefix(SITE)).status_code == 302

    response = sign_in(app, user.email, NEW_PASSWORD)
    assert response.status_code == 200, response.content
    first = response.json()
    assert first["token_type"] == "Bearer" and first["refresh"]

    response = refresh(first["refresh"])
    assert response.status_code == 200
    second = response.json()
    assert second["refresh"] != first["refresh"]

    me = bearer(second["access"])
    assert me.get(url("me")).json() == {
        "email": "new.person@example.test",
        "full_name": "Ngô Bảo Châu",
        "display_name": "Ngô Bảo Châu",
        "date_joined": user.date_joined.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "email_verified": True,
        "mfa_enabled": False,
    }
    response = me.patch(url("me"), {"full_name": "  Châu Ngô ", "email": "other@example.test"}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.full_name == "Châu Ngô" and user.email == "new.person@example.test"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(
            url("auth_password_change"),
            {"current_password": NEW_PASSWORD, "new_password": "another-long-passphrase-7"},
            format="json",
        )
    assert response.status_code == 200, response.content
    third = response.json()
    assert [message.to for message in mail.outbox] == [["new.person@example.test"]]

    # The old sign-in ended: its refresh and access tokens are refused, the new pair works.
    assert error_code(refresh(second["refresh"])) == "token_revoked"
    assert me.get(url("me")).status_code == 401
    assert bearer(third["access"]).get(url("me")).status_code == 200
    assert refresh(third["refresh"]).status_code == 200
    assert sign_in(APIClient(), user.email, "another-long-passphrase-7").status_code == 200


def test_register_refuses_what_the_site_refuses(home, learner):
    app = APIClient()
    response = app.post(
        url("auth_register"),
        {"email": "someone@example.test", "full_name": "Some One", "password": "123", "bot_check": "nope"},
        format="json",
    )
    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert set(fields) == {"password", "bot_check"}
    assert not User.objects.filter(email="someone@example.test").exists()

    # A password like the email, as the site's similarity validator says.
    response = app.post(
        url("auth_register"),
        {
            "email": "someone@example.test",
            "full_name": "Some One",
            "password": "someone@example.test",
            "bot_check": bot_check(app),
        },
        format="json",
    )
    assert response.status_code == 422 and "password" in response.json()["error"]["details"]["fields"]

    # A solved check works once.
    solution = bot_check(app)
    body = {"email": "x@example.test", "full_name": "X", "password": "123", "bot_check": solution}
    app.post(url("auth_register"), body, format="json")
    response = app.post(url("auth_register"), {**body, "password": NEW_PASSWORD}, format="json")
    assert set(response.json()["error"]["details"]["fields"]) == {"bot_check"}


def test_registering_a_taken_address_answers_the_same_and_mails_its_owner(
    home, learner, django_capture_on_commit_callbacks
):
    app = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        response = app.post(
            url("auth_register"),
            {
                "email": learner.email,
                "full_name": "Impostor",
                "password": NEW_PASSWORD,
                "bot_check": bot_check(app),
            },
            format="json",
        )
    assert response.status_code == 202
    assert User.objects.filter(email=learner.email).count() == 1
    assert mail.outbox[-1].to == [learner.email]
    assert "/accounts/confirm-email/" not in mail.outbox[-1].body


def test_password_reset_by_email_link_ends_every_sign_in(home, learner, django_capture_on_commit_callbacks):
    old = tokens_for(learner)
    app = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        response = app.post(
            url("auth_password_reset"), {"email": learner.email, "bot_check": bot_check(app)}, format="json"
        )
    assert response.status_code == 202
    link = link_in_last_mail(re.escape(SITE) + r"/accounts/password/reset/key/\S+/")
    key = link.rstrip("/").rsplit("/", 1)[-1]

    response = app.post(url("auth_password_reset_confirm"), {"key": key, "password": "short"}, format="json")
    assert response.status_code == 422 and "password" in response.json()["error"]["details"]["fields"]
    response = app.post(
        url("auth_password_reset_confirm"), {"key": key + "x", "password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 422 and "key" in response.json()["error"]["details"]["fields"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = app.post(
            url("auth_password_reset_confirm"), {"key": key, "password": NEW_PASSWORD}, format="json"
        )
    assert response.status_code == 204
    assert [message.to for message in mail.outbox] == [[learner.email]]  # "your password was reset"

    assert error_code(refresh(old["refresh"])) == "token_revoked"
    assert bearer(old["access"]).get(url("me")).status_code == 401
    assert sign_in(APIClient(), learner.email, PASSWORD).status_code == 401
    assert sign_in(APIClient(), learner.email, NEW_PASSWORD).status_code == 200
    # The key is spent with the old password.
    response = app.post(
        url("auth_password_reset_confirm"), {"key": key, "password": "yet-another-pass-99"}, format="json"
    )
    assert response.status_code == 422


def test_password_reset_for_an_unknown_address_answers_the_same(home, django_capture_on_commit_callbacks):
    app = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        response = app.post(
            url("auth_password_reset"),
            {"email": "nobody@example.test", "bot_check": bot_check(app)},
            format="json",
        )
    assert response.status_code == 202
    assert "/accounts/password/reset/key/" not in "".join(message.body for message in mail.outbox)


def test_password_change_needs_the_current_password_and_the_sites_rules(learner):
    me = bearer(tokens_for(learner)["access"])
    response = me.post(
        url("auth_password_change"),
        {"current_password": "wrong", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["details"]["fields"]) == {"current_password"}
    response = me.post(
        url("auth_password_change"), {"current_password": PASSWORD, "new_password": "password"}, format="json"
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["details"]["fields"]) == {"new_password"}


def test_profile_refuses_put_and_a_blank_name(learner):
    me = bearer(tokens_for(learner)["access"])
    assert me.put(url("me"), {"full_name": "X"}, format="json").status_code == 405
    assert me.patch(url("me"), {"full_name": "   "}, format="json").status_code == 422
