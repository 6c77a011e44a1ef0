"""What operations keeps: backups made, resource samples taken, and open alert incidents.

Other areas read these through `operations.backups.last_backup()` and
`operations.monitoring.latest_sample()` rather than querying the models directly.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackupRecord(models.Model):
    """One backup run: what it produced, where it went, and whether admins were told."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        MANUAL = "manual", _("Manual")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        PRUNED = "pruned", _("Removed by retention")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(null=True, blank=True, help_text=_("Encrypted archive size in bytes."))
    sha256 = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the encrypted archive."))
    key_id = models.CharField(max_length=32, blank=True)
    locations = models.JSONField(
        default=list, blank=True, help_text=_('Where copies are, e.g. ["local:/var/backups/x", "s3://b/x"].')
    )
    manifest = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"Backup {self.pk} ({self.get_status_display()}, {timezone.localtime(self.started_at):%Y-%m-%d %H:%M})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def local_path(self) -> str:
        for location in self.locations:
            if location.startswith("local:"):
                return location.removeprefix("local:")
        return ""


class SystemSample(models.Model):
    """CPU, RAM, disk and DB connections at one moment (every 5 minutes)."""

    taken_at = models.DateTimeField(db_index=True)
    cpu_percent = models.FloatField()
    memory_percent = models.FloatField()
    disk_percent = models.FloatField(help_text=_("Use of the volume holding media and the database."))
    db_connections = models.IntegerField(
        null=True,
        blank=True,
        help_text=_("Open connections (PostgreSQL); empty (n/a) on SQLite, which has no server connections."),
    )

    class Meta:
        ordering = ["-taken_at"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"Sample {self.taken_at:%Y-%m-%d %H:%M}"


class Incident(models.Model):
    """A metric above its threshold. Open until it falls below threshold minus a margin;
    admins are mailed once when it opens (and once when it closes), never every 5 minutes."""

    metric = models.CharField(max_length=30)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    threshold = models.FloatField()
    peak_value = models.FloatField()
    last_value = models.FloatField()
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_incident_per_metric",
            )
        ]

    def __str__(self) -> str:
        state = "open" if self.closed_at is None else "closed"
        return f"{self.metric} incident ({state}) since {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
