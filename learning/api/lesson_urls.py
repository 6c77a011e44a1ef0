"""`/api/v1/lessons/`: a lesson (mounted from api/urls.py's APP_ROUTES). Other lesson
routes (playback, heartbeats, "Mark as done") join this list."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:lesson_id>/", views.LessonDetail.as_view(), name="lesson_detail"),
]
