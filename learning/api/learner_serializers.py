"""Shapes of the learner's own side of learning: enrolling, "my courses", playback,
heartbeats and "Mark as done". Serializers only shape; every rule is a service's."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import IdField

from .serializers import CourseRefSerializer


class LessonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class EnrollRequestSerializer(serializers.Serializer):
    course = IdField(help_text=_("The course's id."))


class EnrollmentSerializer(serializers.Serializer):
    course = CourseRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("`active` or `completed`."))
    enrolled_at = serializers.DateTimeField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created = serializers.BooleanField(
        read_only=True, help_text=_("False when the learner was already enrolled (nothing changed).")
    )


class ContinueSerializer(serializers.Serializer):
    lesson = LessonRefSerializer(read_only=True)
    seconds = serializers.IntegerField(
        read_only=True, help_text=_("Where the player resumes in that lesson's video (0: the start).")
    )


class MyCourseSerializer(serializers.Serializer):
    """One row of `learning.dashboard.enrolled_courses`."""

    course = CourseRefSerializer(read_only=True)
    status = serializers.CharField(source="enrollment.status", read_only=True)
    enrolled_at = serializers.DateTimeField(source="enrollment.enrolled_at", read_only=True)
    completed_at = serializers.DateTimeField(
        source="enrollment.completed_at", read_only=True, allow_null=True
    )
    last_activity_at = serializers.DateTimeField(
        source="enrollment.last_activity_at", read_only=True, allow_null=True
    )
    lessons_total = serializers.SerializerMethodField()
    lessons_completed = serializers.IntegerField(source="completed", read_only=True)
    percent = serializers.IntegerField(read_only=True, help_text=_("Lessons completed, in percent."))
    continue_at = serializers.SerializerMethodField(
        help_text=_("The lesson and second to continue at; null for a course without lessons.")
    )

    def get_lessons_total(self, item) -> int:
        return len(item.lessons)

    @extend_schema_field(ContinueSerializer(allow_null=True))
    def get_continue_at(self, item):
        if item.continue_lesson is None:
            return None
        return ContinueSerializer({"lesson": item.continue_lesson, "seconds": item.continue_seconds}).data


class PlaybackRequestSerializer(serializers.Serializer):
    device = serializers.CharField(
        max_length=64,
        help_text=_(
            "The player's own random id for this device (8–64 of A–Z a–z 0–9 _ -), the same on every "
            "call and heartbeat. Starting on one device more than the plan allows stops the oldest."
        ),
    )
    refresh = serializers.BooleanField(
        default=False,
        help_text=_(
            "True when the player renews expired URLs by itself: it never takes playback back from a "
            "device that took it over."
        ),
    )


class CaptionSerializer(serializers.Serializer):
    language = serializers.CharField()
    label = serializers.CharField()
    default = serializers.BooleanField()
    url = serializers.URLField()


class VideoRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    duration = serializers.FloatField(help_text=_("Seconds."))


class HeartbeatStartSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=_("Where to POST heartbeats."))
    token = serializers.CharField(help_text=_("The first beat's token; each answer returns the next."))
    interval = serializers.IntegerField(help_text=_("Seconds between beats while playing."))


class PlaybackSerializer(serializers.Serializer):
    video = VideoRefSerializer()
    master_url = serializers.URLField(
        help_text=_(
            "The HLS master playlist. Send the same `Authorization: Bearer` header on every playlist "
            "and key request it leads to; segment URLs are signed and need none."
        )
    )
    poster_url = serializers.CharField(allow_blank=True)
    storyboard_url = serializers.CharField(allow_blank=True)
    captions = CaptionSerializer(many=True)
    max_height = serializers.IntegerField(help_text=_("The best quality the viewer's plan includes."))
    refresh_in = serializers.IntegerField(help_text=_("Seconds after which to start again with `refresh`."))
    device_message = serializers.CharField(
        allow_blank=True, help_text=_("Set when starting here stopped playback on another device.")
    )
    watermark = serializers.CharField()
    resume_at = serializers.FloatField(help_text=_("Where the learner left off, in seconds."))
    heartbeat = HeartbeatStartSerializer()


class HeartbeatRequestSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text=_("The token of the previous answer."))
    ranges = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(min_value=0), min_length=2, max_length=2),
        max_length=200,
        help_text=_(
            "The media time ranges really played since the last beat, as [start, end] seconds. "
            "Progress is measured by the server from these, never taken as a number."
        ),
    )
    position = serializers.FloatField(min_value=0, help_text=_("The playhead, for resuming later."))
    device = serializers.CharField(max_length=64, help_text=_("The device id playback started with."))


class HeartbeatSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it with the next beat."))
    position = serializers.FloatField()
    percent = serializers.IntegerField(
        help_text=_("Of this lesson's video watched, as the server counts it.")
    )
    completed = serializers.BooleanField()
    course_percent = serializers.IntegerField()


class CompletionSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    course_percent = serializers.IntegerField()
