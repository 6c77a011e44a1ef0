"""The course page's cost as a course grows: queries and CPU per request for a 2x2 and a
10x10 (modules x lessons) course, side by side. The outline must not add queries per
lesson; CPU grows only with the HTML it renders.

    make bench            # or: .venv/bin/python -m bench
"""

import statistics
import time

from bench.setup import django_with_fresh_db, fresh_catalog

ROUNDS = 10
REQUESTS_PER_ROUND = 10


def _build():
    from tests.factories import build_course

    catalog = fresh_catalog()
    return {
        "2 modules x 2 lessons": build_course(catalog, modules=2, lessons=2),
        "10 modules x 10 lessons": build_course(catalog, modules=10, lessons=10),
    }


def main(setup=True):
    if setup:
        django_with_fresh_db()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    courses = _build()
    client = Client()
    for course in courses.values():
        client.get(course.url)
    queries, cpu = {}, {name: [] for name in courses}
    for _ in range(ROUNDS):
        for name, course in courses.items():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(course.url).status_code == 200
            queries[name] = len(captured)
            started = time.process_time()
            for _ in range(REQUESTS_PER_ROUND):
                client.get(course.url)
            cpu[name].append((time.process_time() - started) * 1000 / REQUESTS_PER_ROUND)

    print(f"course page cost (anonymous visitor, median of {ROUNDS} rounds x {REQUESTS_PER_ROUND} requests)")
    for name in courses:
        print(f"  {name:26s} {queries[name]:3d} queries  {statistics.median(cpu[name]):7.2f} ms CPU/request")
    small, large = courses
    print(
        f"  10x10 / 2x2                {queries[large] - queries[small]:+d} queries  "
        f"{statistics.median(cpu[large]) / statistics.median(cpu[small]):.2f}x CPU (25x the lessons)"
    )
