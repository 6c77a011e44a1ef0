from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("altcha/challenge/", views.altcha_challenge, name="altcha_challenge"),
]
