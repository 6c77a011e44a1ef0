"""VNPay at its HTTP edge: the signed payment URL, the IPN that alone confirms (and its
RspCode answers), the return page that only reads, and querydr/refund against a VNPay
stand-in on loopback that verifies our signatures with VNPay's documented algorithm."""

import urllib.parse
from urllib.parse import parse_qsl, urlsplit

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from memberships.models import Order, OrderStatus, Subscription, WebhookEvent
from memberships.payments import orders, vnpay_provider
from notifications.models import EmailLog

from ..factories import UserFactory
from .gateways import VNPAY_TMN_CODE, VnpayStandIn, fetch, signed_vnpay, vnpay_signature

pytestmark = pytest.mark.django_db

IPN = "/membership/vnpay/ipn/"


def _result(order, **changes) -> dict:
    """What VNPay's IPN carries for a successful payment of `order`, before signing."""
    params = {
        "vnp_Amount": str(int(order.amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14422574",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan don hang {order.reference}",
        "vnp_PayDate": "20261205101530",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": VNPAY_TMN_CODE,
        "vnp_TransactionNo": "14422574",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": order.reference,
    }
    params.update(changes)
    return params


def _nothing_changed(order):
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert order.paid_at is None
    assert not Subscription.objects.filter(user=order.user).exists()
    assert not EmailLog.objects.filter(template="order_receipt").exists()


# --- the documented signature ----------------------------------------------------------


def test_our_signature_reproduces_a_published_vnpay_ipn_sample():
    """A VNPay IPN published with its hash (secret "test_secret"): the order info has
    spaces and a colon, so the value encoding must be VNPay's (form encoding, + for space)."""
    sample = {
        "vnp_Amount": 1000000,
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14422574",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z",
        "vnp_PayDate": "20240521091806",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "TEST_TMN_CODE",
        "vnp_TransactionNo": "14422574",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "1716257871703",
    }
    published = (
        "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361d"
        "bf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895"
    )
    assert vnpay_provider.sign(sample, secret="test_secret") == published
    assert vnpay_signature(sample, secret="test_secret") == published  # the stand-in signs alike


# --- checkout → VNPay's page -----------------------------------------------------------


def test_checkout_sends_the_learner_to_vnpay_with_a_request_vnpay_accepts(client, learner, tiers, vnpay):
    client.force_login(learner)
    assertContains(client.get("/membership/checkout/silver/"), 'value="vnpay"')

    response = client.post("/membership/checkout/silver/", {"provider": "vnpay", "action": "pay"})

    order = Order.objects.get(user=learner)
    assert (order.provider, order.status) == ("vnpay", OrderStatus.PENDING)
    assert response.status_code == 302
    assert response.url.startswith(f"{vnpay.url}/paymentv2/vpcpay.html?")
    params = dict(parse_qsl(urlsplit(response.url).query))
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == VNPAY_TMN_CODE
    assert params["vnp_Amount"] == "29900000"  # 299.000 ₫ × 100
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_TxnRef"] == order.reference
    assert params["vnp_ReturnUrl"] == f"http://testserver/membership/orders/{order.reference}/vnpay/return/"
    assert params["vnp_SecureHash"] == vnpay_signature(params)

    status, page = fetch(response.url)  # the stand-in checks the signature too
    assert status == 200
    assert "299.000 VND" in page
    assert vnpay.refused == []


def test_a_payment_url_changed_after_signing_is_refused_by_vnpay(vnpay_order, vnpay):
    url = vnpay_provider.payment_url(
        vnpay_order, return_url="https://lectern.test/back/", client_ip="203.0.113.9"
    )
    cheaper = url.replace("vnp_Amount=29900000", "vnp_Amount=100")
    assert fetch(cheaper)[0] == 400
    assert len(vnpay.refused) == 1


def test_vnpay_is_offered_only_when_configured(client, learner, tiers, settings):
    client.force_login(learner)
    settings.VNPAY_TMN_CODE = ""
    assertNotContains(client.get("/membership/checkout/silver/"), 'value="vnpay"')


# --- the IPN ----------------------------------------------------------------------------


def test_a_valid_ipn_confirms_the_order_once(client, vnpay_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(IPN, signed_vnpay(_result(vnpay_order)))

    assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}
    vnpay_order.refresh_from_db()
    assert (vnpay_order.status, vnpay_order.provider_reference) == (OrderStatus.PAID, "14422574")
    subscription = Subscription.objects.get(user=vnpay_order.user)
    assert (subscription.tier.slug, subscription.provider) == ("silver", "vnpay")
    assert EmailLog.objects.filter(template="order_receipt", user=vnpay_order.user).count() == 1
    assert WebhookEvent.objects.get(provider="vnpay").outcome == "confirmed"


def test_a_replayed_ipn_is_told_already_confirmed_and_grants_nothing_more(client, vnpay_order):
    ipn = signed_vnpay(_result(vnpay_order))
    assert client.get(IPN, ipn).json()["RspCode"] == "00"
    paid_at = Order.objects.get(pk=vnpay_order.pk).paid_at

    assert client.get(IPN, ipn).json() == {"RspCode": "02", "Message": "Order already confirmed"}
    assert Subscription.objects.filter(user=vnpay_order.user).count() == 1
    assert Order.objects.get(pk=vnpay_order.pk).paid_at == paid_at
    assert EmailLog.objects.filter(template="order_receipt").count() == 1
    assert WebhookEvent.objects.filter(provider="vnpay").count() == 1


@pytest.mark.parametrize(
    ("ipn", "code"),
    [
        pytest.param(lambda o: signed_vnpay(_result(o, vnp_Amount="100")), "04", id="wrong amount"),
        pytest.param(lambda o: signed_vnpay(_result(o, vnp_TmnCode="OTHERSHOP")), "99", id="wrong merchant"),
        pytest.param(
            lambda o: {**signed_vnpay(_result(o, vnp_Amount="100")), "vnp_Amount": str(int(o.amount) * 100)},
            "97",
            id="tampered amount",
        ),
        pytest.param(
            lambda o: {**signed_vnpay(_result(o, vnp_ResponseCode="24")), "vnp_ResponseCode": "00"},
            "97",
            id="tampered response code",
        ),
        pytest.param(lambda o: signed_vnpay(_result(o), secret="not-our-secret"), "97", id="wrong secret"),
        pytest.param(
            lambda o: {k: v for k, v in signed_vnpay(_result(o)).items() if k != "vnp_SecureHash"},
            "97",
            id="unsigned",
        ),
        pytest.param(
            lambda o: signed_vnpay(_result(o, vnp_TxnRef="LCT-ORD-UNKNOWN2")), "01", id="unknown order"
        ),
        pytest.param(lambda o: signed_vnpay(_result(o, vnp_Amount="abc")), "99", id="amount not a number"),
    ],
)
def test_a_refused_ipn_gets_its_code_and_changes_nothing(client, vnpay_order, ipn, code):
    answer = client.get(IPN, ipn(vnpay_order)).json()
    assert answer["RspCode"] == code
    _nothing_changed(vnpay_order)


def test_an_ipn_for_another_providers_order_is_not_found(client, learner, tiers, vnpay):
    bank_order = orders.place_order(learner, tiers["silver"], "manual")
    assert client.get(IPN, signed_vnpay(_result(bank_order))).json()["RspCode"] == "01"
    _nothing_changed(bank_order)


def test_a_failed_payment_is_acknowledged_and_closes_the_order(client, vnpay_order):
    ipn = signed_vnpay(_result(vnpay_order, vnp_ResponseCode="24", vnp_TransactionStatus="02"))
    assert client.get(IPN, ipn).json()["RspCode"] == "00"
    vnpay_order.refresh_from_db()
    assert vnpay_order.status == OrderStatus.FAILED
    assert not Subscription.objects.exists()


def test_the_ipn_answers_only_get(client, vnpay_order):
    assert client.post(IPN, signed_vnpay(_result(vnpay_order))).status_code == 405
    _nothing_changed(vnpay_order)


# --- the return URL ---------------------------------------------------------------------


def _return_url(order, params):
    return reverse("memberships:vnpay_return", args=[order.reference]) + "?" + urllib.parse.urlencode(params)


def test_coming_back_with_a_signed_success_grants_nothing(client, vnpay_order):
    client.force_login(vnpay_order.user)
    response = client.get(_return_url(vnpay_order, signed_vnpay(_result(vnpay_order))))
    assertContains(response, "Waiting for confirmation")
    _nothing_changed(vnpay_order)

    client.get(IPN, signed_vnpay(_result(vnpay_order)))
    response = client.get(_return_url(vnpay_order, signed_vnpay(_result(vnpay_order))))
    assertContains(response, "Welcome to Silver")


def test_coming_back_from_a_cancelled_payment_offers_to_try_again(client, vnpay_order):
    client.force_login(vnpay_order.user)
    params = signed_vnpay(_result(vnpay_order, vnp_ResponseCode="24", vnp_TransactionStatus="02"))
    response = client.get(_return_url(vnpay_order, params))
    assertContains(response, "The payment did not go through")
    assertContains(response, "Try again")


def test_a_forged_success_on_the_return_url_is_not_believed(client, vnpay_order):
    client.force_login(vnpay_order.user)
    forged = signed_vnpay(_result(vnpay_order), secret="forged")
    response = client.get(_return_url(vnpay_order, forged))
    assertContains(response, "Waiting for confirmation")
    _nothing_changed(vnpay_order)


def test_the_return_page_is_only_the_buyers(client, vnpay_order):
    url = _return_url(vnpay_order, signed_vnpay(_result(vnpay_order)))
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# --- the merchant API: querydr and refund -----------------------------------------------


def _pay_at_vnpay(order, vnpay: VnpayStandIn):
    url = vnpay_provider.payment_url(order, return_url="https://lectern.test/back/", client_ip="203.0.113.9")
    assert fetch(url)[0] == 200
    record = vnpay.transactions[order.reference]
    record.update(status="00", transaction_no="14422574")
    return record


def test_querydr_reads_vnpays_record_of_an_order(vnpay_order, vnpay):
    assert vnpay_provider.query(vnpay_order).found is False
    _pay_at_vnpay(vnpay_order, vnpay)

    transaction = vnpay_provider.query(vnpay_order)

    assert (transaction.found, transaction.paid, transaction.amount) == (True, True, 299000)
    assert transaction.transaction_no == "14422574"
    sent = vnpay.requests[-1]["body"]
    assert (sent["vnp_Command"], sent["vnp_TmnCode"], sent["vnp_TxnRef"]) == (
        "querydr",
        VNPAY_TMN_CODE,
        vnpay_order.reference,
    )
    assert vnpay.refused == []


def test_refund_asks_vnpay_for_the_amount_in_hundredths(vnpay_order, vnpay, client):
    record = _pay_at_vnpay(vnpay_order, vnpay)
    client.get(IPN, signed_vnpay(_result(vnpay_order)))
    vnpay_order.refresh_from_db()

    answer = vnpay_provider.refund(vnpay_order, vnpay_order.amount, actor_name="admin@lectern.test")

    assert answer["vnp_ResponseCode"] == "00"
    assert record["refunds"] == [29900000]
    sent = vnpay.requests[-1]["body"]
    assert (sent["vnp_TransactionType"], sent["vnp_TransactionNo"]) == ("02", "14422574")
    assert vnpay.refused == []


def test_an_answer_not_signed_with_our_secret_is_refused(vnpay_order, vnpay):
    vnpay.secret = "someone-else"  # the stand-in now signs (and checks) with another key
    with pytest.raises(vnpay_provider.VnpayError):
        vnpay_provider.query(vnpay_order)
    assert len(vnpay.refused) == 1
