"""Backups: dump the database, archive it with all media, encrypt as it streams, keep 3.

One archive holds everything needed to bring the site back: the database dump
(`pg_dump --format=custom` on PostgreSQL, SQLite's online backup API on SQLite), the
public media (default storage) and the private media (storages["private"]: ebooks,
video sources and packaged HLS). A manifest records what went in, with the sha256 of
every file, so restore can prove the archive complete before it changes anything.

The tar stream is written straight into `crypto.EncryptingWriter`: nothing unencrypted
of the archive ever touches the disk (only the database dump, briefly, in a private
temporary directory beside the backups, because tar needs each member's size first).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import Storage, storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import crypto
from .models import BackupRecord

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
ARCHIVE_SUFFIX = ".lbak"
# Archive member prefixes → the storage alias their files belong to.
MEDIA_PREFIXES = {"media/public/": "default", "media/private/": "private"}

Progress = Callable[[int], None]


class BackupError(Exception):
    """A backup step failed; the message says which and why."""


def last_backup() -> BackupRecord | None:
    """The most recent backup that finished or failed (not a still-running or pruned one)."""
    return (
        BackupRecord.objects.filter(status__in=[BackupRecord.Status.SUCCEEDED, BackupRecord.Status.FAILED])
        .order_by("-started_at")
        .first()
    )


# --- What goes in --------------------------------------------------------------------


@dataclass
class Member:
    """One file of the archive: its name inside, its size, and how to open it."""

    arcname: str
    size: int
    open: Callable[[], BinaryIO]


def walk_storage(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in a storage, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from walk_storage(storage, f"{path}/{directory}" if path else directory)


def media_members() -> list[Member]:
    members = []
    for prefix, alias in MEDIA_PREFIXES.items():
        storage = storages[alias]
        for name in walk_storage(storage):
            members.append(
                Member(
                    prefix + name,
                    storage.size(name),
                    lambda storage=storage, name=name: storage.open(name, "rb"),
                )
            )
    return members


def applied_migrations(alias: str = "default") -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# --- Database dump ----------------------------------------------------------------------


def pg_environment(db: dict) -> dict[str, str]:
    """libpq reads these, so the password never shows in `ps` or a shell history."""
    environment = os.environ.copy()
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            environment[variable] = str(db[key])
        else:
            environment.pop(variable, None)
    environment["PGDATABASE"] = db["NAME"]
    return environment


def pg_tool(name: str) -> str:
    """Full path of a PostgreSQL client program (postgresql-client), or a clear error."""
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client).")
    return path


def dump_database(target_dir: Path, alias: str = "default") -> Path:
    """Write a consistent dump of the database into target_dir; return its path."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        path = target_dir / "db.dump"
        # An argument list, no shell; the only variable part is our own temporary path.
        result = subprocess.run(  # noqa: S603
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)],
            env=pg_environment(connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip() or result.returncode}")
        return path
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # The online backup API would wait forever on our own open write transaction.
            raise BackupError("SQLite can only be backed up outside a transaction (autocommit).")
        path = target_dir / "db.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            # The online backup API copies a consistent snapshot while the site keeps writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return path
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


# --- Writing the archive ----------------------------------------------------------------


class _HashingReader:
    """Feeds tarfile while hashing and reporting progress, so each file is read once."""

    def __init__(self, source: BinaryIO, progress: Progress | None):
        self._source = source
        self._progress = progress
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        if self._progress and data:
            self._progress(len(data))
        return data


def write_archive(
    sink: BinaryIO, members: list[Member], manifest: dict, key: bytes, progress: Progress | None = None
) -> crypto.EncryptingWriter:
    """Stream members into an encrypted tar in sink; the manifest (with hashes) goes last."""
    writer = crypto.EncryptingWriter(sink, key, chunk_size=settings.BACKUP_CHUNK_SIZE)
    files = []
    with tarfile.open(fileobj=writer, mode="w|") as archive:
        for member in members:
            info = tarfile.TarInfo(member.arcname)
            info.size, info.mtime, info.mode = member.size, int(time.time()), 0o600
            with member.open() as source:
                reader = _HashingReader(source, progress)
                archive.addfile(info, reader)
            files.append({"name": member.arcname, "size": member.size, "sha256": reader.digest.hexdigest()})
        manifest = {**manifest, "files": files}
        body = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
        archive.addfile(info, _BytesReader(body))
    writer.close()
    return writer


class _BytesReader:
    def __init__(self, data: bytes):
        self._data, self._pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk, self._pos = self._data[self._pos : end], min(end, len(self._data))
        return chunk


# --- Storing and retention --------------------------------------------------------------


def s3_client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL or None,
        region_name=settings.BACKUP_S3_REGION or None,
        aws_access_key_id=settings.BACKUP_S3_ACCESS_KEY_ID or None,
        aws_secret_access_key=settings.BACKUP_S3_SECRET_ACCESS_KEY or None,
    )


def s3_key(filename: str) -> str:
    prefix = settings.BACKUP_S3_PREFIX.strip("/")
    return f"{prefix}/{filename}" if prefix else filename


def upload_to_s3(path: Path) -> str:
    key = s3_key(path.name)
    s3_client().upload_file(str(path), settings.BACKUP_S3_BUCKET, key)  # multipart for big files
    return f"s3://{settings.BACKUP_S3_BUCKET}/{key}"


def remove_copies(record: BackupRecord) -> None:
    """Delete every stored copy of one backup (local file and S3 object)."""
    for location in record.locations:
        if location.startswith("local:"):
            Path(location.removeprefix("local:")).unlink(missing_ok=True)
        elif location.startswith("s3://"):
            bucket, _, key = location.removeprefix("s3://").partition("/")
            s3_client().delete_object(Bucket=bucket, Key=key)


def apply_retention(keep: int | None = None) -> list[BackupRecord]:
    """Keep the newest `keep` successful backups (locally and on S3); prune the rest."""
    keep = settings.BACKUP_KEEP if keep is None else keep
    succeeded = BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED).order_by(
        "-started_at", "-pk"
    )
    pruned = []
    for record in succeeded[keep:]:
        remove_copies(record)
        record.status, record.locations = BackupRecord.Status.PRUNED, []
        record.save(update_fields=["status", "locations"])
        pruned.append(record)
        logger.info("backup %s pruned by retention (keeping %s)", record.pk, keep)
    return pruned


# --- Telling admins ---------------------------------------------------------------------


def admin_recipients() -> list[tuple[object | None, str]]:
    """(user or None, address) for settings.ADMINS, or every active superuser if none are set."""
    if settings.ADMINS:
        return [(None, email) for _name, email in settings.ADMINS]
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    return [(user, user.email) for user in superusers.order_by("pk")]


def notify_admins(template: str, context: dict) -> int:
    """Mail every admin through the logged, templated mail path; returns how many."""
    from notifications.mail import send_templated_email

    recipients = admin_recipients()
    for user, address in recipients:
        send_templated_email(template, user, context, to=address)
    return len(recipients)


def human_size(size: int | None) -> str:
    value = float(size or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _mail_outcome(record: BackupRecord) -> None:
    context = {
        "backup": record,
        "size_display": human_size(record.size),
        "duration_display": f"{record.duration_seconds or 0:.1f} s",
        "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/operations/backups/",
    }
    template = "backup_succeeded" if record.status == BackupRecord.Status.SUCCEEDED else "backup_failed"
    try:
        sent = notify_admins(template, context)
    except Exception:  # a mail problem must not turn a good backup into a failed one
        logger.exception("could not mail admins about backup %s", record.pk)
        return
    if sent:
        record.emailed = True
        record.save(update_fields=["emailed"])


# --- The whole run ----------------------------------------------------------------------


def run_backup(
    kind: str = BackupRecord.Kind.MANUAL,
    progress_factory: Callable[[int], Progress] | None = None,
) -> BackupRecord:
    """Make one backup end to end and mail admins the outcome. Never raises for a failed
    backup: the returned record says FAILED with the error (callers decide the exit code).

    progress_factory(total_bytes) returns a callback taking byte counts (the command's bar).
    """
    record = BackupRecord.objects.create(
        kind=kind, status=BackupRecord.Status.RUNNING, started_at=timezone.now()
    )
    backup_dir = Path(settings.BACKUP_DIR)
    partial: Path | None = None
    logger.info("backup %s started (%s)", record.pk, kind)
    try:
        key = crypto.load_key()
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryDirectory(prefix=".dump-", dir=backup_dir) as scratch:
            dump = dump_database(Path(scratch))
            members = [
                Member(f"database/{dump.name}", dump.stat().st_size, lambda: dump.open("rb")),
                *media_members(),
            ]
            connection = connections["default"]
            manifest = {
                "format_version": FORMAT_VERSION,
                "created_at": record.started_at.isoformat(),
                "backup_id": record.pk,
                "db_vendor": connection.vendor,
                "database_member": f"database/{dump.name}",
                "migrations": applied_migrations(),
            }
            filename = f"lectern-{record.started_at:%Y%m%d-%H%M%S}-{record.pk}{ARCHIVE_SUFFIX}"
            final = backup_dir / filename
            partial = backup_dir / f".{filename}.partial"
            progress = progress_factory(sum(m.size for m in members)) if progress_factory else None
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as sink:
                writer = write_archive(sink, members, manifest, key, progress)
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(partial, final)
            partial = None
        locations = [f"local:{final}"]
        if settings.BACKUP_S3_BUCKET:
            locations.append(upload_to_s3(final))
        record.status = BackupRecord.Status.SUCCEEDED
        record.filename, record.size, record.sha256 = filename, writer.bytes_written, writer.sha256
        record.key_id, record.locations = crypto.key_id(key), locations
        record.manifest = {
            **{k: v for k, v in manifest.items() if k != "migrations"},
            "file_count": len(members),
            "plain_bytes": sum(m.size for m in members),
            "migration_count": len(manifest["migrations"]),
        }
    except Exception as error:
        logger.exception("backup %s failed", record.pk)
        record.status, record.error = BackupRecord.Status.FAILED, f"{type(error).__name__}: {error}"
        if partial is not None:
            partial.unlink(missing_ok=True)
    record.finished_at = timezone.now()
    record.save()
    if record.status == BackupRecord.Status.SUCCEEDED:
        logger.info("backup %s succeeded: %s bytes, sha256 %s", record.pk, record.size, record.sha256)
        try:
            apply_retention()
        except Exception as error:
            logger.exception("retention after backup %s failed", record.pk)
            record.error = f"Retention failed: {error}"
            record.save(update_fields=["error"])
    _mail_outcome(record)
    return record


def copy_to_local(record: BackupRecord, target: Path) -> Path:
    """Fetch a backup's archive to target (from disk if present, else from S3)."""
    local = record.local_path
    if local and Path(local).exists():
        return Path(local)
    for location in record.locations:
        if location.startswith("s3://"):
            bucket, _, key = location.removeprefix("s3://").partition("/")
            s3_client().download_file(bucket, key, str(target))
            return target
    raise BackupError(f"Backup {record.pk} has no stored copy left ({record.get_status_display()}).")
