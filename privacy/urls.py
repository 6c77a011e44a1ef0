from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_notice, name="notice"),
    path("your-data/", views.your_data, name="your_data"),
    path("your-data/export/", views.request_export, name="request_export"),
    path("your-data/exports/<uuid:export_id>/<str:token>/", views.download_export, name="download_export"),
    path("your-data/delete/", views.delete_account, name="delete_account"),
    path("choices/", views.consent_settings, name="consent"),
]
