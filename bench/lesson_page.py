"""Cost of a learner's lesson page now that it carries progress, and of one heartbeat.

Serves the same lesson body (same outline size) as:
- a public lesson to an anonymous visitor (the floor),
- a Gold lesson to an enrolled Gold learner (progress, heartbeat token, mark-as-done),
- the same in a sequential course (the previous lesson done: one more query for the
  learner's completions in the course),
and posts heartbeats (empty ranges, a fresh token each time) for the Gold learner.
Interleaved rounds so every case sees the same machine state; prints queries per
request and CPU ms per request (median of rounds) and ratios against the floor.

    .venv/bin/python -m bench lesson_page
"""

import json
import statistics
import time

from bench.setup import django_with_fresh_db, fresh_catalog

ROUNDS = 11
REQUESTS_PER_ROUND = 20
DEVICE = "bench-device"


def _build():
    from learning.enrollment import enroll
    from learning.progress import complete_lesson
    from media_pipeline import playback
    from memberships import devices, subscriptions
    from memberships.defaults import seed_default_tiers
    from memberships.models import Tier
    from tests.factories import (
        CoursePageFactory,
        LessonPageFactory,
        ModulePageFactory,
        UserFactory,
        VideoFactory,
    )

    seed_default_tiers(Tier)
    gold_tier = Tier.objects.get(slug="gold")
    catalog = fresh_catalog()
    body = [("paragraph", "<p>" + "A realistic lesson paragraph. " * 40 + "</p>")] * 6

    def lessons_in(course):
        module = ModulePageFactory(parent=course)
        return [
            LessonPageFactory(parent=module, body=body, video=VideoFactory(duration_seconds=600))
            for _ in range(8)
        ]

    public = lessons_in(CoursePageFactory(parent=catalog, title="Public course"))[3]
    gold_course = CoursePageFactory(parent=catalog, title="Gold course", required_tier=gold_tier)
    gold = lessons_in(gold_course)[3]
    sequential_course = CoursePageFactory(
        parent=catalog, title="Gold steps", required_tier=gold_tier, is_sequential=True
    )
    steps = lessons_in(sequential_course)
    member = UserFactory(email="gold-learner-bench@example.test")
    subscriptions.grant(member, gold_tier, notify=False)
    for course in (gold_course, sequential_course):
        enroll(member, course)
    for lesson in steps[:3]:
        complete_lesson(member, lesson)
    session = devices.start_playback(member, DEVICE).session
    # The key the player fetches before it plays: heartbeats count only after it.
    playback.log_key_request(
        video_id=gold.video_id,
        user_id=member.pk,
        playback_session_id=session.pk,
        allowed=True,
        reason="",
        ip_address=None,
        user_agent="",
    )
    return public, gold, steps[3], member


def _measure_get(client, url, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)
    started = time.process_time()
    for _ in range(n):
        client.get(url)
    return query_count, (time.process_time() - started) * 1000 / n


class Beats:
    """Posts heartbeats like the player, keeping the token each response renews."""

    def __init__(self, client, lesson):
        self.client, self.lesson = client, lesson
        response = client.get(lesson.url)
        self.url, self.token = response.context["heartbeat_url"], response.context["heartbeat_token"]
        self.position = 0.0

    def _post(self):
        self.position += 1
        body = {"token": self.token, "ranges": [], "position": self.position, "device": DEVICE}
        response = self.client.post(self.url, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        self.token = response.json()["token"]

    def measure(self, n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self._post()
        query_count = len(queries)
        started = time.process_time()
        for _ in range(n):
            self._post()
        return query_count, (time.process_time() - started) * 1000 / n


def main(setup=True):
    if setup:
        django_with_fresh_db()
    from django.test import Client

    public, gold, step, member = _build()
    visitor, learner = Client(), Client()
    learner.force_login(member)
    beats = Beats(learner, gold)

    runs = {
        "public lesson, anonymous visitor": lambda n: _measure_get(visitor, public.url, n),
        "gold lesson, enrolled gold learner": lambda n: _measure_get(learner, gold.url, n),
        "sequential gold lesson, same learner": lambda n: _measure_get(learner, step.url, n),
        "heartbeat POST, same learner": beats.measure,
    }
    for measure in runs.values():
        measure(3)
    cpu = {name: [] for name in runs}
    queries = {}
    for _ in range(ROUNDS):
        for name, measure in runs.items():
            queries[name], ms = measure(REQUESTS_PER_ROUND)
            cpu[name].append(ms)
    median = {name: statistics.median(values) for name, values in cpu.items()}

    print(f"lesson page with progress (median of {ROUNDS} rounds x {REQUESTS_PER_ROUND} requests)")
    for name in runs:
        print(f"  {name:38s} {queries[name]:3d} queries  {median[name]:7.2f} ms CPU/request")
    floor = "public lesson, anonymous visitor"
    for name in list(runs)[1:]:
        print(
            f"  {name:38s} / anonymous: {median[name] / median[floor]:.2f}x CPU, "
            f"{queries[name] - queries[floor]:+d} queries"
        )


if __name__ == "__main__":
    main()
