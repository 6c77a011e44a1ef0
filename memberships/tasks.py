"""Entry points django-q2 schedules call (see memberships.schedules)."""

from . import subscriptions


def expire_subscriptions() -> int:
    return subscriptions.expire_due()


def remind_expiring_subscriptions() -> int:
    return subscriptions.send_reminders()
