"""Liveness and readiness checks for load balancers.

Readiness asks each dependency the cheapest question that proves it answers: one
`SELECT 1`, a cache round trip, a storage `exists()`, the task broker's ping. Each
check is timed and reports only its status and an error class name, never details, as
the endpoint is public.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connections

_broker = None


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    # A key per probe: with one shared key, concurrent probes overwrite each other's
    # token between set and get and report a healthy cache as failing.
    token = uuid.uuid4().hex
    key = f"operations:readyz:{token}"
    cache.set(key, token, 10)
    if cache.get(key) != token:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def check_storage() -> None:
    for alias in ("default", "private"):
        storages[alias].exists("operations-readyz-probe")


def check_task_queue() -> None:
    """Redis broker: PING. ORM broker: the queue table answers (its ping is a no-op)."""
    global _broker
    if "redis" in settings.Q_CLUSTER:
        if _broker is None:
            from django_q.brokers import get_broker

            _broker = get_broker()
        _broker.ping()
    else:
        from django_q.models import OrmQ

        OrmQ.objects.using(settings.Q_CLUSTER.get("orm", "default")).exists()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "task_queue": check_task_queue,
}


def readiness() -> tuple[bool, dict]:
    """Run every check; (all ok, {name: {"status", "ms", "error"?}})."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure at all means "not ready"
            results[name] = {"status": "fail", "error": type(error).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 2)
    return all(result["status"] == "ok" for result in results.values()), results
