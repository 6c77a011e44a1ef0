"""Every learner endpoint refuses who it must, with the policy's own code: anonymous and
expired or forged access tokens (401), Bronze on a Gold course (403 `tier_too_low`), a
lapsed Gold subscription (403), and the device limit shared with the site's player."""

import json

from django.test import Client

import pytest
from rest_framework.test import APIClient

from learning.models import Enrollment, LessonProgress
from memberships.models import PlaybackSession

from ...media_pipeline.playback_support import lesson_with_video
from .support import DEVICE, bearer, error_code, expired, forged

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], heights=(360,), captions=False)


@pytest.fixture
def text_lesson(catalog, tiers):
    from tests.factories import build_course

    return build_course(catalog, modules=1, lessons=1, required_tier=tiers["gold"]).ordered_lessons[0]


def _calls(lesson, text_lesson):
    course = lesson.get_parent().get_parent()
    return {
        "enrol": ("post", "/api/v1/me/enrollments/", {"course": course.pk}),
        "playback": ("post", f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE}),
        "heartbeat": (
            "post",
            f"/api/v1/lessons/{lesson.pk}/heartbeats/",
            {"token": "x", "ranges": [[0, 1]], "position": 1, "device": DEVICE},
        ),
        "completion": ("post", f"/api/v1/lessons/{text_lesson.pk}/completion/", None),
        "my courses": ("get", "/api/v1/me/courses/", None),
    }


def _call(client, method, url, body):
    return (
        getattr(client, method)(url, body, format="json")
        if body is not None
        else getattr(client, method)(url)
    )


@pytest.mark.parametrize("who", ["anonymous", "expired", "forged"])
def test_every_learner_endpoint_refuses_a_caller_without_a_valid_token(who, gold, lesson, text_lesson):
    client = {"anonymous": APIClient(), "expired": expired(gold), "forged": forged(gold)}[who]
    for name, (method, url, body) in _calls(lesson, text_lesson).items():
        response = _call(client, method, url, body)
        assert response.status_code == 401, (name, response.content)
        assert response.json()["error"]["code"] in {"not_authenticated", "token_not_valid"}, name
    assert not Enrollment.objects.exists() and not PlaybackSession.objects.exists()


@pytest.mark.parametrize("who", ["bronze", "lapsed"])
def test_a_learner_below_the_courses_tier_is_refused_with_the_policys_code(who, request, lesson, text_lesson):
    user = request.getfixturevalue(who)
    api = bearer(user)
    calls = _calls(lesson, text_lesson)

    enrol = _call(api, *calls["enrol"])
    assert error_code(enrol, 403) == "tier_too_low"
    assert enrol.json()["error"]["details"]["required_tier"]["slug"] == "gold"
    playback = _call(api, *calls["playback"])
    assert error_code(playback, 403) == ("subscription_lapsed" if who == "lapsed" else "tier_too_low")
    assert "master_url" not in playback.content.decode()
    assert error_code(_call(api, *calls["heartbeat"]), 403) == "tier_too_low"
    assert error_code(_call(api, *calls["completion"]), 403) == "tier_too_low"

    assert not Enrollment.objects.filter(user=user).exists()
    assert not PlaybackSession.objects.filter(user=user).exists()
    assert not LessonProgress.objects.filter(user=user, completed_at__isnull=False).exists()
    assert api.get("/api/v1/me/courses/").json()["count"] == 0


def test_unknown_lessons_and_courses_are_404(gold):
    api = bearer(gold)
    assert (
        error_code(api.post("/api/v1/me/enrollments/", {"course": 999999}, format="json"), 404) == "not_found"
    )
    assert error_code(api.post("/api/v1/lessons/999999/playback/", {"device": DEVICE}, format="json"), 404)
    assert error_code(api.post("/api/v1/lessons/999999/completion/"), 404) == "not_found"


def test_a_bad_device_id_is_a_validation_error(gold, lesson):
    response = bearer(gold).post(f"/api/v1/lessons/{lesson.pk}/playback/", {"device": "no"}, format="json")
    assert error_code(response, 422) == "bad_request"
    assert not PlaybackSession.objects.exists()


def test_the_device_limit_is_shared_with_the_sites_player(gold, tiers, lesson):
    """Gold allows three devices. Three start on the site; the API's start is the fourth
    and stops the oldest, whose player is then refused its next playlist, and whose
    automatic refresh cannot take playback back."""
    limit = tiers["gold"].max_devices
    site = Client()
    site.force_login(gold)
    site_devices = [f"site-device-{n:04d}" for n in range(limit)]
    site_playback = [
        site.post(
            f"/video/play/{lesson.pk}/", data=json.dumps({"device": d}), content_type="application/json"
        )
        for d in site_devices
    ]
    assert all(r.status_code == 200 for r in site_playback)

    api = bearer(gold)
    started = api.post(f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE}, format="json")

    assert started.status_code == 200, started.content
    assert started.json()["device_message"]
    oldest = PlaybackSession.objects.get(user=gold, device_id=site_devices[0])
    assert oldest.ended_at is not None and oldest.end_reason == "another_device"
    assert PlaybackSession.objects.filter(user=gold, ended_at__isnull=True).count() == limit
    assert site.get(site_playback[0].json()["master_url"]).json()["error"]["code"] == "device_limit"
    refresh = site.post(
        f"/video/play/{lesson.pk}/",
        data=json.dumps({"device": site_devices[0], "refresh": True}),
        content_type="application/json",
    )
    assert refresh.status_code == 409 and refresh.json()["error"]["code"] == "device_limit"

    # And the other way round: the site taking a device over stops the API's, whose refresh is refused.
    for n in range(limit):
        site.post(
            f"/video/play/{lesson.pk}/",
            data=json.dumps({"device": f"site-new-{n:04d}"}),
            content_type="application/json",
        )
    again = api.post(
        f"/api/v1/lessons/{lesson.pk}/playback/", {"device": DEVICE, "refresh": True}, format="json"
    )
    assert error_code(again, 409) == "device_limit"
