"""The Video admin: a snippet viewset (list, filters, status badges, upload form with
captions, live progress) and its chooser, which lessons use for their video field."""

from __future__ import annotations

from functools import partial

from django import forms
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Video


class VideoForm(WagtailAdminModelForm):
    """A new video needs a source file; replacing it later re-packages the video."""

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("source"):
            self.add_error("source", _("Choose a video file to upload."))
        return cleaned


class VideoStatusPanel(Panel):
    """Status badge, live progress bar and the error reason, on the edit form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "media_pipeline/admin/status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            video = self.instance
            context["video"] = video
            context["source_name"] = video.source.name.rsplit("/", 1)[-1] if video.source else ""
            if video.pk:
                context["status"] = admin_views.status_payload(video)
                context["status_url"] = reverse(
                    "wagtailsnippets_media_pipeline_video:status", args=[video.pk]
                )
            return context


class StatusColumn(Column):
    """Status badge with a small progress bar that keeps itself up to date."""

    cell_template_name = "media_pipeline/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = admin_views.status_payload(instance)
        context["status_url"] = reverse("wagtailsnippets_media_pipeline_video:status", args=[instance.pk])
        return context


def _duration(video: Video) -> str:
    seconds = int(round(video.duration_seconds))
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class _ChooserStatusMixin:
    """The lesson's video chooser shows each video's status, so an editor sees a failed
    (or still processing) video before choosing it; publishing a lesson with a failed
    one is refused by the lesson form."""

    @property
    def columns(self):
        return [*super().columns, StatusColumn("status", label=_("Status"))]


class VideoChooseView(_ChooserStatusMixin, snippet_chooser.ChooseView):
    pass


class VideoChooseResultsView(_ChooserStatusMixin, snippet_chooser.ChooseResultsView):
    pass


class VideoChooserViewSet(SnippetChooserViewSet):
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    create_view_class = admin_views.VideoChooserCreateView
    form_fields = ["title", "source"]
    create_action_label = _("Upload")
    create_action_clicked_label = _("Uploading…")


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 300
    add_to_admin_menu = True
    add_view_class = admin_views.VideoCreateView
    edit_view_class = admin_views.VideoEditView
    chooser_viewset_class = VideoChooserViewSet
    list_display = [
        "title",
        StatusColumn("status", label=_("Status")),
        Column("duration", label=_("Length"), accessor=_duration),
        DateColumn("created_at", label=_("Uploaded")),
    ]
    list_filter = ["status", "source_video_codec"]
    search_fields = ["title"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            VideoStatusPanel(heading=_("Packaging")),
            FieldPanel("title"),
            FieldPanel(
                "source",
                # No "currently: <link>" (storage names are never served) and no "clear".
                widget=forms.FileInput(attrs={"accept": "video/*,.mp4,.mov,.m4v,.webm,.mkv"}),
                help_text=_(
                    "MP4, MOV or WebM. Packaging starts when you save; uploading a new file later "
                    "replaces the video once the new one is ready."
                ),
            ),
            MultiFieldPanel(
                [InlinePanel("captions", label=_("Caption track"))], heading=_("Captions (WebVTT)")
            ),
        ],
        base_form_class=VideoForm,
    )

    def get_urlpatterns(self):
        policy = self.permission_policy
        return [
            *super().get_urlpatterns(),
            path(
                "status/<int:pk>/",
                partial(admin_views.status_view, permission_policy=policy),
                name="status",
            ),
            path(
                "repackage/<int:pk>/",
                partial(
                    admin_views.repackage_view, permission_policy=policy, url_namespace=self.url_namespace
                ),
                name="repackage",
            ),
        ]


def admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("css/video-admin.css"))


def admin_js() -> str:
    return format_html('<script src="{}" defer></script>', static("js/video-admin.js"))
