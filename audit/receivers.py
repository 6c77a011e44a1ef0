"""Listeners that turn Django's, axes' and allauth's signals into security events.

Every login door sends the same signals (allauth's form, Wagtail's admin login, any
`authenticate()` call), so listening here covers them all without touching a view.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out

from .models import SecurityEventKind as Kind
from .security import record


def _account(identifier: str):
    if not identifier:
        return None
    return get_user_model()._default_manager.filter(email__iexact=identifier).first()


def _identifier(credentials) -> str:
    credentials = credentials or {}
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


def on_logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    identifier = _identifier(credentials)
    record(Kind.LOGIN_FAILED, request=request, user=_account(identifier), identifier=identifier)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    identifier = (username or "").strip().lower()
    record(Kind.LOCKED_OUT, request=request, user=_account(identifier), identifier=identifier)


def _on_user(kind):
    def receiver(sender, request, user, **kwargs):
        record(kind, request=request, user=user)

    return receiver


def _on_authenticator(kind):
    def receiver(sender, request, user, authenticator, **kwargs):
        record(kind, request=request, user=user, authenticator=authenticator.type)

    return receiver


def on_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    # The password was right: a wrong code is a stronger hint than a wrong password.
    record(
        Kind.MFA_FAILED,
        request=request,
        user=user,
        authenticator=authenticator.type,
        reauthentication=bool(reauthentication),
    )


RECEIVERS = [
    (user_logged_in, on_logged_in),
    (user_logged_out, on_logged_out),
    (user_login_failed, on_login_failed),
    (user_locked_out, on_locked_out),
    (account_signals.password_changed, _on_user(Kind.PASSWORD_CHANGED)),
    (account_signals.password_set, _on_user(Kind.PASSWORD_SET)),
    (account_signals.password_reset, _on_user(Kind.PASSWORD_RESET)),
    (mfa_signals.authenticator_added, _on_authenticator(Kind.MFA_ADDED)),
    (mfa_signals.authenticator_removed, _on_authenticator(Kind.MFA_REMOVED)),
    (mfa_signals.authenticator_reset, _on_authenticator(Kind.MFA_RESET)),
    (mfa_signals.authentication_failed, on_mfa_failed),
]


def connect() -> None:
    for number, (signal, receiver) in enumerate(RECEIVERS):
        signal.connect(receiver, dispatch_uid=f"audit.receivers.{number}")
