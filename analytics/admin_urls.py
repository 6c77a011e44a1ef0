"""Admin routes, mounted at /admin/analytics/ by wagtail_hooks (namespace analytics_admin)."""

from django.urls import path

from . import views

app_name = "analytics_admin"

urlpatterns = [
    path("export.csv", views.export_csv, name="export"),
    path("courses/<int:course_id>/", views.CourseAnalyticsView.as_view(), name="course"),
]
