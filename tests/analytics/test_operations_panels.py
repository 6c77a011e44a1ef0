"""System and backup panels show what operations records, for superusers only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

pytestmark = pytest.mark.django_db


def test_system_panel_shows_the_latest_sample(client, admin_user, home):
    from operations.models import SystemSample

    now = timezone.now()
    SystemSample.objects.create(
        taken_at=now - timedelta(minutes=10),
        cpu_percent=5,
        memory_percent=5,
        disk_percent=5,
        db_connections=1,
    )
    SystemSample.objects.create(
        taken_at=now, cpu_percent=42.4, memory_percent=63.6, disk_percent=71, db_connections=7
    )
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "<dt>CPU</dt><dd>42%</dd>" in html
    assert "<dt>RAM</dt><dd>64%</dd>" in html
    assert "<dt>DB connections</dt><dd>7</dd>" in html


def test_backup_panel_shows_the_last_backup(client, admin_user, home):
    from operations.models import BackupRecord

    now = timezone.now()
    BackupRecord.objects.create(
        started_at=now - timedelta(minutes=3),
        finished_at=now,
        status=BackupRecord.Status.FAILED,
        error="pg_dump: connection refused",
    )
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "analytics-status--failed" in html
    assert "pg_dump: connection refused" in html


def test_panels_survive_operations_failing(client, admin_user, home, monkeypatch):
    import operations.backups
    import operations.monitoring

    def broken():
        raise RuntimeError("monitoring is down")

    monkeypatch.setattr(operations.monitoring, "latest_sample", broken)
    monkeypatch.setattr(operations.backups, "last_backup", broken)
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "No data yet: the first sample" in response.content.decode()
