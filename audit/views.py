"""The "Account security" report (Reports menu), for superusers only.

Registered from wagtail_hooks.py. Staff who are not superusers get 403: the events
name accounts, addresses and browsers, and show who is being attacked.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

import django_filters

from .models import SecurityEvent, SecurityEventKind


class SecurityEventFilterSet(WagtailFilterSet):
    account = django_filters.CharFilter(label=_("Account (email)"), method="filter_account")
    kind = django_filters.ChoiceFilter(
        label=_("Event"), choices=SecurityEventKind.choices, empty_label=_("Any event")
    )
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = SecurityEvent
        fields = ["account", "kind", "at"]

    def filter_account(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(user__email__icontains=value) | Q(identifier__icontains=value))


def _when(event: SecurityEvent) -> str:
    return localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")


def _account(event: SecurityEvent) -> str:
    return event.user.email if event.user_id else _("(no such account)")


class SecurityEventReportView(ReportView):
    page_title = _("Account security")
    header_icon = "key"
    model = SecurityEvent
    filterset_class = SecurityEventFilterSet
    index_url_name = "audit_security_events"
    index_results_url_name = "audit_security_events_results"
    paginate_by = 100
    list_export = ["at", "kind", "user", "identifier", "client_address", "user_agent", "data"]
    export_headings = {"user": _("Account"), "identifier": _("Login tried")}
    columns = [
        # Absolute times: "3 weeks ago" is no use when someone asks about a given night.
        Column("at", label=_("When"), accessor=_when, sort_key="at"),
        Column("kind", label=_("Event"), accessor="get_kind_display"),
        Column("account", label=_("Account"), accessor=_account),
        Column("identifier", label=_("Login tried")),
        Column("client_address", label=_("Address")),
        Column("user_agent", label=_("Browser")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return SecurityEvent.objects.select_related("user")

    def get_filename(self):
        return f"account-security-{datetime.date.today():%Y-%m-%d}"
