from django.urls import path

from . import verification_views

urlpatterns = [
    path("<str:number>/", verification_views.VerifyCertificate.as_view(), name="certificate_verify"),
]
