"""`/api/v1/courses/`: the catalog (mounted from api/urls.py's APP_ROUTES)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.CourseList.as_view(), name="course_list"),
    path("<id:course_id>/", views.CourseDetail.as_view(), name="course_detail"),
]
