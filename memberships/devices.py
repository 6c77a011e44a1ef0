"""The concurrent-device limit, enforced when playback starts.

The media pipeline's playlist/key endpoints call `start_playback` when a player opens
and `touch` on each heartbeat. Opening one device more than the tier allows ends the
oldest open session; that device's next key request is refused and it is told why.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import policy
from .models import PlaybackSession

IDLE_AFTER = timedelta(minutes=10)
ENDED_FOR_NEW_DEVICE = "another_device"
ENDED_IDLE = "idle"


@dataclass
class PlaybackStart:
    session: PlaybackSession
    ended: list[PlaybackSession] = field(default_factory=list)
    limit: int = 1

    @property
    def message(self) -> str:
        if not self.ended:
            return ""
        return (
            f"Your plan allows {self.limit} device(s) at a time, so playback stopped on "
            f"{len(self.ended)} other device(s)."
        )


@transaction.atomic
def start_playback(user, device_id: str, user_agent: str = "", ip: str | None = None) -> PlaybackStart:
    now = timezone.now()
    tier = policy.tier_of(user)
    limit = max(tier.max_devices if tier else 1, 1)
    # Lock this user's open sessions so two devices starting at once cannot both slip in.
    open_sessions = list(
        PlaybackSession.objects.select_for_update()
        .filter(user=user, ended_at__isnull=True)
        .order_by("last_seen_at")
    )
    stale = [s for s in open_sessions if s.last_seen_at < now - IDLE_AFTER]
    _end(stale, ENDED_IDLE, now)
    live = [s for s in open_sessions if s not in stale]

    session = next((s for s in live if s.device_id == device_id), None)
    if session is not None:
        session.last_seen_at, session.user_agent, session.ip_address = now, user_agent[:300], ip
        session.save(update_fields=["last_seen_at", "user_agent", "ip_address"])
        return PlaybackStart(session=session, limit=limit)

    overflow = len(live) + 1 - limit
    ended = live[:overflow] if overflow > 0 else []
    _end(ended, ENDED_FOR_NEW_DEVICE, now)
    session = PlaybackSession.objects.create(
        user=user, device_id=device_id, user_agent=user_agent[:300], ip_address=ip
    )
    return PlaybackStart(session=session, ended=ended, limit=limit)


def touch(user, device_id: str) -> PlaybackSession | None:
    """Heartbeat: keep the session alive. None means it was ended (e.g. by another device)."""
    session = PlaybackSession.objects.filter(user=user, device_id=device_id, ended_at__isnull=True).first()
    if session is not None:
        PlaybackSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now())
    return session


def _end(sessions, reason: str, now) -> None:
    if sessions:
        PlaybackSession.objects.filter(pk__in=[s.pk for s in sessions]).update(
            ended_at=now, end_reason=reason
        )
        for s in sessions:
            s.ended_at, s.end_reason = now, reason
