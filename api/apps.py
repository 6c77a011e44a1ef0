from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter

from .converters import IdConverter


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Before any URLconf is loaded: every app's API routes write `<id:lesson_id>`.
        register_converter(IdConverter, "id")
        from . import schema  # noqa: F401  (registers the access-token scheme)
        from .schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)
