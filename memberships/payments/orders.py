"""Every state change of an Order: place, confirm, fail, cancel (refunds: `refunds`).

pending ──confirm_order──▶ paid    (each item granted: a subscription period or a
   │                                 course for life; receipt mailed)
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

from .. import coupons, policy, purchases, subscriptions
from ..models import ItemKind, Order, OrderItem, OrderStatus, PaymentProvider, Tier
from ..money import quantize
from ..signals import order_paid


class OrderError(Exception):
    """The order cannot do what was asked, e.g. pay an order that was cancelled."""


class RefundFailed(OrderError):
    """A refund could not be made (the provider said no, or the amount is wrong); the
    message is written for staff. Provider refunders raise it."""


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


def check_course_purchasable(user, course) -> None:
    """Raise ValidationError, in words for the learner, if `user` should not buy `course`."""
    if not course.is_for_sale:
        raise ValidationError(
            _("“%(course)s” is not sold on its own.") % {"course": course.title}, code="not_for_sale"
        )
    if policy.owns_course(user, course):
        raise ValidationError(_("You already own “%(course)s”.") % {"course": course.title}, code="owned")


def place_order(user, tier: Tier, provider: str, coupon_code: str = "", invoice: dict | None = None) -> Order:
    """A pending order for one period of `tier`, with the coupon (if any) already redeemed.

    Raises ValidationError with a message for the learner. An order the coupon makes
    free needs no payment and is confirmed at once.
    """
    check_purchasable(user, tier)
    return _place(user, tier, ItemKind.TIER, tier.name, provider, coupon_code, invoice)


def place_course_order(
    user, course, provider: str, coupon_code: str = "", invoice: dict | None = None
) -> Order:
    """A pending order for `course` for life; otherwise as `place_order`."""
    check_course_purchasable(user, course)
    return _place(user, course, ItemKind.COURSE, course.title, provider, coupon_code, invoice)


@transaction.atomic
def _place(user, product, kind: str, name: str, provider: str, coupon_code: str, invoice) -> Order:
    if provider not in PaymentProvider.values:
        raise ValidationError(_("Choose how you want to pay."), code="provider")
    coupon = coupons.validate(coupon_code, user, product) if coupons.normalize_code(coupon_code) else None
    price = coupons.price_with(product, coupon)
    list_price = quantize(product.price, product.currency)
    order = Order.objects.create(
        user=user,
        email=user.email,
        tier=product if kind == ItemKind.TIER else None,
        list_price=list_price,
        discount=price.discount,
        amount=price.amount,
        currency=product.currency,
        coupon=coupon,
        provider=provider,
        **_invoice_fields(invoice),
    )
    OrderItem.objects.create(
        order=order,
        kind=kind,
        tier=product if kind == ItemKind.TIER else None,
        course=product if kind == ItemKind.COURSE else None,
        name=name,
        list_price=list_price,
        discount=price.discount,
        amount=price.amount,
    )
    if coupon is not None:
        coupons.redeem(coupon, user, order)
    if order.amount == 0:
        order = confirm_order(order, reference=f"coupon {coupon.code}")
    return order


def _invoice_fields(invoice: dict | None) -> dict:
    invoice = invoice or {}
    return {
        "invoice_company": (invoice.get("company") or "").strip()[:200],
        "invoice_tax_code": (invoice.get("tax_code") or "").strip()[:20],
        "invoice_address": (invoice.get("address") or "").strip()[:300],
    }


def attach_provider_reference(order: Order, reference: str) -> None:
    """Remember the provider's id for the order (the Stripe Checkout Session id)."""
    Order.objects.filter(pk=order.pk).update(provider_reference=reference)
    order.provider_reference = reference


def confirm_order(order: Order, *, reference: str = "", actor=None) -> Order:
    """The money is in: grant every item of the order and mail the receipt — once.

    The one confirmation every provider calls (Stripe's webhook, staff confirming a bank
    transfer, VNPay's and MoMo's IPNs). A tier item grants one period of the tier; a
    course item grants the course for life. Idempotent: an order that is already paid
    is returned unchanged, so a notification delivered twice or a double click on
    "Confirm" grants once. The amount paid is the caller's to check against
    `order.amount` before calling.
    """
    with transaction.atomic():
        order = _locked(order)
        if order.status == OrderStatus.PAID:
            return order
        if order.status != OrderStatus.PENDING:
            raise OrderError(f"{order.reference} is {order.status}; it cannot be paid.")
        if order.user is None:
            raise OrderError(f"{order.reference} has no account to activate any more.")
        subscription = None
        items = list(order.items.select_related("tier", "course"))
        if not items and order.tier_id:
            # An order made without items (by hand, or before items existed) buys its tier.
            items = [_tier_item(order)]
        for item in items:
            if item.kind == ItemKind.TIER:
                subscription = subscriptions.grant(
                    order.user,
                    item.tier,
                    provider=order.provider,
                    reference=order.reference,
                    actor=actor,
                    note=_("Order %(reference)s") % {"reference": order.reference},
                )
            else:
                purchases.grant(order.user, item.course, order=order)
        order.status = OrderStatus.PAID
        order.paid_at = timezone.now()
        order.provider_reference = reference or order.provider_reference
        order.confirmed_by = actor
        order.subscription = subscription
        order.save(update_fields=["status", "paid_at", "provider_reference", "confirmed_by", "subscription"])
        order_paid.send(sender=Order, order=order)
        send_templated_email("order_receipt", order.user, {"order": order, "subscription": subscription})
    return order


def _tier_item(order: Order) -> OrderItem:
    return OrderItem.objects.create(
        order=order,
        kind=ItemKind.TIER,
        tier=order.tier,
        name=order.tier.name,
        list_price=order.list_price,
        discount=order.discount,
        amount=order.amount,
    )


# The name callers used before orders had items; same function.
mark_paid = confirm_order


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
