"""What happened to each account's security: sign-ins, failures, lockouts, MFA and
password changes. Admin actions on objects live in Wagtail's own audit log
(`wagtail.models.ModelLogEntry`); these events are about a person, often one who is
not signed in (a failed login names an account, or nobody), so they get their own table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOGOUT = "logout", _("Signed out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_SET = "password_set", _("Password set")
    PASSWORD_RESET = "password_reset", _("Password reset")
    MFA_ADDED = "mfa_added", _("Authenticator added")
    MFA_REMOVED = "mfa_removed", _("Authenticator removed")
    MFA_RESET = "mfa_reset", _("Authenticator reset")
    MFA_FAILED = "mfa_failed", _("Second-factor code refused")


class SecurityEvent(models.Model):
    # SET_NULL: deleting an account must not erase the record of attacks on it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        verbose_name=_("account"),
    )
    identifier = models.CharField(
        _("login tried"), max_length=255, blank=True, help_text=_("The email typed at the login form.")
    )
    kind = models.CharField(_("event"), max_length=32, choices=SecurityEventKind.choices)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["kind", "-at"])]

    def __str__(self) -> str:
        who = self.user.email if self.user_id else self.identifier or "—"
        return f"{self.get_kind_display()}: {who}"
