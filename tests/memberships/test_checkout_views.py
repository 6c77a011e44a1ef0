"""The learner's checkout: price and coupon, bank transfer, and card payment through the
real stripe library talking to a fake Stripe API on loopback."""

import re

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from memberships.models import Order, OrderStatus, Subscription
from memberships.payments import orders

from ..factories import UserFactory
from .factories import CouponFactory

pytestmark = pytest.mark.django_db

SILVER_CHECKOUT = "/membership/checkout/silver/"


@pytest.fixture
def logged_in(client, learner, tiers):
    client.force_login(learner)
    return client


def _pay(client, provider="manual", coupon="", url=SILVER_CHECKOUT):
    return client.post(url, {"coupon": coupon, "provider": provider, "action": "pay"})


# --- the checkout page ---------------------------------------------------------------------


def test_checkout_asks_visitors_to_log_in(client, tiers):
    response = client.get(SILVER_CHECKOUT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_pricing_page_links_each_paid_tier_to_its_checkout(logged_in):
    assertContains(logged_in.get("/membership/"), f'href="{SILVER_CHECKOUT}"')


def test_checkout_shows_the_plan_and_its_price(logged_in):
    response = logged_in.get(SILVER_CHECKOUT)
    assertContains(response, "Get Silver")
    assertContains(response, "299.000 ₫")
    assertContains(response, "Bank transfer")


def test_card_payment_is_offered_only_when_stripe_is_configured(logged_in, settings):
    settings.STRIPE_SECRET_KEY = ""
    assertNotContains(logged_in.get(SILVER_CHECKOUT), 'value="stripe"')
    settings.STRIPE_SECRET_KEY = "sk_test_lectern_fake"
    assertContains(logged_in.get(SILVER_CHECKOUT), 'value="stripe"')


def test_applying_a_coupon_shows_the_discounted_price_and_places_no_order(logged_in):
    CouponFactory(code="SPRING25", value=25)
    response = logged_in.post(
        SILVER_CHECKOUT, {"coupon": "spring25", "provider": "manual", "action": "apply"}
    )
    assert response.status_code == 200
    assertContains(response, "Coupon SPRING25")
    assertContains(response, "− 74.750 ₫")
    assertContains(response, "224.250 ₫")
    assert not Order.objects.exists()


def test_a_bad_coupon_gets_a_clear_error_and_keeps_what_was_typed(logged_in):
    response = logged_in.post(
        SILVER_CHECKOUT, {"coupon": "nonsense-42", "provider": "manual", "action": "apply"}
    )
    assertContains(response, "This code is not valid.")
    assertContains(response, 'value="nonsense-42"')
    assertContains(response, "299.000 ₫")


def test_paying_with_a_bad_coupon_places_no_order_and_keeps_the_choices(logged_in, stripe_keys):
    response = _pay(logged_in, provider="manual", coupon="expired-or-not")
    assert response.status_code == 200
    assertContains(response, "This code is not valid.")
    assertContains(response, 'value="expired-or-not"')
    assert re.search(r'<input[^>]*value="manual"[^>]*checked', response.content.decode())
    assert not Order.objects.exists()


def test_an_unknown_plan_sends_the_learner_to_pricing_with_a_message(logged_in):
    response = logged_in.get("/membership/checkout/platinum/", follow=True)
    assertRedirects(response, "/membership/")
    assertContains(response, "There is no plan called “platinum”")


def test_the_free_plan_has_nothing_to_pay(logged_in):
    response = logged_in.get("/membership/checkout/bronze/", follow=True)
    assertRedirects(response, "/membership/")
    assertContains(response, "The Bronze plan is free: there is nothing to pay.")


def test_a_gold_member_is_told_silver_is_already_included(client, gold):
    client.force_login(gold)
    response = client.get(SILVER_CHECKOUT, follow=True)
    assertContains(response, "Your Gold plan already includes everything in Silver.")
    assert not Order.objects.exists()


# --- bank transfer -------------------------------------------------------------------------


def test_a_bank_transfer_order_waits_with_instructions_and_gives_no_access(logged_in, learner, tiers):
    response = _pay(logged_in, provider="manual")

    order = Order.objects.get(user=learner)
    assertRedirects(response, f"/membership/orders/{order.reference}/")
    assert (order.status, order.provider, order.amount) == (OrderStatus.PENDING, "manual", 299000)
    page = logged_in.get(response.url)
    assertContains(page, "Pay by bank transfer")
    assertContains(page, order.reference)
    assertContains(page, "Example Bank")
    assertContains(page, "Awaiting payment")
    assert not Subscription.objects.filter(user=learner).exists()


def test_a_learner_can_cancel_a_bank_transfer_they_have_not_made(logged_in, learner, tiers):
    coupon = CouponFactory(code="ONCE", max_redemptions=1)
    order = orders.place_order(learner, tiers["silver"], "manual", "ONCE")
    response = logged_in.post(f"/membership/orders/{order.reference}/cancel/", follow=True)
    assertContains(response, f"Order {order.reference} is cancelled.")
    order.refresh_from_db()
    coupon.refresh_from_db()
    assert (order.status, coupon.times_redeemed) == (OrderStatus.CANCELLED, 0)


def test_someone_elses_order_is_not_found(client, learner, tiers):
    order = orders.place_order(learner, tiers["silver"], "manual")
    client.force_login(UserFactory())
    assert client.get(f"/membership/orders/{order.reference}/").status_code == 404
    assert client.post(f"/membership/orders/{order.reference}/cancel/").status_code == 404
    assert client.get(f"/membership/orders/{order.reference}/stripe/success/").status_code == 404


def test_a_coupon_that_covers_everything_activates_at_once(
    logged_in, learner, tiers, django_capture_on_commit_callbacks
):
    CouponFactory(code="FREEMONTH", value=100)
    with django_capture_on_commit_callbacks(execute=True):
        response = _pay(logged_in, provider="manual", coupon="FREEMONTH")
    order = Order.objects.get(user=learner)
    assertRedirects(response, f"/membership/orders/{order.reference}/")
    assert (order.status, order.amount) == (OrderStatus.PAID, 0)
    assert Subscription.objects.get(user=learner).tier == tiers["silver"]


# --- card payment through Stripe Checkout --------------------------------------------------


def test_card_payment_creates_a_checkout_session_and_redirects_to_it(logged_in, learner, fake_stripe):
    response = _pay(logged_in, provider="stripe")

    order = Order.objects.get(user=learner)
    session_url = fake_stripe.answer[1]["url"]
    assert response.status_code == 302
    assert response.url == session_url
    assert order.provider_reference == fake_stripe.answer[1]["id"]
    assert order.status == OrderStatus.PENDING

    [sent] = fake_stripe.requests
    assert sent["path"] == "/v1/checkout/sessions"
    assert sent["headers"]["Authorization"] == "Bearer sk_test_lectern_fake"
    assert sent["headers"]["Idempotency-Key"] == f"lectern-checkout-{order.reference}"
    params = sent["params"]
    assert params["mode"] == "payment"
    assert params["line_items[0][quantity]"] == "1"
    assert params["line_items[0][price_data][currency]"] == "vnd"
    assert params["line_items[0][price_data][unit_amount]"] == "299000"  # VND has no minor unit
    assert params["metadata[order_reference]"] == order.reference
    assert params["client_reference_id"] == order.reference
    assert params["customer_email"] == learner.email
    assert params["success_url"] == f"http://testserver/membership/orders/{order.reference}/stripe/success/"
    assert params["cancel_url"] == f"http://testserver/membership/orders/{order.reference}/stripe/cancel/"


def test_a_percent_coupon_lowers_the_amount_sent_to_stripe(logged_in, learner, fake_stripe):
    CouponFactory(code="TWENTY", value=20)
    _pay(logged_in, provider="stripe", coupon="twenty")
    [sent] = fake_stripe.requests
    assert sent["params"]["line_items[0][price_data][unit_amount]"] == "239200"
    assert Order.objects.get(user=learner).discount == 59800


def test_when_stripe_refuses_nothing_is_lost_and_the_coupon_is_given_back(logged_in, learner, fake_stripe):
    coupon = CouponFactory(code="ONCE", max_redemptions=1)
    fake_stripe.answer = (400, {"error": {"type": "invalid_request_error", "message": "Invalid currency"}})

    response = _pay(logged_in, provider="stripe", coupon="ONCE")

    assert response.status_code == 200
    assertContains(response, "The card payment service did not answer")
    assertContains(response, 'value="ONCE"')
    assert Order.objects.get(user=learner).status == OrderStatus.CANCELLED
    coupon.refresh_from_db()
    assert coupon.times_redeemed == 0


def test_cancelling_a_card_order_closes_its_stripe_page_first(logged_in, learner, fake_stripe):
    coupon = CouponFactory(code="ONCE", max_redemptions=1)
    _pay(logged_in, provider="stripe", coupon="ONCE")
    order = Order.objects.get(user=learner)

    response = logged_in.post(f"/membership/orders/{order.reference}/cancel/", follow=True)

    assertContains(response, f"Order {order.reference} is cancelled.")
    assert fake_stripe.requests[-1]["path"] == f"/v1/checkout/sessions/{order.provider_reference}/expire"
    order.refresh_from_db()
    coupon.refresh_from_db()
    assert (order.status, coupon.times_redeemed) == (OrderStatus.CANCELLED, 0)


def test_a_card_order_already_paid_at_stripe_is_not_cancelled(logged_in, learner, fake_stripe):
    _pay(logged_in, provider="stripe")
    order = Order.objects.get(user=learner)
    fake_stripe.expire_answer = (
        400,
        {
            "error": {
                "type": "invalid_request_error",
                "message": "Only Checkout Sessions with a status of open can be expired.",
            }
        },
    )

    response = logged_in.post(f"/membership/orders/{order.reference}/cancel/", follow=True)

    assertContains(response, "If you have already paid, your plan starts in a moment.")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_coming_back_from_stripe_shows_progress_but_never_activates(logged_in, learner, tiers):
    order = orders.place_order(learner, tiers["silver"], "stripe")
    response = logged_in.get(f"/membership/orders/{order.reference}/stripe/success/")
    assertContains(response, "Payment received, activating")
    assertContains(response, "Awaiting payment")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not Subscription.objects.exists()


def test_leaving_stripe_without_paying_says_nothing_was_charged(logged_in, learner, tiers):
    order = orders.place_order(learner, tiers["silver"], "stripe")
    response = logged_in.get(f"/membership/orders/{order.reference}/stripe/cancel/")
    assertContains(response, "nothing was charged")
    assertContains(response, SILVER_CHECKOUT)
