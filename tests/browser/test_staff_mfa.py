"""An editor's first sign-in in chromium: sets up an authenticator app, keeps the
recovery codes, reaches the page tree; signs in again with a code; a recovery code
opens the admin once and only once; a security key (WebAuthn, chromium's virtual
authenticator) works as the second step too."""

import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _staff_mfa_on(settings):
    settings.STAFF_MFA_REQUIRED = True


def _submit(page, field):
    """Submit the form the field belongs to (the header's search form is another one)."""
    page.locator(f"main form:has({field}) button[type=submit]").first.click()
    page.wait_for_load_state()


def _sign_in_with_password(page, base, email):
    page.goto(base + "/admin/pages/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    _submit(page, "input[name=password]")


def _sign_out(page, base):
    page.goto(base + "/accounts/logout/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _fresh_code(secret, used):
    """A code from the app that the server has not seen yet (each is accepted once)."""
    totp = pyotp.TOTP(secret)
    while totp.now() in used:
        time.sleep(1)
    code = totp.now()
    used.add(code)
    return code


def _enter_code(page, code):
    page.locator("input[name=code]").fill(code)
    _submit(page, "input[name=code]")


def test_editor_enrols_totp_on_first_sign_in_and_signs_in_with_codes(live_server, page, home, editor):
    base = live_server.url
    used = set()

    # First sign-in: the admin needs a second factor, so set one up (after the password
    # is confirmed again, as allauth asks before any change to an account's factors).
    _sign_in_with_password(page, base, editor.email)
    expect(page.get_by_text("needs two-factor authentication")).to_be_visible()
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
        _submit(page, "input[name=password]")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    _enter_code(page, _fresh_code(secret, used))

    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    recovery_codes = page.locator("#recovery_codes").input_value().split()
    assert len(recovery_codes) == 10
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    expect(page.locator("main")).to_contain_text(home.title)

    # Next time: password, then a code from the app.
    _sign_out(page, base)
    _sign_in_with_password(page, base, editor.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    # Not yet: the admin sends the half-signed-in browser back to the code prompt.
    page.goto(base + "/admin/pages/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    _enter_code(page, _fresh_code(secret, used))
    page.goto(base + "/admin/pages/")
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    expect(page.locator("main")).to_contain_text(home.title)

    # A recovery code opens the admin once.
    _sign_out(page, base)
    _sign_in_with_password(page, base, editor.email)
    _enter_code(page, recovery_codes[0])
    page.goto(base + "/admin/pages/")
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))

    _sign_out(page, base)
    _sign_in_with_password(page, base, editor.email)
    _enter_code(page, recovery_codes[0])
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.goto(base + "/admin/pages/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))


def test_a_security_key_is_a_second_factor_too(live_server, page, home, editor):
    """WebAuthn through chromium's virtual authenticator: a staff member who has an app
    adds a security key, then signs in with the key alone as the second step."""
    base = live_server.url
    secret = pyotp.random_base32()
    TOTP.activate(editor, secret)
    RecoveryCodes.activate(editor)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    _sign_in_with_password(page, base, editor.email)
    _enter_code(page, pyotp.TOTP(secret).now())

    page.goto(base + "/accounts/2fa/webauthn/add/")
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
        _submit(page, "input[name=password]")
    page.get_by_label("Name").fill("Desk key")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Security key added.")).to_be_visible()
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.WEBAUTHN).count() == 1

    _sign_out(page, base)
    _sign_in_with_password(page, base, editor.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/2fa/authenticate/).*$"))
    page.goto(base + "/admin/pages/")
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
