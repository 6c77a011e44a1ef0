"""Refunds: give back all or part of a paid order, and end what it bought.

Each provider that can send money back registers a refunder, a function
`refund(order, amount, *, actor) -> provider reference` that calls its refund API and
raises `RefundFailed` (with a message for staff) if the provider says no. Stripe, VNPay
and MoMo are registered below (each client's own `refund` wrapped to that shape).
A provider with no refunder (bank transfer) is refunded by hand: staff pay the money
back and the refund is recorded as manual.

A refund ends the access the order bought (the course purchase, the subscription
period) unless staff untick that for a partial goodwill refund; a full refund always
ends it. The learner is mailed and the refund is audited.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.changes import log_change, snapshot
from notifications.mail import send_templated_email

from .. import policy, purchases, subscriptions
from ..models import Order, OrderStatus, Refund, RefundMethod
from ..money import quantize
from . import momo_provider, stripe_provider, vnpay_provider
from .orders import RefundFailed
from .transport import GatewayError

Refunder = Callable[..., str]  # (order, amount, *, actor) -> the provider's refund reference

_REFUNDERS: dict[str, Refunder] = {}

AUDITED_FIELDS = ["status", "refunded_amount"]


def register_refunder(provider: str, refunder: Refunder) -> None:
    _REFUNDERS[provider] = refunder


def refunder_for(provider: str) -> Refunder | None:
    return _REFUNDERS.get(provider)


def _vnpay(order: Order, amount: Decimal, *, actor: Any = None) -> str:
    try:
        answer = vnpay_provider.refund(order, amount, actor_name=getattr(actor, "email", "") or "lectern")
    except GatewayError as error:
        raise RefundFailed(str(error)) from error
    return str(answer.get("vnp_TransactionNo") or answer.get("vnp_ResponseId") or "")


def _momo(order: Order, amount: Decimal, *, actor: Any = None) -> str:
    try:
        answer = momo_provider.refund(order, amount, description=f"Refund {order.reference}")
    except GatewayError as error:
        raise RefundFailed(str(error)) from error
    return str(answer.get("transId") or "")


register_refunder("stripe", stripe_provider.refund)
register_refunder("vnpay", _vnpay)
register_refunder("momo", _momo)


def refund_order(
    order: Order, amount: Decimal, *, actor, reason: str = "", end_access: bool = True
) -> Refund:
    """Refund `amount` of `order` (at most what is left to refund) and record it."""
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("user", "subscription")
            .get(pk=order.pk)
        )
        amount = quantize(Decimal(amount), order.currency)
        if order.status not in (OrderStatus.PAID, OrderStatus.REFUNDED) or order.paid_at is None:
            raise RefundFailed(_("Only a paid order can be refunded."))
        if amount <= 0 or amount > order.refundable_amount:
            raise RefundFailed(
                _("Refund between 1 and %(left)s.")
                % {"left": quantize(order.refundable_amount, order.currency)}
            )
        before = snapshot(order, AUDITED_FIELDS)
        refunder = refunder_for(order.provider)
        reference = refunder(order, amount, actor=actor) if refunder else ""
        full = amount == order.refundable_amount
        refund = Refund.objects.create(
            order=order,
            amount=amount,
            method=RefundMethod.PROVIDER if refunder else RefundMethod.MANUAL,
            provider_reference=reference[:255],
            reason=reason[:300],
            ended_access=end_access or full,
            created_by=actor,
        )
        order.refunded_amount += amount
        if full:
            order.status = OrderStatus.REFUNDED
        order.save(update_fields=["refunded_amount", "status"])
        if refund.ended_access:
            _end_access(order, actor, reason)
        log_change(
            order,
            "memberships.order.refund",
            user=actor,
            before=before,
            fields=AUDITED_FIELDS,
            note=reason,
            via=refund.get_method_display(),
        )
        if order.user is not None:
            send_templated_email("order_refunded", order.user, {"order": order, "refund": refund})
    return refund


def _end_access(order: Order, actor, reason: str) -> None:
    note = _("Order %(reference)s refunded") % {"reference": order.reference}
    purchases.revoke_for_order(order, reason=note)
    if order.subscription is not None:
        subscriptions.revoke(order.subscription, actor=actor, note=f"{note}. {reason}".strip(". "))
        if order.user is not None:
            policy.forget_tier(order.user)
