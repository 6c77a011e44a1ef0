"""allauth's sign-up and password-reset forms with the bot check (ACCOUNT_FORMS).

They live apart from accounts/forms.py because allauth imports that module to build its
own sign-up form (ACCOUNT_SIGNUP_FORM_CLASS); subclassing allauth's forms there would
import allauth's forms module while it is still being built.
"""

from allauth.account import forms as allauth_forms

from challenges.fields import BotCheckFormMixin


class SignupForm(BotCheckFormMixin, allauth_forms.SignupForm):
    """Sign-up: email, full name, passwords, then the bot check."""


class ResetPasswordForm(BotCheckFormMixin, allauth_forms.ResetPasswordForm):
    """Password reset request: a bot cannot make us mail anyone's inbox at will."""
