"""/api/v1/me/: the caller's own enrolments and courses."""

from django.urls import path

from . import learner_views

urlpatterns = [
    path("enrollments/", learner_views.EnrollView.as_view(), name="enroll"),
    path("courses/", learner_views.MyCoursesView.as_view(), name="my_courses"),
]
