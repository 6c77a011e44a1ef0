"""Cost of the entitlement policy on the page serve path.

Serves the same lesson (same body, same outline) twice over: once with no tier (public,
anonymous visitor) and once needing Gold (gated, a Gold member), interleaved so both see
the same machine state. Prints queries per request and CPU milliseconds per request
(median of rounds), and the gated/public ratio. Target: CPU ratio <= 1.3.

    make bench            # or: .venv/bin/python -m bench
"""

import statistics
import time

from bench.setup import django_with_fresh_db, fresh_catalog

ROUNDS = 15
REQUESTS_PER_ROUND = 20


def _build():
    from memberships.defaults import seed_default_tiers
    from memberships.models import Tier
    from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory

    seed_default_tiers(Tier)
    catalog = fresh_catalog()
    body = [("paragraph", "<p>" + "A realistic lesson paragraph. " * 40 + "</p>")] * 6

    def lesson_in(course):
        module = ModulePageFactory(parent=course)
        lessons = [LessonPageFactory(parent=module, body=body) for _ in range(8)]
        return lessons[3]

    public = lesson_in(CoursePageFactory(parent=catalog, title="Public course"))
    gated = lesson_in(
        CoursePageFactory(parent=catalog, title="Gold course", required_tier=Tier.objects.get(slug="gold"))
    )
    member = UserFactory(email="gold-bench@example.test")
    from memberships import subscriptions

    subscriptions.grant(member, Tier.objects.get(slug="gold"), notify=False)
    return public, gated, member


def _measure(client, url, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)  # now: the next request_started signal clears the log
    started = time.process_time()
    for _ in range(n):
        client.get(url)
    return query_count, (time.process_time() - started) * 1000 / n


def main(setup=True):
    if setup:
        django_with_fresh_db()
    from django.test import Client

    public, gated, member = _build()
    visitor, gold_member = Client(), Client()
    gold_member.force_login(member)
    _measure(visitor, public.url, 3)
    _measure(gold_member, gated.url, 3)

    runs = {
        "public lesson, anonymous visitor": (visitor, public.url),
        "public lesson, gold member": (gold_member, public.url),
        "gold lesson, gold member (gated)": (gold_member, gated.url),
    }
    cpu = {name: [] for name in runs}
    queries = {}
    for _ in range(ROUNDS):
        for name, (client, url) in runs.items():
            queries[name], ms = _measure(client, url, REQUESTS_PER_ROUND)
            cpu[name].append(ms)
    median = {name: statistics.median(values) for name, values in cpu.items()}

    print(f"gated page serve cost (lesson page, median of {ROUNDS} rounds x {REQUESTS_PER_ROUND} requests)")
    for name in runs:
        print(f"  {name:34s} {queries[name]:3d} queries  {median[name]:7.2f} ms CPU/request")
    gated = "gold lesson, gold member (gated)"
    for baseline in ("public lesson, anonymous visitor", "public lesson, gold member"):
        ratio = median[gated] / median[baseline]
        verdict = "met" if ratio <= 1.3 else "NOT met"
        print(
            f"  gated / {baseline:32s} {ratio:.2f}x CPU, {queries[gated] - queries[baseline]:+d} queries"
            f"  (target <= 1.30x: {verdict})"
        )
