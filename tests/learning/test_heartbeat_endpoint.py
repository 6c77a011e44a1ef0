"""The heartbeat endpoint per CONTRACTS: JSON in, JSON out, errors as JSON, CSRF from
the header or the body, the policy and the device limit asked on every beat."""

import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from learning.models import Enrollment, LessonProgress

from .conftest import DEVICE, key_fetched, reading_course, video_course

pytestmark = pytest.mark.django_db


def page_token(client, lesson):
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.context["heartbeat_token"], response.context["heartbeat_url"]


def post_beat(client, url, payload, **headers):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)


@pytest.fixture
def learner_client(learner, playing):
    client = Client()
    client.force_login(learner)
    return client


def test_a_beat_is_accepted_and_returns_the_next_token(learner_client, video_lesson, learner):
    token, url = page_token(learner_client, video_lesson)
    assert url == reverse("learning:heartbeat", args=[video_lesson.pk])
    key_fetched(learner, video_lesson)
    response = post_beat(learner_client, url, {"token": token, "ranges": [], "position": 3, "device": DEVICE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "position", "percent", "completed", "course_percent"}
    assert body["token"] != token and body["position"] == 3 and body["completed"] is False
    assert response["Cache-Control"].startswith("private")
    # Progress in a course the learner may enroll in enrolls them.
    assert Enrollment.objects.filter(user=learner, course=video_lesson.course).exists()
    # Sent again, the same token is a replay: 409 with a fresh token to continue with.
    again = post_beat(learner_client, url, {"token": token, "ranges": [], "position": 3, "device": DEVICE})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "replayed" and again.json()["token"]


def test_the_page_resumes_at_the_saved_position_and_honours_t(learner_client, video_lesson, learner):
    LessonProgress.objects.create(
        user=learner, lesson=video_lesson, position_seconds=42.5, duration_seconds=100, last_beat=3
    )
    response = learner_client.get(video_lesson.url)
    assert response.context["resume_at"] == 42.5
    assert learner_client.get(video_lesson.url + "?t=12").context["resume_at"] == 12
    assert learner_client.get(video_lesson.url + "?t=nonsense").context["resume_at"] == 42.5
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize(
    "body, code",
    [
        (b"not json", "bad_input"),
        (b"[1, 2]", "bad_input"),
        (json.dumps({"token": "x", "ranges": [], "position": 0, "device": DEVICE}).encode(), "bad_token"),
    ],
)
def test_bad_input_gets_a_json_400(learner_client, video_lesson, body, code):
    url = reverse("learning:heartbeat", args=[video_lesson.pk])
    response = learner_client.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_missing_device_is_bad_input(learner_client, video_lesson):
    token, url = page_token(learner_client, video_lesson)
    response = post_beat(learner_client, url, {"token": token, "ranges": [], "position": 0})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_input"


def test_visitors_get_a_json_403(client, video_lesson):
    url = reverse("learning:heartbeat", args=[video_lesson.pk])
    response = post_beat(client, url, {"token": "x", "ranges": [], "position": 0, "device": DEVICE})
    assert response.status_code == 403 and response.json()["error"]["code"] == "login_required"


def test_an_unentitled_learner_is_refused(catalog, tiers, bronze):
    from memberships import devices

    course, (lesson,) = video_course(
        catalog, lessons=1, title="Gold video course", required_tier=tiers["gold"]
    )
    devices.start_playback(bronze, DEVICE)
    client = Client()
    client.force_login(bronze)
    from learning.progress import issue_token

    token = issue_token(bronze, lesson, 0)
    response = post_beat(
        client,
        reverse("learning:heartbeat", args=[lesson.pk]),
        {"token": token, "ranges": [[0, 1]], "position": 1, "device": DEVICE},
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "tier_too_low"
    assert not LessonProgress.objects.filter(user=bronze).exists()


def test_an_unknown_lesson_is_a_json_404(learner_client):
    response = post_beat(learner_client, "/learning/lessons/999999/heartbeat/", {})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_device_limit_is_403_device_limit(learner_client, video_lesson, learner):
    from memberships import devices

    token, url = page_token(learner_client, video_lesson)
    devices.start_playback(learner, "another-device")  # ends DEVICE on a one-device plan
    response = post_beat(learner_client, url, {"token": token, "ranges": [], "position": 0, "device": DEVICE})
    assert response.status_code == 403 and response.json()["error"]["code"] == "device_limit"


class TestCsrf:
    """sendBeacon cannot set headers, so the token may come in the JSON body."""

    @pytest.fixture
    def strict(self, learner, playing):
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        return client

    def _csrf(self, client, lesson):
        client.get(lesson.url)
        return client.cookies["csrftoken"].value

    def test_a_beat_without_a_csrf_token_is_refused(self, strict, video_lesson):
        token, url = page_token(strict, video_lesson)
        response = post_beat(strict, url, {"token": token, "ranges": [], "position": 0, "device": DEVICE})
        assert response.status_code == 403 and response.json()["error"]["code"] == "csrf"

    def test_csrf_in_the_body_is_accepted(self, strict, video_lesson, learner):
        key_fetched(learner, video_lesson)
        csrf = self._csrf(strict, video_lesson)
        token, url = page_token(strict, video_lesson)
        payload = {"token": token, "ranges": [], "position": 0, "device": DEVICE, "csrf": csrf}
        assert post_beat(strict, url, payload).status_code == 200

    def test_csrf_in_the_header_is_accepted(self, strict, video_lesson, learner):
        key_fetched(learner, video_lesson)
        csrf = self._csrf(strict, video_lesson)
        token, url = page_token(strict, video_lesson)
        payload = {"token": token, "ranges": [], "position": 0, "device": DEVICE}
        assert post_beat(strict, url, payload, HTTP_X_CSRFTOKEN=csrf).status_code == 200


def test_a_watched_lesson_completes_through_the_endpoint(learner_client, catalog, learner, monkeypatch):
    """Linear watching over HTTP, with django.utils.timezone.now moved by hand."""
    from datetime import timedelta

    course, (lesson,) = video_course(catalog, lessons=1, title="One clip")
    key_fetched(learner, lesson)
    start = timezone.now()
    moments = iter(start + timedelta(seconds=15 * n) for n in range(1, 20))
    token, url = page_token(learner_client, lesson)
    for begin in range(0, 90, 15):
        now = next(moments)
        monkeypatch.setattr("learning.progress.timezone.now", lambda now=now: now)
        response = post_beat(
            learner_client,
            url,
            {"token": token, "ranges": [[begin, begin + 15]], "position": begin + 15, "device": DEVICE},
        )
        assert response.status_code == 200, response.content
        token = response.json()["token"]
    body = response.json()
    assert body["completed"] is True and body["percent"] == 90 and body["course_percent"] == 100
    assert Enrollment.objects.get(user=learner, course=course).completed_at is not None


def test_mark_as_done_completes_a_reading_lesson(client, learner, catalog):
    course, lessons = reading_course(catalog, lessons=2)
    client.force_login(learner)
    page = client.get(lessons[0].url)
    assert page.context["can_mark_done"] and "Mark as done" in page.content.decode()
    response = client.post(reverse("learning:lesson_complete", args=[lessons[0].pk]))
    assert response.status_code == 302 and response["Location"] == lessons[0].url
    page = client.get(lessons[0].url)
    assert page.context["lesson_complete"] and "Lesson complete" in page.content.decode()
    assert not page.context["can_mark_done"]


def test_mark_as_done_is_refused_for_video_and_quiz_lessons(client, learner, catalog, video_lesson):
    from .conftest import quiz_body

    client.force_login(learner)
    client.post(reverse("learning:lesson_complete", args=[video_lesson.pk]))
    assert not LessonProgress.objects.filter(user=learner, completed_at__isnull=False).exists()
    course, (quiz_lesson,) = reading_course(catalog, lessons=1, title="Quiz reading")
    quiz_lesson.body = quiz_body()
    quiz_lesson.save_revision().publish()
    assert not client.get(quiz_lesson.url).context["can_mark_done"]
    client.post(reverse("learning:lesson_complete", args=[quiz_lesson.pk]))
    assert not LessonProgress.objects.filter(user=learner, completed_at__isnull=False).exists()


def test_mark_as_done_needs_login_and_entitlement(client, bronze, catalog, tiers):
    course, (lesson,) = reading_course(catalog, lessons=1, title="Gold reading", required_tier=tiers["gold"])
    url = reverse("learning:lesson_complete", args=[lesson.pk])
    assert "/accounts/login/" in client.post(url)["Location"]
    client.force_login(bronze)
    assert client.post(url).status_code == 403
    assert not LessonProgress.objects.exists()
