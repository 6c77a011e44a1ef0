"""Coupons: is this code good for this learner and product, what does it take off, and use it.

A product is what an order item sells: a Tier (one period) or a course sold on its own.
Both have `price` and `currency`; a coupon lists the plans and courses it is for, or
neither to apply to everything.

`validate` answers early, for the checkout page's "Apply" button. `redeem` is the only
place a use is counted, and it re-checks every limit with the coupon row locked: two
learners racing for the last use both pass `validate`, but only one gets through
`redeem`. `release` gives a use back when the order it paid for is cancelled or fails.
"""

from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Coupon, CouponKind, CouponRedemption, Order, OrderStatus, Tier
from .money import quantize


class CouponError(ValidationError):
    """A code that cannot be used; the message is written for the learner."""


class Price(NamedTuple):
    discount: Decimal
    amount: Decimal


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def validate(code: str, user, tier, *, at=None) -> Coupon:
    """The coupon `code` names, if `user` may use it on `tier` (a Tier or a course) now;
    else a CouponError whose message can be shown to the learner as it is."""
    code = normalize_code(code)
    coupon = Coupon.objects.filter(code__iexact=code, active=True).first() if code else None
    if coupon is None:
        raise CouponError(_("This code is not valid."), code="unknown")
    _check_applies(coupon, tier, at=at)
    _check_limits(coupon, user)
    return coupon


def price_with(tier, coupon: Coupon | None) -> Price:
    """Discount and amount to pay for `tier` (one period of a Tier, or a course), rounded
    to the currency's unit.

    A percentage is rounded half-up to the currency's smallest unit (whole dong for VND);
    a fixed amount never takes the price below zero.
    """
    price = quantize(tier.price, tier.currency)
    if coupon is None:
        return Price(quantize(Decimal(0), tier.currency), price)
    if coupon.kind == CouponKind.PERCENT:
        discount = quantize(price * coupon.value / Decimal(100), tier.currency)
    else:
        discount = quantize(coupon.value, tier.currency)
    discount = min(discount, price)
    return Price(discount, price - discount)


def redeem(coupon: Coupon, user, order: Order) -> CouponRedemption:
    """Count one use of `coupon` for `order`, or raise CouponError if none is left.

    The coupon row is locked (SELECT … FOR UPDATE) for the rest of the transaction, so
    concurrent redemptions on PostgreSQL queue up and each re-reads the count the one
    before it wrote. SQLite ignores FOR UPDATE but serialises writers, which gives the
    same answer.
    """
    with transaction.atomic():
        locked = Coupon.objects.select_for_update().get(pk=coupon.pk)
        if not locked.active:
            raise CouponError(_("This code is not valid."), code="unknown")
        _check_limits(locked, user)
        redemption = CouponRedemption.objects.create(coupon=locked, user=user, order=order)
        Coupon.objects.filter(pk=locked.pk).update(times_redeemed=F("times_redeemed") + 1)
    return redemption


def release(order: Order) -> bool:
    """Give back the use `order` took, if any. True when something was given back."""
    with transaction.atomic():
        redemption = CouponRedemption.objects.select_for_update().filter(order=order).first()
        if redemption is None:
            return False
        Coupon.objects.filter(pk=redemption.coupon_id, times_redeemed__gt=0).update(
            times_redeemed=F("times_redeemed") - 1
        )
        redemption.delete()
    return True


def _applies_to(coupon: Coupon, product) -> bool:
    if not coupon.pk:
        return True
    tier_ids = set(coupon.tiers.values_list("pk", flat=True))
    course_ids = set(coupon.courses.values_list("pk", flat=True))
    if not tier_ids and not course_ids:
        return True
    return product.pk in (tier_ids if isinstance(product, Tier) else course_ids)


def _check_applies(coupon: Coupon, tier, *, at=None) -> None:
    at = at or timezone.now()
    if coupon.valid_from and at < coupon.valid_from:
        raise CouponError(_("This code is not active yet."), code="not_yet")
    if coupon.valid_until and at >= coupon.valid_until:
        raise CouponError(_("This code has expired."), code="expired")
    if not _applies_to(coupon, tier):
        if isinstance(tier, Tier):
            message = _("This code does not apply to the %(tier)s plan.") % {"tier": tier.name}
        else:
            message = _("This code does not apply to “%(course)s”.") % {"course": tier.title}
        raise CouponError(message, code="wrong_tier")
    if coupon.kind == CouponKind.FIXED and coupon.currency.upper() != tier.currency.upper():
        raise CouponError(
            _("This code cannot be used for prices in %(currency)s.") % {"currency": tier.currency},
            code="wrong_currency",
        )


def _check_limits(coupon: Coupon, user) -> None:
    if coupon.is_used_up:
        raise CouponError(_("This code has been used up."), code="used_up")
    if coupon.per_user_limit is not None:
        mine = list(CouponRedemption.objects.filter(coupon=coupon, user=user).select_related("order"))
        if len(mine) >= coupon.per_user_limit:
            unpaid = next((r.order for r in mine if r.order.status == OrderStatus.PENDING), None)
            if unpaid is not None:
                # Say which order holds it: cancelling that order gives the use back.
                raise CouponError(
                    _("Your unpaid order %(reference)s is using this code. Cancel that order to use it here.")
                    % {"reference": unpaid.reference},
                    code="held_by_unpaid_order",
                )
            raise CouponError(_("You have already used this code."), code="used_by_user")
