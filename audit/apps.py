from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers
        from .schedules import ensure_schedules

        receivers.connect()
        post_migrate.connect(ensure_schedules, sender=self)
