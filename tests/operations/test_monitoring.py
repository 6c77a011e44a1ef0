"""Monitoring: samples every 5 minutes; one mail per incident, not one per sample."""

from datetime import timedelta

from django.core import mail
from django.db import connection
from django.utils import timezone

import pytest
from django_q.models import Schedule

from notifications.models import EmailLog
from operations import monitoring
from operations.models import Incident, SystemSample

pytestmark = pytest.mark.django_db


@pytest.fixture
def thresholds(settings, admins):
    settings.MONITOR_CPU_PERCENT = 90
    settings.MONITOR_MEMORY_PERCENT = 90
    settings.MONITOR_DISK_PERCENT = 90
    settings.MONITOR_DB_CONNECTIONS = 50
    settings.MONITOR_HYSTERESIS_MARGIN = 10
    return settings


def sample(minutes: int, cpu: float = 10, memory: float = 10, disk: float = 10, connections=None):
    return SystemSample.objects.create(
        taken_at=timezone.now() + timedelta(minutes=minutes),
        cpu_percent=cpu,
        memory_percent=memory,
        disk_percent=disk,
        db_connections=connections,
    )


def alert_mails(metric_label: str = "CPU"):
    return EmailLog.objects.filter(template="operations_alert", subject__contains=metric_label)


def test_crossing_a_threshold_mails_admins_once_while_the_incident_lasts(thresholds):
    cpu_values = [50, 95, 97, 92, 85, 81, 99]  # 85 and 81 are under 90 but not under 80
    for minute, cpu in enumerate(cpu_values):
        monitoring.evaluate(sample(minute * 5, cpu=cpu))

    incident = Incident.objects.get()
    assert incident.is_open and incident.emailed
    assert incident.peak_value == 99 and incident.last_value == 99
    assert alert_mails().count() == 2  # one incident, two admins: one mail each


def test_falling_below_threshold_minus_margin_closes_and_a_new_crossing_mails_again(thresholds):
    for minute, cpu in enumerate([95, 79, 80, 91]):
        monitoring.evaluate(sample(minute * 5, cpu=cpu))

    first, second = Incident.objects.order_by("opened_at")
    assert not first.is_open and first.closed_at is not None
    assert second.is_open
    assert alert_mails().count() == 4  # two incidents × two admins


def test_each_metric_has_its_own_incident(thresholds):
    monitoring.evaluate(sample(0, cpu=95, disk=97, connections=60))
    assert set(Incident.objects.values_list("metric", flat=True)) == {
        "cpu_percent",
        "disk_percent",
        "db_connections",
    }
    assert alert_mails("Disk").count() == 2
    assert alert_mails("DB connections").count() == 2


def test_the_alert_mail_says_what_how_much_and_when_it_closes(thresholds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.evaluate(sample(0, memory=96.4))
    message = mail.outbox[0]
    assert "RAM at 96.4%" in message.subject and "above 90.0%" in message.subject
    assert "falls below 80.0%" in message.body
    assert "will not be mailed again" in message.body


def test_thresholds_are_configurable(thresholds):
    thresholds.MONITOR_CPU_PERCENT = 50
    monitoring.evaluate(sample(0, cpu=60))
    assert Incident.objects.filter(metric="cpu_percent").exists()


def test_a_real_sample_records_plausible_figures_and_the_db_connections(thresholds):
    taken = monitoring.take_sample()
    assert 0 <= taken.cpu_percent <= 100
    assert 0 < taken.memory_percent <= 100
    assert 0 < taken.disk_percent <= 100
    if connection.vendor == "postgresql":
        assert taken.db_connections >= 1
    else:
        assert taken.db_connections is None  # SQLite: not applicable, shown as n/a
    assert monitoring.latest_sample() == taken


def test_old_samples_are_dropped(thresholds, settings):
    settings.MONITOR_SAMPLE_DAYS = 30
    old = sample(-31 * 24 * 60)
    monitoring.take_sample()
    assert not SystemSample.objects.filter(pk=old.pk).exists()


def test_latest_sample_is_none_before_the_first_one():
    assert monitoring.latest_sample() is None


def test_migrate_schedules_backup_samples_and_cleanup():
    from operations.schedules import ensure_schedules

    ensure_schedules()
    backup = Schedule.objects.get(func="operations.tasks.nightly_backup")
    assert backup.schedule_type == Schedule.CRON and backup.cron == "0 2 * * *"
    samples = Schedule.objects.get(func="operations.tasks.system_sample")
    assert samples.schedule_type == Schedule.MINUTES and samples.minutes == 5
    assert Schedule.objects.filter(func="operations.tasks.cleanup_access_logs").exists()
    ensure_schedules()
    assert Schedule.objects.filter(func__startswith="operations.tasks.").count() == 3
