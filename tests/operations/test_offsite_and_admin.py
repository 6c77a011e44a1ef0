"""Off-site copies on S3 (moto's S3 server on loopback, the real boto3 client) follow
the same retention; the admin lists backups and only superusers download them."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.urls import reverse

import boto3
import pytest

from operations.backups import run_backup
from operations.models import BackupRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BUCKET = "lectern-backups-test"


@pytest.fixture
def s3_backups(settings):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    settings.BACKUP_S3_BUCKET = BUCKET
    settings.BACKUP_S3_PREFIX = "nightly/"
    settings.BACKUP_S3_ENDPOINT_URL = endpoint
    settings.BACKUP_S3_REGION = "us-east-1"
    settings.BACKUP_S3_ACCESS_KEY_ID = settings.BACKUP_S3_SECRET_ACCESS_KEY = "testing"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    server.stop()


def stored_keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_backups_are_copied_to_s3_and_only_the_newest_three_stay_there(s3_backups, backup_dir, media_roots):
    records = [run_backup() for _ in range(4)]
    for record in records:
        record.refresh_from_db()
    assert stored_keys(s3_backups) == sorted(f"nightly/{r.filename}" for r in records[1:])
    assert records[-1].locations == [
        f"local:{backup_dir / records[-1].filename}",
        f"s3://{BUCKET}/nightly/{records[-1].filename}",
    ]
    assert records[0].status == BackupRecord.Status.PRUNED


def test_restore_by_id_fetches_the_archive_from_s3_when_the_local_copy_is_gone(
    s3_backups, backup_dir, media_roots, monkeypatch
):
    record = run_backup()
    (backup_dir / record.filename).unlink()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = StringIO()
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore_backup", str(record.pk), "--no-progress", stdout=out)
    assert "Archive verified" in out.getvalue()  # downloaded and fully checked before asking


def test_an_unreachable_s3_fails_the_backup_and_says_why(backup_dir, media_roots, settings, admins):
    settings.BACKUP_S3_BUCKET = BUCKET
    settings.BACKUP_S3_ENDPOINT_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.BACKUP_S3_ACCESS_KEY_ID = settings.BACKUP_S3_SECRET_ACCESS_KEY = "testing"
    settings.BACKUP_S3_REGION = "us-east-1"
    record = run_backup()
    assert record.status == BackupRecord.Status.FAILED
    assert "127.0.0.1:9" in record.error or "Connect" in record.error


# --- Admin ------------------------------------------------------------------------------


@pytest.fixture
def backup(backup_dir, media_roots):
    return run_backup()


def test_superusers_see_backups_listed_and_download_the_archive(client, admin_user, backup, backup_dir):
    client.force_login(admin_user)
    listing = client.get(reverse("operations_backups:index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Succeeded" in html and backup.sha256[:16] in html
    assert "Download archive" in html

    response = client.get(reverse("operations_backups:download", args=[backup.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (backup_dir / backup.filename).read_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_staff_who_are_not_superusers_cannot_download(client, editor, backup):
    client.force_login(editor)
    response = client.get(reverse("operations_backups:download", args=[backup.pk]))
    assert response.status_code in {302, 403}
    assert not getattr(response, "streaming", False)


def test_learners_and_visitors_cannot_download(client, learner, backup):
    url = reverse("operations_backups:download", args=[backup.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(learner)
    assert not getattr(client.get(url), "streaming", False)


def test_a_pruned_or_unknown_backup_cannot_be_downloaded(client, admin_user, backup):
    client.force_login(admin_user)
    BackupRecord.objects.filter(pk=backup.pk).update(status=BackupRecord.Status.PRUNED)
    assert client.get(reverse("operations_backups:download", args=[backup.pk])).status_code == 404
    assert client.get(reverse("operations_backups:download", args=[99999])).status_code == 404
