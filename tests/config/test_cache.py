"""The Redis cache backend (config/cache.py) behaves as Django's own: the rate limits
and the playback gate rely on `add`/`incr`. Always on the machine's Redis."""

from django.core.cache import caches
from django.test import RequestFactory

import pytest
from django_ratelimit.core import is_ratelimited


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": settings.REDIS_URL or "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "lectern-test-cache",
        }
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_incr_counts_an_existing_key_and_refuses_a_missing_one(redis_cache):
    redis_cache.set("counter", 5, timeout=60)
    assert redis_cache.incr("counter") == 6
    assert redis_cache.incr("counter", 10) == 16
    assert redis_cache.decr("counter", 3) == 13
    assert redis_cache.get("counter") == 13
    with pytest.raises(ValueError, match="not found"):
        redis_cache.incr("never-set")
    assert redis_cache.get("never-set") is None  # a missing key is not created


def test_incr_keeps_the_keys_expiry(redis_cache):
    redis_cache.set("window", 1, timeout=30)
    redis_cache.incr("window")
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_and_validate_key("window")) <= 30


def test_rate_limit_on_redis_refuses_the_request_over_the_limit(redis_cache):
    request = RequestFactory().get("/video/key/x/", REMOTE_ADDR="192.0.2.7")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    seen = [
        is_ratelimited(request, group="test.cache", key="ip", rate="3/m", increment=True) for _ in range(5)
    ]
    assert seen == [False, False, False, True, True]
