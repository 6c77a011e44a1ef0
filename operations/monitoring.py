"""Resource monitoring: a sample every 5 minutes, threshold incidents with hysteresis.

An incident opens when a metric goes above its threshold and admins are mailed once.
It stays open, with no further mail, until the metric falls below threshold minus
MONITOR_HYSTERESIS_MARGIN, so a value hovering around the line does not mail every
5 minutes.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

import psutil

from .models import Incident, SystemSample

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metric:
    field: str
    label: str
    setting: str
    unit: str

    @property
    def threshold(self) -> float:
        return float(getattr(settings, self.setting))

    @property
    def close_below(self) -> float:
        return self.threshold - float(settings.MONITOR_HYSTERESIS_MARGIN)

    def display(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        return f"{value:.0f}{self.unit}" if self.unit == "" else f"{value:.1f}{self.unit}"


METRICS = [
    Metric("cpu_percent", "CPU", "MONITOR_CPU_PERCENT", "%"),
    Metric("memory_percent", "RAM", "MONITOR_MEMORY_PERCENT", "%"),
    Metric("disk_percent", "Disk", "MONITOR_DISK_PERCENT", "%"),
    Metric("db_connections", "DB connections", "MONITOR_DB_CONNECTIONS", ""),
]


def latest_sample() -> SystemSample | None:
    """The newest SystemSample, or None before the first one is taken."""
    return SystemSample.objects.order_by("-taken_at").first()


def db_connection_count(alias: str = "default") -> int | None:
    """Open server connections to our database (PostgreSQL); None on SQLite, which is a
    file inside this process and has no connections to count."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def disk_percent(path: Path | None = None) -> float:
    """Use of the volume holding media (and, beside it, the database)."""
    path = Path(path or settings.MONITOR_DISK_PATH)
    while not path.exists() and path != path.parent:
        path = path.parent
    return psutil.disk_usage(str(path)).percent


def measure() -> dict:
    return {
        "cpu_percent": psutil.cpu_percent(interval=1.0),
        "memory_percent": psutil.virtual_memory().percent,
        "disk_percent": disk_percent(),
        "db_connections": db_connection_count(),
    }


def take_sample() -> SystemSample:
    """Record one sample, open/close incidents, and drop samples past MONITOR_SAMPLE_DAYS."""
    sample = SystemSample.objects.create(taken_at=timezone.now(), **measure())
    evaluate(sample)
    cutoff = timezone.now() - timedelta(days=settings.MONITOR_SAMPLE_DAYS)
    SystemSample.objects.filter(taken_at__lt=cutoff).delete()
    return sample


def evaluate(sample: SystemSample) -> list[Incident]:
    """Apply the hysteresis rule to every metric of one sample; returns incidents opened."""
    opened = []
    for metric in METRICS:
        value = getattr(sample, metric.field)
        if value is None:
            continue
        incident = _evaluate_metric(metric, float(value), sample)
        if incident is not None:
            opened.append(incident)
    return opened


def _evaluate_metric(metric: Metric, value: float, sample: SystemSample) -> Incident | None:
    with transaction.atomic():
        current = (
            Incident.objects.select_for_update().filter(metric=metric.field, closed_at__isnull=True).first()
        )
        if current is not None:
            current.last_value, current.peak_value = value, max(current.peak_value, value)
            if value < metric.close_below:
                current.closed_at = sample.taken_at
                logger.info(
                    "%s back to %s: incident %s closed", metric.label, metric.display(value), current.pk
                )
            current.save(update_fields=["last_value", "peak_value", "closed_at"])
            return None
        if value <= metric.threshold:
            return None
        try:
            with transaction.atomic():
                incident = Incident.objects.create(
                    metric=metric.field,
                    opened_at=sample.taken_at,
                    threshold=metric.threshold,
                    peak_value=value,
                    last_value=value,
                )
        except IntegrityError:  # another worker opened it a moment ago
            return None
    logger.warning(
        "%s at %s is above %s: incident %s opened",
        metric.label,
        metric.display(value),
        metric.display(metric.threshold),
        incident.pk,
    )
    _mail_incident(incident, metric, sample)
    return incident


def _mail_incident(incident: Incident, metric: Metric, sample: SystemSample) -> None:
    from .backups import notify_admins

    context = {
        "incident": incident,
        "metric_label": metric.label,
        "value_display": metric.display(incident.last_value),
        "threshold_display": metric.display(metric.threshold),
        "close_below_display": metric.display(metric.close_below),
        "sample": sample,
        "host": socket.gethostname(),
    }
    try:
        sent = notify_admins("operations_alert", context)
    except Exception:
        logger.exception("could not mail admins about incident %s", incident.pk)
        return
    if sent:
        Incident.objects.filter(pk=incident.pk).update(emailed=True)
        incident.emailed = True
