"""Download my data: the zip holds every area, its JSON validates against the shipped
schema, and the emailed link works only for its owner and only for 72 hours."""

import io
import json
import re
import time
import zipfile
from datetime import timedelta

from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import jsonschema
import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from privacy import exporting, registry
from privacy.models import ExportRequest, ExportStatus
from tests.factories import UserFactory

from .conftest import EMAIL, IPV4, NAME

pytestmark = pytest.mark.django_db


def _ask_for_export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:request_export"))
    assert response.status_code == 302
    return ExportRequest.objects.get()


def _link_from_mail() -> str:
    (message,) = [m for m in mail.outbox if "ready to download" in m.subject]
    return re.search(r"https?://\S+/privacy/your-data/exports/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_export_zip_holds_every_area_and_validates(seeded, client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    export = _ask_for_export(client, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.file
    response = client.get(_path(_link_from_mail()))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {f"{area}.json" for area in registry.AREAS} <= names
    assert "index.html" in names

    validator = jsonschema.Draft202012Validator(exporting.schema())
    documents = {}
    for area in registry.AREAS:
        document = json.loads(archive.read(f"{area}.json"))
        validator.validate(document)
        documents[area] = document["records"]

    assert documents["profile"]["accounts.User"][0]["full_name"] == NAME
    assert documents["logins"]["audit.SecurityEvent"], "sign-ins and failures"
    assert any(row["ip_address"] == IPV4 for row in documents["logins"]["account_notices.SignInDevice"])
    assert documents["subscriptions"]["memberships.Subscription"]
    assert documents["orders"]["memberships.Order"][0]["reference"] == seeded.order.reference
    assert documents["learning"]["learning.Enrollment"]
    assert documents["learning"]["learning.LessonProgress"][0]["watched_ranges"] == [[0, 30], [45, 60]]
    assert documents["quizzes"]["quizzes.QuizAttempt"]
    assert documents["certificates"]["certificates.Certificate"][0]["number"] == seeded.certificate_number
    assert documents["live"]["live.Attendance"]
    assert documents["ebooks"]["learning.EbookDownload"][0]["ip"] == IPV4
    assert documents["playback"]["media_pipeline.KeyAccess"]
    assert documents["notifications"]["notifications.Notification"]
    assert any(
        row["template"] == "order_receipt" for row in documents["notifications"]["notifications.EmailLog"]
    )
    assert documents["analytics"]["analytics.Event"]
    assert {row["purpose"] for row in documents["consent"]["privacy.ConsentRecord"]} == {
        "analytics",
        "marketing_email",
    }
    assert documents["api"]["token_blacklist.OutstandingToken"]

    # Certificates come as files too: the PDF and the signed credential.
    assert archive.read(f"certificates/{seeded.certificate_number}.pdf").startswith(b"%PDF")
    assert archive.read(f"certificates/{seeded.certificate_number}.credential.jwt").count(b".") == 2
    # Tables as CSV, and a page a person can read.
    assert "learning/learning_lessonprogress.csv" in names
    index = archive.read("index.html").decode()
    assert EMAIL in index and "Orders and payments" in index
    # Secrets never leave: no password hash, no refresh token itself.
    assert b"md5$" not in b"".join(archive.read(name) for name in names)
    assert "token" not in documents["api"]["token_blacklist.OutstandingToken"][0]


def test_a_document_breaking_the_schema_is_refused():
    bad = {
        "format": "lectern-export/1",
        "area": "orders",
        "title": "x",
        "generated_at": "2026-01-01T00:00:00Z",
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, exporting.schema())


@pytest.fixture
def ready_export(learner, client, django_capture_on_commit_callbacks):
    client.force_login(learner)
    mail.outbox.clear()
    export = _ask_for_export(client, django_capture_on_commit_callbacks)
    return export, _path(_link_from_mail())


def test_the_link_works_for_its_owner(ready_export, client):
    _export, link = ready_export
    assert client.get(link).status_code == 200


def test_the_link_does_not_work_for_anyone_else(ready_export, client, gold):
    _export, link = ready_export
    client.force_login(gold)
    assert client.get(link).status_code == 404


def test_a_visitor_following_the_link_is_sent_to_log_in(ready_export, client):
    _export, link = ready_export
    client.logout()
    response = client.get(link)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_forged_link_is_refused(ready_export, client):
    export, link = ready_export
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/" + "x" * 40 + "/"
    assert client.get(forged).status_code == 404
    other = ExportRequest.objects.create(user=export.user)
    assert client.get(link.replace(str(export.pk), str(other.pk))).status_code == 404


def _link_signed_hours_ago(export, hours, monkeypatch) -> str:
    """The link as the job would have mailed it `hours` ago (the signer's clock moved back)."""
    signed_at = time.time() - hours * 3600
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: signed_at)
        return _path(exporting.download_url(export))


def test_the_link_stops_working_after_72_hours_and_the_file_goes(ready_export, client, monkeypatch):
    export, _link = ready_export
    assert client.get(_link_signed_hours_ago(export, 71, monkeypatch)).status_code == 200
    assert client.get(_link_signed_hours_ago(export, 72.1, monkeypatch)).status_code == 404

    # The retention job deletes the file once its 72 hours are over, not before.
    assert exporting.delete_expired() == 0
    assert exporting.delete_expired(now=timezone.now() + timedelta(hours=72, minutes=1)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert client.get(_path(exporting.download_url(export))).status_code == 404


def test_api_asks_for_an_export_once_per_idempotency_key(learner, django_capture_on_commit_callbacks):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(learner).access_token}")
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/me/export/", HTTP_IDEMPOTENCY_KEY="abc")
        again = api.post("/api/v1/me/export/", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 202 and again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert ExportRequest.objects.filter(user=learner).count() == 1
    status = api.get(f"/api/v1/me/export/{first.json()['id']}/").json()["status"]
    assert status == "ready"


def test_api_refuses_anonymous_and_forged_tokens(learner):
    api = APIClient()
    assert api.post("/api/v1/me/export/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    assert api.post("/api/v1/me/export/").status_code == 401
    assert not ExportRequest.objects.exists()


def test_api_shows_only_your_own_exports(learner, gold):
    theirs = ExportRequest.objects.create(user=learner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(gold).access_token}")
    assert api.get(f"/api/v1/me/export/{theirs.pk}/").status_code == 404


def test_operator_command_writes_the_same_zip(learner, tmp_path):
    target = tmp_path / "out.zip"
    call_command("export_user_data", learner.email.upper(), output=str(target))
    names = zipfile.ZipFile(target).namelist()
    assert "profile.json" in names and "index.html" in names


def test_someone_without_data_gets_an_empty_but_valid_export():
    user = UserFactory()
    buffer = io.BytesIO()
    exporting.write_zip(user, buffer)
    archive = zipfile.ZipFile(buffer)
    jsonschema.validate(json.loads(archive.read("orders.json")), exporting.schema())
