"""Entry points django-q2 schedules call (see memberships.schedules)."""

from . import subscriptions
from .payments import reconciliation


def expire_subscriptions() -> int:
    return subscriptions.expire_due()


def remind_expiring_subscriptions() -> int:
    return subscriptions.send_reminders()


def reconcile_payments() -> int:
    """Yesterday's confirmed orders against VNPay's, MoMo's and Stripe's records; returns
    how many new mismatches it found (each is mailed to the admins and shown in the admin)."""
    return len(reconciliation.reconcile().new_mismatches)
