"""The editor's quiz preview: every question of the pool with the correct choices marked.

It reads the lesson's latest revision, so an editor can check a draft quiz before
publishing. Only people who may edit the lesson page get in; learners never reach the
Wagtail admin at all.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from learning.models import LessonPage

from .attempts import quiz_blocks


class QuizPreviewView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Preview quiz")
    header_icon = "tasks"
    template_name = "quizzes/admin/preview.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        page = get_object_or_404(Page, pk=kwargs["page_id"])
        if page.specific_class is not LessonPage:
            raise PermissionDenied
        self.page = page
        self.lesson = page.specific.get_latest_revision_as_object()

    def dispatch(self, request, *args, **kwargs):
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.lesson.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]), "label": self.lesson.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lesson"] = self.lesson
        context["quizzes"] = [
            {"id": block_id, "value": value} for block_id, value in quiz_blocks(self.lesson)
        ]
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        context["live_url"] = self.page.url if self.page.live else ""
        return context
