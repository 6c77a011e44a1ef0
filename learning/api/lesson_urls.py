"""`/api/v1/lessons/`: a lesson, and what a learner does in it (playback, heartbeats,
"Mark as done"); mounted from api/urls.py's APP_ROUTES."""

from django.urls import path

from . import learner_views, views

urlpatterns = [
    path("<id:lesson_id>/", views.LessonDetail.as_view(), name="lesson_detail"),
    path("<id:lesson_id>/playback/", learner_views.PlaybackView.as_view(), name="lesson_playback"),
    path("<id:lesson_id>/heartbeats/", learner_views.HeartbeatView.as_view(), name="lesson_heartbeat"),
    path("<id:lesson_id>/completion/", learner_views.CompletionView.as_view(), name="lesson_completion"),
]
