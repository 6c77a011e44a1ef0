"""Subscriptions: a learner's paid access to a tier for a period.

Renewals and upgrades add rows instead of rewriting one, so the history stays. A user's
tier is their best subscription that is active now; with none they are on the free tier.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Provider(models.TextChoices):
    STRIPE = "stripe", _("Stripe")
    MANUAL = "manual", _("Bank transfer")
    VNPAY = "vnpay", _("VNPay")
    MOMO = "momo", _("MoMo")
    GRANT = "grant", _("Granted by staff")


class SubscriptionQuerySet(models.QuerySet):
    def current(self, at=None):
        """Active now: status active and `at` inside [starts_at, ends_at)."""
        at = at or timezone.now()
        return self.filter(status=SubscriptionStatus.ACTIVE, starts_at__lte=at).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at)
        )

    def due_to_expire(self, at=None):
        at = at or timezone.now()
        return self.filter(status=SubscriptionStatus.ACTIVE, ends_at__lte=at)


class Subscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    tier = models.ForeignKey("memberships.Tier", on_delete=models.PROTECT, related_name="subscriptions")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty means it never ends."))
    status = models.CharField(
        max_length=10, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    provider = models.CharField(max_length=10, choices=Provider.choices, default=Provider.GRANT)
    provider_reference = models.CharField(max_length=255, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expired_notice_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "status", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.tier} · {self.get_status_display()}"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return (
            self.status == SubscriptionStatus.ACTIVE
            and self.starts_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )


class SubscriptionEvent(models.Model):
    """Audit trail: who granted, extended, revoked or expired what, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        GRANTED = "granted", _("Granted")
        EXTENDED = "extended", _("Extended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.subscription_id} at {self.at:%Y-%m-%d %H:%M}"
