from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/leave/", views.leave, name="leave"),
]
