"""Membership tiers are data: admins rename them, reprice them and edit benefits.

`rank` orders them; content asks for a minimum tier and a learner's tier meets it when
its rank is at least as high.
"""

import functools
from decimal import Decimal

from django.db import connection, connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.rows import instance_from_row, select_columns


class BillingPeriod(models.TextChoices):
    FREE = "free", _("Free")
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class TierQuerySet(models.QuerySet):
    def free(self) -> "Tier | None":
        return self.order_by("rank").first()

    def offered(self, current: "Tier | None" = None):
        """The tiers on the pricing page: those on offer, plus the one the learner holds
        even when it is no longer offered (so they can see what they have)."""
        shown = Q(is_active=True) | Q(pk=current.pk) if current is not None else Q(is_active=True)
        return self.filter(shown).order_by("rank")

    def held_by(self, user_id: int, at=None) -> "Tier | None":
        """The best tier `user_id` holds through a current subscription at `at` (as
        `Subscription.objects.current()` defines it), else the free (lowest) tier; None
        when there are no tiers at all.

        One hand-written statement instead of two ORM queries: `policy.tier_of` runs on
        every gated page and on every video key request, and building the ORM's SQL
        (a join, an OR, an ordering) cost several times what PostgreSQL takes to answer.
        tests/memberships/test_tier_of.py holds it to `current()` at every boundary.
        """
        from .subscriptions import SubscriptionStatus

        connection = connections[self.db]
        at = connection.ops.adapt_datetimefield_value(at or timezone.now())
        params = [user_id, SubscriptionStatus.ACTIVE.value, at, at]
        # A plain cursor and config.rows (as the ORM loads rows): a RawQuerySet
        # re-derived its column mapping on every call.
        with connection.cursor() as cursor:
            cursor.execute(_held_by_sql(), params)
            rows = cursor.fetchall()
        if not rows:
            return None
        row = min(rows, key=lambda r: r[-1])  # a subscription's tier before the fallback
        return instance_from_row(self.model, row[:-1], connection, self.db)


@functools.cache
def _held_by_sql() -> str:
    from .subscriptions import Subscription

    q = connection.ops.quote_name
    tier, sub = q(Tier._meta.db_table), q(Subscription._meta.db_table)

    def col(name):
        return q(Subscription._meta.get_field(name).column)

    columns = select_columns(Tier, connection, alias="t")
    # Each branch is wrapped so that ORDER BY … LIMIT is allowed inside UNION on SQLite.
    # Only quoted table and column names from the models go in; values are parameters.
    return (
        f"SELECT * FROM (SELECT {columns}, 0 AS lectern_fallback FROM {tier} t"  # noqa: S608
        f" JOIN {sub} s ON s.{col('tier')} = t.{q('id')}"
        f" WHERE s.{col('user')} = %s AND s.{col('status')} = %s AND s.{col('starts_at')} <= %s"
        f" AND (s.{col('ends_at')} IS NULL OR s.{col('ends_at')} > %s)"
        f" ORDER BY t.{q('rank')} DESC LIMIT 1) AS held"
        f" UNION ALL SELECT * FROM (SELECT {columns}, 1 AS lectern_fallback FROM {tier} t"
        f" ORDER BY t.{q('rank')} LIMIT 1) AS lowest"
    )


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
