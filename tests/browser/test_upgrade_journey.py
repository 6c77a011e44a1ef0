"""A Bronze learner meets a locked lesson, upgrades by bank transfer, an admin confirms
it in the Wagtail admin, and the learner reads the lesson — all in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOCKED_TEXT = "Window functions keep every row."


@pytest.fixture
def gold_lesson(catalog, tiers):
    course = CoursePageFactory(parent=catalog, title="Advanced SQL", required_tier=tiers["gold"])
    module = ModulePageFactory(parent=course, title="Analytics")
    return LessonPageFactory(
        parent=module, title="Window functions", body=[("paragraph", f"<p>{LOCKED_TEXT}</p>")]
    )


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_bronze_learner_upgrades_by_bank_transfer_and_reads_the_lesson(
    live_server, page, gold_lesson, bronze, admin_user
):
    base = live_server.url
    _log_in(page, base, bronze.email)

    response = page.goto(base + gold_lesson.url)
    assert response.status == 403
    assert "no-store" in response.headers["cache-control"]
    expect(page.get_by_role("heading", name=re.compile("Upgrade to Gold"))).to_be_visible()
    expect(page.get_by_text(LOCKED_TEXT)).to_have_count(0)

    page.get_by_role("link", name="Get Gold").click()
    page.get_by_role("link", name="Get Gold").click()  # pricing → checkout
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gold")
    page.get_by_label(re.compile("bank transfer", re.I)).check()
    page.get_by_role("button", name=re.compile("^Pay")).click()
    expect(page.get_by_text(re.compile("Awaiting payment"))).to_be_visible()
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert reference.startswith("LCT-ORD-")

    page.context.clear_cookies()
    _log_in(page, base, admin_user.email)
    page.goto(base + "/admin/memberships/orders/")
    expect(page.get_by_text(reference)).to_be_visible()
    page.locator("a[href*='/confirm/']").first.click()
    page.get_by_role("button", name="Yes, the transfer arrived").click()
    expect(page.get_by_text(re.compile(f"{reference} confirmed"))).to_be_visible()

    page.context.clear_cookies()
    _log_in(page, base, bronze.email)
    response = page.goto(base + gold_lesson.url)
    assert response.status == 200
    expect(page.get_by_text(LOCKED_TEXT)).to_be_visible()
