from django.urls import path

from . import views

app_name = "memberships"

urlpatterns = [
    path("", views.pricing, name="pricing"),
    path("mine/", views.my_membership, name="mine"),
]
