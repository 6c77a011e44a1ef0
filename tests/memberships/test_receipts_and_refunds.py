"""Receipts (PDF, Vietnamese set right) and refunds through Stripe's refund API."""

import io
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from django.test import Client

from wagtail.models import ModelLogEntry, Site

import pytest
from pypdf import PdfReader

from home.models import SiteSettings
from memberships import policy
from memberships.models import OrderStatus, Refund
from memberships.payments import manual_provider, orders, refunds

from ..factories import CoursePageFactory
from .gateways import signed_vnpay
from .test_vnpay import IPN, _pay_at_vnpay, _result

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalog, tiers):
    return CoursePageFactory(
        parent=catalog, title="Lập trình Python cơ bản", required_tier=tiers["gold"], price=990_000
    )


@pytest.fixture
def seller(home):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.seller_name = "Công ty Cổ phần Giáo dục Lectern"
    settings.seller_address = "Tầng 5, 18 Nguyễn Thị Minh Khai, Quận 1, TP. Hồ Chí Minh"
    settings.seller_tax_code = "0109876543"
    settings.save()
    return settings


def paid_course_order(user, course, admin_user, **invoice):
    order = orders.place_course_order(user, course, "manual", invoice=invoice or None)
    return manual_provider.confirm(order, actor=admin_user)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_receipt_pdf_prints_vietnamese_seller_buyer_invoice_and_amount(bronze, admin_user, course, seller):
    bronze.full_name = "Nguyễn Thị Hương"
    bronze.save()
    order = paid_course_order(
        bronze,
        course,
        admin_user,
        company="Công ty TNHH Học Tốt",
        tax_code="0312345678",
        address="12 Lê Lợi, Huế",
    )
    client = Client()
    client.force_login(bronze)
    response = client.get(f"/membership/orders/{order.reference}/receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for expected in (
        "Công ty Cổ phần Giáo dục Lectern",
        "Tầng 5, 18 Nguyễn Thị Minh Khai, Quận 1, TP. Hồ Chí Minh",
        "0109876543",
        "Nguyễn Thị Hương",
        "Công ty TNHH Học Tốt",
        "0312345678",
        "Lập trình Python cơ bản",
        "990.000 ₫",
        order.reference,
    ):
        assert expected in text, expected
    # The font is embedded, so the letters print on any machine.
    fonts = PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    assert any("DejaVu" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


def test_receipt_is_for_its_buyer_only_and_only_once_paid(bronze, silver, admin_user, course, seller):
    pending = orders.place_course_order(bronze, course, "manual")
    url = f"/membership/orders/{pending.reference}/receipt.pdf"
    owner, other = Client(), Client()
    owner.force_login(bronze)
    other.force_login(silver)
    assert owner.get(url).status_code == 404  # not paid yet
    manual_provider.confirm(pending, actor=admin_user)
    assert owner.get(url).status_code == 200
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_refunded_receipt_shows_the_refund(bronze, admin_user, course, seller):
    order = paid_course_order(bronze, course, admin_user)
    refunds.refund_order(order, Decimal(100_000), actor=admin_user, end_access=False)
    client = Client()
    client.force_login(bronze)
    text = pdf_text(client.get(f"/membership/orders/{order.reference}/receipt.pdf").content)
    assert "100.000 ₫" in text and "Refunded" in text


# -- Stripe, faked at its HTTP edge -------------------------------------------------------------


class _FakeStripe(BaseHTTPRequestHandler):
    def _answer(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        self.server.requests.append(("GET", self.path, {}, dict(self.headers)))
        session_id = self.path.rsplit("/", 1)[-1]
        self._answer(200, {"id": session_id, "object": "checkout.session", "payment_intent": "pi_lectern_1"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.requests.append(("POST", self.path, dict(parse_qsl(body)), dict(self.headers)))
        self._answer(*self.server.refund_answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def stripe_api(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeStripe)
    server.requests = []
    server.refund_answer = (200, {"id": "re_lectern_1", "object": "refund", "status": "succeeded"})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_lectern_fake"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def stripe_paid_order(user, tier):
    order = orders.place_order(user, tier, "stripe")
    return orders.confirm_order(order, reference="cs_test_lectern_1")


def test_admin_refunds_a_card_order_through_stripe_and_the_plan_ends(
    client, admin_user, learner, tiers, stripe_api
):
    order = stripe_paid_order(learner, tiers["silver"])
    client.force_login(admin_user)
    url = f"/admin/memberships/orders/refund/{order.pk}/"
    assert "Refund" in client.get(url).content.decode()
    response = client.post(
        url, {"amount": str(order.amount), "reason": "Duplicate payment", "end_access": "on"}
    )
    assert response.status_code == 302
    method, path, params, headers = stripe_api.requests[-1]
    assert (method, path) == ("POST", "/v1/refunds")
    assert params["payment_intent"] == "pi_lectern_1"
    assert int(params["amount"]) == int(order.amount)  # VND has no minor unit
    assert headers["Idempotency-Key"] == f"lectern-refund-{order.reference}-1"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    refund = Refund.objects.get(order=order)
    assert (refund.method, refund.provider_reference) == ("provider", "re_lectern_1")
    order.subscription.refresh_from_db()
    assert order.subscription.status == "revoked"
    assert ModelLogEntry.objects.filter(action="memberships.order.refund", object_id=str(order.pk)).exists()


def test_stripe_refusing_the_refund_changes_nothing(admin_user, learner, tiers, stripe_api):
    order = stripe_paid_order(learner, tiers["silver"])
    stripe_api.refund_answer = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Charge has already been refunded."}},
    )
    with pytest.raises(orders.RefundFailed, match="already been refunded"):
        refunds.refund_order(order, order.amount, actor=admin_user)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.refunded_amount == 0
    assert not Refund.objects.exists()


def test_only_staff_with_the_refund_permission_reach_the_refund_page(
    client, editor, learner, admin_user, course
):
    order = paid_course_order(learner, course, admin_user)
    url = f"/admin/memberships/orders/refund/{order.pk}/"
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.force_login(learner)
    assert client.get(url).status_code in (302, 403)
    assert Client().get(url).status_code == 302


def test_stats_panel_counts_course_sales_beside_tier_revenue(client, admin_user, learner, bronze, course):
    paid_course_order(bronze, course, admin_user)
    order = orders.place_order(learner, course.required_tier, "manual")
    manual_provider.confirm(order, actor=admin_user)
    client.force_login(admin_user)
    text = client.get("/admin/").content.decode()
    assert "Courses sold on their own" in text and "Lập trình Python cơ bản" in text
    total = Decimal(990_000) + order.amount
    assert f"{total:,.0f}".replace(",", ".") + " ₫" in text


def test_a_vnpay_course_order_is_refunded_through_vnpay_and_the_course_closes(
    bronze, admin_user, course, vnpay, client
):
    order = orders.place_course_order(bronze, course, "vnpay")
    record = _pay_at_vnpay(order, vnpay)
    assert client.get(IPN, signed_vnpay(_result(order))).json()["RspCode"] == "00"
    assert policy.owns_course(type(bronze).objects.get(pk=bronze.pk), course)
    order.refresh_from_db()

    refund = refunds.refund_order(order, Decimal(990_000), actor=admin_user, reason="Khách đổi ý")

    assert record["refunds"] == [99_000_000]  # VNPay counts in hundredths of a đồng
    assert refund.method == "provider"
    assert not policy.owns_course(type(bronze).objects.get(pk=bronze.pk), course)
