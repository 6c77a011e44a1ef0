"""`manage.py restore_backup <id|file>`: verify an archive completely, then restore it."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from audit.changes import log_change, operator
from operations import crypto, restore
from operations.backups import BackupError, copy_to_local, human_size
from operations.models import BackupRecord


class Command(BaseCommand):
    help = (
        "Restore the database and media from a backup (a BackupRecord id or an archive file). "
        "The whole archive is verified first; nothing changes if any check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="BackupRecord id, or the path of a .lbak archive.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, backup, yes=False, no_progress=False, **options):
        work_root = Path(settings.BACKUP_DIR)
        work_root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=work_root) as work:
            work = Path(work)
            archive = self._locate(backup, work)
            verified = self._verify(archive, work, no_progress)
            self._describe(verified)
            if not yes and not self._confirmed():
                raise CommandError("Restore cancelled; nothing was changed.")
            total = 1 + len(verified.media)
            with tqdm(
                total=total, unit="item", desc="Restoring", file=self.stderr._out, disable=no_progress
            ) as bar:
                try:
                    restore.apply(verified, progress=bar.update)
                except (restore.RestoreError, BackupError) as error:
                    raise CommandError(f"Restore failed: {error}") from error
        self._audit(verified)
        summary = verified.media_summary()
        lines = [
            f"Restored the {verified.manifest['db_vendor']} database from {verified.manifest['created_at']}."
        ]
        for alias, label in (("default", "public"), ("private", "private")):
            count, size = summary.get(alias, (0, 0))
            lines.append(f"Restored {count} {label} media files ({human_size(size)}).")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
        for warning in verified.warnings:
            self.stdout.write(self.style.WARNING(warning))

    def _audit(self, verified: restore.VerifiedArchive) -> None:
        """Written into the restored database, so the restore is the first thing it remembers."""
        record = BackupRecord.objects.filter(pk=verified.manifest.get("backup_id")).first()
        if record is not None:
            log_change(
                record, "operations.backup.restore", user=None, via=operator("manage.py restore_backup")
            )

    def _locate(self, backup: str, work: Path) -> Path:
        path = Path(backup)
        if path.is_file():
            return path
        if backup.isdigit():
            record = BackupRecord.objects.filter(pk=int(backup)).first()
            if record is None:
                raise CommandError(f"No backup with id {backup} and no file of that name.")
            try:
                return copy_to_local(record, work / "download.lbak")
            except BackupError as error:
                raise CommandError(str(error)) from error
        raise CommandError(f"{backup!r} is neither a backup id nor an existing file.")

    def _verify(self, archive: Path, work: Path, no_progress: bool) -> restore.VerifiedArchive:
        staging = work / "staging"
        staging.mkdir(mode=0o700)
        size = archive.stat().st_size
        with tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc="Verifying",
            file=self.stderr._out,
            disable=no_progress,
        ) as bar:
            try:
                return restore.verify_and_stage(archive, staging, progress=bar.update)
            except (crypto.BackupIntegrityError, restore.RestoreError) as error:
                raise CommandError(
                    f"Refusing to restore {archive.name}: {error} Nothing was changed."
                ) from error

    def _describe(self, verified: restore.VerifiedArchive) -> None:
        manifest = verified.manifest
        count = len(manifest.get("files", []))
        total = sum(entry["size"] for entry in manifest.get("files", []))
        self.stdout.write(
            f"Archive verified: backup {manifest.get('backup_id')} of {manifest['created_at']}, "
            f"{manifest['db_vendor']} database, {count} files ({human_size(total)}), every checksum matches."
        )

    def _confirmed(self) -> bool:
        answer = input("This REPLACES the database and media files. Type 'yes' to continue: ")
        return answer.strip().lower() == "yes"
