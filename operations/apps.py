from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_migrate


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)
        request_finished.connect(forget_request_id, dispatch_uid="operations.forget_request_id")


def forget_request_id(**_kwargs) -> None:
    """django-guid leaves the last id in the thread's context; clear it so a job or
    command later in the same thread does not log under a finished request's id."""
    from django_guid.context import guid

    guid.set(None)
