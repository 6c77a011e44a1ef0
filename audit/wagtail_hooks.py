from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import ListingButton

from media_pipeline.models import Video
from memberships.models import Coupon, Tier

from . import formatters
from .actions import AuditedCreateAction, AuditedEditAction
from .views import SecurityEventReportView

# Edited through Wagtail's generic views (users, groups, the Memberships viewsets, the
# Videos snippet): their create/edit entries say what changed.
AUDITED_MODELS = [get_user_model(), Group, Tier, Coupon, Video]


@hooks.register("register_actions")
def register_audited_actions(registry):
    for model in AUDITED_MODELS:
        registry.register(model, AuditedCreateAction)
        registry.register(model, AuditedEditAction)


# After Wagtail's own (order 0), whose create/edit formatters it wraps.
@hooks.register("register_log_actions", order=100)
def register_audit_log_actions(actions):
    formatters.register(actions)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_security_report_menu_item():
    return SuperuserMenuItem(
        _("Account security"),
        reverse("audit_security_events"),
        name="account-security",
        icon_name="key",
        order=1100,
    )


@hooks.register("register_admin_urls")
def register_security_report_urls():
    view = SecurityEventReportView
    return [
        path("reports/account-security/", view.as_view(), name="audit_security_events"),
        path(
            "reports/account-security/results/",
            view.as_view(results_only=True),
            name="audit_security_events_results",
        ),
    ]


@hooks.register("register_user_listing_buttons")
def security_events_button(user, request_user):
    if not request_user.is_superuser:
        return []
    url = reverse("audit_security_events") + "?" + urlencode({"account": user.email})
    return [ListingButton(_("Security events"), url=url, icon_name="key", priority=90)]
