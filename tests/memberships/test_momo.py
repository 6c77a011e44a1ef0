"""MoMo at its HTTP edge: "captureWallet" creation against a MoMo stand-in on loopback
that verifies our HMAC-SHA256 signatures, the IPN that alone confirms (204), the return
page that only reads, and the status query and refund."""

import hashlib
import hmac
import json
from urllib.parse import urlencode

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains

from memberships.models import Order, OrderStatus, Subscription, WebhookEvent
from memberships.payments import momo_provider
from notifications.models import EmailLog

from .gateways import (
    MOMO_ACCESS_KEY,
    MOMO_PARTNER_CODE,
    MOMO_SECRET_KEY,
    fetch,
    signed_momo_ipn,
)

pytestmark = pytest.mark.django_db

IPN = "/membership/momo/ipn/"


def _ipn(order, **changes) -> dict:
    """What MoMo's IPN carries for a successful payment of `order`, before signing."""
    values = {
        "partnerCode": MOMO_PARTNER_CODE,
        "orderId": order.reference,
        "requestId": f"{order.reference}-1a2b3c4d",
        "amount": int(order.amount),
        "orderInfo": f"Lectern {order.reference}",
        "orderType": "momo_wallet",
        "transId": 4088878653,
        "resultCode": 0,
        "message": "Successful.",
        "payType": "qr",
        "responseTime": 1764928530000,
        "extraData": "",
    }
    values.update(changes)
    return values


def _post(client, body):
    return client.post(IPN, data=json.dumps(body), content_type="application/json")


def _nothing_changed(order):
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not Subscription.objects.filter(user=order.user).exists()
    assert not EmailLog.objects.filter(template="order_receipt").exists()


# --- the documented signature ----------------------------------------------------------


def test_the_create_signature_is_hmac_sha256_of_the_documented_raw_string(settings, momo):
    """MoMo's documented raw string for /v2/gateway/api/create, spelled out by hand."""
    values = {
        "partnerCode": MOMO_PARTNER_CODE,
        "requestId": "LCT-ORD-7K4QW9ZD-1",
        "amount": 299000,
        "orderId": "LCT-ORD-7K4QW9ZD",
        "orderInfo": "Lectern LCT-ORD-7K4QW9ZD",
        "redirectUrl": "https://lectern.test/back/",
        "ipnUrl": "https://lectern.test/membership/momo/ipn/",
        "requestType": "captureWallet",
        "extraData": "",
    }
    raw = (
        f"accessKey={MOMO_ACCESS_KEY}&amount=299000&extraData=&ipnUrl=https://lectern.test/membership/momo/ipn/"
        "&orderId=LCT-ORD-7K4QW9ZD&orderInfo=Lectern LCT-ORD-7K4QW9ZD"
        f"&partnerCode={MOMO_PARTNER_CODE}&redirectUrl=https://lectern.test/back/"
        "&requestId=LCT-ORD-7K4QW9ZD-1&requestType=captureWallet"
    )
    expected = hmac.new(MOMO_SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()
    assert momo_provider.raw_signature(values, momo_provider.CREATE_FIELDS) == raw
    assert momo_provider.sign(values, momo_provider.CREATE_FIELDS) == expected


# --- checkout → MoMo --------------------------------------------------------------------


def test_checkout_creates_the_momo_payment_and_sends_the_learner_to_its_pay_url(client, learner, tiers, momo):
    client.force_login(learner)
    response = client.post("/membership/checkout/silver/", {"provider": "momo", "action": "pay"})

    order = Order.objects.get(user=learner)
    assert response.status_code == 302
    assert response.url == f"{momo.url}/pay/{order.reference}"
    assert momo.refused == []
    sent = momo.requests[-1]["body"]
    assert (sent["requestType"], sent["amount"], sent["orderId"]) == (
        "captureWallet",
        299000,
        order.reference,
    )
    assert sent["ipnUrl"] == "http://testserver/membership/momo/ipn/"
    assert sent["redirectUrl"] == f"http://testserver/membership/orders/{order.reference}/momo/return/"
    assert fetch(response.url)[0] == 200


def test_when_momo_refuses_the_order_is_cancelled_and_the_learner_told(
    client, learner, tiers, momo, settings
):
    settings.MOMO_SECRET_KEY = "a-key-momo-does-not-know"
    client.force_login(learner)
    response = client.post("/membership/checkout/silver/", {"provider": "momo", "action": "pay"})
    assertContains(response, "MoMo did not answer")
    assert Order.objects.get(user=learner).status == OrderStatus.CANCELLED
    assert len(momo.refused) == 1


# --- the IPN ----------------------------------------------------------------------------


def test_a_valid_ipn_confirms_the_order_once(client, momo_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, signed_momo_ipn(_ipn(momo_order)))

    assert response.status_code == 204
    momo_order.refresh_from_db()
    assert (momo_order.status, momo_order.provider_reference) == (OrderStatus.PAID, "4088878653")
    assert Subscription.objects.get(user=momo_order.user).provider == "momo"
    assert EmailLog.objects.filter(template="order_receipt").count() == 1
    assert WebhookEvent.objects.get(provider="momo").outcome == "confirmed"


def test_a_replayed_ipn_is_acknowledged_and_grants_nothing_more(client, momo_order):
    ipn = signed_momo_ipn(_ipn(momo_order))
    assert _post(client, ipn).status_code == 204
    assert _post(client, ipn).status_code == 204
    assert Subscription.objects.filter(user=momo_order.user).count() == 1
    assert EmailLog.objects.filter(template="order_receipt").count() == 1
    assert WebhookEvent.objects.filter(provider="momo").count() == 1


@pytest.mark.parametrize(
    ("ipn", "status"),
    [
        pytest.param(lambda o: signed_momo_ipn(_ipn(o, amount=1000)), 400, id="wrong amount"),
        pytest.param(lambda o: signed_momo_ipn(_ipn(o, partnerCode="MOMOOTHER")), 400, id="wrong merchant"),
        pytest.param(
            lambda o: {**signed_momo_ipn(_ipn(o, amount=1000)), "amount": 299000}, 400, id="tampered amount"
        ),
        pytest.param(
            lambda o: {**signed_momo_ipn(_ipn(o, resultCode=1006)), "resultCode": 0},
            400,
            id="tampered result",
        ),
        pytest.param(lambda o: signed_momo_ipn(_ipn(o), secret="not-our-secret"), 400, id="wrong secret"),
        pytest.param(lambda o: _ipn(o), 400, id="unsigned"),
        pytest.param(lambda o: signed_momo_ipn(_ipn(o, orderId="LCT-ORD-UNKNOWN2")), 404, id="unknown order"),
    ],
)
def test_a_refused_ipn_gets_its_status_and_changes_nothing(client, momo_order, ipn, status):
    assert _post(client, ipn(momo_order)).status_code == status
    _nothing_changed(momo_order)


def test_an_ipn_that_is_not_json_is_refused(client, momo_order):
    assert client.post(IPN, data="amount=1", content_type="application/json").status_code == 400
    _nothing_changed(momo_order)


def test_a_declined_payment_closes_the_order(client, momo_order):
    assert _post(client, signed_momo_ipn(_ipn(momo_order, resultCode=1006))).status_code == 204
    momo_order.refresh_from_db()
    assert momo_order.status == OrderStatus.FAILED


# --- the return URL ---------------------------------------------------------------------


def test_coming_back_from_momo_grants_nothing(client, momo_order):
    client.force_login(momo_order.user)
    url = reverse("memberships:momo_return", args=[momo_order.reference])
    assertContains(
        client.get(f"{url}?{urlencode(signed_momo_ipn(_ipn(momo_order)))}"), "Waiting for confirmation"
    )
    _nothing_changed(momo_order)
    declined = signed_momo_ipn(_ipn(momo_order, resultCode=1006))
    assertContains(client.get(f"{url}?{urlencode(declined)}"), "The payment did not go through")


# --- status query and refund ------------------------------------------------------------


def test_the_status_query_reads_momos_record(momo_order, momo):
    assert momo_provider.query(momo_order).found is False
    momo.transactions[momo_order.reference] = {"amount": 299000, "status": 0, "trans_id": 4088878653}

    transaction = momo_provider.query(momo_order)

    assert (transaction.found, transaction.paid, transaction.amount, transaction.trans_id) == (
        True,
        True,
        299000,
        "4088878653",
    )
    assert momo.refused == []


def test_refund_sends_a_signed_request_for_the_transaction(client, momo_order, momo):
    _post(client, signed_momo_ipn(_ipn(momo_order)))
    momo_order.refresh_from_db()

    answer = momo_provider.refund(momo_order, momo_order.amount / 2, description="Partial refund")

    assert answer["resultCode"] == 0
    assert momo.refused == []
    (refund,) = momo.refunds
    assert (refund["transId"], refund["amount"]) == (4088878653, 149500)


def test_a_refund_momo_refuses_raises(momo_order, momo, settings):
    settings.MOMO_SECRET_KEY = "wrong"
    with pytest.raises(momo_provider.MomoError):
        momo_provider.refund(momo_order, momo_order.amount)


def test_momo_is_offered_only_when_configured(client, learner, tiers, settings):
    client.force_login(learner)
    settings.MOMO_SECRET_KEY = ""
    assert 'value="momo"' not in client.get("/membership/checkout/silver/").content.decode()
