""" "Download my data": one zip with everything the registry says we keep about a person.

The zip holds, per export area, `<area>.json` (machine-readable, valid against
`privacy/schema/export-area.schema.json`), one CSV per table in `<area>/` for
spreadsheets, the files an app adds (certificate PDFs and credentials), and a readable
`index.html`. The job builds it into private storage and mails a signed link that works
for `PRIVACY_EXPORT_LINK_HOURS` and only for the account it belongs to; the retention
job deletes the file after that.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

import jsonschema
from django_q.tasks import async_task

from notifications.mail import send_templated_email

from . import registry
from .models import ExportRequest, ExportStatus

logger = logging.getLogger(__name__)

FORMAT = "lectern-export/1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "export-area.schema.json"
_LINK_SALT = "privacy.export.link"
INDEX_ROWS = 200  # per table in index.html; the JSON and CSV files hold every row


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def request_export(user) -> ExportRequest:
    """Record the request and queue the job once the caller's transaction commits."""
    export = ExportRequest.objects.create(user=user)
    transaction.on_commit(
        lambda: async_task("privacy.tasks.build_export", str(export.pk), task_name=f"export-{export.pk}")
    )
    return export


def collect(user) -> tuple[dict[str, dict[str, list[dict]]], list[registry.ExportFile]]:
    """({area: {model label: rows}}, files) from every declaration that exports."""
    areas: dict[str, dict[str, list[dict]]] = {area: {} for area in registry.AREAS}
    files: list[registry.ExportFile] = []
    for declaration in registry.declarations():
        if declaration.export is not None:
            areas[declaration.area][declaration.model] = declaration.export(user)
        if declaration.files is not None:
            files.extend(declaration.files(user))
    return areas, files


def area_document(area: str, records: dict[str, list[dict]], user, generated_at, files=()) -> dict:
    return {
        "format": FORMAT,
        "area": area,
        "title": registry.AREAS[area],
        "generated_at": generated_at.isoformat(),
        "account": user.email,
        "records": records,
        "files": [name for name, _content in files],
    }


def write_zip(user, target) -> list[str]:
    """Write the export of `user` into the file-like `target`; returns the names written.
    Every JSON document is validated against the shipped schema before it is written."""
    generated_at = timezone.now()
    areas, files = collect(user)
    validator = jsonschema.Draft202012Validator(schema())
    names = []
    summary = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for area, records in areas.items():
            area_files = [item for item in files if item[0].startswith(f"{area}/")]
            document = area_document(area, records, user, generated_at, area_files)
            validator.validate(document)
            archive.writestr(f"{area}.json", json.dumps(document, indent=2, ensure_ascii=False))
            names.append(f"{area}.json")
            tables = []
            for label, rows in records.items():
                if rows:
                    csv_name = f"{area}/{label.replace('.', '_').lower()}.csv"
                    archive.writestr(csv_name, _csv(rows))
                    names.append(csv_name)
                columns = _columns(rows)
                cells = [[row.get(column) for column in columns] for row in rows[:INDEX_ROWS]]
                tables.append({"label": label, "count": len(rows), "columns": columns, "rows": cells})
            summary.append(
                {"area": area, "title": registry.AREAS[area], "tables": tables, "files": area_files}
            )
        for name, content in files:
            archive.writestr(name, content)
            names.append(name)
        archive.writestr(
            "index.html",
            render_to_string(
                "privacy/export_index.html",
                {
                    "user": user,
                    "generated_at": generated_at,
                    "areas": summary,
                    "site_name": settings.WAGTAIL_SITE_NAME,
                },
            ),
        )
        names.append("index.html")
    return names


def _columns(rows: list[dict]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_columns(rows))
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
                for key, value in row.items()
            }
        )
    return out.getvalue()


def build(export_id: str) -> ExportRequest | None:
    """The job: build the zip, store it privately, mail the signed link."""
    export = ExportRequest.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return export
    buffer = io.BytesIO()
    try:
        write_zip(export.user, buffer)
    except Exception as error:
        logger.exception("data export %s failed", export.pk)
        ExportRequest.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=str(error)[:2000])
        return export
    now = timezone.now()
    export.file.save(f"{export.pk}.zip", ContentFile(buffer.getvalue()), save=False)
    export.status, export.ready_at = ExportStatus.READY, now
    export.expires_at = now + timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
    export.save(update_fields=["file", "status", "ready_at", "expires_at"])
    send_templated_email(
        "privacy_export_ready",
        export.user,
        {"download_url": download_url(export), "expires_at": export.expires_at},
    )
    return export


def link_token(export: ExportRequest) -> str:
    return signing.TimestampSigner(salt=_LINK_SALT).sign(f"{export.pk}:{export.user_id}")


def download_url(export: ExportRequest) -> str:
    path = reverse("privacy:download_export", args=[export.pk, link_token(export)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def export_for_link(export_id, token: str, user) -> ExportRequest | None:
    """The export a link opens, or None: the signature must be ours and younger than the
    link's lifetime, name this export and the signed-in account, and the file must still
    be there."""
    try:
        value = signing.TimestampSigner(salt=_LINK_SALT).unsign(
            token, max_age=timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
        )
    except signing.BadSignature:
        return None
    if value != f"{export_id}:{user.pk}":
        return None
    export = ExportRequest.objects.filter(pk=export_id, user=user, status=ExportStatus.READY).first()
    if export is None or not export.file or (export.expires_at and export.expires_at <= timezone.now()):
        return None
    return export


def delete_expired(now=None) -> int:
    """Retention: delete export files whose link has expired."""
    now = now or timezone.now()
    deleted = 0
    for export in ExportRequest.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        if export.file:
            export.file.delete(save=False)
        export.status = ExportStatus.EXPIRED
        export.save(update_fields=["file", "status"])
        deleted += 1
    return deleted
