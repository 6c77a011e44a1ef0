"""/api/v1/me/certificates/…: the caller's own certificates, by number."""

from django.urls import path

from . import mine

urlpatterns = [
    path("", mine.MyCertificatesView.as_view(), name="my_certificates"),
    path("<str:number>/", mine.MyCertificateView.as_view(), name="my_certificate"),
    path("<str:number>/certificate.pdf", mine.MyCertificatePdfView.as_view(), name="my_certificate_pdf"),
    path(
        "<str:number>/credential.jwt",
        mine.MyCertificateCredentialView.as_view(),
        name="my_certificate_credential",
    ),
]
