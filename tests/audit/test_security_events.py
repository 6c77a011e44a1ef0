"""Sign-ins, failures, lockouts, password and MFA changes are recorded per account, with
the client's address and browser; old events are deleted after the retention period."""

import time
from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pyotp
import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP
from django_q.models import Schedule

from audit.models import SecurityEvent, SecurityEventKind
from audit.security import delete_old_events
from audit.tasks import delete_old_security_events

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/131"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits live in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


def _sign_in(email, password, address="198.51.100.7"):
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response, client


def _recently_authenticated(client, user):
    """A session that just passed the password step, as allauth records it (no
    re-authentication asked for a sensitive change)."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def test_a_sign_in_is_recorded_with_address_and_browser(home, learner):
    response, _client = _sign_in(learner.email, PASSWORD)
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN)
    assert (event.user, event.client_address, event.user_agent) == (learner, "198.51.100.7", BROWSER)


def test_a_wrong_password_is_recorded_against_the_account(home, learner):
    _sign_in(learner.email.upper(), "not-the-password")
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILED)
    assert (event.user, event.identifier, event.client_address) == (learner, learner.email, "198.51.100.7")
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN).exists()


def test_a_failure_for_an_unknown_email_keeps_what_was_tried(home):
    _sign_in("nobody@example.test", "guess")
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILED)
    assert (event.user, event.identifier) == (None, "nobody@example.test")


def test_attempts_stopped_by_a_lockout_are_recorded_against_the_account(home, learner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        _sign_in(learner.email, "not-the-password")
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT).exists()

    for _ in range(2):
        _sign_in(learner.email, "not-the-password")
    locked = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT)
    assert locked.exists()
    assert {(event.user, event.identifier, event.client_address) for event in locked} == {
        (learner, learner.email, "198.51.100.7")
    }
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, user=learner).count() == 4


def test_a_password_change_is_recorded(client, home, learner):
    _recently_authenticated(client, learner)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-passphrase-77",
            "password2": "a-brand-new-passphrase-77",
        },
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_CHANGED)
    assert (event.user, event.client_address) == (learner, "203.0.113.9")


def test_adding_an_authenticator_is_recorded(client, home, learner, django_capture_on_commit_callbacks):
    _recently_authenticated(client, learner)
    url = reverse("mfa_activate_totp")
    assert client.get(url).status_code == 200
    code = pyotp.TOTP(client.session[SECRET_SESSION_KEY]).now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    added = SecurityEvent.objects.filter(kind=SecurityEventKind.MFA_ADDED)
    # The app, and the recovery codes allauth makes with the first factor.
    assert {(event.user, event.data["authenticator"]) for event in added} == {
        (learner, "totp"),
        (learner, "recovery_codes"),
    }


def test_a_wrong_second_factor_code_after_the_right_password_is_recorded(home, learner):
    secret = pyotp.random_base32()
    TOTP.activate(learner, secret)
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now + drift * 30) for drift in (-2, -1, 0, 1, 2)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in valid)
    response, client = _sign_in(learner.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200  # the code form again, with an error
    event = SecurityEvent.objects.get(kind=SecurityEventKind.MFA_FAILED)
    assert (event.user, event.client_address, event.data["authenticator"]) == (
        learner,
        "198.51.100.7",
        "totp",
    )
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN).exists()


def test_events_older_than_the_retention_period_are_deleted(learner, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = SecurityEvent.objects.create(user=learner, kind=SecurityEventKind.LOGIN)
    recent = SecurityEvent.objects.create(user=learner, kind=SecurityEventKind.LOGIN)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    SecurityEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - timedelta(days=29))

    assert delete_old_security_events() == 1
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert delete_old_events() == 0


def test_the_retention_job_is_scheduled_daily_by_migrate():
    schedule = Schedule.objects.get(name="audit: delete old security events")
    assert (schedule.func, schedule.schedule_type) == (
        "audit.tasks.delete_old_security_events",
        Schedule.CRON,
    )
