"""Backups: one encrypted archive of the database and both media storages, newest 3
kept, admins mailed with size, duration and checksum, or with the error."""

import hashlib
import json
import tarfile
from io import StringIO

from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

import pytest

from notifications.models import EmailLog
from operations import crypto
from operations.backups import last_backup, run_backup
from operations.models import BackupRecord

# A backup reads the database the way the nightly job does: from outside any transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def some_media(media_roots):
    storages["default"].save("images/cover.jpg", ContentFile(b"\xff\xd8 public jpeg bytes"))
    storages["private"].save("video/abc/1/360p/seg_00000.ts", ContentFile(b"G" * 4096))
    storages["private"].save("documents/book.pdf", ContentFile(b"%PDF-1.7 private"))
    return media_roots


def read_archive(path, key):
    """The archive's members as {name: bytes}, through the real decrypting reader."""
    with open(path, "rb") as raw:
        reader = crypto.DecryptingReader(raw, key)
        with tarfile.open(fileobj=reader, mode="r|") as archive:
            return {m.name: archive.extractfile(m).read() for m in archive}


def test_backup_holds_the_database_both_media_storages_and_a_manifest(backup_dir, some_media, key, admins):
    record = run_backup()

    assert record.status == BackupRecord.Status.SUCCEEDED, record.error
    path = backup_dir / record.filename
    assert record.locations == [f"local:{path}"]
    assert record.size == path.stat().st_size
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.stat().st_mode & 0o077 == 0  # only the owner may read it
    members = read_archive(path, key)
    assert members["media/public/images/cover.jpg"] == b"\xff\xd8 public jpeg bytes"
    assert members["media/private/video/abc/1/360p/seg_00000.ts"] == b"G" * 4096
    assert members["media/private/documents/book.pdf"] == b"%PDF-1.7 private"
    manifest = json.loads(members["manifest.json"])
    assert manifest["format_version"] == 1
    assert manifest["db_vendor"] in {"sqlite", "postgresql"}
    assert "operations.0001_backups_samples_incidents" in manifest["migrations"]
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(members[name]).hexdigest()
        assert entry["size"] == len(members[name])
    assert list(members)[-1] == "manifest.json"


def test_the_archive_on_disk_is_not_readable_without_the_key(backup_dir, some_media):
    record = run_backup()
    blob = (backup_dir / record.filename).read_bytes()
    assert b"public jpeg bytes" not in blob and b"%PDF" not in blob and b"manifest" not in blob


def test_admins_are_mailed_size_duration_and_checksum_on_success(
    backup_dir, some_media, admins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = run_backup()

    record.refresh_from_db()
    assert record.emailed
    assert sorted(message.to[0] for message in mail.outbox) == sorted(admins)
    message = mail.outbox[0]
    assert f"Backup {record.pk} succeeded" in message.subject
    assert record.sha256 in message.body
    assert "Duration:" in message.body and "Size:" in message.body
    html = message.alternatives[0][0]
    assert record.sha256 in html
    assert EmailLog.objects.filter(template="backup_succeeded").count() == 2


def test_superusers_are_mailed_when_no_admins_are_configured(backup_dir, some_media, admin_user, settings):
    settings.ADMINS = []
    run_backup()
    assert list(EmailLog.objects.values_list("to", "template")) == [(admin_user.email, "backup_succeeded")]


def test_a_failed_backup_is_recorded_and_admins_get_the_error(
    backup_dir, some_media, admins, settings, django_capture_on_commit_callbacks
):
    settings.BACKUP_ENCRYPTION_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        record = run_backup()

    assert record.status == BackupRecord.Status.FAILED
    assert "BACKUP_ENCRYPTION_KEY is not set" in record.error
    assert record.emailed
    assert "BACKUP FAILED" in mail.outbox[0].subject
    assert "BACKUP_ENCRYPTION_KEY is not set" in mail.outbox[0].body
    assert not list(backup_dir.glob("*.lbak")) and not list(backup_dir.glob(".*partial"))
    assert last_backup() == record


def test_a_backup_that_fails_halfway_leaves_no_partial_file(backup_dir, some_media, admins, monkeypatch):
    def broken_open(*args, **kwargs):
        raise OSError("disk read error")

    monkeypatch.setattr(storages["private"], "open", broken_open)
    record = run_backup()

    assert record.status == BackupRecord.Status.FAILED
    assert "disk read error" in record.error
    assert list(backup_dir.iterdir()) == []
    assert EmailLog.objects.filter(template="backup_failed").count() == 2


def test_only_the_newest_three_backups_are_kept(backup_dir, media_roots):
    records = [run_backup() for _ in range(5)]

    for record in records:
        record.refresh_from_db()
    kept, pruned = records[2:], records[:2]
    assert all(r.status == BackupRecord.Status.SUCCEEDED for r in kept)
    assert all(r.status == BackupRecord.Status.PRUNED and r.locations == [] for r in pruned)
    assert sorted(p.name for p in backup_dir.glob("*.lbak")) == sorted(r.filename for r in kept)
    assert last_backup() == records[-1]


def test_failed_backups_never_push_good_ones_out(backup_dir, media_roots, settings):
    good = [run_backup() for _ in range(3)]
    settings.BACKUP_ENCRYPTION_KEY = ""
    run_backup()
    run_backup()
    assert len(list(backup_dir.glob("*.lbak"))) == 3
    assert all(BackupRecord.objects.get(pk=r.pk).status == BackupRecord.Status.SUCCEEDED for r in good)


def test_backup_command_shows_progress_and_reports_the_checksum(backup_dir, some_media):
    out, err = StringIO(), StringIO()
    call_command("backup", stdout=out, stderr=err)
    record = BackupRecord.objects.get()
    assert f"Backup {record.pk} done" in out.getvalue()
    assert record.sha256 in out.getvalue()
    assert "Backing up" in err.getvalue() and "100%" in err.getvalue()


def test_backup_command_exits_non_zero_when_the_backup_fails(backup_dir, some_media, settings):
    settings.BACKUP_ENCRYPTION_KEY = "c2hvcnQ="
    with pytest.raises(CommandError, match="32 bytes"):
        call_command("backup", "--no-progress", stdout=StringIO(), stderr=StringIO())
