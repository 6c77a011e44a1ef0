"""Every state change of an Order: place, pay, fail, cancel.

pending ──mark_paid──▶ paid        (subscription granted, receipt mailed)
   │
   ├──fail────────────▶ failed     (coupon use given back)
   └──cancel──────────▶ cancelled  (coupon use given back)

Views, the webhook and the admin call these; none of them edits an Order by hand. Each
locks the order row first, so a webhook retry racing an admin click changes it once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.mail import send_templated_email

from .. import coupons, policy, subscriptions
from ..models import Order, OrderStatus, PaymentProvider, Tier
from ..money import quantize
from ..signals import order_paid


class OrderError(Exception):
    """The order cannot do what was asked, e.g. pay an order that was cancelled."""


def check_purchasable(user, tier: Tier) -> None:
    """Raise ValidationError, in words for the learner, if `user` should not buy `tier`."""
    if tier.is_free:
        raise ValidationError(
            _("The %(tier)s plan is free: there is nothing to pay.") % {"tier": tier.name}, code="free"
        )
    if not tier.is_active:
        raise ValidationError(
            _("The %(tier)s plan is no longer offered.") % {"tier": tier.name}, code="inactive"
        )
    current = policy.tier_of(user)
    if current is not None and current.rank > tier.rank:
        raise ValidationError(
            _("Your %(current)s plan already includes everything in %(tier)s.")
            % {"current": current.name, "tier": tier.name},
            code="included",
        )


@transaction.atomic
def place_order(user, tier: Tier, provider: str, coupon_code: str = "") -> Order:
    """A pending order for one period of `tier`, with the coupon (if any) already redeemed.

    Raises ValidationError with a message for the learner. An order the coupon makes
    free needs no payment and is marked paid at once.
    """
    if provider not in PaymentProvider.values:
        raise ValidationError(_("Choose how you want to pay."), code="provider")
    check_purchasable(user, tier)
    coupon = coupons.validate(coupon_code, user, tier) if coupons.normalize_code(coupon_code) else None
    price = coupons.price_with(tier, coupon)
    order = Order.objects.create(
        user=user,
        email=user.email,
        tier=tier,
        list_price=quantize(tier.price, tier.currency),
        discount=price.discount,
        amount=price.amount,
        currency=tier.currency,
        coupon=coupon,
        provider=provider,
    )
    if coupon is not None:
        coupons.redeem(coupon, user, order)
    if order.amount == 0:
        order = mark_paid(order, reference=f"coupon {coupon.code}")
    return order


def attach_provider_reference(order: Order, reference: str) -> None:
    """Remember the provider's id for the order (the Stripe Checkout Session id)."""
    Order.objects.filter(pk=order.pk).update(provider_reference=reference)
    order.provider_reference = reference


def mark_paid(order: Order, *, reference: str = "", actor=None) -> Order:
    """The money is in: grant the subscription and mail the receipt — once.

    Idempotent: an order that is already paid is returned unchanged, so a webhook
    delivered twice or a double click on "Confirm" grants one subscription.
    """
    with transaction.atomic():
        order = _locked(order)
        if order.status == OrderStatus.PAID:
            return order
        if order.status != OrderStatus.PENDING:
            raise OrderError(f"{order.reference} is {order.status}; it cannot be paid.")
        if order.user is None:
            raise OrderError(f"{order.reference} has no account to activate any more.")
        subscription = subscriptions.grant(
            order.user,
            order.tier,
            provider=order.provider,
            reference=order.reference,
            actor=actor,
            note=_("Order %(reference)s") % {"reference": order.reference},
        )
        order.status = OrderStatus.PAID
        order.paid_at = timezone.now()
        order.provider_reference = reference or order.provider_reference
        order.confirmed_by = actor
        order.subscription = subscription
        order.save(update_fields=["status", "paid_at", "provider_reference", "confirmed_by", "subscription"])
        order_paid.send(sender=Order, order=order)
        send_templated_email("order_receipt", order.user, {"order": order, "subscription": subscription})
    return order


def fail(order: Order) -> Order:
    """The provider says the payment did not go through."""
    return _close(order, OrderStatus.FAILED)


def cancel(order: Order) -> Order:
    """The learner or staff gave up on the order, or the payment page expired."""
    return _close(order, OrderStatus.CANCELLED)


def _close(order: Order, status: str) -> Order:
    with transaction.atomic():
        order = _locked(order)
        if order.status == status:
            return order
        if order.status != OrderStatus.PENDING:
            raise OrderError(f"{order.reference} is {order.status}; it cannot become {status}.")
        order.status = status
        order.closed_at = timezone.now()
        order.save(update_fields=["status", "closed_at"])
        coupons.release(order)
    return order


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("tier", "user", "coupon")
        .get(pk=order.pk)
    )
