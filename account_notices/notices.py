"""Emails about an account, all through notifications.mail (branded, queued, logged).

Three sources:
- allauth's own messages (verification, password reset, "your password was changed",
  MFA changes …): `send_allauth_mail`, called by the account adapter's `send_mail`;
- a sign-in from an address and browser this account has not used before:
  `note_sign_in`;
- a lockout after too many wrong passwords: `notify_lockout`, once per lockout window.
"""

import hashlib
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from axes.helpers import get_cool_off

from notifications.mail import send_templated_email
from notifications.models import EmailLog

from .models import SignInDevice

logger = logging.getLogger(__name__)

# allauth template prefix → our template (templates/notifications/email/<name>.*).
_MESSAGES = {
    "account/email/email_confirmation_signup": "account_email_confirmation",
    "account/email/email_confirmation": "account_email_confirmation",
    "account/email/password_reset_key": "account_password_reset_key",
    "account/email/account_already_exists": "account_already_exists",
    "account/email/unknown_account": "account_unknown_account",
}

# allauth's security notifications (ACCOUNT_EMAIL_NOTIFICATIONS) share one template;
# the subject and the sentence say what happened.
_NOTICES = {
    "account/email/password_changed": (
        _("Your password was changed"),
        _("The password of your account was changed."),
    ),
    "account/email/password_set": (
        _("A password was set on your account"),
        _("A password was set on your account."),
    ),
    "account/email/password_reset": (
        _("Your password was reset"),
        _("The password of your account was reset with a link sent to this address."),
    ),
    "account/email/email_changed": (
        _("Your email address was changed"),
        _("The email address of your account was changed from %(from_email)s to %(to_email)s."),
    ),
    "account/email/email_deleted": (
        _("An email address was removed from your account"),
        _("The address %(deleted_email)s was removed from your account."),
    ),
    "mfa/email/totp_activated": (
        _("Two-step sign-in was turned on"),
        _("An authenticator app was added to your account; signing in now asks for its code."),
    ),
    "mfa/email/totp_deactivated": (
        _("Two-step sign-in was turned off"),
        _("The authenticator app was removed from your account; signing in no longer asks for its code."),
    ),
    "mfa/email/recovery_codes_generated": (
        _("New recovery codes were made"),
        _("New recovery codes were made for your account; the old ones no longer work."),
    ),
    "mfa/email/webauthn_added": (
        _("A security key was added"),
        _("A security key or passkey was added to your account."),
    ),
    "mfa/email/webauthn_removed": (
        _("A security key was removed"),
        _("A security key or passkey was removed from your account."),
    ),
    "socialaccount/email/account_connected": (
        _("A sign-in provider was connected"),
        _("Your account can now be signed in to with %(provider)s."),
    ),
    "socialaccount/email/account_disconnected": (
        _("A sign-in provider was disconnected"),
        _("Your account can no longer be signed in to with %(provider)s."),
    ),
}

# Links allauth builds from the request's host; we send the site's own address instead,
# like every other email (and a forged Host header can never end up in a reset link).
_LINK_KEYS = ("activate_url", "password_reset_url", "signup_url")


def _on_site(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _user_with_email(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def _address_of(user) -> str:
    return EmailAddress.objects.get_primary_email(user) or user.email


def handles(template_prefix: str) -> bool:
    return template_prefix in _MESSAGES or template_prefix in _NOTICES


def send_allauth_mail(template_prefix: str, email: str, context: dict) -> EmailLog:
    """Send one of allauth's messages as ours. `context` is allauth's (its `user`, links,
    and for notifications `timestamp`, `ip`, `user_agent`)."""
    user = context.get("user") or _user_with_email(email)
    ours = {key: context[key] for key in ("code", "timestamp", "ip", "user_agent") if key in context}
    ours.update({key: _on_site(context[key]) for key in _LINK_KEYS if context.get(key)})
    if template_prefix in _MESSAGES:
        ours["signup"] = template_prefix.endswith("_signup")
        return send_templated_email(_MESSAGES[template_prefix], user, ours, to=email)
    title, sentence = _NOTICES[template_prefix]
    values = {key: context.get(key, "") for key in ("from_email", "to_email", "deleted_email")}
    provider = context.get("provider")
    values["provider"] = getattr(provider, "name", provider) or ""
    ours.update({"title": title, "sentence": sentence % values})
    return send_templated_email("account_security_notice", user, ours, to=email)


def _client_ip(request: HttpRequest) -> str:
    try:
        return get_adapter(request).get_client_ip(request) or ""
    except PermissionDenied:
        return ""


def note_sign_in(request: HttpRequest, user) -> EmailLog | None:
    """Remember where this account signs in from; mail the holder when it is somewhere new.

    The first device an account ever uses is only remembered (the holder just signed up
    or was just given the account), later new pairs of address and browser are mailed.
    """
    ip_address = _client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    agent_hash = hashlib.sha256(user_agent.encode()).hexdigest()
    known_before = SignInDevice.objects.filter(user=user).exists()
    device, created = SignInDevice.objects.get_or_create(
        user=user,
        ip_address=ip_address,
        user_agent_hash=agent_hash,
        defaults={"user_agent": user_agent[:255]},
    )
    if not created:
        device.save(update_fields=["last_seen"])
        return None
    if not known_before:
        return None
    context = {
        "timestamp": timezone.now(),
        "ip": ip_address,
        "user_agent": user_agent[:255],
        "password_reset_url": _on_site(reverse("account_reset_password")),
    }
    return send_templated_email("account_new_sign_in", user, context, to=_address_of(user))


def notify_lockout(
    request: HttpRequest | None, username: str | None, ip_address: str | None
) -> EmailLog | None:
    """Tell the account holder sign-ins were locked; once per lockout window, however
    many more attempts keep hitting the lock."""
    user = _user_with_email(username) if username else None
    if user is None:
        return None
    cool_off = get_cool_off(request)
    window = int(cool_off.total_seconds()) if cool_off else 24 * 3600
    if not cache.add(f"account_notices:locked:{user.pk}", True, timeout=max(window, 60)):
        return None
    context = {
        "timestamp": timezone.now(),
        "ip": ip_address or "",
        "unlocks_at": timezone.now() + cool_off if cool_off else None,
        "password_reset_url": _on_site(reverse("account_reset_password")),
    }
    return send_templated_email("account_locked", user, context, to=_address_of(user))
