"""Admin views for videos: create/edit that queue packaging, live status, package again.

Registered by `VideoViewSet` (views.py); wagtail_hooks.py only registers the viewset.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from audit.changes import log_change
from memberships.gating import mark_private

from .failures import replacement_failed
from .models import Video, VideoStatus
from .tasks import queue_packaging

ACTIVE = {VideoStatus.QUEUED, VideoStatus.PROCESSING}


def status_payload(video: Video) -> dict:
    """What the admin's progress bar shows (JSON for the poller, context for templates).

    `state` is the status the badge shows: a failed replacement of a video that still
    streams its previous version is "live", not "failed", and says so."""
    replaced_failed = replacement_failed(video)
    return {
        "id": video.pk,
        "status": video.status,
        "state": "live" if replaced_failed else video.status,
        "status_label": _("Live: previous version") if replaced_failed else video.get_status_display(),
        "progress": video.progress,
        "stage": video.stage,
        "error": (
            _("Replacement failed: %(reason)s") % {"reason": video.error_message}
            if replaced_failed
            else video.error_message
        ),
        "playable": video.is_playable,
        "active": video.status in ACTIVE,
        "renditions": [f"{r['height']}p" for r in video.renditions],
        "duration": round(video.duration_seconds, 1),
    }


def _source_changed(form) -> bool:
    return "source" in form.changed_data and bool(form.instance.source)


def _after_save(request, video: Video, form, *, created: bool) -> None:
    if created and video.created_by_id is None:
        Video.objects.filter(pk=video.pk).update(created_by=request.user)
    if _source_changed(form):
        Video.objects.filter(pk=video.pk).update(source_size=video.source.size)
        queue_packaging(video)


class VideoCreateView(snippet_views.CreateView):
    def save_instance(self):
        video = super().save_instance()
        _after_save(self.request, video, self.form, created=True)
        return video


class VideoEditView(snippet_views.EditView):
    def save_instance(self):
        video = super().save_instance()
        _after_save(self.request, video, self.form, created=False)
        return video

    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.source and (self.object.status not in ACTIVE or self.object.is_stalled):
            buttons.append(
                HeaderButton(
                    _("Package again"),
                    url=reverse("wagtailsnippets_media_pipeline_video:repackage", args=[self.object.pk]),
                    icon_name="repeat",
                )
            )
        return buttons


class VideoChooserCreateView(snippet_chooser.CreateView):
    """Upload straight from a lesson's video chooser; packaging starts at once."""

    def save_form(self, form):
        video = form.save(commit=False)
        video.created_by = self.request.user
        if video.source:
            video.source_size = video.source.size
        video.save()
        queue_packaging(video)
        return video


def _check(request, permission_policy, action: str) -> None:
    if not permission_policy.user_has_permission(request.user, action):
        raise PermissionDenied


@require_GET
def status_view(request, pk, *, permission_policy):
    """JSON status of one video for the live progress bar, polled every ~2 s."""
    _check(request, permission_policy, "change")
    video = get_object_or_404(Video, pk=pk)
    mark_private(request)
    response = JsonResponse(status_payload(video))
    response["Cache-Control"] = "private, no-store"
    return response


def repackage_view(request, pk, *, permission_policy, url_namespace):
    """Confirm, then queue packaging of the current source again (e.g. after a failure)."""
    _check(request, permission_policy, "change")
    video = get_object_or_404(Video, pk=pk)
    edit_url = reverse(f"{url_namespace}:edit", args=[video.pk])
    if not video.source:
        messages.error(request, _("Upload a source file first."))
        return redirect(edit_url)
    if request.method == "POST":
        if video.status in ACTIVE and not video.is_stalled:
            messages.warning(request, _("“%s” is already being packaged.") % video.title)
        else:
            queue_packaging(video)
            log_change(video, "media_pipeline.video.repackage", user=request.user)
            messages.success(request, _("“%s” will be packaged again.") % video.title)
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "media_pipeline/admin/confirm_repackage.html",
        {"video": video, "edit_url": edit_url, "header_title": _("Package again")},
    )
