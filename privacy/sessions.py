"""Every browser session of one account, found and ended.

Django keeps no index from an account to its sessions, so this reads the session table
(only unexpired rows) and decodes each; it runs on a deletion request, not per request.
Ending goes through the configured session engine, so a cached_db session also leaves
Redis at once."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_of(user) -> list[Session]:
    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            found.append(session)
    return found


def end_sessions(user) -> int:
    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    for session in sessions_of(user):
        engine.SessionStore(session_key=session.session_key).delete()
        ended += 1
    return ended
