"""The stats panels on the Wagtail admin home, one small Component each.

They share one `Dashboard` per request (figures computed once, read from rollups) and
render nothing for a viewer whose scope is empty. Operations' monitoring and backups are
imported lazily and may be missing or empty: the panels then say "no data yet".
"""

import logging

from django.urls import reverse
from django.utils.http import urlencode

from wagtail.admin.ui.components import Component

from . import charts
from .figures import RANGES, Dashboard, parse_range, scope_for

logger = logging.getLogger(__name__)


def dashboard_for(request) -> Dashboard:
    dashboard = getattr(request, "_lectern_dashboard", None)
    if dashboard is None:
        dashboard = Dashboard(scope_for(request.user), parse_range(request.GET.get("range")))
        request._lectern_dashboard = dashboard
    return dashboard


def filesize(value: int) -> str:
    size = float(value or 0)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


class StatsPanel(Component):
    template_name = ""
    order = 100

    class Media:
        css = {"all": ["css/analytics.css"]}

    def __init__(self, request):
        self.request = request
        self.dashboard = dashboard_for(request)

    def is_shown(self) -> bool:
        return self.dashboard.scope.visible

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        try:
            return super().render_html(parent_context)
        except Exception:
            # A broken panel must not take the whole admin home down with it.
            logger.exception("analytics: panel %s failed", self.name)
            return ""

    def get_context_data(self, parent_context=None):
        return {
            "request": self.request,
            "dashboard": self.dashboard,
            "scope": self.dashboard.scope,
            "days": self.dashboard.days,
        }


class RangePanel(StatsPanel):
    name = "analytics_range"
    template_name = "analytics/panels/range.html"
    order = 40

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["ranges"] = RANGES
        context["export_url"] = (
            reverse("analytics_admin:export") + "?" + urlencode({"range": self.dashboard.days})
        )
        return context


class UsersPanel(StatsPanel):
    name = "analytics_users"
    template_name = "analytics/panels/users.html"
    order = 41

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "users": self.dashboard.users}


class ActiveTodayPanel(StatsPanel):
    name = "analytics_active_today"
    template_name = "analytics/panels/active_today.html"
    order = 42

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "active": self.dashboard.active_today}


class CoursesPanel(StatsPanel):
    name = "analytics_courses"
    template_name = "analytics/panels/courses.html"
    order = 43

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "courses": self.dashboard.course_counts}


class VideosPanel(StatsPanel):
    name = "analytics_videos"
    template_name = "analytics/panels/videos.html"
    order = 44

    def get_context_data(self, parent_context=None):
        videos = self.dashboard.videos
        return {
            **super().get_context_data(parent_context),
            "videos": videos,
            "storage": filesize(videos["storage"]),
        }


class RevenuePanel(StatsPanel):
    name = "analytics_revenue"
    template_name = "analytics/panels/revenue.html"
    order = 45

    def is_shown(self) -> bool:
        return self.dashboard.scope.show_revenue

    def get_context_data(self, parent_context=None):
        from memberships.money import format_money

        revenue = self.dashboard.revenue
        currency = revenue["currency"]
        chart = charts.bar_chart(
            "revenue-chart",
            f"Revenue per day ({currency})",
            revenue["daily"],
            fmt=lambda amount: format_money(amount, currency),
        )
        return {**super().get_context_data(parent_context), "revenue": revenue, "chart": chart}


class FunnelPanel(StatsPanel):
    name = "analytics_funnel"
    template_name = "analytics/panels/funnel.html"
    order = 46

    def get_context_data(self, parent_context=None):
        dashboard = self.dashboard
        label = "Visitors per day" if dashboard.scope.whole_site else "Visitors to your courses per day"
        chart = charts.bar_chart("visitors-chart", label, dashboard.daily_activity, fmt=lambda n: f"{n:,}")
        return {**super().get_context_data(parent_context), "funnel": dashboard.funnel, "chart": chart}


class TopCoursesPanel(StatsPanel):
    name = "analytics_top_courses"
    template_name = "analytics/panels/top_courses.html"
    order = 47

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "courses": self.dashboard.top_courses}


class SystemPanel(StatsPanel):
    name = "analytics_system"
    template_name = "analytics/panels/system.html"
    order = 48

    def is_shown(self) -> bool:
        return self.dashboard.scope.show_system

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "sample": latest_system_sample()}


class BackupPanel(StatsPanel):
    name = "analytics_backup"
    template_name = "analytics/panels/backup.html"
    order = 49

    def is_shown(self) -> bool:
        return self.dashboard.scope.show_system

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "backup": last_backup()}


def latest_system_sample():
    """operations.monitoring.latest_sample(), or None while it is missing or failing."""
    try:
        from operations.monitoring import latest_sample

        return latest_sample()
    except Exception:
        logger.info("analytics: no system sample available", exc_info=True)
        return None


def last_backup():
    """operations.backups.last_backup(), or None while it is missing or failing."""
    try:
        from operations.backups import last_backup as operations_last_backup

        return operations_last_backup()
    except Exception:
        logger.info("analytics: no backup record available", exc_info=True)
        return None


PANELS = (
    RangePanel,
    UsersPanel,
    ActiveTodayPanel,
    CoursesPanel,
    VideosPanel,
    RevenuePanel,
    FunnelPanel,
    TopCoursesPanel,
    SystemPanel,
    BackupPanel,
)


def add_stats_panels(request, panels: list) -> None:
    """`construct_homepage_panels` hook body."""
    if not scope_for(request.user).visible:
        return
    panels.extend(panel(request) for panel in PANELS)
