"""Admin views: CSV export of the dashboard's figures and the per-course analytics page.

Both are mounted under /admin/analytics/ (register_admin_urls, so Wagtail's admin
access check applies first) and answer private, never cached.
"""

import csv

from django.http import Http404, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning.models import CoursePage
from memberships.gating import mark_private

from . import charts
from .exports import dashboard_rows
from .figures import RANGES, course_detail, parse_range, scope_for
from .panels import dashboard_for


def export_csv(request):
    """The figures the viewer's panels show, as CSV (section, figure, item, value)."""
    mark_private(request)
    dashboard = dashboard_for(request)
    if not dashboard.scope.visible:
        raise Http404
    filename = f"lectern-stats-{dashboard.days}d-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["section", "figure", "item", "value"])
    writer.writerows(dashboard_rows(dashboard))
    return response


class CourseAnalyticsView(WagtailAdminTemplateMixin, TemplateView):
    """Enrollment trend and per-lesson drop-off of one course; instructors only for theirs."""

    template_name = "analytics/course.html"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        mark_private(request)
        self.course = CoursePage.objects.filter(pk=kwargs["course_id"]).first()
        # 404 rather than 403: another instructor's course does not even exist for them.
        if self.course is None or not scope_for(request.user).allows_course(self.course.pk):
            raise Http404
        self.days = parse_range(request.GET.get("range"))
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Analytics: {self.course.title}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse_lazy("wagtailadmin_home"), "label": "Dashboard"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        detail = course_detail(self.course, self.days)
        context.update(
            course=self.course,
            days=self.days,
            ranges=RANGES,
            detail=detail,
            chart=charts.bar_chart(
                "enrollment-chart", "New enrollments per day", detail["trend"], fmt=lambda n: f"{n:,}"
            ),
            back_url=reverse("wagtailadmin_home") + f"?range={self.days}",
        )
        return context
