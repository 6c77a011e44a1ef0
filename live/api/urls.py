from django.urls import path

from . import views

urlpatterns = [
    path("sessions/", views.MyUpcomingSessions.as_view(), name="live_sessions"),
    path("sessions/<id:session_id>/join/", views.JoinSession.as_view(), name="live_session_join"),
]
