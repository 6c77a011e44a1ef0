"""The daily reconciliation: our confirmed orders against each provider's own records.

For one day (in TIME_ZONE) it asks VNPay (`querydr`) and MoMo (status query) about every
order of theirs we confirmed that day and every one placed that day we did not confirm,
and takes Stripe's list of paid Checkout Sessions for the day. Three differences count:
an order we confirmed that the provider does not know as paid (missing at the provider),
a payment the provider took that we never confirmed (missing here), and a different
amount. Each is stored once per day (running the job again adds nothing) and mailed to
the admins; staff read them under Memberships → Reconciliation.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications.mail import send_templated_email

from ..models import MismatchKind, Order, OrderStatus, PaymentProvider, ReconciliationMismatch
from ..money import to_minor
from . import momo_provider, stripe_provider, vnpay_provider
from .transport import GatewayError


@dataclass
class Report:
    day: date
    checked: dict[str, int] = field(default_factory=dict)
    new_mismatches: list[ReconciliationMismatch] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


logger = logging.getLogger(__name__)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def reconcile(day: date | None = None) -> Report:
    day = day or yesterday()
    report = Report(day=day)
    for provider, configured, compare in PROVIDERS:
        if not configured():
            continue
        try:
            report.checked[provider] = compare(day, report)
        except (GatewayError, stripe_provider.StripeError) as error:
            logger.error("reconciliation of %s for %s failed: %s", provider, day, error)
            report.errors.append(f"{provider}: {error}")
    if report.new_mismatches or report.errors:
        _mail_admins(report)
    return report


def _note(
    report: Report, provider: str, kind: str, reference: str, order=None, ours=None, theirs=None, detail=""
):
    mismatch, created = ReconciliationMismatch.objects.get_or_create(
        day=report.day,
        provider=provider,
        reference=reference,
        kind=kind,
        defaults={
            "order": order,
            "our_amount": ours,
            "provider_amount": theirs,
            "detail": detail[:255],
        },
    )
    if created:
        report.new_mismatches.append(mismatch)


def _gateway_orders(provider: str, day: date):
    """Our orders through `provider` confirmed on `day`, and those placed on `day` that we
    did not confirm (the provider may have taken the money without telling us)."""
    start, end = day_bounds(day)
    confirmed = Order.objects.filter(
        provider=provider, status=OrderStatus.PAID, paid_at__gte=start, paid_at__lt=end
    )
    unconfirmed = Order.objects.filter(provider=provider, created_at__gte=start, created_at__lt=end).exclude(
        status__in=[OrderStatus.PAID, OrderStatus.REFUNDED]
    )
    return list(confirmed), list(unconfirmed)


def _compare_gateway(provider: str, query: Callable, day: date, report: Report) -> int:
    confirmed, unconfirmed = _gateway_orders(provider, day)
    for order in confirmed:
        theirs = query(order)
        if not theirs.paid:
            _note(
                report,
                provider,
                MismatchKind.MISSING_AT_PROVIDER,
                order.reference,
                order,
                order.amount,
                theirs.amount,
                "The provider has no paid transaction for this order.",
            )
        elif theirs.amount != order.amount:
            _note(report, provider, MismatchKind.AMOUNT, order.reference, order, order.amount, theirs.amount)
    for order in unconfirmed:
        theirs = query(order)
        if theirs.paid:
            _note(
                report,
                provider,
                MismatchKind.MISSING_HERE,
                order.reference,
                order,
                order.amount,
                theirs.amount,
                f"The provider took the payment; the order here is {order.get_status_display()}.",
            )
    return len(confirmed) + len(unconfirmed)


def compare_vnpay(day: date, report: Report) -> int:
    return _compare_gateway(PaymentProvider.VNPAY.value, vnpay_provider.query, day, report)


def compare_momo(day: date, report: Report) -> int:
    return _compare_gateway(PaymentProvider.MOMO.value, momo_provider.query, day, report)


def compare_stripe(day: date, report: Report) -> int:
    provider = PaymentProvider.STRIPE.value
    start, end = day_bounds(day)
    # A session paid today may have been opened yesterday (they live up to 24 hours).
    sessions = stripe_provider.list_paid_sessions(
        int((start - timedelta(days=1)).timestamp()), int(end.timestamp())
    )
    by_reference = {session.reference: session for session in sessions}
    confirmed = Order.objects.filter(
        provider=provider, status=OrderStatus.PAID, paid_at__gte=start, paid_at__lt=end
    )
    for order in confirmed:
        session = by_reference.get(order.reference)
        if session is None:
            _note(
                report,
                provider,
                MismatchKind.MISSING_AT_PROVIDER,
                order.reference,
                order,
                order.amount,
                None,
                "Stripe lists no paid Checkout Session for this order.",
            )
        elif (
            session.amount_total != to_minor(order.amount, order.currency)
            or session.currency != order.currency
        ):
            theirs = Decimal(session.amount_total).scaleb(
                -2 if session.currency not in ("VND", "JPY", "KRW") else 0
            )
            _note(
                report,
                provider,
                MismatchKind.AMOUNT,
                order.reference,
                order,
                order.amount,
                theirs,
                f"{session.id} paid {session.amount_total} {session.currency}",
            )
    ours = {
        order.reference: order
        for order in Order.objects.filter(reference__in=list(by_reference)).only(
            "reference", "status", "amount"
        )
    }
    for session in sessions:
        if not (start.timestamp() <= session.created < end.timestamp()):
            continue
        order = ours.get(session.reference)
        if order is None or order.status not in (OrderStatus.PAID, OrderStatus.REFUNDED):
            _note(
                report,
                provider,
                MismatchKind.MISSING_HERE,
                session.reference or session.id,
                order,
                order.amount if order else None,
                None,
                f"Stripe session {session.id} was paid; no confirmed order here.",
            )
    return len(sessions)


PROVIDERS = [
    (PaymentProvider.VNPAY.value, vnpay_provider.is_configured, compare_vnpay),
    (PaymentProvider.MOMO.value, momo_provider.is_configured, compare_momo),
    (PaymentProvider.STRIPE.value, stripe_provider.is_configured, compare_stripe),
]


def admin_addresses() -> list[str]:
    """Who hears about mismatches: ADMIN_EMAILS, else every active superuser."""
    addresses = [address for _name, address in settings.ADMINS]
    if not addresses:
        addresses = list(
            get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
        )
    return addresses


def _mail_admins(report: Report) -> None:
    for address in admin_addresses():
        send_templated_email(
            "payment_mismatches",
            None,
            {"day": report.day, "mismatches": report.new_mismatches, "errors": report.errors},
            to=address,
        )
