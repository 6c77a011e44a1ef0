"""What only a browser proves for privacy: a learner downloads their data from the emailed
link, deletes the account and can no longer sign in; the consent banner's two choices
work from the keyboard alone and the analytics cookie follows the choice."""

import io
import json
import re
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from privacy import erasure

from ..conftest import PASSWORD
from .playwright_fixtures import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


# Headless chromium names itself in its user agent and analytics ignores bots; a person's
# browser says only "Chrome".
PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


def _cookies(page) -> dict:
    return {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}


def _tab_back_to(page, name: str) -> None:
    """Shift+Tab from the end of the page until the button named `name` has the focus
    (the banner is the last thing on the page)."""
    page.locator("body").press("End")
    for _step in range(12):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name} is not reachable with the keyboard")


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()


def test_banner_accept_and_reject_work_with_the_keyboard(live_server, chromium, home):
    with browser_context(chromium, user_agent=PERSON) as context:
        page = context.new_page()
        page.goto(live_server.url + "/")
        banner = page.get_by_role("region", name="May we use an analytics cookie?")
        expect(banner).to_be_visible()
        assert "lectern_v" not in _cookies(page)

        _tab_back_to(page, "Accept")
        page.keyboard.press("Enter")
        expect(banner).to_have_count(0)
        assert _cookies(page)[settings.PRIVACY_CONSENT_COOKIE] == "accepted"
        page.goto(live_server.url + "/")
        assert "lectern_v" in _cookies(page)

    with browser_context(chromium, user_agent=PERSON) as context:
        page = context.new_page()
        page.goto(live_server.url + "/")
        _tab_back_to(page, "Reject")
        page.keyboard.press("Space")
        expect(page.get_by_role("region", name="May we use an analytics cookie?")).to_have_count(0)
        page.goto(live_server.url + "/")
        cookies = _cookies(page)
        assert cookies[settings.PRIVACY_CONSENT_COOKIE] == "rejected" and "lectern_v" not in cookies

        # Changeable at any time from the footer.
        page.get_by_role("link", name="Privacy choices").click()
        page.get_by_label("Allow", exact=True).check()
        page.get_by_role("button", name="Save my choices").click()
        expect(page.get_by_text("Your privacy choices are saved.")).to_be_visible()
        assert _cookies(page)[settings.PRIVACY_CONSENT_COOKIE] == "accepted"


def test_learner_exports_downloads_from_the_email_then_deletes_and_cannot_log_in(
    live_server, page, home, learner
):
    base = live_server.url
    _log_in(page, base, learner.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(base + "/privacy/your-data/")
    mail.outbox.clear()
    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_text("We are preparing your data.")).to_be_visible()

    (message,) = [m for m in mail.outbox if "ready to download" in m.subject]
    link = re.search(r"https?://\S+/privacy/your-data/exports/\S+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url }", base + path)
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    profile = json.loads(archive.read("profile.json"))
    assert profile["records"]["accounts.User"][0]["email"] == learner.email
    assert "index.html" in archive.namelist()

    page.goto(base + "/privacy/your-data/")
    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account will be deleted")).to_be_visible()

    # Seven days later the erasure job runs.
    assert len(erasure.erase_due(now=timezone.now() + timedelta(days=8))) == 1

    _log_in(page, base, learner.email)
    expect(page.get_by_text(re.compile("not correct", re.I))).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
