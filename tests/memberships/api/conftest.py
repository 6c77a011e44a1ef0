from django.core.cache import cache

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """API throttles count in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()
