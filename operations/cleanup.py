"""Access logs are kept ACCESS_LOG_RETENTION_DAYS (90) days, then deleted.

Which tables are access logs is decided at run time: the known ones below (skipped if
an app does not have them yet) plus any model that declares
`access_log_time_field = "<datetime field>"`, so a new log opts in without editing
this file. Analytics events are the analytics area's own job (180 days).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

KNOWN_ACCESS_LOGS = {
    "media_pipeline.KeyAccess": "at",  # every video key request, allowed or refused
    "learning.EbookDownload": "created_at",  # every ebook download
    "axes.AccessLog": "attempt_time",  # successful sign-ins
    "axes.AccessFailureLog": "attempt_time",  # failed sign-ins (lockout uses AccessAttempt)
}


def access_log_models() -> list[tuple[type, str]]:
    found: dict[str, tuple[type, str]] = {}
    for label, field in KNOWN_ACCESS_LOGS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        found[model._meta.label] = (model, field)
    for model in apps.get_models():
        field = getattr(model, "access_log_time_field", None)
        if field:
            found[model._meta.label] = (model, field)
    return list(found.values())


def delete_old_access_logs(days: int | None = None) -> dict[str, int]:
    """Delete access-log rows older than `days`; returns {model label: rows deleted}."""
    days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    deleted = {}
    for model, field in access_log_models():
        count, _ = model._base_manager.filter(**{f"{field}__lt": cutoff}).delete()
        deleted[model._meta.label] = count
    logger.info("access logs older than %s days deleted: %s", days, deleted)
    return deleted
