"""Raw analytics events and the daily rollups the stats panels read.

Events are written on the request path, so the table is kept narrow: course and lesson
are plain page ids (no foreign key to check on insert, and history survives a deleted
page), the visitor is a salted hash that changes every day (no raw IP, no cookie that
links one person across days), and anything else goes into a small JSON `data`.

Rollups are recomputed a whole day at a time (`analytics.rollups.rollup_day`), so
running the job twice gives the same rows. Panels read only these.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    PAGE_VIEW = "page_view", _("Page view")
    PREVIEW_VIEW = "preview_view", _("Preview view")
    REGISTRATION = "registration", _("Registration")
    VIDEO_PLAY = "video_play", _("Video play")
    PURCHASE = "purchase", _("Purchase")
    ENROLLMENT = "enrollment", _("Enrollment")
    COMPLETION = "completion", _("Completion")


class Event(models.Model):
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    created_at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visitor = models.CharField(
        max_length=32, blank=True, help_text=_("Salted hash of the visitor id, rotated daily.")
    )
    path = models.CharField(max_length=255, blank=True)
    course_id = models.PositiveIntegerField(null=True, blank=True)
    lesson_id = models.PositiveIntegerField(null=True, blank=True)
    tier_id = models.PositiveIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("analytics event")

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class DailyRollup(models.Model):
    """Site-wide figures for one day (local time). `users_total` is a snapshot at the
    day's end (or at computing time for today)."""

    day = models.DateField(unique=True)
    page_views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0, help_text=_("Unique visitors that day."))
    registrations = models.PositiveIntegerField(default=0)
    preview_views = models.PositiveIntegerField(default=0)
    video_plays = models.PositiveIntegerField(default=0)
    purchases = models.PositiveIntegerField(default=0)
    enrollments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    active_users = models.PositiveIntegerField(default=0, help_text=_("Logged-in users with any event."))
    new_users = models.PositiveIntegerField(default=0, help_text=_("Accounts created that day."))
    users_total = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"rollup {self.day}"


class DailyCourseRollup(models.Model):
    day = models.DateField()
    course_id = models.PositiveIntegerField()
    page_views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    preview_views = models.PositiveIntegerField(default=0)
    video_plays = models.PositiveIntegerField(default=0)
    enrollments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    active_learners = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "course_id"]
        constraints = [models.UniqueConstraint(fields=["day", "course_id"], name="one_course_rollup_per_day")]
        indexes = [models.Index(fields=["course_id", "day"])]

    def __str__(self) -> str:
        return f"course {self.course_id} on {self.day}"


class DailyTierRollup(models.Model):
    """Per tier and currency: purchases and revenue that day, and members at its end."""

    day = models.DateField()
    tier_id = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    members = models.PositiveIntegerField(default=0)
    purchases = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["day", "tier_id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "tier_id", "currency"], name="one_tier_rollup_per_day")
        ]

    def __str__(self) -> str:
        return f"tier {self.tier_id} {self.currency} on {self.day}"
