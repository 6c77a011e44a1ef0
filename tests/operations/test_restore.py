"""The restore drill and tampering: a backup brings back every row and every file
exactly; a modified, truncated or wrongly keyed archive is refused before anything
changes.

On PostgreSQL the drill runs in a scratch database copied from the test database, so
wiping it never touches the database other tests use.
"""

import os
import shutil
import uuid
from io import StringIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from media_pipeline.models import Video
from memberships.defaults import seed_default_tiers
from memberships.models import Subscription, Tier
from operations.backups import run_backup
from operations.models import BackupRecord
from tests.factories import UserFactory

from .conftest import OTHER_KEY, database_fingerprint, media_hashes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Written after the dump (the running record is in the archive, its success is not).
NOT_COMPARED = {"operations_backuprecord", "notifications_emaillog", "django_q_task", "django_q_ormq"}
# A restore writes one row of its own after it has finished: the audit trail's
# "Restored this backup". The drills compare the log apart from that row.
AUDIT_LOG = "wagtailcore_modellogentry"


def assert_restored_as_before(database, rows_before):
    """Every compared table is as it was at the backup; the audit log holds what it
    held then plus exactly one new entry, the restore itself."""
    rows_after = database_fingerprint(database, exclude=NOT_COMPARED | {AUDIT_LOG})
    assert rows_after == {name: rows for name, rows in rows_before.items() if name != AUDIT_LOG}
    restores = ModelLogEntry.objects.filter(action="operations.backup.restore")
    assert restores.count() == 1
    assert ModelLogEntry.objects.count() == rows_before[AUDIT_LOG][0] + 1


@pytest.fixture
def drill_database():
    """The database the drill may wipe: on PostgreSQL a scratch copy of the test
    database (CREATE DATABASE … TEMPLATE), dropped afterwards; on SQLite the in-memory
    test database itself, which the transactional test tears down anyway."""
    if connection.vendor != "postgresql":
        yield connection
        return
    original = connection.settings_dict["NAME"]
    scratch = f"{original}_drill_{uuid.uuid4().hex[:8]}"
    connection.close()
    with connection._nodb_cursor() as cursor:
        # A template must have no other session: earlier tests' live servers and
        # threads may still hold idle connections to the test database.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [original],
        )
        cursor.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{original}"')
    connection.settings_dict["NAME"] = scratch
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def seed_site(public: Path, private: Path) -> None:
    """Content, users, subscriptions, ebooks and images (seed_demo), plus a packaged
    video laid out as media_pipeline stores it, in both media storages."""
    call_command("seed_demo", stdout=StringIO())
    seed_default_tiers(Tier)
    user = UserFactory(email="drill@lectern.example")
    Subscription.objects.create(
        user=user, tier=Tier.objects.order_by("pk").first(), starts_at=timezone.now(), ends_at=None
    )
    video = Video.objects.create(title="Drill video", status="ready", duration_seconds=12.5)
    prefix = f"video/{video.public_id}/b1/"
    private_storage = storages["private"]
    video.source.save("source.mp4", ContentFile(os.urandom(50_000)), save=False)
    for index in range(3):
        private_storage.save(f"{prefix}360p/seg_{index:05d}.ts", ContentFile(os.urandom(20_000)))
    private_storage.save(f"{prefix}360p/index.m3u8", ContentFile(b"#EXTM3U\n#EXT-X-ENDLIST\n"))
    private_storage.save(f"{prefix}poster.jpg", ContentFile(b"\xff\xd8poster"))
    video.storage_prefix = prefix
    video.wrapped_key, video.master_key_id = os.urandom(44), "dev"
    video.renditions = [{"height": 360, "width": 640, "bandwidth": 800000, "playlist": "360p/index.m3u8"}]
    video.save()
    storages["default"].save("original_images/extra.png", ContentFile(b"\x89PNG public"))


def wipe(conn, *roots: Path) -> None:
    """Drop every table (not just the rows) and empty both media folders."""
    tables = conn.introspection.table_names()
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    for root in roots:
        shutil.rmtree(root)
        root.mkdir()
    assert conn.introspection.table_names() == []


def test_restore_drill_brings_back_every_row_and_every_file(drill_database, backup_dir, media_roots):
    public, private = media_roots
    seed_site(public, private)
    rows_before = database_fingerprint(drill_database, exclude=NOT_COMPARED)
    files_before = media_hashes(public, private)
    assert rows_before["memberships_subscription"][0] >= 1
    assert rows_before["wagtailcore_page"][0] > 10
    assert rows_before["media_pipeline_video"][0] >= 1
    assert any(name.startswith("1/video/") for name in files_before)
    assert any(name.startswith("1/documents/") for name in files_before)  # ebooks (private)
    assert any(name.startswith("0/original_images/") for name in files_before)

    record = run_backup()
    assert record.status == BackupRecord.Status.SUCCEEDED, record.error
    archive = backup_dir / record.filename

    wipe(drill_database, public, private)
    out, err = StringIO(), StringIO()
    call_command("restore_backup", str(archive), "--yes", stdout=out, stderr=err)

    assert_restored_as_before(drill_database, rows_before)
    assert media_hashes(public, private) == files_before
    restored_record = BackupRecord.objects.get()
    assert restored_record.pk == record.pk and restored_record.status == BackupRecord.Status.RUNNING
    assert f"Restored the {drill_database.vendor} database" in out.getvalue()
    assert "private media files" in out.getvalue()
    assert "Verifying" in err.getvalue() and "Restoring" in err.getvalue()


def test_restore_replaces_changes_made_after_the_backup(drill_database, backup_dir, media_roots):
    public, private = media_roots
    seed_site(public, private)
    rows_before = database_fingerprint(drill_database, exclude=NOT_COMPARED)
    files_before = media_hashes(public, private)
    record = run_backup()

    Subscription.objects.all().delete()
    UserFactory(email="after-the-backup@lectern.example")
    (private / Video.objects.get(title="Drill video").storage_prefix / "poster.jpg").write_bytes(b"defaced")

    call_command("restore_backup", str(record.pk), "--yes", "--no-progress", stdout=StringIO())

    assert_restored_as_before(drill_database, rows_before)
    assert media_hashes(public, private) == files_before


# --- Refusals: nothing may change -------------------------------------------------------


@pytest.fixture
def archive(backup_dir, media_roots):
    storages["private"].save("documents/book.pdf", ContentFile(b"%PDF " + os.urandom(3000)))
    record = run_backup()
    assert record.status == BackupRecord.Status.SUCCEEDED, record.error
    return backup_dir / record.filename


def assert_refused(path, media_roots, message):
    """Restore must fail with `message`, leaving every row and file as they were."""
    UserFactory(email="only-in-the-live-site@lectern.example")  # a restore would remove it
    rows = database_fingerprint(connection)
    files = media_hashes(*media_roots)
    with pytest.raises(CommandError, match=message) as failure:
        call_command(
            "restore_backup", str(path), "--yes", "--no-progress", stdout=StringIO(), stderr=StringIO()
        )
    assert "Nothing was changed" in str(failure.value)
    assert database_fingerprint(connection) == rows
    assert media_hashes(*media_roots) == files


@pytest.mark.parametrize("where", [0.01, 0.5, 0.99])
def test_one_flipped_byte_is_refused_before_anything_changes(archive, media_roots, where, tmp_path):
    data = bytearray(archive.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    tampered = tmp_path / "tampered.lbak"
    tampered.write_bytes(data)
    assert_refused(tampered, media_roots, "modified or damaged|damaged|bad magic")


@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_a_truncated_archive_is_refused_before_anything_changes(archive, media_roots, keep, tmp_path):
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.lbak"
    truncated.write_bytes(data[: int(len(data) * keep)])
    assert_refused(truncated, media_roots, "truncated")


def test_the_wrong_key_is_refused_before_anything_changes(archive, media_roots, settings):
    settings.BACKUP_ENCRYPTION_KEY = OTHER_KEY
    assert_refused(archive, media_roots, "wrong key")


def test_a_file_that_is_not_a_backup_is_refused(media_roots, tmp_path, backup_dir):
    junk = tmp_path / "junk.lbak"
    junk.write_bytes(b"just some bytes")
    assert_refused(junk, media_roots, "Not a Lectern backup")


def test_an_unknown_backup_id_or_missing_file_is_a_clear_error(backup_dir, media_roots):
    with pytest.raises(CommandError, match="No backup with id 999"):
        call_command("restore_backup", "999", "--yes", stdout=StringIO())
    with pytest.raises(CommandError, match="neither a backup id nor an existing file"):
        call_command("restore_backup", "/nowhere/x.lbak", "--yes", stdout=StringIO())


def test_without_yes_the_operator_is_asked_and_no_cancels(archive, media_roots, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    UserFactory(email="still-here@lectern.example")
    rows = database_fingerprint(connection)
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore_backup", str(archive), "--no-progress", stdout=StringIO())
    assert database_fingerprint(connection) == rows


# --- Well-sealed archives that are still wrong: refused on what they hold ----------------


def resealed(archive_path: Path, target: Path, change) -> Path:
    """The archive's members, passed through `change(members, manifest)`, sealed again with
    the right key: every GCM tag is valid, so only restore's own checks can refuse it."""
    import io
    import json
    import tarfile

    from operations import crypto
    from operations.backups import MANIFEST_NAME

    key = crypto.load_key()
    members: dict[str, bytes] = {}
    with (
        archive_path.open("rb") as raw,
        tarfile.open(fileobj=crypto.DecryptingReader(raw, key), mode="r|") as tar,
    ):
        for member in tar:
            members[member.name] = tar.extractfile(member).read()
    manifest = json.loads(members.pop(MANIFEST_NAME))
    change(members, manifest)
    with target.open("wb") as sink:
        writer = crypto.EncryptingWriter(sink, key)
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            for name, data in [*members.items(), (MANIFEST_NAME, json.dumps(manifest).encode())]:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        writer.close()
    return target


def _set_format_version(members, manifest):
    manifest["format_version"] = 99


def _change_a_file_behind_the_manifest(members, manifest):
    name = next(n for n in members if n.endswith("book.pdf"))
    members[name] = members[name][:-1] + bytes([members[name][-1] ^ 1])


def _drop_a_listed_file(members, manifest):
    del members[next(n for n in members if n.endswith("book.pdf"))]


def _add_an_unlisted_file(members, manifest):
    members["media/private/smuggled.txt"] = b"not in the manifest"


def _claim_another_database(members, manifest):
    manifest["db_vendor"] = "mysql"


def _escape_the_staging_folder(members, manifest):
    members["../../etc/cron.d/evil"] = b"* * * * * root true"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set_format_version, "format version 99 is not supported"),
        (_change_a_file_behind_the_manifest, "Checksum mismatch for .*book.pdf"),
        (_drop_a_listed_file, "does not match its manifest .*missing"),
        (_add_an_unlisted_file, "does not match its manifest .*smuggled"),
        (_claim_another_database, "holds a mysql database"),
        (_escape_the_staging_folder, "unsafe name"),
    ],
)
def test_an_authentic_archive_with_wrong_contents_is_refused_before_anything_changes(
    archive, media_roots, tmp_path, change, message
):
    assert_refused(resealed(archive, tmp_path / "resealed.lbak", change), media_roots, message)


def test_a_resealed_archive_with_nothing_changed_still_restores(archive, media_roots, tmp_path):
    """The control for the test above: resealing alone is not what gets refused."""
    copy = resealed(archive, tmp_path / "resealed.lbak", lambda members, manifest: None)
    call_command("restore_backup", str(copy), "--yes", "--no-progress", stdout=StringIO())
