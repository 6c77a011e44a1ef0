"""In chromium the ALTCHA widget fetches its challenge, solves it by itself (at the
production cost) with the worker from our static files, and a real sign-up goes through;
under the site's Content-Security-Policy nothing is blocked and nothing leaves the site."""

import os
import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import EmailLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("BOT_CHECK_SHOTS_DIR")  # set to keep a screenshot for a human look

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__botCheckViolation(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_widget_solves_itself_and_a_visitor_signs_up(live_server, page, home, settings):
    settings.ALTCHA_COST = 5000  # what production asks of a browser, not the tests' cheap one
    base = live_server.url
    violations, errors, foreign = [], [], []
    page.context.expose_binding("__botCheckViolation", lambda source, text: violations.append(text))
    page.context.add_init_script(LISTENER)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.on(
        "request",
        lambda request: (
            urlsplit(request.url).scheme in {"http", "https"}
            and not request.url.startswith(base)
            and foreign.append(request.url)
        ),
    )

    started = time.monotonic()
    page.goto(base + "/accounts/signup/")
    # The widget is a labelled checkbox ("I'm not a robot", "Verifying...", then "Verified")
    # that a screen reader announces; it ticks itself once solved.
    robot_check = page.locator("altcha-widget input[type=checkbox]")
    expect(robot_check).to_have_accessible_name(re.compile(r"robot|Verif"))
    page.get_by_label("Email").fill("browser.member@example.test")
    page.get_by_label("Full name").fill("Trần Văn Trình")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase-42")
    page.get_by_label("Password (again)").fill("a-long-passphrase-42")
    expect(robot_check).to_be_checked(timeout=30_000)
    expect(page.get_by_role("checkbox", name="Verified")).to_be_checked()
    solved_after = time.monotonic() - started
    payload = page.locator("input[name=bot_check]").input_value()
    assert payload, "the widget did not put its solution in the form"
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "signup-with-bot-check.png"), full_page=True)
        with open(os.path.join(SHOTS, "solve-time.txt"), "w") as note:
            note.write(f"cost {settings.ALTCHA_COST}: solved {solved_after:.2f}s after the page opened\n")

    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/accounts/confirm-email/" in page.url, page.content()[:2000]
    user = User.objects.get(email="browser.member@example.test")
    assert user.full_name == "Trần Văn Trình"
    assert EmailLog.objects.filter(user=user, template="account_email_confirmation").exists()
    assert violations == [] and errors == [] and foreign == []


def test_keyboard_alone_reaches_the_check_and_submits(live_server, page, home, settings):
    base = live_server.url
    page.goto(base + "/accounts/signup/")
    page.get_by_label("Email").focus()
    page.keyboard.type("keys.only@example.test")
    page.keyboard.press("Tab")
    page.keyboard.type("Kim Phím")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-passphrase-42")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-passphrase-42")
    robot_check = page.locator("altcha-widget input[type=checkbox]")
    expect(robot_check).to_be_checked(timeout=30_000)
    # Tabbing on from the last password reaches the check, then the submit button.
    focused = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                "document.activeElement.closest('altcha-widget') ? 'check' : document.activeElement.type"
            )
        )
        if focused[-1] == "submit":
            break
    assert "check" in focused and focused[-1] == "submit", focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/accounts/confirm-email/"))
    assert User.objects.filter(email="keys.only@example.test").exists()
