from datetime import timedelta

from django.utils import timezone

import pytest

from learning.models import Enrollment
from tests.factories import CoursePageFactory

from .factories import LiveSessionFactory


@pytest.fixture(autouse=True)
def _live_settings(settings, tmp_path):
    settings.WAGTAILADMIN_BASE_URL = "https://lectern.example"
    settings.JITSI_BASE_URL = "https://meet.jit.si"
    settings.JITSI_APP_ID = ""
    settings.JITSI_APP_SECRET = ""
    for name in (
        "GOOGLE_OAUTH_CLIENT_ID",
        "GOOGLE_OAUTH_CLIENT_SECRET",
        "GOOGLE_CALENDAR_REFRESH_TOKEN",
        "GOOGLE_SERVICE_ACCOUNT_FILE",
        "GOOGLE_CALENDAR_DELEGATED_USER",
    ):
        setattr(settings, name, "")


@pytest.fixture
def course(catalog, tiers, instructor):
    """A Gold course taught by `instructor`."""
    page = CoursePageFactory(parent=catalog, title="Async Python", required_tier=tiers["gold"])
    page.instructors.add(instructor)
    page.save()
    return page


@pytest.fixture
def other_course(catalog, tiers, other_instructor):
    page = CoursePageFactory(parent=catalog, title="Data Viz", required_tier=tiers["gold"])
    page.instructors.add(other_instructor)
    page.save()
    return page


def enroll(user, course, status="active"):
    return Enrollment.objects.create(user=user, course=course, status=status)


@pytest.fixture
def enrolled_gold(gold, course):
    enroll(gold, course)
    return gold


@pytest.fixture
def live_session(course, instructor):
    return LiveSessionFactory(course=course, created_by=instructor)


@pytest.fixture
def open_session(course, instructor):
    """Started five minutes ago: the door is open."""
    start = timezone.now() - timedelta(minutes=5)
    return LiveSessionFactory(
        course=course, created_by=instructor, starts_at=start, ends_at=start + timedelta(hours=1)
    )
