"""django-q2 entry points for analytics' schedules (see analytics/schedules.py)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import rollups

logger = logging.getLogger(__name__)


def rollup_recent_days(days: int = 3) -> int:
    """Finalise yesterday and recompute the days before it, which late events may touch."""
    today = timezone.localdate()
    count = rollups.rollup_range(today - timedelta(days=days), today - timedelta(days=1))
    logger.info("analytics: rolled up %s days", count)
    return count


def refresh_today() -> None:
    """Recompute today's partial row; a dashboard doing the same at that moment wins."""
    rollups.ensure_today_fresh(max_age_seconds=0)


def delete_old_events() -> int:
    deleted = rollups.delete_old_events(settings.ANALYTICS_RETENTION_DAYS)
    logger.info("analytics: deleted %s raw events past retention", deleted)
    return deleted
