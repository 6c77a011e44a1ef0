"""The memberships API: public tiers, my subscription, checkout (bank transfer and Stripe
Checkout through the real stripe library talking to a fake Stripe on loopback, paid by a
signed webhook), coupon checks with their own rate limit, and my orders by reference."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from memberships.models import Order, OrderStatus, Subscription, Tier
from memberships.payments import orders
from tests.races import run_at_once

from ...api.clients import assert_error, assert_token_refusals, client_for
from ..conftest import RECORDED_ORDER_REFERENCE, recorded, stripe_signature
from ..factories import CouponFactory
from ..gateways import fetch

pytestmark = pytest.mark.django_db

TIERS = "/api/v1/memberships/tiers/"
MINE = "/api/v1/memberships/subscription/"
CHECKOUT = "/api/v1/memberships/checkout/"
COUPON_CHECK = "/api/v1/memberships/coupons/check/"
ORDERS = "/api/v1/memberships/orders/"


def _checkout(client, tier="silver", provider="manual", coupon="", **headers):
    return client.post(
        CHECKOUT, {"tier": tier, "provider": provider, "coupon": coupon}, format="json", **headers
    )


# --- tiers and my subscription --------------------------------------------------------------


def test_anyone_sees_the_tiers_cheapest_first_with_prices_and_features(client, tiers):
    response = client.get(TIERS)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [t["slug"] for t in results] == ["bronze", "silver", "gold"]
    silver = results[1]
    assert (silver["price"], silver["currency"], silver["billing_period"]) == ("299000.00", "VND", "month")
    assert silver["includes_ebooks"] and not silver["includes_live_sessions"]
    assert "Ebook library" in silver["features"]
    assert results[0]["is_free"] and not silver["is_free"]


def test_a_tier_no_longer_offered_is_listed_only_for_those_who_hold_it(client, tiers, gold):
    tiers["gold"].is_active = False
    tiers["gold"].save()
    assert [t["slug"] for t in client.get(TIERS).json()["results"]] == ["bronze", "silver"]
    assert [t["slug"] for t in client_for(gold).get(TIERS).json()["results"]] == ["bronze", "silver", "gold"]


def test_my_subscription_names_my_tier_and_when_it_ends(silver):
    body = client_for(silver).get(MINE).json()
    current = Subscription.objects.get(user=silver)
    assert body["tier"]["slug"] == "silver"
    assert body["subscription"]["tier"]["slug"] == "silver"
    assert body["subscription"]["status"] == "active"
    assert body["subscription"]["ends_at"] == current.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("who", ["bronze", "lapsed"])
def test_without_a_current_plan_i_am_on_the_free_tier(request, who):
    body = client_for(request.getfixturevalue(who)).get(MINE).json()
    assert body["tier"]["slug"] == "bronze"
    assert body["subscription"] is None


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", MINE, None),
        ("post", CHECKOUT, {"tier": "silver", "provider": "manual"}),
        ("post", COUPON_CHECK, {"code": "X", "tier": "silver"}),
        ("get", ORDERS, None),
        ("get", f"{ORDERS}LCT-ORD-AAAAAAAA/", None),
    ],
)
def test_my_membership_endpoints_refuse_anonymous_expired_and_forged_tokens(
    learner, tiers, method, path, data
):
    assert_token_refusals(learner, method, path, data)
    assert not Order.objects.exists()


# --- checkout ------------------------------------------------------------------------------


def test_bank_transfer_checkout_places_a_pending_order_and_says_how_to_pay(learner, tiers, settings):
    response = _checkout(client_for(learner))
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(user=learner)
    assert body["order"]["reference"] == order.reference
    assert body["order"]["status"] == "pending"
    assert body["order"]["amount"] == "299000.00"
    assert body["payment"]["method"] == "bank_transfer"
    assert body["payment"]["url"] is None
    assert body["payment"]["bank_transfer"] == {
        "details": settings.BANK_TRANSFER_DETAILS,
        "amount": "299000.00",
        "currency": "VND",
        "reference": order.reference,
    }
    assert "id" not in body["order"]  # never the sequential id


def test_card_checkout_answers_the_stripe_checkout_url_and_the_signed_webhook_pays(
    client, learner, fake_stripe, stripe_keys
):
    api = client_for(learner)
    response = _checkout(api, provider="stripe")
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(user=learner)
    assert body["payment"] == {
        "method": "stripe_checkout",
        "url": fake_stripe.answer[1]["url"],
        "bank_transfer": None,
    }
    [sent] = fake_stripe.requests
    assert sent["params"]["client_reference_id"] == order.reference
    assert sent["params"]["line_items[0][price_data][unit_amount]"] == "299000"
    assert (
        sent["params"]["success_url"]
        == f"http://testserver/membership/orders/{order.reference}/stripe/success/"
    )
    assert order.provider_reference == fake_stripe.answer[1]["id"]

    # Stripe tells us it was paid (the recorded event names its own order reference).
    Order.objects.filter(pk=order.pk).update(reference=RECORDED_ORDER_REFERENCE)
    payload = recorded("checkout.session.completed.json")
    webhook = client.post(
        "/membership/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stripe_signature(payload),
    )
    assert webhook.json()["outcome"] == "paid"
    assert api.get(MINE).json()["tier"]["slug"] == "silver"
    assert api.get(f"{ORDERS}{RECORDED_ORDER_REFERENCE}/").json()["status"] == "paid"


def test_a_forged_webhook_signature_pays_nothing(client, learner, fake_stripe):
    _checkout(client_for(learner), provider="stripe")
    Order.objects.filter(user=learner).update(reference=RECORDED_ORDER_REFERENCE)
    payload = recorded("checkout.session.completed.json")
    forged = stripe_signature(payload, secret="whsec_not_ours")
    response = client.post(
        "/membership/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=forged,
    )
    assert response.status_code == 400
    assert Order.objects.get(user=learner).status == OrderStatus.PENDING


def test_card_checkout_is_refused_when_stripe_is_not_offered(learner, tiers, settings):
    settings.STRIPE_SECRET_KEY = ""
    error = assert_error(_checkout(client_for(learner), provider="stripe"), 422, "provider_unavailable")
    assert "provider" in error["details"]["fields"]
    assert not Order.objects.exists()


def test_when_stripe_refuses_the_answer_is_503_and_the_coupon_is_given_back(learner, fake_stripe):
    coupon = CouponFactory(code="ONCE", max_redemptions=1)
    fake_stripe.answer = (400, {"error": {"type": "invalid_request_error", "message": "Invalid currency"}})
    assert_error(_checkout(client_for(learner), provider="stripe", coupon="once"), 503, "payment_unavailable")
    assert Order.objects.get(user=learner).status == OrderStatus.CANCELLED
    coupon.refresh_from_db()
    assert coupon.times_redeemed == 0


def test_a_coupon_lowers_the_price_and_a_full_discount_pays_the_order_at_once(learner, tiers):
    CouponFactory(code="TWENTY", value=20)
    body = _checkout(client_for(learner), coupon="twenty").json()
    assert (body["order"]["discount"], body["order"]["amount"], body["order"]["coupon"]) == (
        "59800.00",
        "239200.00",
        "TWENTY",
    )
    assert body["payment"]["bank_transfer"]["amount"] == "239200.00"

    CouponFactory(code="GIFT", value=100, tiers=[tiers["gold"]])
    gift = _checkout(client_for(learner), tier="gold", coupon="GIFT").json()
    assert gift["order"]["status"] == "paid"
    assert gift["payment"] == {"method": "none", "url": None, "bank_transfer": None}
    assert client_for(User.objects.get(pk=learner.pk)).get(MINE).json()["tier"]["slug"] == "gold"


def test_a_bad_coupon_at_checkout_is_422_and_places_no_order(learner, tiers):
    error = assert_error(_checkout(client_for(learner), coupon="nonsense"), 422, "coupon_unknown")
    assert error["details"]["fields"]["coupon"] == ["This code is not valid."]
    assert not Order.objects.exists()


def test_a_tier_that_cannot_be_bought_is_409_with_the_reason(gold, learner, tiers):
    assert_error(_checkout(client_for(gold), tier="silver"), 409, "tier_included")
    assert_error(_checkout(client_for(learner), tier="bronze"), 409, "tier_free")
    tiers["silver"].is_active = False
    tiers["silver"].save()
    assert_error(_checkout(client_for(learner), tier="silver"), 409, "tier_inactive")
    assert not Order.objects.exists()


def test_an_unknown_tier_or_provider_is_422_naming_the_field(learner, tiers):
    error = assert_error(_checkout(client_for(learner), tier="platinum"), 422, "validation_error")
    assert "tier" in error["details"]["fields"]
    error = assert_error(_checkout(client_for(learner), provider="paypal"), 422, "validation_error")
    assert "provider" in error["details"]["fields"]


def test_a_repeated_checkout_with_one_idempotency_key_places_one_order(learner, tiers):
    api = client_for(learner)
    first = _checkout(api, HTTP_IDEMPOTENCY_KEY="checkout-1")
    again = _checkout(api, HTTP_IDEMPOTENCY_KEY="checkout-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.filter(user=learner).count() == 1
    assert_error(
        _checkout(api, tier="gold", HTTP_IDEMPOTENCY_KEY="checkout-1"), 422, "idempotency_key_reused"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_concurrent_duplicate_checkouts_place_exactly_one_order(learner, tiers):
    """PostgreSQL runs the five at once; SQLite cannot take concurrent writers from
    threads, so there they take turns through the same code (CI runs both)."""
    api_token = client_for(learner)._credentials["HTTP_AUTHORIZATION"]

    def send(_index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=api_token)
        response = _checkout(client, HTTP_IDEMPOTENCY_KEY="race-1")
        return response.status_code, response.json()

    answers = run_at_once(send, 5)

    assert [status for status, _ in answers] == [201] * 5, answers
    assert Order.objects.filter(user=learner).count() == 1
    assert {body["order"]["reference"] for _, body in answers} == {Order.objects.get(user=learner).reference}


# --- coupon check --------------------------------------------------------------------------


def test_a_coupon_check_quotes_the_price_and_uses_nothing_up(learner, tiers):
    coupon = CouponFactory(code="SPRING25", value=25, max_redemptions=1)
    response = client_for(learner).post(COUPON_CHECK, {"code": " spring25 ", "tier": "silver"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "code": "SPRING25",
        "tier": "silver",
        "list_price": "299000.00",
        "discount": "74750.00",
        "amount": "224250.00",
        "currency": "VND",
    }
    coupon.refresh_from_db()
    assert coupon.times_redeemed == 0
    assert not Order.objects.exists()


def test_a_coupon_that_does_not_apply_says_why(learner, tiers):
    CouponFactory(code="GOLDONLY", tiers=[tiers["gold"]])
    api = client_for(learner)
    assert_error(
        api.post(COUPON_CHECK, {"code": "GOLDONLY", "tier": "silver"}, format="json"),
        422,
        "coupon_wrong_tier",
    )
    assert_error(
        api.post(COUPON_CHECK, {"code": "NOPE", "tier": "silver"}, format="json"), 422, "coupon_unknown"
    )


def test_coupon_checks_have_their_own_stricter_rate_limit(learner, tiers, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "coupon": "3/min"},
    }
    api = client_for(learner)
    guesses = [
        api.post(COUPON_CHECK, {"code": f"GUESS{n}", "tier": "silver"}, format="json") for n in range(3)
    ]
    assert [r.status_code for r in guesses] == [422, 422, 422]
    refused = api.post(COUPON_CHECK, {"code": "GUESS9", "tier": "silver"}, format="json")
    assert_error(refused, 429, "throttled")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Other endpoints keep the general limit.
    assert api.get(MINE).status_code == 200


# --- my orders -----------------------------------------------------------------------------


def test_my_orders_are_mine_only_and_addressed_by_reference(learner, bronze, tiers):
    mine = _checkout(client_for(learner)).json()["order"]["reference"]
    theirs = _checkout(client_for(bronze), tier="gold").json()["order"]["reference"]
    api = client_for(learner)

    listed = api.get(ORDERS).json()
    assert [o["reference"] for o in listed["results"]] == [mine]
    assert api.get(f"{ORDERS}{mine}/").json()["tier"]["slug"] == "silver"
    assert_error(api.get(f"{ORDERS}{theirs}/"), 404, "not_found")
    assert_error(api.get(f"{ORDERS}{Order.objects.get(reference=mine).pk}/"), 404, "not_found")


def test_listing_orders_costs_the_same_queries_for_one_or_many(learner, tiers):
    api = client_for(learner)
    orders.place_order(learner, tiers["silver"], "manual")
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(ORDERS).json()["results"]) == 1
    CouponFactory(code="MANY", value=10, per_user_limit=None)
    for _n in range(5):
        orders.place_order(learner, tiers["gold"], "manual", "MANY")
    with CaptureQueriesContext(connection) as six:
        assert len(api.get(ORDERS).json()["results"]) == 6
    assert len(six) == len(one)


def test_listing_tiers_costs_the_same_queries_however_many_there_are(silver, tiers):
    api = client_for(silver)
    with CaptureQueriesContext(connection) as three:
        api.get(TIERS)
    Tier.objects.create(rank=40, slug="platinum", name="Platinum", price=999000)
    with CaptureQueriesContext(connection) as four:
        assert len(api.get(TIERS).json()["results"]) == 4
    assert len(four) == len(three)


def test_vnpay_and_momo_checkouts_answer_their_signed_payment_pages(learner, tiers, vnpay, momo):
    api = client_for(learner)
    by_vnpay = _checkout(api, provider="vnpay")
    assert by_vnpay.status_code == 201, by_vnpay.content
    payment = by_vnpay.json()["payment"]
    assert payment["method"] == "vnpay"
    assert payment["url"].startswith(f"{vnpay.url}/paymentv2/vpcpay.html?")
    assert fetch(payment["url"])[0] == 200  # the stand-in checks our signature
    assert vnpay.refused == []

    by_momo = _checkout(api, provider="momo").json()
    order = Order.objects.get(user=learner, provider="momo")
    assert by_momo["payment"] == {
        "method": "momo",
        "url": f"{momo.url}/pay/{order.reference}",
        "bank_transfer": None,
    }
    assert momo.refused == []
