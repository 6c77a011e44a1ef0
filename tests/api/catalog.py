"""Helpers for the catalog API's tests: a client per caller, courses with lessons."""

import datetime

from django.utils import timezone

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory


def client_for(user=None) -> APIClient:
    """An API client carrying `user`'s access token (no token for a visitor)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def expired_token(user) -> str:
    token = AccessToken.for_user(user)
    token.set_exp(from_time=timezone.now() - datetime.timedelta(hours=1))
    return str(token)


def course_with_lessons(parent, title: str, modules: int = 1, lessons: int = 2, **fields):
    """A published course and its lessons in outline order."""
    course = CoursePageFactory(parent=parent, title=title, **fields)
    items = []
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"{title} module {m + 1}")
        for n in range(lessons):
            items.append(LessonPageFactory(parent=module, title=f"{title} lesson {m + 1}.{n + 1}"))
    return course, items


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code, error
    assert set(error) == {"code", "message", "details", "request_id"}
    return error
