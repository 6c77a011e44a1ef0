"""Fixtures for analytics: courses with lessons, instructors who can open the admin,
and helpers to write events at a given time."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

import pytest

from analytics.models import Event
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Firefox/128.0"


def at(day, hour=12):
    """An aware datetime at `hour` local time on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def event(kind, when, **fields):
    return Event.objects.create(kind=kind, created_at=when, **fields)


@pytest.fixture
def browser_client(client):
    """The test client with a browser's user agent (bots are not counted) that accepted
    the analytics cookie (without that yes there is no cookie: tests/privacy/test_consent.py)."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    client.cookies[settings.PRIVACY_CONSENT_COOKIE] = "accepted"
    return client


def _course(catalog, title, lessons=3, **fields):
    course = CoursePageFactory(parent=catalog, title=title, **fields)
    module = ModulePageFactory(parent=course, title=f"{title}: basics")
    for n in range(lessons):
        LessonPageFactory(parent=module, title=f"{title} lesson {n + 1}", is_preview=(n == 0))
    return course


@pytest.fixture
def course(catalog, instructor, tiers):
    """A Silver course taught by `instructor`, three lessons, the first a preview."""
    course = _course(catalog, "Pandas in practice", required_tier=tiers["silver"])
    course.instructors.add(instructor)
    course.save_revision().publish()
    return course


@pytest.fixture
def other_course(catalog, other_instructor):
    course = _course(catalog, "Secret of the other instructor")
    course.instructors.add(other_instructor)
    course.save_revision().publish()
    return course


@pytest.fixture
def admin_access(db):
    """Instructors may open the Wagtail admin (as a real site would set their group up)."""
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)
