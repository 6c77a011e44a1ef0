"""/api/v1/quizzes/…: quiz attempts, addressed by their public ids."""

from django.urls import path

from . import views

urlpatterns = [
    path("attempts/", views.StartAttemptView.as_view(), name="quiz_attempts"),
    path("attempts/<uuid:attempt_id>/", views.AttemptView.as_view(), name="quiz_attempt"),
    path("attempts/<uuid:attempt_id>/answers/", views.AnswersView.as_view(), name="quiz_attempt_answers"),
    path("attempts/<uuid:attempt_id>/submit/", views.SubmitView.as_view(), name="quiz_attempt_submit"),
]
