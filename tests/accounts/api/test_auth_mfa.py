"""Issue 15's rule over the API: an account with a second factor finishes signing in with
a code (the password alone gives a short-lived ticket, not tokens); a staff account
without one is told to set it up on the site; codes are limited as on the site."""

from django.core import signing

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from rest_framework.test import APIClient

from accounts.models import ApiTokenFamily
from audit.models import SecurityEvent, SecurityEventKind

from ...conftest import PASSWORD
from .conftest import bearer, error_code, sign_in, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staff_mfa_on(settings):
    settings.STAFF_MFA_REQUIRED = True


def _give_totp(user) -> str:
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def _ticket(user) -> str:
    response = sign_in(APIClient(), user.email)
    assert response.status_code == 403 and error_code(response) == "mfa_required", response.content
    assert "access" not in response.json()
    return response.json()["error"]["details"]["ticket"]


def _second_step(ticket, code):
    return APIClient().post(url("auth_login_mfa"), {"ticket": ticket, "code": code}, format="json")


def test_staff_without_a_second_factor_are_told_to_set_one_up_on_the_site(editor, admin_user):
    for user in (editor, admin_user):
        response = sign_in(APIClient(), user.email)
        assert response.status_code == 403 and error_code(response) == "mfa_enrolment_required"
        assert response.json()["error"]["details"]["setup_url"].endswith("/accounts/2fa/totp/activate/")
    assert not ApiTokenFamily.objects.exists()


def test_staff_with_totp_get_tokens_only_after_the_code(editor):
    secret = _give_totp(editor)
    ticket = _ticket(editor)
    assert not ApiTokenFamily.objects.exists()

    response = _second_step(ticket, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert response.status_code == 422
    assert SecurityEvent.objects.filter(user=editor, kind=SecurityEventKind.MFA_FAILED).exists()

    response = _second_step(ticket, pyotp.TOTP(secret).now())
    assert response.status_code == 200, response.content
    assert bearer(response.json()["access"]).get(url("me")).json()["mfa_enabled"] is True


def test_a_learner_who_opted_in_is_asked_for_the_code_too(learner):
    secret = _give_totp(learner)
    response = _second_step(_ticket(learner), pyotp.TOTP(secret).now())
    assert response.status_code == 200


def test_a_recovery_code_works_once(editor):
    _give_totp(editor)
    code = RecoveryCodes(
        Authenticator.objects.get(user=editor, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    assert _second_step(_ticket(editor), code).status_code == 200
    assert _second_step(_ticket(editor), code).status_code == 422


def test_codes_are_limited_per_account_as_on_the_site(editor, settings):
    assert settings.MFA_CODE_RATE == "5/5m"
    secret = _give_totp(editor)
    ticket = _ticket(editor)
    right = pyotp.TOTP(secret).now()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        assert _second_step(ticket, wrong).status_code == 422
    response = _second_step(ticket, right)
    assert response.status_code == 429 and error_code(response) == "mfa_rate_limited"
    # A fresh ticket does not reset the account's count.
    response = _second_step(_ticket(editor), right)
    assert response.status_code == 429


def test_a_forged_expired_or_stale_ticket_is_refused(editor, settings):
    secret = _give_totp(editor)
    forged = signing.dumps({"user": editor.pk, "password": "x"}, salt="accounts.api.mfa_ticket")
    assert error_code(_second_step(forged, pyotp.TOTP(secret).now())) == "mfa_ticket_invalid"
    assert error_code(_second_step("not-a-ticket", pyotp.TOTP(secret).now())) == "mfa_ticket_invalid"

    ticket = _ticket(editor)
    settings.API_MFA_TICKET_SECONDS = -1  # every ticket is now past its age
    assert error_code(_second_step(ticket, pyotp.TOTP(secret).now())) == "mfa_ticket_invalid"
    settings.API_MFA_TICKET_SECONDS = 300

    # A password change after the ticket was issued makes it worthless.
    ticket = _ticket(editor)
    editor.set_password("another-long-passphrase")
    editor.save()
    assert error_code(_second_step(ticket, pyotp.TOTP(secret).now())) == "mfa_ticket_invalid"


def test_a_wrong_password_never_reaches_the_code_step(editor):
    _give_totp(editor)
    response = sign_in(APIClient(), editor.email, "wrong")
    assert response.status_code == 401 and error_code(response) == "invalid_credentials"
    assert sign_in(APIClient(), editor.email, PASSWORD).status_code == 403
