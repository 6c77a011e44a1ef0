"""django-q2 jobs (scheduled in schedules.py). They record and mail their own failures,
so they return a summary instead of raising: a raised error would be re-queued by the
broker and, for a backup, run (and mail) again."""

from audit.changes import log_change

from .backups import run_backup
from .cleanup import delete_old_access_logs
from .models import BackupRecord
from .monitoring import take_sample


def nightly_backup() -> str:
    record = run_backup(kind=BackupRecord.Kind.SCHEDULED)
    log_change(record, "operations.backup.create", user=None, via="schedule")
    return f"backup {record.pk}: {record.status} {record.error}".strip()


def system_sample() -> str:
    sample = take_sample()
    return f"sample {sample.pk}"


def cleanup_access_logs() -> dict[str, int]:
    return delete_old_access_logs()
