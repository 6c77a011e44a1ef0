from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from .staff_mfa import RESET_LOG_ACTION


@hooks.register("register_log_actions")
def register_mfa_log_actions(actions):
    actions.register_action(
        RESET_LOG_ACTION, _("Reset two-factor authentication"), _("Two-factor authentication reset")
    )
