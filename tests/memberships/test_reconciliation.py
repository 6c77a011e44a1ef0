"""The daily reconciliation: yesterday's confirmed orders against VNPay's querydr, MoMo's
status query and Stripe's list of paid sessions, each provider a stand-in on loopback
with records of its own. One mismatch of each kind per provider, shown in the admin and
mailed to the admins once."""

import json
import threading
from datetime import datetime, time, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone

import pytest
from django_q.models import Schedule

from memberships import tasks
from memberships.models import MismatchKind, Order, ReconciliationMismatch
from memberships.payments import orders, reconciliation
from notifications.models import EmailLog

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

STRIPE_KEY = "sk_test_lectern_reconcile"


class _StripeList(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != f"Bearer {STRIPE_KEY}" or not self.path.startswith(
            "/v1/checkout/sessions"
        ):
            self.send_response(401)
            self.end_headers()
            return
        self.server.queries.append(self.path)
        body = json.dumps(
            {
                "object": "list",
                "url": "/v1/checkout/sessions",
                "has_more": False,
                "data": self.server.sessions,
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stripe_list(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StripeList)
    server.sessions, server.queries = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = STRIPE_KEY
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def _yesterday_noon():
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(12)))


def _order(user, tier, provider, *, paid=True):
    order = orders.place_order(user, tier, provider)
    if paid:
        order = orders.mark_paid(order, reference=f"{provider}-txn")
    Order.objects.filter(pk=order.pk).update(
        created_at=_yesterday_noon(), paid_at=_yesterday_noon() if paid else None
    )
    return Order.objects.get(pk=order.pk)


def _session(order, amount, paid_at=None):
    return {
        "id": f"cs_test_{order.reference}",
        "object": "checkout.session",
        "client_reference_id": order.reference,
        "metadata": {"order_reference": order.reference},
        "amount_total": amount,
        "currency": "vnd",
        "status": "complete",
        "payment_status": "paid",
        "created": int((paid_at or _yesterday_noon()).timestamp()),
    }


@pytest.fixture
def yesterdays_payments(tiers, vnpay, momo, stripe_list):
    """Per provider: one order that matches, and one of each kind of mismatch."""
    silver = tiers["silver"]
    made = {}
    for provider in ("vnpay", "momo", "stripe"):
        ok, missing, different = (_order(UserFactory(), silver, provider) for _ in range(3))
        unconfirmed = _order(UserFactory(), silver, provider, paid=False)
        made[provider] = {"ok": ok, "missing": missing, "different": different, "unconfirmed": unconfirmed}
    for provider, server, paid, scale in (("vnpay", vnpay, "00", 100), ("momo", momo, 0, 1)):
        o = made[provider]
        server.transactions[o["ok"].reference] = {
            "amount": 299000 * scale,
            "status": paid,
            "transaction_no": "1",
        }
        server.transactions[o["different"].reference] = {
            "amount": 199000 * scale,
            "status": paid,
            "transaction_no": "2",
        }
        server.transactions[o["unconfirmed"].reference] = {
            "amount": 299000 * scale,
            "status": paid,
            "transaction_no": "3",
        }
    o = made["stripe"]
    stripe_list.sessions = [
        _session(o["ok"], 299000),
        _session(o["different"], 199000),
        _session(o["unconfirmed"], 299000),
    ]
    return made


def test_each_kind_of_mismatch_is_found_for_each_provider(
    yesterdays_payments, vnpay, momo, stripe_list, settings
):
    settings.ADMINS = [("Finance", "finance@lectern.test")]

    report = reconciliation.reconcile()

    assert report.errors == []
    found = {(m.provider, m.reference, m.kind) for m in ReconciliationMismatch.objects.all()}
    expected = set()
    for provider, o in yesterdays_payments.items():
        expected |= {
            (provider, o["missing"].reference, MismatchKind.MISSING_AT_PROVIDER),
            (provider, o["different"].reference, MismatchKind.AMOUNT),
            (provider, o["unconfirmed"].reference, MismatchKind.MISSING_HERE),
        }
    assert found == expected
    different = ReconciliationMismatch.objects.get(provider="vnpay", kind=MismatchKind.AMOUNT)
    assert (different.our_amount, different.provider_amount) == (Decimal(299000), Decimal(199000))
    assert vnpay.refused == [] and momo.refused == []
    assert stripe_list.queries  # Stripe's list was asked

    mail = EmailLog.objects.get(template="payment_mismatches")
    assert mail.to == "finance@lectern.test"
    assert "9 mismatches" in mail.subject
    for o in yesterdays_payments.values():
        assert o["different"].reference in mail.body_text


def test_running_again_finds_nothing_new_and_mails_nobody(yesterdays_payments, settings):
    settings.ADMINS = [("Finance", "finance@lectern.test")]
    assert tasks.reconcile_payments() == 9
    assert tasks.reconcile_payments() == 0
    assert ReconciliationMismatch.objects.count() == 9
    assert EmailLog.objects.filter(template="payment_mismatches").count() == 1


def test_a_day_where_everything_matches_stores_and_mails_nothing(tiers, vnpay, learner):
    order = _order(learner, tiers["silver"], "vnpay")
    vnpay.transactions[order.reference] = {"amount": 29900000, "status": "00", "transaction_no": "1"}
    report = reconciliation.reconcile()
    assert report.checked == {"vnpay": 1}
    assert not ReconciliationMismatch.objects.exists()
    assert not EmailLog.objects.filter(template="payment_mismatches").exists()


def test_a_provider_that_cannot_be_reached_is_reported_not_skipped(tiers, learner, settings, admin_user):
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "LECTERN1", "secret"
    settings.VNPAY_API_URL = "http://127.0.0.1:9/merchant_webapi/api/transaction"  # nothing listens
    _order(learner, tiers["silver"], "vnpay")
    report = reconciliation.reconcile()
    assert report.errors and report.errors[0].startswith("vnpay:")
    mail = EmailLog.objects.get(template="payment_mismatches")
    assert mail.to == admin_user.email  # no ADMIN_EMAILS: the superusers hear of it


def test_mismatches_show_in_the_admin_to_staff_only(client, yesterdays_payments, admin_user, learner):
    reconciliation.reconcile()
    client.force_login(learner)
    assert client.get("/admin/memberships/reconciliation/").status_code == 302
    client.force_login(admin_user)
    page = client.get("/admin/memberships/reconciliation/").content.decode()
    for o in yesterdays_payments.values():
        assert o["missing"].reference in page
    assert "Different amount" in page


def test_migrate_schedules_the_daily_reconciliation():
    schedule = Schedule.objects.get(name="memberships: reconcile payments")
    assert (schedule.func, schedule.schedule_type) == ("memberships.tasks.reconcile_payments", Schedule.CRON)
