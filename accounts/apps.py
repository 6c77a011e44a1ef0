from django.apps import AppConfig
from django.db.models.signals import post_migrate

from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Connects the receiver that marks a session which set up its authenticator.
        from . import staff_mfa  # noqa: F401
        from .schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)


class LecternUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, pointed at our viewset (one full-name field, no username)."""

    user_viewset = "accounts.views.UserViewSet"
