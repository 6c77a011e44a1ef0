"""Starting playback: the one sequence of checks the site's player and the API both run.

The policy (`can_play`), an account, a video that is ready in the viewer's quality, a
valid device id, the device limit (`memberships.devices.start_playback`), then the
`playback_started` signal and the URLs with their playlist token. `player_views.play`
and the API's playback view differ only in how they read the request and word the
answer; every rule is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from memberships import devices, policy

from . import gate, playback, signing
from .models import Video
from .signals import playback_started

DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True)
class PlaybackGrant:
    """An opened playback session: the lesson, its video, the device-limit outcome and
    the playlist token every playlist URL carries."""

    lesson: object
    video: Video
    start: devices.PlaybackStart
    token: str

    @property
    def master_path(self) -> str:
        return f"/video/hls/{self.token}/master.m3u8"


def start_playback(
    user,
    lesson_id: int,
    *,
    device_id: str,
    refresh: bool = False,
    user_agent: str = "",
    ip: str | None = None,
) -> PlaybackGrant | playback.Refusal:
    """Open (or keep) this device's playback session for the lesson, or say why not.

    `refresh` is the player renewing expired URLs on its own: it never takes playback
    back from a device that took it over (only the learner pressing "Watch here" does)."""
    lesson = gate.load_lesson(lesson_id)  # fresh: the player's first call
    if lesson is None:
        return playback.Refusal("not_found", "This lesson does not exist.", 404)
    decision = policy.can_play(user, lesson)
    if not decision:
        return playback.refusal_for_decision(user, lesson, decision)
    if not user.is_authenticated:
        # A preview lesson is open to visitors, but a playback session needs an account.
        return playback.token_refusal("login_required")
    video = lesson.video
    if video is None:
        return playback.no_video()
    if not video.is_playable:
        return playback.not_ready()
    max_height = policy.max_video_height(user)
    if not playback.allowed_renditions(video, max_height):
        return playback.not_ready_for_plan(max_height)
    if not isinstance(device_id, str) or not DEVICE_ID.match(device_id):
        return playback.Refusal("bad_request", "The player did not send a valid device id.", 400)
    if refresh and playback.device_taken_by_another(user, device_id):
        return playback.device_limit()

    start = devices.start_playback(user, device_id, user_agent, ip)
    playback_started.send(sender=Video, user=user, lesson=lesson, video=video, playback_session=start.session)
    token = playback.make_token(
        "playlist",
        ttl=settings.PLAYBACK_PLAYLIST_SECONDS,
        user_id=user.pk,
        session_id=start.session.pk,
        video_id=video.pk,
        lesson_id=lesson.pk,
    )
    return PlaybackGrant(lesson=lesson, video=video, start=start, token=token)


def playback_payload(user, grant: PlaybackGrant, absolute=lambda path: path) -> dict:
    """What a player needs: the master playlist, poster, storyboard and caption URLs (made
    absolute by `absolute` when the caller wants them so), the viewer's top quality, when
    to renew the URLs, the device-limit notice and the watermark."""
    video, token = grant.video, grant.token
    files_expire = signing.expiry_in(settings.PLAYBACK_PLAYLIST_SECONDS)
    renditions = playback.allowed_renditions(video, policy.max_video_height(user))
    return {
        "video": {"id": str(video.public_id), "title": video.title, "duration": video.duration_seconds},
        "master_url": absolute(grant.master_path),
        "poster_url": absolute(signing.signed_file_url(video.poster, files_expire)) if video.poster else "",
        "storyboard_url": absolute(f"/video/hls/{token}/storyboard.vtt") if video.storyboard else "",
        "captions": [
            {
                "language": c.language,
                "label": c.label,
                "default": c.is_default,
                "url": absolute(f"/video/hls/{token}/captions/{c.language}.vtt"),
            }
            for c in video.captions.all()
        ],
        "max_height": max(int(r.get("height") or 0) for r in renditions),
        "refresh_in": max(int(settings.PLAYBACK_SEGMENT_SECONDS) - 60, 30),
        "device_message": grant.start.message,
        "watermark": playback.watermark_text(user),
    }
