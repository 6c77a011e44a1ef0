"""The live-sessions part of the demo: the demo instructor joins the Instructors group
and one of their courses gets an upcoming Jitsi session. Idempotent like the rest of
the seeder; no invitations are mailed while seeding."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from learning.models import CoursePage

from . import content

DEMO_COURSE_SLUG = "django-from-zero"
DEMO_TITLE = "Office hours: your Django questions"
DEMO_ZONE = "Asia/Ho_Chi_Minh"


def seed_live_demo() -> None:
    from live.models import LiveSession
    from live.providers.jitsi import JitsiProvider

    instructor = get_user_model().objects.filter(email=content.INSTRUCTOR).first()
    group = Group.objects.filter(name="Instructors").first()
    if instructor is None or group is None:
        return
    # The demo instructor shows what an instructor sees: their own courses' sessions,
    # enrollments and stats, not every page (an earlier seed put them in Editors).
    instructor.groups.add(group)
    instructor.groups.remove(*Group.objects.filter(name="Editors"))
    course = CoursePage.objects.filter(slug=DEMO_COURSE_SLUG, instructors=instructor).first()
    if course is None or LiveSession.objects.filter(course=course, title=DEMO_TITLE).exists():
        return
    zone = ZoneInfo(DEMO_ZONE)
    day = timezone.now().astimezone(zone).date() + timedelta(days=7)
    starts = datetime.combine(day, time(19, 0), tzinfo=zone)
    session = LiveSession(
        course=course,
        title=DEMO_TITLE,
        description="Bring the code that puzzles you: models, forms, tests, deployment.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        time_zone=DEMO_ZONE,
        capacity=30,
        provider="jitsi",
        provider_status="ok",
        created_by=instructor,
    )
    session.save()
    session.join_url = JitsiProvider().create(session).join_url
    session.save(update_fields=["join_url"])
