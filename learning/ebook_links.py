"""Short-lived signed links to download an ebook, for clients that hold no session
cookie (apps using the API).

A link names the book and the user and carries its signing time; the download view
checks the signature and the age, then asks the policy again for that user, so a link
outlives neither its minutes (EBOOK_LINK_SECONDS) nor the membership behind it, and the
download is logged against the user who asked for it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SALT = "learning.ebook_download"


class LinkRefused(Exception):
    """The link is forged, expired, for another book, or its account is gone."""

    def __init__(self, reason: str, message):
        super().__init__(message)
        self.reason = reason
        self.message = message


def signed_download_path(ebook, user) -> tuple[str, datetime]:
    """The download view's path with a token for `user`, and when it stops working."""
    token = signing.dumps({"e": ebook.pk, "u": user.pk}, salt=SALT)
    path = reverse("learning:ebook_download", args=[ebook.pk])
    return f"{path}?token={token}", timezone.now() + timedelta(seconds=settings.EBOOK_LINK_SECONDS)


def user_for(token: str, ebook):
    """The active user `token` was made for, if it is genuine, fresh and for `ebook`."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=settings.EBOOK_LINK_SECONDS)
    except signing.SignatureExpired as error:
        raise LinkRefused("expired", _("This download link has expired. Ask for a new one.")) from error
    except signing.BadSignature as error:
        raise LinkRefused("forged", _("This download link is not valid.")) from error
    if not isinstance(claims, dict) or claims.get("e") != ebook.pk:
        raise LinkRefused("forged", _("This download link is not valid."))
    user = get_user_model().objects.filter(pk=claims.get("u"), is_active=True).first()
    if user is None:
        raise LinkRefused("forged", _("This download link is not valid."))
    return user
