"""Heartbeats count only for video that was really streamed: the player's playback
session must have fetched this video's key (the key endpoint logs each key it gives per
playback session), and the 2x rule runs from that first key fetch, not from the page
load. Driven over HTTP against a real packaged clip, with the heartbeat service's clock
moved by hand."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from learning.models import LessonProgress
from media_pipeline.models import KeyAccess

from ..media_pipeline.playback_support import CLIP_SECONDS, lesson_with_video

pytestmark = pytest.mark.django_db

DEVICE = "device-streaming-1"


@pytest.fixture
def lesson(catalog):
    return lesson_with_video(catalog, heights=(360,), captions=False)


@pytest.fixture
def learner_client(learner):
    client = Client()
    client.force_login(learner)
    return client


def _page(client, lesson, monkeypatch, at=None):
    """The lesson page's heartbeat token and URL (issued at `at` when given)."""
    with monkeypatch.context() as patch:
        if at is not None:
            patch.setattr("django.utils.timezone.now", lambda: at)
        response = client.get(lesson.url)
    assert response.status_code == 200
    return response.context["heartbeat_token"], response.context["heartbeat_url"]


def _play(client, lesson) -> dict:
    response = client.post(
        f"/video/play/{lesson.pk}/", data=json.dumps({"device": DEVICE}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _fetch_key(client, data) -> None:
    """What the player does: the master playlist, the 360p playlist, then its key."""
    assert client.get(data["master_url"]).status_code == 200
    media = client.get(data["master_url"].replace("master.m3u8", "360p.m3u8")).content.decode()
    key_url = media.split('URI="', 1)[1].split('"', 1)[0]
    response = client.get(key_url)
    assert response.status_code == 200 and len(response.content) == 16


def _beat(client, url, token, ranges, monkeypatch, at):
    with monkeypatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: at)
        return client.post(
            url,
            data=json.dumps({"token": token, "ranges": ranges, "position": ranges[-1][1], "device": DEVICE}),
            content_type="application/json",
        )


def _first_key_fetch_at():
    return KeyAccess.objects.get(allowed=True).at


def test_a_beat_without_a_key_fetch_is_not_counted_until_the_key_is_really_fetched(
    learner_client, learner, lesson, monkeypatch
):
    token, url = _page(learner_client, lesson, monkeypatch)
    data = _play(learner_client, lesson)
    halfway = timezone.now() + timedelta(seconds=CLIP_SECONDS / 2 + 1)

    # Playback started, half the length waited, the whole length claimed: no key, no count.
    refused = _beat(learner_client, url, token, [[0, CLIP_SECONDS]], monkeypatch, halfway)

    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_streaming"
    progress = LessonProgress.objects.filter(user=learner, lesson=lesson).first()
    assert progress is None or (progress.watched_seconds == 0 and progress.completed_at is None)

    # After a real key fetch the same beats count as before.
    _fetch_key(learner_client, data)
    fetched = _first_key_fetch_at()
    first = _beat(learner_client, url, token, [[0, 6]], monkeypatch, fetched + timedelta(seconds=6))
    assert first.status_code == 200, first.content
    assert first.json()["completed"] is False
    second = _beat(
        learner_client, url, first.json()["token"], [[6, 12]], monkeypatch, fetched + timedelta(seconds=12)
    )
    assert second.status_code == 200, second.content
    assert second.json()["completed"] is True
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is not None


def test_the_two_times_rule_runs_from_the_first_key_fetch_not_from_the_page_load(
    learner_client, learner, lesson, monkeypatch
):
    """The page was opened a minute ago; the key was fetched only now. Twelve seconds
    cannot have played two seconds after the first key."""
    token, url = _page(learner_client, lesson, monkeypatch, at=timezone.now() - timedelta(seconds=60))
    _fetch_key(learner_client, _play(learner_client, lesson))
    fetched = _first_key_fetch_at()

    too_fast = _beat(
        learner_client, url, token, [[0, CLIP_SECONDS]], monkeypatch, fetched + timedelta(seconds=2)
    )

    assert too_fast.status_code == 400 and too_fast.json()["error"]["code"] == "too_fast"
    assert not LessonProgress.objects.filter(user=learner, lesson=lesson, completed_at__isnull=False).exists()
    # At 2x, the whole clip fits six seconds after the key.
    played = _beat(
        learner_client, url, token, [[0, CLIP_SECONDS]], monkeypatch, fetched + timedelta(seconds=6)
    )
    assert played.status_code == 200 and played.json()["completed"] is True


def test_a_key_of_another_lessons_video_does_not_count_for_this_one(
    learner_client, learner, lesson, catalog, monkeypatch
):
    other = lesson_with_video(catalog, heights=(360,), captions=False)
    token, url = _page(learner_client, lesson, monkeypatch)
    _play(learner_client, lesson)
    _fetch_key(learner_client, _play(learner_client, other))  # the same device's session, the other video

    response = _beat(
        learner_client, url, token, [[0, CLIP_SECONDS]], monkeypatch, timezone.now() + timedelta(seconds=30)
    )

    assert response.status_code == 409 and response.json()["error"]["code"] == "not_streaming"
    assert not LessonProgress.objects.filter(user=learner, lesson=lesson, watched_seconds__gt=0).exists()
