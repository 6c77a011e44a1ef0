"""Orders: placing, paying once, the receipt, and staff confirming a bank transfer in the
Wagtail admin."""

import re
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from memberships import policy
from memberships.models import Coupon, Order, OrderStatus, Subscription, SubscriptionEvent
from memberships.payments import orders
from notifications.models import EmailLog

from .factories import CouponFactory

pytestmark = pytest.mark.django_db


def _tier_of(user):
    return policy.tier_of(User.objects.get(pk=user.pk))


@pytest.fixture
def bank_order(learner, tiers):
    return orders.place_order(learner, tiers["silver"], "manual")


def _confirm_url(order):
    return reverse("membership_orders:confirm", args=[order.pk])


# --- the order service ---------------------------------------------------------------------


def test_an_order_has_a_public_reference_and_keeps_its_numbers(learner, tiers):
    CouponFactory(code="TEN", value=10)
    order = orders.place_order(learner, tiers["gold"], "manual", "ten")

    assert re.fullmatch(r"LCT-ORD-[2-9A-HJKMNP-Z]{8}", order.reference)
    assert (order.list_price, order.discount, order.amount) == (
        Decimal(499000),
        Decimal(49900),
        Decimal(449100),
    )
    assert (order.currency, order.email, order.status) == ("VND", learner.email, OrderStatus.PENDING)
    assert order.coupon.code == "TEN"


def test_nobody_orders_the_free_plan_or_a_plan_below_their_own(learner, gold, tiers):
    with pytest.raises(ValidationError, match="free"):
        orders.place_order(learner, tiers["bronze"], "manual")
    with pytest.raises(ValidationError, match="already includes"):
        orders.place_order(gold, tiers["silver"], "manual")
    with pytest.raises(ValidationError, match="how you want to pay"):
        orders.place_order(learner, tiers["silver"], "paypal")
    assert not Order.objects.exists()


def test_marking_paid_grants_the_plan_and_mails_a_receipt(
    bank_order, learner, admin_user, tiers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = orders.mark_paid(bank_order, reference="VCB 123456", actor=admin_user)

    assert (order.status, order.provider_reference, order.confirmed_by) == (
        OrderStatus.PAID,
        "VCB 123456",
        admin_user,
    )
    assert order.paid_at is not None
    assert order.subscription.provider == "manual"
    assert order.subscription.provider_reference == order.reference
    assert SubscriptionEvent.objects.get(subscription=order.subscription).actor == admin_user
    assert _tier_of(learner) == tiers["silver"]
    assert {log.template for log in EmailLog.objects.filter(user=learner)} == {
        "order_receipt",
        "subscription_activated",
    }


def test_the_receipt_shows_reference_plan_amount_discount_date_and_provider(
    learner, tiers, django_capture_on_commit_callbacks
):
    CouponFactory(code="SPRING25", value=25)
    order = orders.place_order(learner, tiers["silver"], "manual", "SPRING25")
    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_paid(order)

    [receipt] = [m for m in mail.outbox if m.subject.startswith("Receipt")]
    assert receipt.subject == f"Receipt for order {order.reference} · Silver · 224.250 ₫"
    assert receipt.to == [learner.email]
    for text in (
        order.reference,
        "Silver",
        "299.000 ₫",
        "-74.750 ₫",
        "SPRING25",
        "224.250 ₫",
        "Bank transfer",
    ):
        assert text in receipt.body
    html, mimetype = receipt.alternatives[0]
    assert mimetype == "text/html"
    assert "224.250 ₫" in html and "SPRING25" in html and order.reference in html
    order.refresh_from_db()
    assert f"{order.paid_at.year}" in receipt.body


def test_paying_twice_grants_once(bank_order, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_paid(bank_order)
        orders.mark_paid(bank_order)
    assert Subscription.objects.filter(user=learner).count() == 1
    assert EmailLog.objects.filter(template="order_receipt").count() == 1


def test_a_cancelled_order_cannot_be_paid_and_a_paid_one_cannot_be_cancelled(learner, tiers):
    cancelled = orders.cancel(orders.place_order(learner, tiers["silver"], "manual"))
    with pytest.raises(orders.OrderError):
        orders.mark_paid(cancelled)

    paid = orders.mark_paid(orders.place_order(learner, tiers["silver"], "manual"))
    with pytest.raises(orders.OrderError):
        orders.cancel(paid)
    assert Subscription.objects.filter(user=learner).count() == 1


def test_orders_outlive_a_deleted_account(bank_order, learner):
    orders.mark_paid(bank_order)
    learner.delete()
    bank_order.refresh_from_db()
    assert bank_order.user is None
    assert (bank_order.email, bank_order.amount) == ("learner@example.test", Decimal(299000))


# --- staff confirm a bank transfer in the Wagtail admin ------------------------------------


def test_admin_confirms_a_bank_transfer_and_the_learner_gets_silver(
    client, admin_user, learner, tiers, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    client.post("/membership/checkout/silver/", {"provider": "manual", "coupon": "", "action": "pay"})
    order = Order.objects.get(user=learner)
    assert order.status == OrderStatus.PENDING
    assert _tier_of(learner) == tiers["bronze"]

    client.force_login(admin_user)
    page = client.get(_confirm_url(order))
    assertContains(page, order.reference)
    assertContains(page, "299.000 ₫")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_confirm_url(order), {"bank_reference": "VCB 998877"}, follow=True)

    assertContains(response, f"{order.reference} confirmed")
    order.refresh_from_db()
    assert (order.status, order.confirmed_by, order.provider_reference) == (
        OrderStatus.PAID,
        admin_user,
        "VCB 998877",
    )
    assert order.subscription.is_current
    assert _tier_of(learner) == tiers["silver"]
    assert sorted(m.subject for m in mail.outbox) == [
        f"Receipt for order {order.reference} · Silver · 299.000 ₫",
        "Your Silver membership is active",
    ]


def test_confirming_twice_does_nothing_more(
    client, admin_user, bank_order, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_confirm_url(bank_order))
        response = client.post(_confirm_url(bank_order), follow=True)

    assertContains(response, "is not awaiting a bank transfer")
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_learner_cannot_reach_the_confirm_view(client, learner, bank_order):
    client.force_login(learner)
    for response in (client.get(_confirm_url(bank_order)), client.post(_confirm_url(bank_order))):
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    bank_order.refresh_from_db()
    assert bank_order.status == OrderStatus.PENDING
    assert not Subscription.objects.exists()


def test_staff_without_the_confirm_permission_are_refused(client, editor, bank_order):
    editor.groups.first().permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    refused = client.post(_confirm_url(bank_order))
    assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's "no permission"
    bank_order.refresh_from_db()
    assert bank_order.status == OrderStatus.PENDING


def test_a_finance_group_with_view_and_confirm_can_confirm(client, editor, bank_order):
    finance = Group.objects.create(name="Finance")
    finance.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_order", "confirm_order"])
    )
    editor.groups.add(finance)
    client.force_login(editor)
    assertContains(client.get(reverse("membership_orders:index")), "Confirm bank transfer")
    client.post(_confirm_url(bank_order))
    bank_order.refresh_from_db()
    assert bank_order.status == OrderStatus.PAID


def test_orders_are_never_added_edited_or_deleted_by_hand(client, admin_user, bank_order):
    client.force_login(admin_user)
    for url in (
        reverse("membership_orders:add"),
        reverse("membership_orders:edit", args=[bank_order.pk]),
        reverse("membership_orders:delete", args=[bank_order.pk]),
    ):
        refused = client.get(url)
        assert (refused.status_code, refused.url) == (302, "/admin/"), url  # Wagtail's "no permission"
    client.post(reverse("membership_orders:delete", args=[bank_order.pk]))
    assert Order.objects.filter(pk=bank_order.pk).exists()
    assert client.get(reverse("membership_orders:inspect", args=[bank_order.pk])).status_code == 200


def test_the_orders_list_searches_by_reference_and_email_and_filters_by_status(
    client, admin_user, learner, bronze, tiers
):
    mine = orders.place_order(learner, tiers["silver"], "manual")
    theirs = orders.mark_paid(orders.place_order(bronze, tiers["gold"], "stripe"))
    client.force_login(admin_user)
    index = reverse("membership_orders:index")

    listing = client.get(index)
    assertContains(listing, mine.reference)
    assertContains(listing, "Confirm bank transfer", count=1)  # only the pending bank order

    by_reference = client.get(index, {"q": mine.reference.lower()})
    assertContains(by_reference, mine.reference)
    assertNotContains(by_reference, theirs.reference)

    by_email = client.get(index, {"q": "bronze@"})
    assertContains(by_email, theirs.reference)
    assertNotContains(by_email, mine.reference)

    paid = client.get(index, {"status": "paid"})
    assertContains(paid, theirs.reference)
    assertNotContains(paid, mine.reference)

    manual = client.get(index, {"provider": "manual"})
    assertContains(manual, mine.reference)
    assertNotContains(manual, theirs.reference)


def test_admin_creates_a_coupon_with_its_code_in_capitals(client, admin_user, tiers):
    client.force_login(admin_user)
    response = client.post(
        reverse("membership_coupons:add"),
        {
            "code": " spring25 ",
            "description": "Spring sale",
            "kind": "percent",
            "value": "25",
            "currency": "",
            "valid_from": "",
            "valid_until": "",
            "max_redemptions": "100",
            "per_user_limit": "1",
            "tiers": [tiers["silver"].pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.value, coupon.max_redemptions) == ("SPRING25", 25, 100)
    assert list(coupon.tiers.all()) == [tiers["silver"]]

    duplicate = client.post(
        reverse("membership_coupons:add"),
        {"code": "Spring25", "kind": "percent", "value": "5", "per_user_limit": "1"},
    )
    assertContains(duplicate, "A coupon with this code already exists.")

    listing = client.get(reverse("membership_coupons:index"), {"kind": "percent", "active": "true"})
    assertContains(listing, "SPRING25")
    assertContains(listing, "0 / 100")
