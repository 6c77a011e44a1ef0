"""allauth's code forms with a limit on guesses.

allauth throttles code guesses under its "login_failed" limit, which our settings switch
off so that django-axes alone answers failed passwords (accounts/lockout.py). Without a
limit of its own, someone holding a password could try every six-digit code. Each
account may try `MFA_CODE_RATE` codes (default 5 in 5 minutes) at sign-in and when
confirming its identity again, whichever address they come from.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from allauth.core import context
from allauth.mfa.base import forms as allauth_forms
from django_ratelimit.core import is_ratelimited


class _CodeRateLimitMixin:
    def clean_code(self):
        if is_ratelimited(
            context.request,
            group="accounts.mfa_code",
            key=lambda group, request: str(self.user.pk),
            rate=settings.MFA_CODE_RATE,
            increment=True,
        ):
            raise forms.ValidationError(
                _("Too many codes tried. Wait a few minutes, then try again."), code="rate_limited"
            )
        return super().clean_code()


class AuthenticateForm(_CodeRateLimitMixin, allauth_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_CodeRateLimitMixin, allauth_forms.ReauthenticateForm):
    pass
