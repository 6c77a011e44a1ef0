"""Registers the editor's quiz preview: its URL and a "Preview quiz" entry in the page
listing's "more" menu and the lesson editor's header menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from learning.models import LessonPage

from .admin_views import QuizPreviewView


class PreviewQuizButton(PageMenuItem):
    label = _("Preview quiz")
    icon_name = "tasks"

    @property
    def url(self):
        return reverse("quizzes_admin_preview", args=[self.page.pk])

    def is_shown(self, user):
        # specific_class comes from the content type: no query per row of the listing.
        return self.page.specific_class is LessonPage and self.page.permissions_for_user(user).can_edit()


@hooks.register("register_admin_urls")
def register_quiz_preview_url():
    return [
        path(
            "quizzes/preview/<int:page_id>/",
            QuizPreviewView.as_view(),
            name="quizzes_admin_preview",
        ),
    ]


@hooks.register("register_page_listing_more_buttons")
def quiz_preview_listing_button(page, user, next_url=None):
    yield PreviewQuizButton(page=page, priority=7)


@hooks.register("register_page_header_buttons")
def quiz_preview_header_button(page, user, view_name, next_url=None):
    yield PreviewQuizButton(page=page, priority=12)
