from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("lessons/<int:lesson_id>/<str:block_id>/start/", views.start, name="start"),
    path("attempts/<uuid:public_id>/", views.attempt, name="attempt"),
]
