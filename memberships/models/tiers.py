"""Membership tiers are data: admins rename them, reprice them and edit benefits.

`rank` orders them; content asks for a minimum tier and a learner's tier meets it when
its rank is at least as high.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class BillingPeriod(models.TextChoices):
    FREE = "free", _("Free")
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class TierQuerySet(models.QuerySet):
    def free(self) -> "Tier | None":
        return self.order_by("rank").first()


class Tier(models.Model):
    rank = models.PositiveSmallIntegerField(
        unique=True, help_text=_("Higher rank includes everything of the lower ones.")
    )
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    tagline = models.CharField(max_length=200, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="VND")
    billing_period = models.CharField(
        max_length=10, choices=BillingPeriod.choices, default=BillingPeriod.MONTH
    )
    max_video_height = models.PositiveSmallIntegerField(
        default=720, help_text=_("Highest video rendition offered, in pixels (720, 1080 …).")
    )
    includes_ebooks = models.BooleanField(default=False)
    includes_live_sessions = models.BooleanField(default=False)
    includes_certificates = models.BooleanField(default=False)
    max_devices = models.PositiveSmallIntegerField(default=1)
    features = models.TextField(blank=True, help_text=_("One benefit per line, shown on pricing."))
    is_active = models.BooleanField(
        default=True, help_text=_("Offered on the pricing page. Existing members keep an inactive tier.")
    )

    objects = TierQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        permissions = [("open_all_content", "Can open all gated content (editors, moderators)")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def feature_list(self) -> list[str]:
        return [line.strip() for line in self.features.splitlines() if line.strip()]

    def includes(self, other: "Tier | None") -> bool:
        """True when this tier opens content that asks for `other` (None means free)."""
        return other is None or self.rank >= other.rank
