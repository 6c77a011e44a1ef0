"""/healthz and /readyz for load balancers: fast JSON, never cached, 503 when a
dependency is down (simulated by pointing it at a dead port)."""

import socket

from django.db import connections
from django.db.utils import ConnectionHandler

import pytest

pytestmark = pytest.mark.django_db


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again at once: nothing listens there


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_every_check_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "task_queue"}
    assert all(check["status"] == "ok" and check["ms"] >= 0 for check in body["checks"].values())
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_readyz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead_port()}/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def dead_database(monkeypatch):
    """Swap the default connection for one aimed at a server that is not there."""
    live = connections["default"]
    broken = dict(live.settings_dict)
    if live.vendor == "postgresql":
        broken.update(HOST="127.0.0.1", PORT=str(dead_port()))
    else:
        broken.update(NAME="/nonexistent-directory/db.sqlite3")
    handler = ConnectionHandler({"default": broken})
    monkeypatch.setitem(connections._connections.__dict__, "default", handler["default"])
    yield
    handler["default"].close()


def test_readyz_is_503_when_the_database_is_down(client, dead_database):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == {
        "status": "fail",
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert body["checks"]["cache"]["status"] == "ok"


def test_readyz_failure_does_not_leak_details(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead_port()}/0",
        }
    }
    text = client.get("/readyz").content.decode()
    assert "127.0.0.1" not in text and "Traceback" not in text


def test_health_endpoints_refuse_writes(client):
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


def test_concurrent_cache_probes_do_not_report_each_other_as_failures(settings):
    """Found under wrk against Redis: probes sharing one cache key overwrote each
    other's token between set and get. Always on Redis (the machine's server), where
    the race shows; local memory hides it behind the GIL."""
    from concurrent.futures import ThreadPoolExecutor

    from operations.health import check_cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL or "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "lectern-test-readyz",
        }
    }

    def probe(_):
        for _ in range(200):
            check_cache()
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(probe, range(8)))
