"""Mounted at /api/v1/me/export/ (api/urls.py APP_ROUTES)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ExportRequestList.as_view(), name="me_exports"),
    path("<uuid:export_id>/", views.ExportRequestDetail.as_view(), name="me_export"),
]
