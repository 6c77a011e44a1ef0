"""Wagtail admin for backups, system samples and incidents (registered in wagtail_hooks).

All three are records of what happened: staff read them, nobody edits them by hand.
A backup archive can be downloaded by superusers only: it holds the whole database
(encrypted, but the key usually sits on the same server).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from audit.changes import log_change

from .backups import human_size
from .models import BackupRecord, Incident, SystemSample
from .monitoring import METRICS


def _duration(record: BackupRecord) -> str:
    seconds = record.duration_seconds
    return "" if seconds is None else f"{seconds:.1f} s"


def _locations(record: BackupRecord) -> str:
    labels = []
    for location in record.locations:
        labels.append("local" if location.startswith("local:") else "S3")
    return ", ".join(labels) or "—"


class BackupIndexView(IndexView):
    download_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.is_superuser and instance.status == BackupRecord.Status.SUCCEEDED:
            buttons.append(
                ListingButton(
                    _("Download archive"),
                    url=reverse(self.download_url_name, args=[quote(instance.pk)]),
                    icon_name="download",
                    priority=5,
                )
            )
        return buttons


@never_cache
def download_backup(request, pk: int):
    """Stream one encrypted archive to a superuser (local copy, else from S3)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    record = get_object_or_404(BackupRecord, pk=pk, status=BackupRecord.Status.SUCCEEDED)
    local = Path(record.local_path) if record.local_path else None
    if local and local.is_file():
        response = FileResponse(local.open("rb"), as_attachment=True, filename=record.filename)
    else:
        s3 = next((loc for loc in record.locations if loc.startswith("s3://")), None)
        if s3 is None:
            raise Http404(_("No stored copy of this backup is left."))
        from .backups import s3_client

        bucket, _sep, key = s3.removeprefix("s3://").partition("/")
        body = s3_client().get_object(Bucket=bucket, Key=key)["Body"]
        response = FileResponse(body.iter_chunks(1024 * 1024), as_attachment=True, filename=record.filename)
        response["Content-Length"] = str(record.size)
    response["Content-Type"] = "application/octet-stream"
    response["Cache-Control"] = "private, no-store"
    log_change(record, "operations.backup.download", user=request.user)
    return response


class BackupViewSet(ModelViewSet):
    model = BackupRecord
    icon = "download"
    menu_label = gettext_lazy("Backups")
    add_to_admin_menu = False
    index_view_class = BackupIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # never added or edited by hand: the policy allows neither
    list_per_page = 50
    list_filter = ["status", "kind"]
    inspect_view_fields = [
        "kind",
        "status",
        "started_at",
        "finished_at",
        "filename",
        "size",
        "sha256",
        "key_id",
        "locations",
        "manifest",
        "error",
        "emailed",
    ]

    @cached_property
    def list_display(self):
        return [
            "started_at",  # first plain field: the title column, with the row's action buttons
            "kind",
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda record: record.status == BackupRecord.Status.SUCCEEDED,
            ),
            Column("size", label=_("Size"), accessor=lambda r: human_size(r.size) if r.size else "—"),
            Column("duration", label=_("Duration"), accessor=_duration),
            Column(
                "sha256", label=_("SHA-256"), accessor=lambda r: (r.sha256[:16] + "…") if r.sha256 else "—"
            ),
            Column("locations", label=_("Stored"), accessor=_locations),
            Column("error", label=_("Error"), accessor=lambda r: r.error[:80]),
            Column(
                "emailed", label=_("Admins mailed"), accessor=lambda r: _("yes") if r.emailed else _("no")
            ),
        ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(download_url_name=self.get_url_name("download"), **kwargs)

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_backuprecord")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("download/<int:pk>/", download_backup, name="download")]


def _metric_column(metric):
    return Column(
        metric.field, label=metric.label, accessor=lambda s: metric.display(getattr(s, metric.field))
    )


class SystemSampleViewSet(ModelViewSet):
    model = SystemSample
    icon = "time"
    menu_label = gettext_lazy("System samples")
    add_to_admin_menu = False
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = []
    list_per_page = 100

    @cached_property
    def list_display(self):
        return [DateColumn("taken_at", label=_("Taken"), sort_key="taken_at"), *map(_metric_column, METRICS)]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_systemsample")


class IncidentViewSet(ModelViewSet):
    model = Incident
    icon = "warning"
    menu_label = gettext_lazy("Incidents")
    add_to_admin_menu = False
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = []
    list_filter = ["metric"]

    @cached_property
    def list_display(self):
        return [
            "metric",
            DateColumn("opened_at", label=_("Opened"), sort_key="opened_at"),
            DateColumn("closed_at", label=_("Closed"), sort_key="closed_at"),
            "threshold",
            "peak_value",
            "last_value",
            Column(
                "emailed", label=_("Admins mailed"), accessor=lambda r: _("yes") if r.emailed else _("no")
            ),
        ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_incident")
