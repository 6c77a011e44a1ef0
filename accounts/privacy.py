"""Personal data kept by the account and the sign-in machinery around it (allauth, axes,
Wagtail's user profile, Django's sessions): see privacy.registry."""

from django.utils.translation import gettext_lazy as _

from wagtail.users.models import UserProfile

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from privacy.registry import ErasureContext, declare, delete_owned, owned_rows, rows
from privacy.sessions import end_sessions, sessions_of

from .models import User


def _profile(user) -> list[dict]:
    return rows(
        User.objects.filter(pk=user.pk),
        "email",
        "full_name",
        "date_joined",
        "last_login",
        "is_active",
        "is_staff",
    )


def _delete_account(context: ErasureContext) -> None:
    """Last of all: the row itself. Foreign keys that must keep their rows (orders,
    certificates, logs) were detached by their own declarations before this."""
    User.objects.filter(pk=context.user.pk).delete()


def _authenticators(user) -> list[dict]:
    # Only what and when: the secret and recovery codes never leave the database.
    return rows(Authenticator.objects.filter(user=user).order_by("pk"), "type", "created_at", "last_used_at")


def _social_accounts(user) -> list[dict]:
    return rows(
        SocialAccount.objects.filter(user=user).order_by("pk"), "provider", "uid", "date_joined", "extra_data"
    )


def _axes_rows(model):
    def export(user) -> list[dict]:
        return rows(
            model.objects.filter(username__in=_emails(user)).order_by("pk"),
            *[f.name for f in model._meta.concrete_fields if f.name != "id"],
        )

    return export


def _forget_axes(model, delete: bool):
    def erase(context: ErasureContext):
        queryset = model.objects.filter(username__in=context.emails)
        if delete:
            return queryset.delete()
        return queryset.update(username=None, ip_address=None, user_agent="")

    return erase


def _emails(user) -> list[str]:
    return [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]


def _sessions(user) -> list[dict]:
    return [{"expire_date": s.expire_date.isoformat()} for s in sessions_of(user)]


def _end_sessions(context: ErasureContext) -> None:
    end_sessions(context.user)


def _delete_profile(context: ErasureContext) -> None:
    for profile in UserProfile.objects.filter(user=context.user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()


declare(
    "accounts.User",
    fields=["email", "full_name"],
    purpose=_("Your account: the email you sign in with and the name on your certificates."),
    retention=_("While the account exists; erased 7 days after you ask to delete it."),
    area="profile",
    export=_profile,
    erase=_delete_account,
    on_erasure=_("Deleted."),
)
declare(
    "account.EmailAddress",
    fields=["user", "email"],
    purpose=_("Your email addresses and whether each is verified."),
    retention=_("While the account exists; unverified accounts are deleted after 30 days."),
    area="profile",
    export=owned_rows("account.EmailAddress", "email", "verified", "primary"),
    erase=delete_owned("account.EmailAddress"),
    on_erasure=_("Deleted."),
)
declare(
    "account.EmailConfirmation",
    fields=["email_address"],
    purpose=_("A pending email verification."),
    retention=_("Until verified or the account is deleted."),
    area="profile",
    erase=delete_owned("account.EmailConfirmation", owner="email_address__user"),
    on_erasure=_("Deleted."),
)
declare(
    "socialaccount.SocialAccount",
    fields=["user"],
    purpose=_("The Google account you connected to sign in."),
    retention=_("While connected and the account exists."),
    area="profile",
    export=_social_accounts,
    erase=delete_owned("socialaccount.SocialAccount"),
    on_erasure=_("Deleted, with its tokens."),
)
declare(
    "mfa.Authenticator",
    fields=["user"],
    purpose=_("Your second factor (authenticator app, security keys, recovery codes)."),
    retention=_("While the account exists."),
    area="logins",
    export=_authenticators,
    erase=delete_owned("mfa.Authenticator"),
    on_erasure=_("Deleted."),
)
declare(
    "axes.AccessAttempt",
    fields=["username", "ip_address", "user_agent"],
    purpose=_("Failed sign-ins, to pause guessing (the lockout)."),
    retention=_("Until a successful sign-in clears it; at most 90 days (PRIVACY_LOGIN_RECORD_DAYS)."),
    area="logins",
    export=_axes_rows(AccessAttempt),
    erase=_forget_axes(AccessAttempt, delete=True),
    on_erasure=_("Deleted."),
)
declare(
    "axes.AccessFailureLog",
    fields=["username", "ip_address", "user_agent"],
    purpose=_("Each failed sign-in, for security review."),
    retention=_("90 days."),
    area="logins",
    export=_axes_rows(AccessFailureLog),
    erase=_forget_axes(AccessFailureLog, delete=False),
    on_erasure=_("Kept for the counts; the email, address and browser are removed."),
)
declare(
    "axes.AccessLog",
    fields=["username", "ip_address", "user_agent"],
    purpose=_("Each sign-in and sign-out, for security review."),
    retention=_("90 days."),
    area="logins",
    export=_axes_rows(AccessLog),
    erase=_forget_axes(AccessLog, delete=False),
    on_erasure=_("Kept for the counts; the email, address and browser are removed."),
)
declare(
    "wagtailusers.UserProfile",
    fields=["user"],
    purpose=_("Admin preferences and avatar of staff accounts."),
    retention=_("While the account exists."),
    area="profile",
    export=owned_rows("wagtailusers.UserProfile", "preferred_language", "current_time_zone", "theme"),
    erase=_delete_profile,
    on_erasure=_("Deleted, avatar file included."),
)
declare(
    "sessions.Session",
    fields=["session_data"],
    purpose=_("Keeps you signed in on each browser."),
    retention=_("Two weeks after the last visit, or until you sign out."),
    area="logins",
    export=_sessions,
    erase=_end_sessions,
    on_erasure=_("Every session ends when you ask to delete the account."),
)
