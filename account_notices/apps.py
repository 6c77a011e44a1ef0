from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountNoticesConfig(AppConfig):
    name = "account_notices"
    verbose_name = _("Account notices")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
