"""A Bronze learner meets a locked Gold lesson, buys its course on its own through VNPay
(our stand-in of VNPay's sandbox pages on loopback, which checks our signed request and
signs its IPN and return with VNPay's documented algorithm), comes back, downloads the
receipt and reads the lesson — in a real browser under the site's production
Content-Security-Policy."""

import copy
import re

import pytest
from playwright.sync_api import expect

from memberships.models import Order, OrderStatus

from ..conftest import PASSWORD
from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOCKED_TEXT = "Window functions keep every row."


@pytest.fixture
def gold_lesson(catalog, tiers):
    course = CoursePageFactory(
        parent=catalog, title="Advanced SQL", required_tier=tiers["gold"], price=990000
    )
    module = ModulePageFactory(parent=course, title="Analytics")
    return LessonPageFactory(
        parent=module, title="Window functions", body=[("paragraph", f"<p>{LOCKED_TEXT}</p>")]
    )


@pytest.fixture
def vnpay_sandbox(vnpay, live_server, settings):
    """The stand-in, with its IPN pointed at the live server (VNPay's merchant portal
    setting) and its origin allowed as a form's destination, as in production."""
    vnpay.ipn_url = f"{live_server.url}/membership/vnpay/ipn/"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(vnpay.url)
    settings.CONTENT_SECURITY_POLICY = policy
    return vnpay


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_bronze_learner_buys_the_course_through_vnpay_downloads_the_receipt_and_reads_the_lesson(
    live_server, page, gold_lesson, bronze, vnpay_sandbox
):
    base = live_server.url
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    _log_in(page, base, bronze.email)
    assert page.goto(base + gold_lesson.url).status == 403

    page.get_by_role("link", name="Buy this course for 990.000 ₫").click()
    page.get_by_label(re.compile("VNPay")).check()
    page.get_by_role("button", name=re.compile("^Pay")).click()

    expect(page.get_by_role("heading", name="VNPay sandbox")).to_be_visible()
    assert page.url.startswith(vnpay_sandbox.url)
    expect(page.get_by_test_id("vnpay-amount")).to_have_text("990.000 VND")
    page.get_by_role("button", name=re.compile("Pay")).click()

    expect(page.get_by_role("heading", name="“Advanced SQL” is yours")).to_be_visible()
    assert page.url.startswith(f"{base}/membership/orders/")
    assert vnpay_sandbox.refused == []
    assert [status for status, _body in vnpay_sandbox.ipn_answers] == [200]
    assert '"RspCode": "00"' in vnpay_sandbox.ipn_answers[0][1]
    order = Order.objects.get(user=bronze)
    assert (order.provider, order.status) == ("vnpay", OrderStatus.PAID)

    with page.expect_download() as download_info:
        page.get_by_test_id("receipt-link").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as receipt:
        assert receipt.read(5) == b"%PDF-"

    assert page.goto(base + gold_lesson.url).status == 200
    expect(page.get_by_text(LOCKED_TEXT)).to_be_visible()
    assert violations == []


def test_a_learner_who_cancels_at_vnpay_is_told_nothing_was_charged(
    live_server, page, bronze, vnpay_sandbox, tiers
):
    base = live_server.url
    _log_in(page, base, bronze.email)
    page.goto(base + "/membership/checkout/gold/")
    page.get_by_label(re.compile("VNPay")).check()
    page.get_by_role("button", name=re.compile("^Pay")).click()
    page.get_by_role("button", name=re.compile("Cancel")).click()

    expect(page.get_by_role("heading", name="The payment did not go through")).to_be_visible()
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    assert Order.objects.get(user=bronze).status == OrderStatus.FAILED
