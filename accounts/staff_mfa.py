"""Two-factor authentication for staff: who must have it, whether this session used it,
what a superuser's reset does.

Anyone who can open an admin (superusers, Django staff, anyone with Wagtail's
`wagtailadmin.access_admin`: the Editors, Moderators and Instructors groups) must own a
second factor (an authenticator app, or a security key where enabled) and must have
used it in the current session before any admin page opens. allauth's login asks for
the code itself (its MFA stage) and notes the step in the session; an account that has
no factor yet sets one up on its first visit, and proving the new app's code counts as
the session's second factor. `StaffMFAMiddleware` asks these functions on every admin
request, so no login door (Wagtail's, Django's, a password reset, a login link, a
session made before this rule) can reach the admin with a password alone.

Recovery codes are a fallback for a lost device at login, not a factor of their own: an
account holding only recovery codes counts as having none.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa_signals
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
RESET_LOG_ACTION = "lectern.mfa_reset"

# The user (by primary key) who set up a factor in this session, proving its code.
_ENROLLED_SESSION_KEY = "accounts_mfa_enrolled_user"
# Where a staff member was going when they were sent to set up their authenticator.
_DESTINATION_SESSION_KEY = "accounts_mfa_destination"


def requires_mfa(user: AbstractBaseUser) -> bool:
    """Whether this account can open an admin, and so needs a second factor."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def has_second_factor(user: AbstractBaseUser) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether the logged-in user proved a second factor in this session: at login
    (allauth's MFA stage, a passkey login), by re-authenticating with a code, or by
    setting up an authenticator here."""
    user = request.user
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        return True
    return request.session.get(_ENROLLED_SESSION_KEY) == str(user.pk)


def remember_destination(request: HttpRequest, url: str) -> None:
    request.session[_DESTINATION_SESSION_KEY] = url


def pop_destination(request: HttpRequest) -> str | None:
    url = request.session.pop(_DESTINATION_SESSION_KEY, None)
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def has_pending_destination(request: HttpRequest) -> bool:
    return _DESTINATION_SESSION_KEY in request.session


@receiver(mfa_signals.authenticator_added)
def _note_enrolment(sender, request, user, authenticator, **kwargs):
    """Activating an authenticator app takes a valid code from it, the same proof the
    login stage asks for; the session that did it has passed its second factor."""
    if authenticator.type in SECOND_FACTOR_TYPES and request is not None and request.user.pk == user.pk:
        request.session[_ENROLLED_SESSION_KEY] = str(user.pk)


@transaction.atomic
def reset_mfa(user: AbstractBaseUser, *, by: AbstractBaseUser, request: HttpRequest) -> int:
    """Remove every authenticator of `user` (a lost phone): their next admin visit asks
    them to set up a new one. Written to Wagtail's audit log; allauth's
    `authenticator_removed` is sent for each, as when the owner removes one. Returns how
    many were removed."""
    authenticators = list(Authenticator.objects.filter(user_id=user.pk))
    if not authenticators:
        return 0
    for authenticator in authenticators:
        authenticator.delete()
    log(
        instance=user,
        action=RESET_LOG_ACTION,
        user=by,
        data={"removed": sorted(str(authenticator.type) for authenticator in authenticators)},
    )

    def _announce():
        for authenticator in authenticators:
            mfa_signals.authenticator_removed.send(
                sender=Authenticator, request=request, user=user, authenticator=authenticator
            )

    transaction.on_commit(_announce)
    return len(authenticators)


class StaffMFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter: a staff account may not remove its last second factor
    (it would lock itself out of the admin, or tempt a way around the rule)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your account can open the admin, so it must keep two-factor authentication. "
            "Add a security key first, or ask an administrator to reset it."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        if authenticator.type not in SECOND_FACTOR_TYPES or not requires_mfa(user):
            return super().can_delete_authenticator(authenticator)
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exclude(
            pk=authenticator.pk
        )
        return others.exists()
