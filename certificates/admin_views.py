"""Wagtail admin for certificates (registered from wagtail_hooks.py).

Certificates are records, never edited by hand. Staff with `view_certificate` (and
content staff) see all of them; an instructor sees those of the courses they teach.
Revoking is an audited action (who, when, why) behind `revoke_certificate`.
"""

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from audit.changes import log_change, snapshot
from memberships import policy

from .issuing import revoke_certificate
from .models import Certificate


def _sees_all(user) -> bool:
    return user.has_perm("certificates.view_certificate") or policy.is_content_staff(user)


def _issued_on(certificate: Certificate) -> str:
    return date_format(localtime(certificate.issued_at), "DATE_FORMAT")


def _learner(certificate: Certificate) -> str:
    if certificate.user_id is None:
        return _("(account deleted)")
    return f"{certificate.learner_name} <{certificate.user.email}>"


def certificates_visible_to(user):
    """All certificates for staff, only their own courses' for an instructor."""
    queryset = Certificate.objects.select_related("user", "revoked_by")
    if _sees_all(user):
        return queryset
    return queryset.filter(course__instructors=user)


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """View: staff with the permission, content staff, or anyone who teaches a course.
    Revoke: `certificates.revoke_certificate`. Nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"} or not (user.is_active and user.is_authenticated):
            return False
        if action == "view":
            return _sees_all(user) or user.taught_courses.exists()
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        max_length=255,
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Shown on the public verification page and kept in the audit trail."),
    )


class RevokeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "revoke"
    form_class = RevokeForm
    template_name = "certificates/admin/revoke.html"
    page_title = gettext_lazy("Revoke a certificate")
    header_icon = "cross"
    index_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.certificate = get_object_or_404(
            certificates_visible_to(request.user), pk=unquote(str(kwargs["pk"]))
        )

    def get_page_subtitle(self):
        return self.certificate.number

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Certificates")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate,
            submit_label=_("Revoke certificate"),
            cancel_url=reverse(self.index_url_name),
            **kwargs,
        )

    def form_valid(self, form):
        fields = ["revoked_at", "revoked_by", "revoked_reason"]
        before = snapshot(self.certificate, fields)
        certificate = revoke_certificate(
            self.certificate, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        log_change(
            certificate,
            "certificates.revoke",
            user=self.request.user,
            before=before,
            fields=fields,
            note=form.cleaned_data["reason"],
        )
        messages.success(
            self.request, _("Certificate %(number)s revoked.") % {"number": self.certificate.number}
        )
        return redirect(self.index_url_name)


class CertificateIndexView(IndexView):
    revoke_url_name = None

    def get_base_queryset(self):
        return certificates_visible_to(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.is_revoked and self.permission_policy.user_has_permission(
            self.request.user, "revoke"
        ):
            buttons.append(
                ListingButton(
                    _("Revoke"),
                    url=reverse(self.revoke_url_name, args=[quote(instance.pk)]),
                    icon_name="cross",
                    priority=10,
                )
            )
        return buttons


class CertificateInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(certificates_visible_to(self.request.user), pk=unquote(str(self.pk)))


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "clipboard-list"
    menu_label = gettext_lazy("Certificates")
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_per_page = 50
    search_fields = ["number", "learner_name", "course_title", "user__email"]
    list_filter = ["issued_at", "revoked_at"]
    list_export = [
        "number",
        "learner_name",
        "user__email",
        "course_title",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    ]
    inspect_view_fields = [
        "number",
        "user",
        "learner_name",
        "course",
        "course_title",
        "instructor_names",
        "issued_at",
        "status_list_index",
        "rendered_at",
        "delivered_at",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
    ]

    @cached_property
    def list_display(self):
        return [
            "number",  # the title column: links to the inspect view and holds the actions
            Column("learner_name", label=_("Learner"), accessor=_learner),
            Column("course_title", label=_("Course"), sort_key="course_title"),
            # Absolute dates: "3 weeks ago" is no use when someone asks about a given day.
            Column("issued_at", label=_("Issued"), accessor=_issued_on, sort_key="issued_at"),
            StatusTagColumn(
                "revoked_at",
                label=_("Status"),
                accessor=lambda c: _("Revoked") if c.is_revoked else _("Valid"),
                primary=lambda c: not c.is_revoked,
            ),
        ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_certificate", "revoke_certificate"])
        )

    def get_urlpatterns(self):
        revoke = RevokeView.as_view(
            permission_policy=self.permission_policy, index_url_name=self.get_url_name("index")
        )
        return [*super().get_urlpatterns(), path("revoke/<str:pk>/", revoke, name="revoke")]
