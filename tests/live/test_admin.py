"""The Wagtail admin for live sessions: instructors work only on their own courses;
bad input gets a clear error and saves nothing; changes reach learners."""

from datetime import UTC, datetime, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from live.models import LiveSession, ProviderStatus

from .conftest import enroll
from .factories import LiveSessionFactory

ADD = reverse("live_sessions:add")
INDEX = reverse("live_sessions:index")
NEXT_YEAR = timezone.now().year + 1


def form_data(course, **overrides):
    data = {
        "course": course.pk,
        "title": "Office hours",
        "description": "Questions and answers.",
        "starts_at": f"{NEXT_YEAR}-03-10 19:00",
        "ends_at": f"{NEXT_YEAR}-03-10 20:30",
        "time_zone": "Asia/Ho_Chi_Minh",
        "capacity": "40",
        "provider": "jitsi",
        "join_url": "",
    }
    data.update(overrides)
    return data


def edit_url(session):
    return reverse("live_sessions:edit", args=[session.pk])


def test_instructor_schedules_a_session_for_their_course(
    client, instructor, course, enrolled_gold, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, form_data(course))

    assert response.status_code == 302
    session = LiveSession.objects.get()
    # 19:00 in Ho Chi Minh City (UTC+7), whatever the admin's own zone is.
    assert session.starts_at == datetime(NEXT_YEAR, 3, 10, 12, 0, tzinfo=UTC)
    assert session.ends_at == datetime(NEXT_YEAR, 3, 10, 13, 30, tzinfo=UTC)
    assert session.created_by == instructor
    assert session.provider_status == ProviderStatus.OK
    assert session.join_url.startswith("https://meet.jit.si/lectern-office-hours-")
    assert [m.to for m in mail.outbox] == [[enrolled_gold.email]]


def test_edit_form_shows_times_in_the_session_zone(client, instructor, live_session):
    client.force_login(instructor)
    local = live_session.starts_at.astimezone(live_session.zone).strftime("%Y-%m-%d %H:%M")
    response = client.get(edit_url(live_session))
    assert response.status_code == 200
    assert local in response.content.decode()


def test_instructor_lists_only_their_courses_sessions(client, instructor, live_session, other_course):
    others = LiveSessionFactory(course=other_course, title="Another clinic")
    client.force_login(instructor)
    page = client.get(INDEX).content.decode()
    assert live_session.title in page
    assert others.title not in page


def test_course_chooser_offers_only_courses_the_instructor_teaches(client, instructor, course, other_course):
    client.force_login(instructor)
    page = client.get(ADD).content.decode()
    assert f'value="{course.pk}"' in page
    assert f'value="{other_course.pk}"' not in page


def test_instructor_cannot_schedule_for_another_instructors_course(client, instructor, other_course):
    client.force_login(instructor)
    response = client.post(ADD, form_data(other_course))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LiveSession.objects.exists()


def test_instructor_cannot_open_or_change_another_instructors_session(client, instructor, other_course):
    others = LiveSessionFactory(course=other_course, title="Theirs")
    client.force_login(instructor)
    assert_refused(client.get(edit_url(others)))
    assert_refused(client.post(edit_url(others), form_data(other_course, title="Hijacked")))
    others.refresh_from_db()
    assert others.title == "Theirs"
    assert_refused(client.get(reverse("live_sessions:attendance", args=[others.pk])))
    assert_refused(client.get(reverse("live_sessions:attendance_csv", args=[others.pk])))
    assert_refused(client.get(reverse("live_sessions:history", args=[others.pk])))


def assert_refused(response):
    """Wagtail answers a PermissionDenied in the admin with its "no permission" redirect."""
    assert (response.status_code, response.get("Location")) == (302, reverse("wagtailadmin_home"))


def test_editors_and_superusers_see_every_session(client, editor, admin_user, live_session, other_course):
    others = LiveSessionFactory(course=other_course, title="Another clinic")
    for user in (editor, admin_user):
        client.force_login(user)
        page = client.get(INDEX).content.decode()
        assert live_session.title in page and others.title in page
        assert client.get(edit_url(others)).status_code == 200


def test_learners_have_no_admin(client, gold, live_session):
    client.force_login(gold)
    assert client.get(INDEX).status_code in (302, 403)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": f"{NEXT_YEAR}-03-10 18:00"}, "ends_at", "must end after it starts"),
        ({"ends_at": f"{NEXT_YEAR}-03-10 19:00"}, "ends_at", "must end after it starts"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "is not a known time zone"),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"starts_at": "tomorrow-ish"}, "starts_at", "Enter a valid date/time"),
        (
            {"starts_at": "2001-01-01 10:00", "ends_at": "2001-01-01 11:00"},
            "starts_at",
            "cannot start in the past",
        ),
        ({"provider": "link"}, "join_url", "Paste the meeting link"),
        ({"provider": "link", "join_url": "http://zoom.example/j/1"}, "join_url", "https://"),
        ({"provider": "google"}, "provider", "Google Meet is not configured"),
        ({"provider": "zoom"}, "provider", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(client, instructor, course, overrides, field, message):
    client.force_login(instructor)
    response = client.post(ADD, form_data(course, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert 'value="Office hours"' in response.content.decode()  # what was typed is kept
    assert not LiveSession.objects.exists()


def test_pasted_https_link_is_used_as_is(client, instructor, course, django_capture_on_commit_callbacks):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, form_data(course, provider="link", join_url="https://zoom.example/j/123"))
    session = LiveSession.objects.get()
    assert (session.join_url, session.provider_status) == ("https://zoom.example/j/123", ProviderStatus.OK)


def test_rescheduling_in_the_admin_tells_learners_with_a_higher_sequence(
    client, instructor, live_session, enrolled_gold, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    new_start = (timezone.now() + timedelta(days=5)).astimezone(live_session.zone)
    data = form_data(
        live_session.course,
        title=live_session.title,
        starts_at=new_start.strftime("%Y-%m-%d 10:00"),
        ends_at=new_start.strftime("%Y-%m-%d 11:00"),
        status="scheduled",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(live_session), data)
    assert response.status_code == 302
    live_session.refresh_from_db()
    assert live_session.ical_sequence == 1
    assert live_session.starts_at.astimezone(live_session.zone).hour == 10
    assert len(mail.outbox) == 1 and "changed" in mail.outbox[0].subject


def test_cancelling_in_the_admin_sends_a_cancellation(
    client, instructor, live_session, enrolled_gold, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    local = live_session.starts_at.astimezone(live_session.zone)
    data = form_data(
        live_session.course,
        title=live_session.title,
        description=live_session.description,
        starts_at=local.strftime("%Y-%m-%d %H:%M"),
        ends_at=live_session.ends_at.astimezone(live_session.zone).strftime("%Y-%m-%d %H:%M"),
        capacity=str(live_session.capacity),
        join_url=live_session.join_url,
        status="cancelled",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(live_session), data)
    live_session.refresh_from_db()
    assert live_session.is_cancelled and live_session.ical_sequence == 1
    assert len(mail.outbox) == 1 and "cancelled" in mail.outbox[0].subject


def test_failed_provider_shows_its_error_on_the_edit_page(client, instructor, live_session):
    live_session.provider_status = ProviderStatus.FAILED
    live_session.provider_error = "create failed after 5 attempt(s): Google Calendar answered 503"
    live_session.save()
    client.force_login(instructor)
    page = client.get(edit_url(live_session)).content.decode()
    assert "Google Calendar answered 503" in page
    assert "Failed" in page


def test_attendance_page_and_csv(client, instructor, open_session, enrolled_gold):
    client.force_login(enrolled_gold)
    client.get(reverse("live:join", args=[open_session.pk]))
    client.force_login(instructor)

    page = client.get(reverse("live_sessions:attendance", args=[open_session.pk]))
    assert page.status_code == 200 and enrolled_gold.email in page.content.decode()
    csv_response = client.get(reverse("live_sessions:attendance_csv", args=[open_session.pk]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    header, row = csv_response.content.decode().strip().splitlines()
    assert header.startswith("name,email,first_joined_utc")
    assert enrolled_gold.email in row and row.endswith(",1,")


def test_csv_neutralises_formulas_in_names(client, instructor, open_session, tiers):
    from live.services import record_join
    from tests.conftest import _subscribed

    sneaky = _subscribed("sneaky@example.test", '=HYPERLINK("http://x")', tiers["gold"])
    record_join(open_session, sneaky)
    client.force_login(instructor)
    body = client.get(reverse("live_sessions:attendance_csv", args=[open_session.pk])).content.decode()
    assert "'=HYPERLINK" in body


def test_instructors_group_has_the_admin_rights_it_needs(db):
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="Instructors").permissions.values_list("codename", flat=True))
    assert {
        "access_admin",
        "add_livesession",
        "change_livesession",
        "view_livesession",
        "view_attendance",
    } <= codenames
    assert "delete_livesession" not in codenames


def test_enrolled_learner_sees_the_session_on_the_course_page(client, course, live_session, enrolled_gold):
    client.force_login(enrolled_gold)
    page = client.get(course.url).content.decode()
    assert live_session.title in page and "Upcoming live sessions" in page
    assert 'datetime="' in page and "(Asia/Ho_Chi_Minh)" in page


def test_silver_learner_sees_the_session_but_is_told_joining_is_for_gold(client, catalog, tiers, silver):
    from tests.factories import CoursePageFactory

    silver_course = CoursePageFactory(parent=catalog, required_tier=tiers["silver"])
    session = LiveSessionFactory(course=silver_course)
    enroll(silver, silver_course)
    client.force_login(silver)
    page = client.get(silver_course.url).content.decode()
    assert session.title in page
    assert "Gold members join live" in page
    assert reverse("live:join", args=[session.pk]) not in page


def test_saving_a_failed_session_again_retries_the_provider(
    client, instructor, live_session, django_capture_on_commit_callbacks
):
    live_session.provider_status = ProviderStatus.FAILED
    live_session.provider_error = "create failed after 5 attempt(s): boom"
    live_session.join_url = ""
    live_session.save()
    client.force_login(instructor)
    zone = live_session.zone
    data = form_data(
        live_session.course,
        title=live_session.title,
        description=live_session.description,
        starts_at=live_session.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        ends_at=live_session.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        capacity=str(live_session.capacity),
        status="scheduled",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(live_session), data).status_code == 302
    live_session.refresh_from_db()
    assert (live_session.provider_status, live_session.provider_error) == (ProviderStatus.OK, "")
    assert live_session.join_url.startswith("https://meet.jit.si/")
    assert live_session.ical_sequence == 0
