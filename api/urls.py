"""`/api/v1/`: each app's API routes, mounted from its own `api_urls` module, plus the
schema and the docs. An app adds itself to `APP_ROUTES`; nothing else here changes."""

from importlib import import_module

from django.urls import include, path

from .views import DocsView, SchemaView

app_name = "api"

# (URL prefix under /api/v1/, the app module holding `urlpatterns`)
APP_ROUTES: list[tuple[str, str]] = [
    ("courses/", "learning.api.urls"),
    ("lessons/", "learning.api.lesson_urls"),
    ("memberships/", "memberships.api.urls"),
    ("ebooks/", "learning.api.ebook_urls"),
    ("live/", "live.api.urls"),
    ("notifications/", "notifications.api.urls"),
    ("certificates/verify/", "certificates.api.verification_urls"),
    ("auth/", "accounts.api.urls"),
    ("me/", "accounts.api.me_urls"),
    ("me/export/", "privacy.api.urls"),
    ("me/", "learning.api.me_urls"),
    ("quizzes/", "quizzes.api.urls"),
    ("me/certificates/", "certificates.api.me_urls"),
]

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    *[path(prefix, include(import_module(module))) for prefix, module in APP_ROUTES],
]
