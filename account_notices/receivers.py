"""Signals that lead to an account email (see notices.py)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from axes.signals import user_locked_out

from .notices import note_sign_in, notify_lockout


@receiver(user_logged_in, dispatch_uid="account_notices.sign_in")
def _on_sign_in(sender, request, user, **kwargs):
    # Django's signal, so every door counts: the site, the Wagtail admin, token logins.
    if request is not None:
        note_sign_in(request, user)


@receiver(user_locked_out, dispatch_uid="account_notices.locked_out")
def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    notify_lockout(request, username, ip_address)
