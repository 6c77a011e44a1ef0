"""Sign-up and password reset need a solved bot check, verified on the server."""

import base64
import json
import time

from django.core import mail
from django.urls import reverse

import altcha
import pytest
import requests
import responses

from accounts.models import User
from notifications.models import EmailLog

from .solving import challenge_from, solved, solved_bot_check

pytestmark = pytest.mark.django_db

NEW_MEMBER = {
    "email": "new.member@example.test",
    "full_name": "Nguyễn Thị Mới",
    "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42",
}
TURNSTILE_URL = "https://turnstile.test/siteverify"


def _sign_up(client, **extra):
    return client.post(reverse("account_signup"), {**NEW_MEMBER, **extra})


def _ask_reset(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email, **extra})


def _refused(response, message="not a robot"):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "bot_check" in errors, errors
    assert message in " ".join(errors["bot_check"])
    return response


def _tampered(payload: str, change) -> str:
    data = json.loads(base64.b64decode(payload))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


# --- the challenge endpoint and the page -------------------------------------------------


def test_challenge_endpoint_issues_signed_expiring_single_use_challenges(client):
    response = client.get(reverse("challenges:altcha_challenge"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    first = response.json()
    assert first["signature"]
    assert first["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert time.time() < first["parameters"]["expiresAt"] <= time.time() + 20 * 60 + 5
    assert (
        client.get(reverse("challenges:altcha_challenge")).json()["parameters"]["nonce"]
        != (first["parameters"]["nonce"])
    )


def test_sign_up_page_shows_the_widget_from_our_static_files_with_no_inline_script(client, home):
    page = client.get(reverse("account_signup")).content.decode()
    assert '<altcha-widget id="id_bot_check" name="bot_check"' in page
    assert f'challenge="{reverse("challenges:altcha_challenge")}"' in page
    assert '<script type="module" src="/static/vendor/altcha/external/altcha.min.js"></script>' in page
    assert "Check that you are not a robot" in page
    form = page[page.index('action="/accounts/signup/"') :]
    assert "<script>" not in form and "<script " in form
    assert all("src=" in tag for tag in form.split("<script")[1:])


def test_the_widget_and_its_worker_are_served_from_our_static_files(client, settings):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/altcha/external/altcha.min.js")
    assert finders.find("vendor/altcha/external/altcha.css")
    assert finders.find("vendor/altcha/workers/pbkdf2.js")
    assert finders.find("challenges/js/altcha-setup.js")


# --- sign-up ---------------------------------------------------------------------------


def test_sign_up_with_a_solved_check_creates_the_account(client, home):
    response = _sign_up(client, **solved_bot_check(client))
    assert response.status_code == 302
    assert User.objects.filter(email=NEW_MEMBER["email"]).exists()


def test_sign_up_without_the_check_is_refused_and_keeps_what_was_typed(client, home):
    response = _refused(_sign_up(client), "Please complete the check that you are not a robot")
    assert not User.objects.exists()
    page = response.content.decode()
    assert NEW_MEMBER["email"] in page and NEW_MEMBER["full_name"] in page
    assert NEW_MEMBER["password1"] not in page


def test_sign_up_with_garbage_is_refused(client, home):
    _refused(_sign_up(client, bot_check="not-base64-at-all"))
    _refused(_sign_up(client, bot_check=base64.b64encode(b'{"challenge": 1}').decode()))
    assert not User.objects.exists()


def test_sign_up_with_an_altered_challenge_is_refused(client, home):
    # Lowering the work (an empty key prefix is "solved" by any key) breaks the signature.
    payload = solved(challenge_from(client))
    easier = _tampered(payload, lambda data: data["challenge"]["parameters"].update(keyPrefix=""))
    _refused(_sign_up(client, bot_check=easier))
    longer = _tampered(
        payload, lambda data: data["challenge"]["parameters"].update(expiresAt=int(time.time()) + 99999)
    )
    _refused(_sign_up(client, bot_check=longer))
    assert not User.objects.exists()


def test_sign_up_with_a_wrong_solution_is_refused(client, home):
    payload = solved(challenge_from(client))
    wrong = _tampered(payload, lambda data: data["solution"].update(counter=data["solution"]["counter"] + 1))
    _refused(_sign_up(client, bot_check=wrong))
    assert not User.objects.exists()


def test_sign_up_with_a_challenge_signed_by_someone_else_is_refused(client, home):
    forged = altcha.create_challenge(
        "PBKDF2/SHA-256",
        10,
        expires_at=int(time.time()) + 600,
        hmac_secret="an attacker's own key",
    )
    _refused(_sign_up(client, bot_check=solved(forged)))
    unsigned = altcha.create_challenge("PBKDF2/SHA-256", 10, expires_at=int(time.time()) + 600)
    _refused(_sign_up(client, bot_check=solved(unsigned)))
    assert not User.objects.exists()


def test_sign_up_with_an_expired_solution_is_refused(client, home, monkeypatch, settings):
    challenge = challenge_from(client)
    payload = solved(challenge)
    later = challenge.parameters.expires_at + 1
    monkeypatch.setattr(time, "time", lambda: later)
    _refused(_sign_up(client, bot_check=payload))
    assert not User.objects.exists()


def test_a_solution_works_once(client, home):
    payload = solved(challenge_from(client))
    assert _sign_up(client, bot_check=payload).status_code == 302
    client.logout()
    replay = {**NEW_MEMBER, "email": "second.bot@example.test", "bot_check": payload}
    _refused(client.post(reverse("account_signup"), replay))
    assert not User.objects.filter(email="second.bot@example.test").exists()


def test_a_solution_spent_on_a_form_with_other_errors_needs_a_new_check(client, home):
    payload = solved(challenge_from(client))
    response = _sign_up(client, bot_check=payload, password2="does-not-match-42")
    assert response.status_code == 200
    _refused(_sign_up(client, bot_check=payload))
    assert _sign_up(client, **solved_bot_check(client)).status_code == 302


# --- password reset --------------------------------------------------------------------


def test_password_reset_with_a_solved_check_sends_the_link(
    client, home, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_reset(client, learner.email, **solved_bot_check(client))
    assert response.status_code == 302
    assert EmailLog.objects.get(to=learner.email).template == "account_password_reset_key"
    assert len(mail.outbox) == 1


def test_password_reset_is_refused_without_a_valid_check(client, home, learner, monkeypatch):
    _refused(_ask_reset(client, learner.email), "Please complete the check")
    payload = solved(challenge_from(client))
    altered = _tampered(payload, lambda data: data["challenge"]["parameters"].update(cost=1))
    _refused(_ask_reset(client, learner.email, bot_check=altered))
    forged = altcha.create_challenge("PBKDF2/SHA-256", 10, hmac_secret="not ours")
    _refused(_ask_reset(client, learner.email, bot_check=solved(forged)))

    assert _ask_reset(client, learner.email, bot_check=payload).status_code == 302
    _refused(_ask_reset(client, learner.email, bot_check=payload))  # replayed

    expiring = challenge_from(client)
    late = solved(expiring)
    monkeypatch.setattr(time, "time", lambda: expiring.parameters.expires_at + 1)
    response = _refused(_ask_reset(client, learner.email, bot_check=late))
    assert learner.email in response.content.decode()
    assert EmailLog.objects.filter(to=learner.email).count() == 1


# --- Turnstile instead, when its keys are set -------------------------------------------


@pytest.fixture
def turnstile(settings):
    settings.TURNSTILE_SITE_KEY = "site-key-123"
    settings.TURNSTILE_SECRET_KEY = "secret-key-456"
    settings.TURNSTILE_VERIFY_URL = TURNSTILE_URL
    with responses.RequestsMock() as edge:
        yield edge


def test_turnstile_replaces_altcha_when_its_keys_are_set(client, home, turnstile):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'class="cf-turnstile"' in page and 'data-sitekey="site-key-123"' in page
    assert 'data-response-field-name="bot_check"' in page
    assert "altcha-widget" not in page


def test_turnstile_token_cloudflare_accepts_lets_the_sign_up_through(client, home, turnstile):
    turnstile.post(TURNSTILE_URL, json={"success": True, "hostname": "lectern.test"})
    assert _sign_up(client, bot_check="token-from-widget").status_code == 302
    assert User.objects.filter(email=NEW_MEMBER["email"]).exists()
    sent = turnstile.calls[0].request.body
    assert "secret=secret-key-456" in sent and "response=token-from-widget" in sent


def test_turnstile_token_cloudflare_refuses_is_refused(client, home, turnstile):
    turnstile.post(TURNSTILE_URL, json={"success": False, "error-codes": ["timeout-or-duplicate"]})
    _refused(_sign_up(client, bot_check="used-token"))
    assert not User.objects.exists()


def test_turnstile_unreachable_refuses_rather_than_letting_bots_in(client, home, learner, turnstile):
    turnstile.post(TURNSTILE_URL, body=requests.ConnectionError("no route"))
    _refused(_ask_reset(client, learner.email, bot_check="a-token"))
    turnstile.post(TURNSTILE_URL, status=500)
    _refused(_ask_reset(client, learner.email, bot_check="a-token"))


def test_turnstile_missing_token_is_refused_without_calling_cloudflare(client, home, turnstile):
    _refused(_sign_up(client), "Please complete the check")
    assert not turnstile.calls
