"""Who is enrolled in what, and how far each learner has really got.

`learning.progress` (services) writes these rows; pages, the dashboard, certificates,
live sessions and the stats panels read them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Enrollment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("learning.CoursePage", on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(
        max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    last_lesson = models.ForeignKey(
        "learning.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course")]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"


class LessonProgress(models.Model):
    """One learner's progress through one lesson.

    `watched_ranges` is the merged list of [start, end] seconds the player really
    played; completion comes from its coverage, never from where the playhead is.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey("learning.LessonPage", on_delete=models.CASCADE, related_name="progress")
    watched_ranges = models.JSONField(default=list, blank=True)
    watched_seconds = models.FloatField(default=0)
    position_seconds = models.FloatField(default=0, help_text=_("Where to resume."))
    duration_seconds = models.FloatField(default=0)
    last_beat = models.BigIntegerField(
        default=-1, help_text=_("Sequence number of the last accepted heartbeat.")
    )
    last_beat_at = models.DateTimeField(null=True, blank=True)
    speed_anchor_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "The wall-clock time the next beat's playing budget is measured from: each accepted "
            "beat moves it on by what it claimed at top speed, so claims never outrun 2x real time."
        ),
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.user} on {self.lesson_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class CourseWatchDay(models.Model):
    """Seconds of video one learner newly watched in one course on one day.

    Added to by each accepted heartbeat (only ranges not watched before count, like the
    lesson's coverage), so instructor earnings can split subscription revenue by the
    minutes watched in each instructor's courses in a month.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("learning.CoursePage", on_delete=models.CASCADE, related_name="watch_days")
    day = models.DateField()
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course", "day"], name="one_watch_day_per_course")
        ]
        indexes = [models.Index(fields=["day", "course"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_id} · {self.day}: {self.seconds:.0f} s"
