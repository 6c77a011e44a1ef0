"""A learner app's whole journey over the API, against a real packaged clip: enrol,
start playback, fetch the key through the returned playlist as a player does, send
heartbeats, and see the progress in "my courses"."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from learning.models import Enrollment, LessonProgress
from media_pipeline.models import KeyAccess

from ...media_pipeline.playback_support import CLIP_SECONDS, lesson_with_video
from .support import DEVICE, bearer, error_code, expired, fetch_key, forged

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], heights=(360,), captions=False)


def _beat(client, url, token, ranges, monkeypatch, at):
    with monkeypatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: at)
        return client.post(
            url,
            {"token": token, "ranges": ranges, "position": ranges[-1][1], "device": DEVICE},
            format="json",
        )


def test_enrol_play_fetch_the_key_send_heartbeats_and_see_progress(gold, lesson, monkeypatch):
    api = bearer(gold)
    course = lesson.get_parent().get_parent()

    enrolled = api.post("/api/v1/me/enrollments/", {"course": course.pk}, format="json")
    assert enrolled.status_code == 201, enrolled.content
    assert enrolled.json()["course"]["id"] == course.pk and enrolled.json()["created"] is True
    assert "no-store" in enrolled["Cache-Control"] and "private" in enrolled["Cache-Control"]
    assert Enrollment.objects.filter(user=gold, course=course).count() == 1

    started = api.post(f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE}, format="json")
    assert started.status_code == 200, started.content
    playback = started.json()
    assert playback["master_url"].startswith("http://testserver/video/hls/")
    assert playback["heartbeat"]["url"] == f"http://testserver/api/v1/lessons/{lesson.pk}/heartbeats/"
    assert playback["resume_at"] == 0

    # Before any key was fetched nothing can have played: the beat is refused.
    url, token = playback["heartbeat"]["url"], playback["heartbeat"]["token"]
    early = api.post(
        url, {"token": token, "ranges": [[0, 6]], "position": 6, "device": DEVICE}, format="json"
    )
    assert error_code(early, 409) == "not_streaming"

    assert len(fetch_key(api, playback["master_url"])) == 16
    fetched = KeyAccess.objects.get(allowed=True, user=gold).at

    first = _beat(api, url, token, [[0, 6]], monkeypatch, fetched + timedelta(seconds=6))
    assert first.status_code == 200, first.content
    assert first.json()["completed"] is False and first.json()["percent"] == 50

    mine = api.get("/api/v1/me/courses/").json()
    assert mine["count"] == 1
    (row,) = mine["results"]
    assert row["course"]["id"] == course.pk and row["percent"] == 0
    assert row["continue_at"] == {"lesson": {"id": lesson.pk, "title": lesson.title}, "seconds": 6}

    second = _beat(
        api, url, first.json()["token"], [[6, CLIP_SECONDS]], monkeypatch, fetched + timedelta(seconds=12)
    )
    assert second.status_code == 200, second.content
    assert second.json()["completed"] is True and second.json()["course_percent"] == 100

    (row,) = api.get("/api/v1/me/courses/").json()["results"]
    assert row["percent"] == 100 and row["lessons_completed"] == row["lessons_total"] == 1
    assert row["status"] == "completed"
    assert LessonProgress.objects.get(user=gold, lesson=lesson).completed_at is not None


def test_progress_is_only_ever_what_the_server_measured(gold, lesson, monkeypatch):
    """A beat claiming the whole video a second after the key cannot count, and a
    `percent` or `completed` sent by the client is ignored."""
    api = bearer(gold)
    playback = api.post(f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE}, format="json").json()
    fetch_key(api, playback["master_url"])
    fetched = KeyAccess.objects.get(allowed=True, user=gold).at
    url, token = playback["heartbeat"]["url"], playback["heartbeat"]["token"]

    with monkeypatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: fetched + timedelta(seconds=1))
        too_fast = api.post(
            url,
            {
                "token": token,
                "ranges": [[0, CLIP_SECONDS]],
                "position": CLIP_SECONDS,
                "device": DEVICE,
                "percent": 100,
                "completed": True,
            },
            format="json",
        )
    assert error_code(too_fast, 422) == "too_fast"
    assert not LessonProgress.objects.filter(user=gold, lesson=lesson, completed_at__isnull=False).exists()


def test_a_replayed_heartbeat_is_refused_with_a_fresh_token(gold, lesson, monkeypatch):
    api = bearer(gold)
    playback = api.post(f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE}, format="json").json()
    fetch_key(api, playback["master_url"])
    fetched = KeyAccess.objects.get(allowed=True, user=gold).at
    url, token = playback["heartbeat"]["url"], playback["heartbeat"]["token"]
    assert _beat(api, url, token, [[0, 4]], monkeypatch, fetched + timedelta(seconds=4)).status_code == 200

    again = _beat(api, url, token, [[4, 8]], monkeypatch, fetched + timedelta(seconds=8))

    assert error_code(again, 409) == "replayed"
    assert again.json()["error"]["details"]["token"]
    assert LessonProgress.objects.get(user=gold, lesson=lesson).watched_seconds == 4


def test_the_playlist_and_key_need_the_callers_own_token(gold, learner, lesson):
    """A playlist URL is worthless without the Bearer token of the account it was made for."""
    playback = bearer(gold).post(f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE}, format="json")
    master_url = playback.json()["master_url"]

    nobody = APIClient().get(master_url)
    assert nobody.status_code == 401 and json.loads(nobody.content)["error"]["code"] == "login_required"
    someone_else = bearer(learner).get(master_url)
    assert (
        someone_else.status_code == 403 and json.loads(someone_else.content)["error"]["code"] == "wrong_user"
    )
    assert expired(gold).get(master_url).status_code == 401
    assert forged(gold).get(master_url).status_code == 401


def test_mark_a_text_lesson_done(gold, catalog, tiers):
    from tests.factories import build_course

    course = build_course(catalog, modules=1, lessons=2, required_tier=tiers["gold"])
    first, second = course.ordered_lessons
    api = bearer(gold)

    done = api.post(f"/api/v1/lessons/{first.pk}/completion/")
    assert done.status_code == 200, done.content
    assert done.json()["lesson"] == first.pk and done.json()["course_percent"] == 50
    again = api.post(f"/api/v1/lessons/{first.pk}/completion/")
    assert again.status_code == 200 and again.json()["completed_at"] == done.json()["completed_at"]
    assert Enrollment.objects.get(user=gold, course=course).progress_percent == 50


def test_a_lesson_with_a_video_is_not_marked_done_by_asking(gold, lesson):
    refused = bearer(gold).post(f"/api/v1/lessons/{lesson.pk}/completion/")
    assert error_code(refused, 409) == "needs_watching"
    assert not LessonProgress.objects.filter(user=gold, lesson=lesson, completed_at__isnull=False).exists()
