from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self):
        from . import listeners  # noqa: F401  (connects the receivers)
        from .schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)
