"""Account emails (allauth's, new sign-ins, lockouts) go through notifications.mail:
an EmailLog row, our branded templates with the site's own links, sent by the job
after the transaction commits, never by the web request itself."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

import pyotp
import pytest

from account_notices.models import SignInDevice
from accounts.models import User
from notifications.models import EmailLog, EmailStatus

from ..challenges.solving import solved_bot_check
from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

SITE = "https://lectern.test"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


@pytest.fixture
def queued(django_capture_on_commit_callbacks):
    """Run a request, check it sent nothing itself, then let the transaction "commit"
    so the queued job delivers the logged email. Returns the EmailLog row."""

    def run(action, template):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            before = set(EmailLog.objects.values_list("pk", flat=True))
            action()
        assert mail.outbox == [], "sent by the web request instead of the job"
        assert callbacks, "nothing left for after the commit"
        new = EmailLog.objects.exclude(pk__in=before).filter(template=template)
        pending = list(callbacks)
        while pending:  # allauth defers some notices to on_commit too; ours queue after that
            was_queued = new.filter(status=EmailStatus.QUEUED).exists()
            with django_capture_on_commit_callbacks(execute=False) as more:
                for callback in pending:
                    callback()  # Q_CLUSTER sync in tests: a queued job runs here
            assert was_queued or not mail.outbox, "delivered without an EmailLog row queued first"
            pending = list(more)
        log = new.get()
        assert log.status == EmailStatus.SENT
        assert [message.to for message in mail.outbox] == [[log.to]]
        return log

    return run


def _is_branded(log, message):
    html = message.alternatives[0][0]
    assert message.subject == log.subject and "Lectern" in html and "Lectern" in message.body
    assert "Hello from" not in message.body and "example.com" not in message.body
    return html


def _link(text: str, path_pattern: str) -> str:
    match = re.search(re.escape(SITE) + path_pattern, text)
    assert match, text
    return match.group(0)


# --- allauth's messages -----------------------------------------------------------------


def test_sign_up_verification_email_is_ours_queued_logged_and_its_link_confirms(client, home, queued):
    data = {
        "email": "new.member@example.test",
        "full_name": "Mai Mới",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
        **solved_bot_check(client),
    }
    log = queued(lambda: client.post(reverse("account_signup"), data), "account_email_confirmation")
    message = mail.outbox[0]
    html = _is_branded(log, message)
    assert message.subject == "Confirm your email address for Lectern"
    assert "Hello Mai Mới" in message.body
    link = _link(message.body, r"/accounts/confirm-email/[^/\s]+/")
    assert link in html
    assert log.user == User.objects.get(email="new.member@example.test")

    client.post(link.removeprefix(SITE))
    assert log.user.emailaddress_set.get().verified


def test_password_reset_email_is_ours_and_its_link_sets_a_new_password(client, home, learner, queued):
    data = {"email": learner.email, **solved_bot_check(client)}
    log = queued(lambda: client.post(reverse("account_reset_password"), data), "account_password_reset_key")
    message = mail.outbox[0]
    html = _is_branded(log, message)
    assert log.user == learner and message.subject == "Reset your Lectern password"
    link = _link(message.body, r"/accounts/password/reset/key/\S+/")
    assert link in html

    response = client.get(link.removeprefix(SITE), follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "brand-new-passphrase-7"
    with_notice = lambda: client.post(form_url, {"password1": new, "password2": new})  # noqa: E731
    mail.outbox.clear()
    notice = queued(with_notice, "account_security_notice")
    learner.refresh_from_db()
    assert learner.check_password(new)
    assert notice.subject == "Lectern: Your password was reset"


def test_signing_up_with_a_taken_address_mails_its_owner_not_the_form(client, home, learner, queued):
    data = {
        "email": learner.email,
        "full_name": "Someone Else",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
        **solved_bot_check(client),
    }
    log = queued(lambda: client.post(reverse("account_signup"), data), "account_already_exists")
    assert log.user == learner
    _is_branded(log, mail.outbox[0])
    assert _link(mail.outbox[0].body, r"/accounts/password/reset/")


def test_reset_for_an_unknown_address_says_so_by_email_only(client, home, queued):
    data = {"email": "nobody@example.test", **solved_bot_check(client)}
    log = queued(lambda: client.post(reverse("account_reset_password"), data), "account_unknown_account")
    assert log.user is None and log.to == "nobody@example.test"
    _is_branded(log, mail.outbox[0])
    assert _link(mail.outbox[0].body, r"/accounts/signup/")


def test_password_change_sends_a_security_notice(home, learner, queued):
    client = Client(HTTP_USER_AGENT=LAPTOP)
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    new = "another-long-passphrase-9"
    change = lambda: client.post(  # noqa: E731
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    log = queued(change, "account_security_notice")
    message = mail.outbox[0]
    _is_branded(log, message)
    assert log.user == learner and log.to == learner.email
    assert message.subject == "Lectern: Your password was changed"
    assert "The password of your account was changed." in message.body
    assert LAPTOP in message.body  # the browser that did it
    assert _link(message.body, r"/accounts/password/reset/")


def test_turning_on_two_step_sign_in_sends_a_security_notice(client, home, learner, queued):
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:  # allauth asks for the password again first
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        response = client.get(reverse("mfa_activate_totp"))
    secret = response.context["form"].secret

    def activate():
        response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302, response.context["form"].errors

    log = queued(activate, "account_security_notice")
    assert log.user == learner
    assert mail.outbox[0].subject == "Lectern: Two-step sign-in was turned on"
    _is_branded(log, mail.outbox[0])


# --- new sign-ins ----------------------------------------------------------------------


def _sign_in(user, agent, address="198.51.100.7"):
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_sign_in_from_a_new_browser_or_address_is_mailed_once(home, learner, queued):
    _sign_in(learner, LAPTOP)  # the account's first device: remembered, not mailed
    _sign_in(learner, LAPTOP)
    assert not EmailLog.objects.exists()

    log = queued(lambda: _sign_in(learner, PHONE), "account_new_sign_in")
    message = mail.outbox[0]
    _is_branded(log, message)
    assert log.user == learner and message.subject == "New sign-in to your Lectern account"
    assert PHONE in message.body and "198.51.100.7" in message.body
    assert _link(message.body, r"/accounts/password/reset/") in message.alternatives[0][0]

    _sign_in(learner, PHONE)
    mail.outbox.clear()
    queued(lambda: _sign_in(learner, PHONE, address="203.0.113.9"), "account_new_sign_in")
    assert EmailLog.objects.filter(template="account_new_sign_in").count() == 2
    assert SignInDevice.objects.filter(user=learner).count() == 3


def test_the_admin_login_counts_as_a_sign_in_too(home, editor, queued):
    _sign_in(editor, LAPTOP)
    client = Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=PHONE)
    admin_login = lambda: client.post(  # noqa: E731
        reverse("wagtailadmin_login"), {"username": editor.email, "password": PASSWORD}
    )
    queued(admin_login, "account_new_sign_in")


# --- lockouts --------------------------------------------------------------------------


def test_a_lockout_is_mailed_to_the_account_once_per_lockout(home, learner, settings, queued):
    client = Client(REMOTE_ADDR="192.0.2.66")

    def guess(times):
        for _ in range(times):
            client.post(reverse("account_login"), {"login": learner.email, "password": "wrong-guess"})

    guess(settings.AXES_FAILURE_LIMIT - 1)
    assert not EmailLog.objects.exists()
    log = queued(lambda: guess(1), "account_locked")
    message = mail.outbox[0]
    _is_branded(log, message)
    assert log.user == learner and log.to == learner.email
    assert message.subject == "Sign-ins to your Lectern account were locked"
    assert "192.0.2.66" in message.body and "Sign-ins open again at" in message.body

    guess(5)
    Client(REMOTE_ADDR="192.0.2.67").post(reverse("account_login"), {"login": learner.email, "password": "x"})
    assert EmailLog.objects.filter(template="account_locked").count() == 1


def test_a_lockout_for_an_address_nobody_owns_mails_nobody(home):
    client = Client(REMOTE_ADDR="192.0.2.77")
    for _ in range(12):
        client.post(reverse("account_login"), {"login": "ghost@example.test", "password": "guess"})
    assert not EmailLog.objects.exists()
