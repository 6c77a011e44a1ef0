"""Fixtures for learning: courses with video and reading lessons, a clock the heartbeat
service is driven with, a learner's open playback device and its key fetches."""

import json
import uuid
from datetime import timedelta

from django.utils import timezone

import pytest

from media_pipeline import playback
from memberships import devices
from memberships.models import PlaybackSession

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, VideoFactory

VIDEO_SECONDS = 100.0
DEVICE = "device-test-1"


class Clock:
    """Wall-clock time moved by hand, passed to the services as `now`."""

    def __init__(self):
        self.now = timezone.now()

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock():
    return Clock()


def quiz_body(required: bool = True) -> str:
    """Raw StreamField JSON for a lesson body holding one quiz block."""
    choice = {"type": "item", "id": str(uuid.uuid4()), "value": {"text": "Yes", "correct": True}}
    question = {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {"prompt": "Ready?", "kind": "single", "choices": [choice], "explanation": ""},
    }
    value = {
        "title": "Check",
        "intro": "",
        "required": required,
        "pass_mark_percent": 70,
        "max_attempts": 3,
        "time_limit_minutes": None,
        "draw_count": None,
        "shuffle_choices": False,
        "partial_credit": False,
        "show_explanations": True,
        "questions": [question],
    }
    return json.dumps([{"type": "quiz", "id": str(uuid.uuid4()), "value": value}])


def video_course(parent, lessons: int = 1, *, title="Video course", **course_fields):
    """A course with one module of `lessons` video lessons, each VIDEO_SECONDS long."""
    course = CoursePageFactory(parent=parent, title=title, **course_fields)
    module = ModulePageFactory(parent=course, title=f"{title} module")
    items = [
        LessonPageFactory(
            parent=module,
            title=f"{title} lesson {n + 1}",
            video=VideoFactory(title=f"Clip {n + 1}", duration_seconds=VIDEO_SECONDS),
        )
        for n in range(lessons)
    ]
    return course, items


def reading_course(parent, lessons: int = 3, *, title="Reading course", **course_fields):
    """A course with one module of `lessons` lessons without video (Mark as done)."""
    course = CoursePageFactory(parent=parent, title=title, **course_fields)
    module = ModulePageFactory(parent=course, title=f"{title} module")
    items = [LessonPageFactory(parent=module, title=f"{title} lesson {n + 1}") for n in range(lessons)]
    return course, items


@pytest.fixture
def video_lesson(catalog):
    course, lessons = video_course(catalog, lessons=2)
    return lessons[0]


def key_fetched(user, lesson, device=DEVICE) -> None:
    """The row the key endpoint logs when it gives the device's open playback session a
    key of the lesson's video (none when the session was ended: the endpoint refuses)."""
    session = PlaybackSession.objects.filter(user=user, device_id=device, ended_at__isnull=True).first()
    if session is not None:
        playback.log_key_request(
            video_id=lesson.video_id,
            user_id=user.pk,
            playback_session_id=session.pk,
            allowed=True,
            reason="",
            ip_address=None,
            user_agent="",
        )


@pytest.fixture
def playing(learner):
    """The learner's player has opened playback on DEVICE (as the playback view does)."""
    devices.start_playback(learner, DEVICE)
    return DEVICE
