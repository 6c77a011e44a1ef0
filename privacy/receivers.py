"""Logging in during the grace period cancels a pending erasure; the learner is told."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _

from . import consent, erasure


def cancel_erasure_on_login(sender, request, user, **kwargs) -> None:
    if erasure.cancel(user) and request is not None and hasattr(request, "_messages"):
        messages.success(request, _("Welcome back: your account will not be deleted."))


def remember_consent_on_login(sender, request, user, **kwargs) -> None:
    """A choice made before logging in (the banner's cookie) becomes the account's."""
    if request is not None:
        consent.adopt_cookie_choice(request, user)


def connect() -> None:
    user_logged_in.connect(cancel_erasure_on_login, dispatch_uid="privacy.cancel_erasure_on_login")
    user_logged_in.connect(remember_consent_on_login, dispatch_uid="privacy.remember_consent_on_login")
