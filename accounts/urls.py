"""Our own account pages, beside allauth's under /accounts/."""

from django.urls import path

from . import views

urlpatterns = [
    path("2fa/continue/", views.continue_after_mfa_setup, name="mfa_continue"),
]
