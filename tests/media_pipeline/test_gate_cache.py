"""Workers keep the lessons that playlist and key requests are checked against
(media_pipeline/gate.py). An editor's change must still reach the very next key request."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from media_pipeline import gate
from media_pipeline.models import VideoStatus

from .playback_support import lesson_with_video
from .test_playback import _protected_urls, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def gate_cache_on(settings):
    settings.PLAYBACK_GATE_CACHE = True
    gate._lessons.clear()


@pytest.fixture
def silver_lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["silver"], heights=(360,))


def key_status(client, url):
    response = client.get(url)
    return response.status_code, response.json()["error"]["code"] if response.status_code != 200 else "ok"


def test_a_kept_lesson_costs_no_page_query(silver, silver_lesson):
    client = client_for(silver)
    key = _protected_urls(client, silver_lesson)["key"]
    assert key_status(client, key) == (200, "ok")
    with CaptureQueriesContext(connection) as queries:
        assert key_status(client, key) == (200, "ok")
    assert not [q for q in queries if "wagtailcore_page" in q["sql"]]


def test_raising_the_lessons_tier_refuses_the_next_key_request(silver, silver_lesson, tiers):
    client = client_for(silver)
    key = _protected_urls(client, silver_lesson)["key"]
    assert key_status(client, key) == (200, "ok")

    silver_lesson.required_tier = tiers["gold"]
    silver_lesson.save_revision().publish()

    assert key_status(client, key) == (403, "tier_too_low")


def test_raising_the_courses_tier_refuses_the_next_key_request(silver, catalog, tiers):
    lesson = lesson_with_video(catalog, heights=(360,))  # no tier of its own: as the course
    client = client_for(silver)
    key = _protected_urls(client, lesson)["key"]
    assert key_status(client, key) == (200, "ok")

    course = lesson.course
    course.required_tier = tiers["gold"]
    course.save_revision().publish()

    assert key_status(client, key) == (403, "tier_too_low")


def test_unpublishing_the_lesson_refuses_the_next_key_request(silver, silver_lesson):
    client = client_for(silver)
    key = _protected_urls(client, silver_lesson)["key"]
    assert key_status(client, key) == (200, "ok")

    silver_lesson.unpublish()

    assert key_status(client, key) == (404, "not_found")


def test_a_video_that_loses_its_output_is_refused_on_the_next_key_request(silver, silver_lesson):
    client = client_for(silver)
    key = _protected_urls(client, silver_lesson)["key"]
    assert key_status(client, key) == (200, "ok")

    video = silver_lesson.video
    video.status, video.renditions = VideoStatus.FAILED, []
    video.save()

    assert key_status(client, key)[0] != 200


def test_a_lapsed_subscription_is_never_answered_from_the_kept_lesson(silver, silver_lesson):
    client = client_for(silver)
    key = _protected_urls(client, silver_lesson)["key"]
    assert key_status(client, key) == (200, "ok")

    silver.subscriptions.update(ends_at=timezone.now() - timedelta(seconds=1))

    assert key_status(client, key) == (403, "subscription_lapsed")


def test_the_version_changes_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    before = gate.current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        gate.content_changed()
        during = gate.current_version()
    assert during != before
    assert len(callbacks) == 1
    assert gate.current_version() not in (before, during)
