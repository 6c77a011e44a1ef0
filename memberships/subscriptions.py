"""State changes of subscriptions: grant, renew, extend, revoke, expire, remind.

Every change is a small function here, writes an audit event and, where the learner
should know, a templated email. Views, the admin, payment confirmation and the
scheduled jobs all call these; none of them edits a Subscription row by hand.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from notifications.mail import send_templated_email

from . import policy
from .models import Subscription, SubscriptionEvent, SubscriptionStatus, Tier
from .models.subscriptions import Provider

PERIOD_DAYS = {"month": 30, "year": 365}
REMINDER_DAYS_BEFORE = 3


def period_for(tier: Tier) -> timedelta | None:
    days = PERIOD_DAYS.get(tier.billing_period)
    return timedelta(days=days) if days else None


@transaction.atomic
def grant(
    user,
    tier: Tier,
    *,
    provider: str = Provider.GRANT,
    reference: str = "",
    actor=None,
    length: timedelta | None = None,
    note: str = "",
    notify: bool = True,
) -> Subscription:
    """Give `user` `tier` for one period (or `length`).

    A renewal of the same tier starts when the current one ends, so paying early never
    loses days; an upgrade starts now and the lower tier simply stops mattering.
    """
    now = timezone.now()
    length = length if length is not None else period_for(tier)
    running = (
        Subscription.objects.current(now)
        .filter(user=user, tier=tier)
        .exclude(ends_at=None)
        .order_by("-ends_at")
        .first()
    )
    starts_at = running.ends_at if running else now
    subscription = Subscription.objects.create(
        user=user,
        tier=tier,
        starts_at=starts_at,
        ends_at=starts_at + length if length else None,
        provider=provider,
        provider_reference=reference,
    )
    action = (
        SubscriptionEvent.Action.GRANTED if provider == Provider.GRANT else SubscriptionEvent.Action.CREATED
    )
    SubscriptionEvent.objects.create(subscription=subscription, action=action, actor=actor, note=note)
    policy.forget_tier(user)
    if notify:
        send_templated_email("subscription_activated", user, {"subscription": subscription})
    return subscription


@transaction.atomic
def extend(subscription: Subscription, days: int, *, actor=None, note: str = "") -> Subscription:
    if days <= 0:
        raise ValueError("Extend by at least one day.")
    base = max(subscription.ends_at or timezone.now(), timezone.now())
    subscription.ends_at = base + timedelta(days=days)
    if subscription.status == SubscriptionStatus.EXPIRED:
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.expired_notice_sent_at = None
    subscription.reminder_sent_at = None
    subscription.save(update_fields=["ends_at", "status", "expired_notice_sent_at", "reminder_sent_at"])
    SubscriptionEvent.objects.create(
        subscription=subscription,
        action=SubscriptionEvent.Action.EXTENDED,
        actor=actor,
        note=note or f"+{days} days",
    )
    return subscription


@transaction.atomic
def revoke(subscription: Subscription, *, actor=None, note: str = "") -> Subscription:
    if subscription.status == SubscriptionStatus.REVOKED:
        return subscription
    subscription.status = SubscriptionStatus.REVOKED
    subscription.ends_at = min(subscription.ends_at or timezone.now(), timezone.now())
    subscription.save(update_fields=["status", "ends_at"])
    SubscriptionEvent.objects.create(
        subscription=subscription, action=SubscriptionEvent.Action.REVOKED, actor=actor, note=note
    )
    return subscription


def expire_due(now=None) -> int:
    """Scheduled daily: end subscriptions whose time is up and tell each learner once.

    Idempotent: a row is claimed by flipping its status in one conditional UPDATE, so
    two overlapping runs never mail the same learner twice.
    """
    now = now or timezone.now()
    expired = 0
    for subscription in Subscription.objects.due_to_expire(now).select_related("user", "tier"):
        with transaction.atomic():
            claimed = Subscription.objects.filter(
                pk=subscription.pk, status=SubscriptionStatus.ACTIVE
            ).update(status=SubscriptionStatus.EXPIRED, expired_notice_sent_at=now)
            if not claimed:
                continue
            SubscriptionEvent.objects.create(
                subscription=subscription, action=SubscriptionEvent.Action.EXPIRED
            )
            policy.forget_tier(subscription.user)
            if not _has_other_current(subscription, now):
                send_templated_email(
                    "subscription_expired",
                    subscription.user,
                    {"subscription": subscription, "tier": policy.tier_of(subscription.user)},
                )
            expired += 1
    return expired


def send_reminders(now=None) -> int:
    """Scheduled daily: remind learners whose plan ends within three days, once per plan."""
    now = now or timezone.now()
    soon = now + timedelta(days=REMINDER_DAYS_BEFORE)
    reminded = 0
    due = (
        Subscription.objects.current(now)
        .filter(ends_at__lte=soon, reminder_sent_at__isnull=True)
        .select_related("user", "tier")
    )
    for subscription in due:
        with transaction.atomic():
            claimed = Subscription.objects.filter(pk=subscription.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed and not _renewed(subscription):
                send_templated_email(
                    "subscription_reminder", subscription.user, {"subscription": subscription}
                )
                reminded += 1
    return reminded


def _has_other_current(subscription: Subscription, now) -> bool:
    return (
        Subscription.objects.current(now).filter(user=subscription.user).exclude(pk=subscription.pk).exists()
    )


def _renewed(subscription: Subscription) -> bool:
    """A later subscription of the same or a higher tier already follows this one."""
    return Subscription.objects.filter(
        user=subscription.user,
        status=SubscriptionStatus.ACTIVE,
        starts_at__gte=subscription.ends_at,
        tier__rank__gte=subscription.tier.rank,
    ).exists()
