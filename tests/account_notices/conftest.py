from django.core.cache import cache

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's sign-up and reset limits count per address in the cache, and every
    test client is 127.0.0.1: start each test with empty counters."""
    cache.clear()
