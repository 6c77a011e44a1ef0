"""`/api/v1/me/`: the caller's own profile."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ProfileView.as_view(), name="me"),
]
