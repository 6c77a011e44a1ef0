"""allauth adapters: a Google sign-up fills our single full-name field, and allauth's
rate limits count by the same client address as everything else."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from account_notices import notices
from config.client_ip import client_network


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        # allauth's limits (password reset requests, sign-ups …) key on this; behind
        # nginx REMOTE_ADDR alone would put every visitor in one bucket.
        return client_network(request)

    def send_mail(self, template_prefix, email, context):
        # Account emails go out like every other message: our branded templates, an
        # EmailLog row, delivered by a job after the transaction commits.
        if notices.handles(template_prefix):
            notices.send_allauth_mail(template_prefix, email, context)
        else:
            super().send_mail(template_prefix, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the account out of a notification's context; the log wants it.
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "").strip()
        return user
