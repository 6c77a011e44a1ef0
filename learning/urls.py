from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("ebooks/<int:page_id>/download/", views.download_ebook, name="ebook_download"),
    path("learning/", views.dashboard, name="dashboard"),
    path("learning/courses/<int:course_id>/enroll/", views.enroll_in_course, name="enroll"),
    path("learning/lessons/<int:lesson_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("learning/lessons/<int:lesson_id>/complete/", views.mark_lesson_done, name="lesson_complete"),
]
