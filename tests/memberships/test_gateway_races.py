"""Ten identical IPNs at once confirm an order exactly once.

Each thread is its own HTTP client calling the IPN endpoint. On PostgreSQL they really run
at once and the order's row lock decides; SQLite has no row locks and answers a second
concurrent writer with "database is locked", so there the same threads take turns
through the same endpoint (as in tests/quizzes/test_races.py).
"""

import json

from django.test import Client

import pytest

from memberships.models import Order, OrderStatus, Subscription
from memberships.payments import orders
from notifications.models import EmailLog
from tests.races import run_at_once

from .gateways import MOMO_PARTNER_CODE, VNPAY_TMN_CODE, signed_momo_ipn, signed_vnpay

RACERS = 10


def _run_at_once(target, count=RACERS):
    return run_at_once(lambda _index: target(), count)


def _confirmed_once(order):
    order = Order.objects.get(pk=order.pk)
    assert order.status == OrderStatus.PAID
    assert Subscription.objects.filter(user=order.user).count() == 1
    assert EmailLog.objects.filter(template="order_receipt", user=order.user).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_vnpay_ipns_confirm_once(learner, tiers, vnpay):
    order = orders.place_order(learner, tiers["silver"], "vnpay")
    ipn = signed_vnpay(
        {
            "vnp_Amount": "29900000",
            "vnp_ResponseCode": "00",
            "vnp_TmnCode": VNPAY_TMN_CODE,
            "vnp_TransactionNo": "14422574",
            "vnp_TransactionStatus": "00",
            "vnp_TxnRef": order.reference,
        }
    )

    outcomes = _run_at_once(lambda: Client().get("/membership/vnpay/ipn/", ipn).json()["RspCode"])

    assert sorted(outcomes) == ["00"] + ["02"] * (RACERS - 1)
    _confirmed_once(order)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_momo_ipns_confirm_once(learner, tiers, momo):
    order = orders.place_order(learner, tiers["silver"], "momo")
    ipn = signed_momo_ipn(
        {
            "partnerCode": MOMO_PARTNER_CODE,
            "orderId": order.reference,
            "requestId": "r1",
            "amount": 299000,
            "orderInfo": "Lectern",
            "orderType": "momo_wallet",
            "transId": 4088878653,
            "resultCode": 0,
            "message": "Successful.",
            "payType": "qr",
            "responseTime": 1764928530000,
            "extraData": "",
        }
    )
    body = json.dumps(ipn)

    outcomes = _run_at_once(
        lambda: Client().post("/membership/momo/ipn/", data=body, content_type="application/json").status_code
    )

    assert outcomes == [204] * RACERS
    _confirmed_once(order)
