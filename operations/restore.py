"""Restore: prove the whole archive good first, then replace the database and media.

Verification is one full pass before anything live is touched: every chunk's GCM tag,
the final-chunk flag (truncation), the manifest's format version, the database vendor,
and every file's size and sha256 against the manifest (no file missing, none extra).
The verified members are staged in a private temporary directory and restored from
there, so what is restored is exactly what was verified, not a second read that could
differ.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import storages
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from . import crypto
from .backups import FORMAT_VERSION, MANIFEST_NAME, MEDIA_PREFIXES, pg_environment, pg_tool

Progress = Callable[[int], None]
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class RestoreError(Exception):
    """The archive cannot be restored here; nothing has been changed."""


@dataclass
class StagedFile:
    arcname: str
    path: Path
    size: int
    sha256: str


@dataclass
class VerifiedArchive:
    manifest: dict
    database: StagedFile
    media: list[tuple[str, str, StagedFile]]  # (storage alias, name in storage, staged file)
    warnings: list[str] = field(default_factory=list)

    def media_summary(self) -> dict[str, tuple[int, int]]:
        summary: dict[str, tuple[int, int]] = {}
        for alias, _name, staged in self.media:
            count, size = summary.get(alias, (0, 0))
            summary[alias] = (count + 1, size + staged.size)
        return summary


class _CountingReader:
    def __init__(self, source: BinaryIO, progress: Progress | None):
        self._source, self._progress = source, progress

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        if self._progress and data:
            self._progress(len(data))
        return data


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not name or name != str(path):
        raise RestoreError(f"Archive member has an unsafe name: {name!r}.")
    return name


def verify_and_stage(
    archive_path: Path,
    staging: Path,
    key: bytes | None = None,
    progress: Progress | None = None,
    alias: str = "default",
) -> VerifiedArchive:
    """Decrypt, authenticate and check the whole archive into `staging`. Raises
    crypto.BackupIntegrityError (tampered, truncated, wrong key) or RestoreError."""
    key = crypto.load_key() if key is None else key
    staged: dict[str, StagedFile] = {}
    manifest: dict | None = None
    with open(archive_path, "rb") as raw:
        reader = crypto.DecryptingReader(_CountingReader(raw, progress), key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as archive:
                for index, member in enumerate(archive):
                    name = _safe_member_name(member.name)
                    if manifest is not None:
                        raise RestoreError(f"Archive has a member after the manifest: {name!r}.")
                    if not member.isfile():
                        raise RestoreError(f"Archive member {name!r} is not a regular file.")
                    if name in staged:
                        raise RestoreError(f"Archive member {name!r} appears twice.")
                    source = archive.extractfile(member)
                    if name == MANIFEST_NAME:
                        if member.size > MAX_MANIFEST_BYTES:
                            raise RestoreError("Archive manifest is implausibly large.")
                        try:
                            manifest = json.loads(source.read())
                        except ValueError as error:
                            raise RestoreError(f"Archive manifest is not valid JSON: {error}.") from error
                        continue
                    target = staging / f"{index:07d}"
                    digest = hashlib.sha256()
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as out:
                        while chunk := source.read(1024 * 1024):
                            digest.update(chunk)
                            out.write(chunk)
                    staged[name] = StagedFile(name, target, member.size, digest.hexdigest())
            # tar stops at its end marker; read on so the final chunk's tag is checked too.
            while reader.read(1024 * 1024):
                pass
        except tarfile.TarError as error:
            raise RestoreError(f"Archive content is not a valid tar stream: {error}.") from error
    return _check_manifest(manifest, staged, alias)


def _check_manifest(manifest: dict | None, staged: dict[str, StagedFile], alias: str) -> VerifiedArchive:
    if manifest is None:
        raise RestoreError("Archive has no manifest: it is incomplete.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise RestoreError(
            f"Archive format version {version!r} is not supported (this build reads {FORMAT_VERSION})."
        )
    listed = {entry["name"]: entry for entry in manifest.get("files", [])}
    missing = sorted(set(listed) - set(staged))
    extra = sorted(set(staged) - set(listed))
    if missing or extra:
        raise RestoreError(
            f"Archive does not match its manifest (missing {missing[:5]}, unlisted {extra[:5]})."
        )
    for name, entry in listed.items():
        file = staged[name]
        if file.size != entry["size"] or file.sha256 != entry["sha256"]:
            raise RestoreError(f"Checksum mismatch for {name!r}: the archive is damaged.")
    vendor = connections[alias].vendor
    if manifest.get("db_vendor") != vendor:
        raise RestoreError(
            f"Archive holds a {manifest.get('db_vendor')} database; this site runs {vendor}. Nothing was changed."
        )
    database_member = manifest.get("database_member", "")
    if database_member not in staged:
        raise RestoreError("Archive manifest names no database dump.")
    media = []
    for name, file in staged.items():
        for prefix, storage_alias in MEDIA_PREFIXES.items():
            if name.startswith(prefix):
                media.append((storage_alias, name.removeprefix(prefix), file))
    verified = VerifiedArchive(manifest, staged[database_member], media)
    verified.warnings = migration_warnings(manifest.get("migrations", []))
    return verified


def migration_warnings(archived: list[str]) -> list[str]:
    """Compare the archive's applied migrations with this code's, so the operator knows to migrate."""
    on_disk = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    archived_set = set(archived)
    warnings = []
    newer = sorted(archived_set - on_disk)
    if newer:
        warnings.append(
            f"The archive was made by newer code ({len(newer)} migrations unknown here, e.g. {newer[0]})."
        )
    pending = sorted(on_disk - archived_set)
    if pending:
        warnings.append(
            f"{len(pending)} migrations are newer than the archive: run `manage.py migrate` after restoring."
        )
    return warnings


# --- Applying -----------------------------------------------------------------------------


def restore_database(staged: StagedFile, alias: str = "default") -> None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        connection.close()
        db = connection.settings_dict
        # An argument list, no shell; the database name comes from our own settings.
        result = subprocess.run(  # noqa: S603
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={db['NAME']}",
                str(staged.path),
            ],
            env=pg_environment(db),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RestoreError(
                f"pg_restore failed (the transaction was rolled back): {result.stderr.strip()}"
            )
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(staged.path)
        try:
            source.backup(connection.connection)  # replaces the live database page by page
        finally:
            source.close()
        return
    raise RestoreError(f"Restore supports PostgreSQL and SQLite, not {connection.vendor}.")


def restore_media(verified: VerifiedArchive, progress: Progress | None = None) -> None:
    for alias, name, staged in verified.media:
        storage = storages[alias]
        if storage.exists(name):
            storage.delete(name)
        with open(staged.path, "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise RestoreError(f"Storage {alias!r} saved {name!r} as {saved!r}.")
        if progress:
            progress(1)


def apply(verified: VerifiedArchive, alias: str = "default", progress: Progress | None = None) -> None:
    """Replace the database, then the media. Only call with a VerifiedArchive."""
    restore_database(verified.database, alias)
    if progress:
        progress(1)
    restore_media(verified, progress)
