"""Wagtail admin for the ebook downloads log and the enrollments list (registered from
wagtail_hooks.py).

The log is a record of what happened: staff with `view_ebookdownload` read, search,
filter and export it; nobody adds, edits or deletes an entry by hand.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import EbookDownload, Enrollment


def _user_email(download: EbookDownload) -> str:
    return download.user.email if download.user_id else _("(deleted user)")


class EbookDownloadViewSet(ModelViewSet):
    model = EbookDownload
    icon = "download"
    menu_label = gettext_lazy("Ebook downloads")
    add_to_admin_menu = False
    menu_order = 310
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = []  # no add or edit form is ever shown: the policy allows neither
    list_per_page = 50
    search_fields = ["user__email"]
    list_filter = ["ebook", "created_at"]
    list_export = ["created_at", "user__email", "ebook__title", "ip", "user_agent"]
    inspect_view_fields = ["created_at", "user", "ebook", "ip", "user_agent"]

    @cached_property
    def list_display(self):
        return [
            DateColumn("created_at", label=_("When"), sort_key="created_at"),
            Column("user", label=_("User"), accessor=_user_email, sort_key="user__email"),
            Column("ebook", label=_("Ebook"), accessor="ebook.title", sort_key="ebook__title"),
            Column("ip", label=_("IP address")),
        ]

    def get_queryset(self, request):
        return EbookDownload.objects.select_related("user", "ebook")

    def get_permissions_to_register(self):
        """Only what the policy honours: viewing the log."""
        return super().get_permissions_to_register().filter(codename="view_ebookdownload")


# ---------------------------------------------------------------------------- enrollments


def scoped_enrollments(user):
    """Enrollments `user` may see in the admin: all for content staff, else only those
    in the courses they teach (none for anyone else)."""
    from memberships import policy

    from .models import Enrollment

    enrollments = Enrollment.objects.select_related("user", "course")
    if policy.is_content_staff(user):
        return enrollments
    return enrollments.filter(course__instructors=user)


class EnrollmentPermissionPolicy(BasePermissionPolicy):
    """Read-only, and scoped by `scoped_enrollments`: content staff and instructors (of
    at least one course) may view; nobody adds, edits or deletes by hand — learners
    enroll themselves through the policy."""

    def user_has_permission(self, user, action):
        if action != "view" or not (user.is_active and user.is_staff):
            return False
        from memberships import policy

        return policy.is_content_staff(user) or user.taught_courses.exists()

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


class ScopedEnrollmentIndexView(IndexView):
    def get_base_queryset(self):
        return scoped_enrollments(self.request.user)


def _learner(enrollment) -> str:
    return enrollment.user.email


class EnrollmentViewSet(ModelViewSet):
    model = Enrollment
    icon = "user"
    menu_label = gettext_lazy("Enrollments")
    add_to_admin_menu = True
    menu_order = 250
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ScopedEnrollmentIndexView
    form_fields = []
    list_per_page = 50
    search_fields = ["user__email", "user__full_name", "course__title"]
    list_filter = ["status"]
    list_export = [
        "course__title",
        "user__email",
        "status",
        "progress_percent",
        "enrolled_at",
        "completed_at",
    ]

    @cached_property
    def list_display(self):
        return [
            Column("course", label=_("Course"), accessor="course.title", sort_key="course__title"),
            Column("user", label=_("Learner"), accessor=_learner, sort_key="user__email"),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
            Column("progress_percent", label=_("Progress %"), sort_key="progress_percent"),
            DateColumn("enrolled_at", label=_("Enrolled"), sort_key="enrolled_at"),
            DateColumn("completed_at", label=_("Completed"), sort_key="completed_at"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()
