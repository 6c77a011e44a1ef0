"""Coupons: the price they give, when they apply, their limits, and the race for the last use."""

import threading
from contextlib import nullcontext
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections
from django.utils import timezone

import pytest

from memberships import coupons
from memberships.coupons import CouponError
from memberships.models import Coupon, CouponKind, CouponRedemption, Order, Tier
from memberships.payments import orders

from ..factories import UserFactory
from .factories import CouponFactory

pytestmark = pytest.mark.django_db


def _error_code(call) -> str:
    with pytest.raises(CouponError) as caught:
        call()
    return caught.value.code


# --- the price ---------------------------------------------------------------------------


def test_percent_coupon_rounds_half_up_to_the_whole_dong(tiers):
    price = coupons.price_with(tiers["silver"], CouponFactory.build(value=Decimal("7.25")))
    # 299 000 × 7.25 % = 21 677.5 ₫, and VND has no smaller unit.
    assert price == (Decimal("21678"), Decimal("277322"))


def test_percent_coupon_rounds_to_the_cent_in_a_currency_with_cents(tiers):
    tier = Tier(name="Course pass", slug="pass", rank=99, price=Decimal("9.99"), currency="USD")
    price = coupons.price_with(tier, CouponFactory.build(value=Decimal("15")))
    assert price == (Decimal("1.50"), Decimal("8.49"))


def test_fixed_coupon_takes_its_amount_off(tiers):
    fifty = CouponFactory.build(kind=CouponKind.FIXED, value=Decimal("50000"), currency="VND")
    assert coupons.price_with(tiers["silver"], fifty) == (Decimal("50000"), Decimal("249000"))


def test_a_coupon_never_takes_the_price_below_zero(tiers):
    huge = CouponFactory.build(kind=CouponKind.FIXED, value=Decimal("1000000"), currency="VND")
    whole = CouponFactory.build(value=Decimal("100"))
    assert coupons.price_with(tiers["silver"], huge) == (Decimal("299000"), Decimal("0"))
    assert coupons.price_with(tiers["silver"], whole) == (Decimal("299000"), Decimal("0"))


def test_no_coupon_means_the_list_price(tiers):
    assert coupons.price_with(tiers["gold"], None) == (Decimal("0"), Decimal("499000"))


# --- when a code applies -------------------------------------------------------------------


def test_codes_match_whatever_the_case_and_spacing(learner, tiers):
    CouponFactory(code="SPRING25")
    assert coupons.validate("  spring25 ", learner, tiers["silver"]).code == "SPRING25"


def test_two_coupons_cannot_share_a_code_in_any_case(db):
    CouponFactory(code="SPRING25")
    duplicate = Coupon(code="spring25", kind=CouponKind.PERCENT, value=Decimal("5"))
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_unknown_and_switched_off_codes_are_not_valid(learner, tiers):
    CouponFactory(code="OLDCODE", active=False)
    assert _error_code(lambda: coupons.validate("NOPE-123", learner, tiers["silver"])) == "unknown"
    assert _error_code(lambda: coupons.validate("oldcode", learner, tiers["silver"])) == "unknown"


def test_a_code_works_only_inside_its_validity_window(learner, tiers):
    now = timezone.now()
    CouponFactory(code="SOON", valid_from=now + timedelta(days=1))
    CouponFactory(code="GONE", valid_until=now - timedelta(seconds=1))
    CouponFactory(code="NOW", valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=1))

    with pytest.raises(CouponError, match="not active yet"):
        coupons.validate("SOON", learner, tiers["silver"])
    with pytest.raises(CouponError, match="has expired"):
        coupons.validate("GONE", learner, tiers["silver"])
    assert coupons.validate("NOW", learner, tiers["silver"]).code == "NOW"


def test_a_code_for_gold_does_not_apply_to_silver(learner, tiers):
    CouponFactory(code="GOLDONLY", tiers=[tiers["gold"]])
    with pytest.raises(CouponError, match="does not apply to the Silver plan"):
        coupons.validate("GOLDONLY", learner, tiers["silver"])
    assert coupons.validate("GOLDONLY", learner, tiers["gold"])


def test_a_fixed_amount_in_another_currency_is_refused(learner, tiers):
    CouponFactory(code="FIVEUSD", kind=CouponKind.FIXED, value=Decimal("5"), currency="USD")
    with pytest.raises(CouponError, match="prices in VND"):
        coupons.validate("FIVEUSD", learner, tiers["silver"])


def test_coupon_form_rules_live_on_the_model(db):
    with pytest.raises(ValidationError, match="more than 100"):
        Coupon(code="X", kind=CouponKind.PERCENT, value=Decimal("120")).full_clean()
    with pytest.raises(ValidationError, match="which currency"):
        Coupon(code="Y", kind=CouponKind.FIXED, value=Decimal("10000")).full_clean()


# --- limits --------------------------------------------------------------------------------


def test_each_learner_may_use_a_code_once_by_default(learner, bronze, tiers):
    CouponFactory(code="WELCOME")
    orders.mark_paid(orders.place_order(learner, tiers["silver"], "manual", "WELCOME"))

    with pytest.raises(CouponError, match="You have already used this code"):
        coupons.validate("WELCOME", learner, tiers["silver"])
    assert coupons.validate("WELCOME", bronze, tiers["silver"])


def test_an_unpaid_order_holding_the_code_is_named_so_the_learner_can_free_it(learner, tiers):
    CouponFactory(code="WELCOME")
    unpaid = orders.place_order(learner, tiers["silver"], "manual", "WELCOME")

    with pytest.raises(CouponError, match=f"Your unpaid order {unpaid.reference} is using this code"):
        coupons.validate("WELCOME", learner, tiers["gold"])
    orders.cancel(unpaid)
    assert coupons.validate("WELCOME", learner, tiers["gold"])


def test_a_per_user_limit_of_two_allows_two_uses(learner, tiers):
    CouponFactory(code="TWICE", per_user_limit=2)
    orders.place_order(learner, tiers["silver"], "manual", "TWICE")
    orders.place_order(learner, tiers["silver"], "manual", "TWICE")
    with pytest.raises(CouponError, match="is using this code"):
        orders.place_order(learner, tiers["silver"], "manual", "TWICE")


def test_a_code_is_used_up_at_its_total_limit(learner, bronze, tiers):
    coupon = CouponFactory(code="FIRST1", max_redemptions=1)
    orders.place_order(learner, tiers["silver"], "manual", "FIRST1")

    with pytest.raises(CouponError, match="This code has been used up"):
        coupons.validate("FIRST1", bronze, tiers["silver"])
    coupon.refresh_from_db()
    assert coupon.times_redeemed == 1


def test_a_refused_coupon_leaves_no_order_behind(learner, bronze, tiers):
    CouponFactory(code="FIRST1", max_redemptions=1)
    orders.place_order(learner, tiers["silver"], "manual", "FIRST1")
    with pytest.raises(CouponError):
        orders.place_order(bronze, tiers["silver"], "manual", "FIRST1")
    assert not Order.objects.filter(user=bronze).exists()


def test_cancelling_an_order_gives_the_use_back(learner, bronze, tiers):
    coupon = CouponFactory(code="FIRST1", max_redemptions=1)
    order = orders.place_order(learner, tiers["silver"], "manual", "first1")

    orders.cancel(order)

    coupon.refresh_from_db()
    assert coupon.times_redeemed == 0
    assert not CouponRedemption.objects.exists()
    assert orders.place_order(bronze, tiers["silver"], "manual", "FIRST1").coupon == coupon


def test_a_failed_payment_gives_the_use_back_once(learner, tiers):
    coupon = CouponFactory(code="FIRST1", max_redemptions=1)
    order = orders.place_order(learner, tiers["silver"], "stripe", "FIRST1")
    orders.fail(order)
    orders.fail(order)
    coupon.refresh_from_db()
    assert coupon.times_redeemed == 0


# --- the race for the last use -------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_learners_racing_for_the_last_use_exactly_one_wins(tiers):
    """On PostgreSQL the 20 threads really run at once and queue on the coupon's row lock.

    SQLite has no row locks and answers a second concurrent writer with "database is
    locked", so there the same threads take turns through the same function: the
    outcome asked of both databases is identical.
    """
    silver = Tier.objects.get(slug="silver")
    coupon = CouponFactory(code="LASTONE", max_redemptions=5, times_redeemed=4)
    racers = [UserFactory(email=f"racer{i}@example.test") for i in range(20)]
    start = threading.Barrier(len(racers))
    one_at_a_time = nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    outcomes = []

    def race(user):
        try:
            start.wait(timeout=30)
            with one_at_a_time:
                orders.place_order(user, silver, "manual", "lastone")
            outcomes.append("won")
        except CouponError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(user,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["used_up"] * 19 + ["won"]
    coupon.refresh_from_db()
    assert coupon.times_redeemed == 5
    assert CouponRedemption.objects.filter(coupon=coupon).count() == 1
    assert Order.objects.filter(coupon=coupon).count() == 1
