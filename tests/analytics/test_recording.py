"""Page views, preview views and signal-driven events are recorded cheaply and privately."""

from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from analytics import recording
from analytics.models import Event, EventKind
from learning.models import LessonPage

from ..challenges.solving import solved_bot_check
from .conftest import BROWSER

pytestmark = pytest.mark.django_db


def _lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_anonymous_page_view_is_recorded_with_a_hashed_visitor_and_no_ip(browser_client, home):
    response = browser_client.get(home.url, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.kind == EventKind.PAGE_VIEW
    assert event.user_id is None
    assert event.path == "/"
    cookie = response.cookies[recording.VISITOR_COOKIE].value
    assert event.visitor == recording.visitor_hash(cookie)
    assert cookie not in event.visitor and len(event.visitor) == 32
    assert "203.0.113.9" not in str(Event.objects.values().get())


def test_the_same_visitor_keeps_one_hash_and_gets_no_new_cookie(browser_client, home):
    first = browser_client.get(home.url)
    second = browser_client.get(home.url)
    assert (
        recording.VISITOR_COOKIE not in second.cookies or second.cookies[recording.VISITOR_COOKIE].value == ""
    )
    hashes = set(Event.objects.values_list("visitor", flat=True))
    assert len(hashes) == 1
    assert first.status_code == second.status_code == 200


def test_visitor_hash_changes_from_one_day_to_the_next():
    from datetime import date

    assert recording.visitor_hash("abc" * 8, date(2026, 1, 1)) != recording.visitor_hash(
        "abc" * 8, date(2026, 1, 2)
    )


def test_logged_in_page_view_carries_the_user(browser_client, learner, home):
    browser_client.force_login(learner)
    browser_client.get(home.url)
    assert Event.objects.get().user == learner


def test_course_page_view_carries_the_course(browser_client, course, silver):
    browser_client.force_login(silver)
    browser_client.get(course.url)
    event = Event.objects.get()
    assert (event.kind, event.course_id) == (EventKind.PAGE_VIEW, course.pk)


def test_preview_lesson_counts_as_page_view_and_preview_view(browser_client, course):
    preview = _lessons(course)[0]
    assert browser_client.get(preview.url).status_code == 200
    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds == [EventKind.PAGE_VIEW, EventKind.PREVIEW_VIEW]
    assert set(Event.objects.values_list("lesson_id", flat=True)) == {preview.pk}


def test_gated_lesson_teaser_counts_as_preview_view(browser_client, course):
    gated = _lessons(course)[1]
    response = browser_client.get(gated.url)
    assert response.status_code == 403
    preview = Event.objects.get(kind=EventKind.PREVIEW_VIEW)
    assert preview.data == {"teaser": True}
    assert preview.lesson_id == gated.pk


def test_member_reading_a_gated_lesson_is_not_a_preview_view(browser_client, course, silver):
    browser_client.force_login(silver)
    assert browser_client.get(_lessons(course)[1].url).status_code == 200
    assert list(Event.objects.values_list("kind", flat=True)) == [EventKind.PAGE_VIEW]


def test_missing_page_and_bots_are_not_counted(client, browser_client, home):
    assert browser_client.get("/no-such-page/").status_code == 404
    client.defaults["HTTP_USER_AGENT"] = "Googlebot/2.1 (+http://www.google.com/bot.html)"
    client.get(home.url)
    assert not Event.objects.exists()


def test_admin_and_non_page_requests_are_not_counted(browser_client, admin_user, home):
    browser_client.force_login(admin_user)
    browser_client.get(reverse("wagtailadmin_home"))
    browser_client.get(reverse("search"))
    assert not Event.objects.filter(kind=EventKind.PAGE_VIEW).exists()


def _queries_for(client, url, settings, enabled):
    settings.ANALYTICS_ENABLED = enabled
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code in (200, 403)
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("which", ["home", "course", "preview lesson", "teaser"])
def test_anonymous_page_view_costs_at_most_one_insert_and_no_select(
    browser_client, home, course, settings, which
):
    lessons = _lessons(course)
    url = {
        "home": home.url,
        "course": course.url,
        "preview lesson": lessons[0].url,
        "teaser": lessons[1].url,
    }[which]
    browser_client.cookies[recording.VISITOR_COOKIE] = "a" * 32
    browser_client.get(url)  # warm caches (site root, content types) the same for both runs
    off = _queries_for(browser_client, url, settings, enabled=False)
    on = _queries_for(browser_client, url, settings, enabled=True)
    extra = list(on)
    for sql in off:
        extra.remove(sql)
    assert len(extra) == 1, extra
    assert extra[0].lstrip().upper().startswith("INSERT INTO")


def test_recording_failure_is_logged_and_the_page_still_serves(browser_client, home, monkeypatch, caplog):
    def broken_insert(events):
        raise DatabaseError("analytics table is gone")

    monkeypatch.setattr(recording, "_insert", broken_insert)
    response = browser_client.get(home.url)
    assert response.status_code == 200
    assert "could not record" in caplog.text


def test_recording_switched_off_records_nothing(browser_client, home, settings):
    settings.ANALYTICS_ENABLED = False
    browser_client.get(home.url)
    assert not Event.objects.exists()


def test_sign_up_records_a_registration(browser_client, home):
    browser_client.cookies[recording.VISITOR_COOKIE] = "b" * 32
    response = browser_client.post(
        reverse("account_signup"),
        {
            "email": "new.learner@example.test",
            "full_name": "Nga New",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            **solved_bot_check(browser_client),
        },
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302
    event = Event.objects.get(kind=EventKind.REGISTRATION)
    assert event.user.email == "new.learner@example.test"
    assert event.visitor == recording.visitor_hash("b" * 32)


def test_enrollment_and_completion_signals_record_events(learner, course):
    from learning.models import Enrollment
    from learning.signals import course_completed, enrolled

    enrollment = Enrollment.objects.create(user=learner, course=course)
    enrolled.send(sender=Enrollment, enrollment=enrollment)
    course_completed.send(sender=Enrollment, enrollment=enrollment)
    rows = list(Event.objects.order_by("id").values_list("kind", "user_id", "course_id"))
    assert rows == [
        (EventKind.ENROLLMENT, learner.pk, course.pk),
        (EventKind.COMPLETION, learner.pk, course.pk),
    ]


def test_playback_started_records_a_video_play(learner, course):
    from media_pipeline.signals import playback_started
    from tests.factories import VideoFactory

    lesson = _lessons(course)[1]
    video = VideoFactory()
    playback_started.send(sender=None, user=learner, lesson=lesson, video=video, playback_session=None)
    event = Event.objects.get()
    assert (event.kind, event.user_id, event.lesson_id) == (EventKind.VIDEO_PLAY, learner.pk, lesson.pk)
    assert event.data == {"video": str(video.public_id)}


def test_paid_order_records_a_purchase_with_amount_currency_and_tier(bronze, tiers):
    from memberships.payments import orders

    order = orders.place_order(bronze, tiers["gold"], "manual")
    assert not Event.objects.exists()
    orders.mark_paid(order, reference="bank 123")
    orders.mark_paid(order, reference="bank 123")  # a second confirmation changes nothing
    event = Event.objects.get()
    assert event.kind == EventKind.PURCHASE
    assert (event.user_id, event.tier_id, event.currency) == (bronze.pk, tiers["gold"].pk, order.currency)
    assert event.amount == order.amount
    assert event.data["order"] == order.reference


def test_a_failing_purchase_record_does_not_undo_the_payment(bronze, tiers, monkeypatch):
    from memberships.models import OrderStatus
    from memberships.payments import orders

    def broken_insert(events):
        raise DatabaseError("disk full")

    monkeypatch.setattr(recording, "_insert", broken_insert)
    order = orders.mark_paid(orders.place_order(bronze, tiers["silver"], "manual"))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.subscription is not None


@pytest.mark.parametrize("forged", ["", "short", "x" * 65, "abc;def" * 4, "../../etc/passwd" * 2, "é" * 20])
def test_a_forged_visitor_cookie_is_replaced_by_a_fresh_id(browser_client, home, forged):
    browser_client.cookies[recording.VISITOR_COOKIE] = forged
    response = browser_client.get(home.url)
    fresh = response.cookies[recording.VISITOR_COOKIE].value
    assert fresh != forged and len(fresh) == 32 and fresh.isalnum()
    assert Event.objects.get().visitor == recording.visitor_hash(fresh)


def test_visitor_cookie_is_first_party_http_only_and_lasts_a_day(browser_client, home):
    cookie = browser_client.get(home.url).cookies[recording.VISITOR_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 24 * 3600
