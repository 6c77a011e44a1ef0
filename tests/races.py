"""Running the same request in several threads at once, for the tests that prove a
race makes exactly one effect.

The threads are released together by a barrier. On PostgreSQL they then really run at
once. The in-memory SQLite test database cannot take concurrent writers from threads,
so there they take turns through the same code (CI runs both databases)."""

import threading
from collections.abc import Callable
from contextlib import nullcontext

from django.db import connection, connections


def run_at_once(action: Callable[[int], object], count: int) -> list:
    """Call `action(index)` for index 0..count-1, one thread each, all released at once;
    return what the calls returned, in the order they finished."""
    barrier = threading.Barrier(count)
    one_at_a_time = nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    outcomes = []

    def race(index):
        try:
            barrier.wait(timeout=30)
            with one_at_a_time:
                outcomes.append(action(index))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
