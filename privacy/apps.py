from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers
        from .schedules import ensure_schedules

        # Every app's `privacy.py` declares its personal data (privacy.registry).
        autodiscover_modules("privacy")
        receivers.connect()
        post_migrate.connect(ensure_schedules, sender=self)
