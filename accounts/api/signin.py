"""The API's sign-in steps, over the same pieces the site's login uses.

1. The password goes through `accounts.lockout.authenticate_counted` with the real
   `HttpRequest` (never DRF's wrapper): django-axes counts it against the same (account,
   address), address and account limits as the site's form.
2. The account must have confirmed its email when verification is mandatory, as on the
   site; an unconfirmed one is sent the confirmation email again (allauth, rate limited).
3. An account with a second factor (every staff account must have one, issue 15's rule in
   `accounts.staff_mfa`) gets a short-lived signed ticket instead of tokens, and trades it
   with a code from the app or a recovery code (allauth's form with the site's
   `MFA_CODE_RATE` limit). A staff account without a factor is told to set one up on
   the site.
4. Only then: a token family (`accounts.api_tokens`) and Django's `user_logged_in`, which
   clears this pair's failures, records the sign-in for the audit trail and the "new
   sign-in" email, and stamps `last_login`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.utils import get_form_class
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts import api_tokens, staff_mfa
from accounts.mfa_forms import AuthenticateForm
from api.errors import ApiError

_TICKET_SALT = "accounts.api.mfa_ticket"


def check_may_sign_in(request: HttpRequest, user) -> None:
    """Refusals after a right password: unconfirmed email, a second factor owed."""
    if account_settings.EMAIL_VERIFICATION == account_settings.EmailVerificationMethod.MANDATORY and not (
        EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    ):
        send_verification_email_for_user(request, user)
        raise ApiError(
            403,
            "email_not_verified",
            _("Confirm your email address first: we sent the link again to your inbox."),
        )
    if staff_mfa.has_second_factor(user):
        raise ApiError(
            403,
            "mfa_required",
            _("Enter a code from your authenticator app (or a recovery code) to finish signing in."),
            {"ticket": _ticket(user), "expires_in": settings.API_MFA_TICKET_SECONDS},
        )
    if settings.STAFF_MFA_REQUIRED and staff_mfa.requires_mfa(user):
        raise ApiError(
            403,
            "mfa_enrolment_required",
            _(
                "This account can open the admin, so it needs two-factor authentication. "
                "Sign in on the site once to set it up, then sign in here."
            ),
            {"setup_url": request.build_absolute_uri(reverse("mfa_activate_totp"))},
        )


def user_from_ticket(ticket: str):
    """The account a ticket was issued to, if it is recent and the password unchanged."""
    try:
        data = signing.loads(ticket, salt=_TICKET_SALT, max_age=settings.API_MFA_TICKET_SECONDS)
    except signing.BadSignature:
        data = None
    user = get_user_model()._default_manager.filter(pk=(data or {}).get("user"), is_active=True).first()
    if user is None or data.get("password") != get_md5_hash_password(user.password):
        raise ApiError(
            401, "mfa_ticket_invalid", _("This sign-in has expired or is not valid. Sign in again.")
        )
    return user


def verify_second_factor(request: HttpRequest, user, code: str) -> None:
    """allauth's code check with the site's per-account limit; the code is spent."""
    form_class = get_form_class(mfa_settings.FORMS, "authenticate", AuthenticateForm)
    form = form_class(user=user, data={"code": code})
    if form.is_valid():
        authenticator: Authenticator = form.authenticator
        authenticator.record_usage()
        mfa_signals.authenticator_used.send(
            sender=Authenticator,
            request=request,
            user=user,
            authenticator=authenticator,
            reauthenticated=False,
            passwordless=False,
        )
        return
    errors = form.errors.as_data().get("code", [])
    if any(error.code == "rate_limited" for error in errors):
        raise ApiError(429, "mfa_rate_limited", errors[0].messages[0])
    raise ApiError(
        422,
        "validation_error",
        _("The code is not right."),
        {"fields": {"code": [message for error in errors for message in error.messages]}},
    )


def complete_sign_in(request: HttpRequest, user) -> api_tokens.TokenPair:
    pair = api_tokens.start_family(user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return pair


def _ticket(user) -> str:
    return signing.dumps(
        {"user": user.pk, "password": get_md5_hash_password(user.password)}, salt=_TICKET_SALT
    )
