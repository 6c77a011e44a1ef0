"""Jitsi: a room on a configurable server, with a signed token when the server uses
token authentication (JITSI_APP_ID and JITSI_APP_SECRET, Prosody's `token` auth).

Rooms cost nothing to create, so create/update/cancel only decide the room address.
The room name carries a random part from the session's UID, so it cannot be guessed
from the course name. Learners join as non-moderators; the course's instructors and
content staff join as moderators.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

import jwt

from .base import MeetingProvider, ProviderResult


def jitsi_base_url() -> str:
    return (settings.JITSI_BASE_URL or "https://meet.jit.si").rstrip("/")


def token_auth_enabled() -> bool:
    return bool(settings.JITSI_APP_ID and settings.JITSI_APP_SECRET)


def room_name(session) -> str:
    random_part = re.sub(r"[^0-9a-f]", "", session.ical_uid.split("@")[0])[:12]
    title = slugify(session.title)[:40].strip("-") or "session"
    return f"lectern-{title}-{random_part}"


def is_moderator(session, user) -> bool:
    from memberships.policy import is_content_staff, teaches

    return bool(teaches(user, session.course) or is_content_staff(user))


def join_token(session, user, *, now=None) -> str:
    """An HS256 token Jitsi's token auth accepts, valid for a short while only."""
    now = now or timezone.now()
    room = room_name(session)
    domain = settings.JITSI_DOMAIN or urlsplit(jitsi_base_url()).hostname
    claims = {
        "aud": "jitsi",
        "iss": settings.JITSI_APP_ID,
        "sub": domain,
        "room": room,
        "iat": int(now.timestamp()),
        "nbf": int((now - timedelta(seconds=30)).timestamp()),
        "exp": int((now + timedelta(seconds=settings.JITSI_TOKEN_SECONDS)).timestamp()),
        "context": {
            "user": {
                "id": str(user.pk),
                "name": getattr(user, "display_name", "") or user.get_full_name() or user.email,
                "email": user.email,
                "moderator": is_moderator(session, user),
            }
        },
        "moderator": is_moderator(session, user),
    }
    return jwt.encode(claims, settings.JITSI_APP_SECRET, algorithm="HS256")


class JitsiProvider(MeetingProvider):
    name = "jitsi"

    def _room(self, session) -> ProviderResult:
        room = room_name(session)
        return ProviderResult(event_id=room, join_url=f"{jitsi_base_url()}/{room}")

    def create(self, session) -> ProviderResult:
        return self._room(session)

    def update(self, session) -> ProviderResult:
        return self._room(session)

    def cancel(self, session) -> None:
        """A Jitsi room exists only while people are in it: nothing to delete."""

    def join_url_for(self, session, user) -> str:
        url = session.join_url or self._room(session).join_url
        if token_auth_enabled():
            url = f"{url}?{urlencode({'jwt': join_token(session, user)})}"
        return url
