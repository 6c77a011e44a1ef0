from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/verify/", views.verify, name="verify"),
    path("certificates/verify/<str:number>/", views.verify_number, name="verify_number"),
    path("certificates/<str:number>/certificate.pdf", views.download_pdf, name="download_pdf"),
    path("certificates/<str:number>/credential.jwt", views.download_credential, name="download_credential"),
    path("certificates/status/<int:list_number>", views.status_list_credential, name="status_list"),
    path("certificates/achievements/course-<int:course_id>", views.achievement, name="achievement"),
    path(".well-known/did.json", views.did_document, name="did_document"),
]
