"""`manage.py backup`: make an encrypted backup now, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from audit.changes import log_change, operator
from operations.backups import human_size, run_backup
from operations.models import BackupRecord


class Command(BaseCommand):
    help = "Back up the database and all media into one encrypted archive, keep the newest few, mail admins."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for cron logs).")

    def handle(self, *args, no_progress=False, **options):
        bar = None

        def progress_factory(total: int):
            nonlocal bar
            bar = tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc="Backing up",
                file=self.stderr._out,
                disable=no_progress,
            )
            return bar.update

        record = run_backup(kind=BackupRecord.Kind.MANUAL, progress_factory=progress_factory)
        if bar is not None:
            bar.close()
        log_change(record, "operations.backup.create", user=None, via=operator("manage.py backup"))
        if record.status != BackupRecord.Status.SUCCEEDED:
            raise CommandError(f"Backup {record.pk} failed: {record.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup {record.pk} done: {human_size(record.size)} in {record.duration_seconds:.1f} s, "
                f"{record.manifest.get('file_count', 0)} files\n  sha256 {record.sha256}\n  "
                + "\n  ".join(record.locations)
            )
        )
