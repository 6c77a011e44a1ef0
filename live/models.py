"""Live sessions an instructor schedules for a course, and who attended them.

A session's times are stored in UTC; `time_zone` is the zone the instructor planned it
in, used for the invitation's TZID and as the fallback display. `ical_uid` never
changes and `ical_sequence` grows with every change, so calendar apps update the event
they already have instead of adding a second one.
"""

import uuid
import zoneinfo
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _(
                "“%(value)s” is not a known time zone. Use an IANA name such as Europe/Berlin or Asia/Ho_Chi_Minh."
            ),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_https_url(value: str) -> None:
    parts = urlsplit(value or "")
    if parts.scheme != "https" or not parts.netloc:
        raise ValidationError(
            _("The meeting link must be a full https:// address, e.g. https://zoom.us/j/123456."),
            code="invalid_meeting_url",
        )


def new_ical_uid() -> str:
    return f"{uuid.uuid4()}@lectern"


class Provider(models.TextChoices):
    JITSI = "jitsi", _("Jitsi")
    GOOGLE = "google", _("Google Meet")
    LINK = "link", _("Pasted link")


class ProviderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    OK = "ok", _("Ready")
    FAILED = "failed", _("Failed")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class LiveSessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=SessionStatus.SCHEDULED)

    def upcoming(self, now=None):
        """Scheduled sessions that have not ended yet, soonest first."""
        return self.scheduled().filter(ends_at__gt=now or timezone.now()).order_by("starts_at")

    def for_instructor(self, user):
        return self.filter(course__instructors=user).distinct()


class LiveSession(models.Model):
    course = models.ForeignKey("learning.CoursePage", on_delete=models.CASCADE, related_name="live_sessions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("The start and end times are in this zone (IANA name)."),
    )
    capacity = models.PositiveIntegerField(
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("How many learners may join."),
    )
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.JITSI)
    join_url = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("The meeting address. Paste it for “Pasted link”; other providers fill it in."),
    )
    provider_event_id = models.CharField(max_length=255, blank=True)
    provider_status = models.CharField(
        max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.PENDING
    )
    provider_error = models.TextField(blank=True)
    provider_attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    ical_uid = models.CharField(max_length=255, unique=True, default=new_ical_uid, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="live_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="live_capacity_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("live:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if self.provider == Provider.LINK:
            if not self.join_url:
                errors["join_url"] = _("Paste the meeting link for a “Pasted link” session.")
            else:
                try:
                    validate_https_url(self.join_url)
                except ValidationError as error:
                    errors["join_url"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def opens_at(self):
        """Learners may join a little before the start, never earlier."""
        return self.starts_at - timedelta(minutes=settings.LIVE_JOIN_OPENS_MINUTES)

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and self.opens_at <= now < self.ends_at

    def get_join_path(self) -> str:
        return reverse("live:join", args=[self.pk])

    def platform_join_url(self) -> str:
        """The address invitations carry: the platform's join view, never the raw
        meeting link, so every join passes the policy and is recorded."""
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.get_join_path()

    def platform_url(self) -> str:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.get_absolute_url()


class Attendance(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_attendances"
    )
    joined_at = models.DateTimeField(help_text=_("First join."))
    last_joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    join_count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_session")]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"


class ReminderKind(models.TextChoices):
    DAY = "24h", _("24 hours before")
    HOUR = "1h", _("1 hour before")


class SessionReminder(models.Model):
    """One row per reminder sent: the unique constraint makes sending at most once."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "kind"], name="one_reminder_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.session}"
