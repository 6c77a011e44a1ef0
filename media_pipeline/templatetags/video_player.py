"""`{% video_player_state page as player %}`: what the lesson's player area shows first.

The server decides the first state with the same policy the playback view asks, so a
refused or not-ready viewer sees the reason in the video area straight away (no script
needed), and an entitled viewer sees the poster frame before pressing play.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from memberships import policy

from .. import playback, signing
from ..failures import failed_refusal, packaging_failed

register = template.Library()


@register.simple_tag(takes_context=True)
def video_player_state(context, page) -> dict | None:
    video = getattr(page, "video", None)
    request = context.get("request")
    if video is None or request is None:
        return None
    user = request.user
    state = {"video": video, "state": "ready", "refusal": None, "poster_url": ""}
    decision = policy.can_play(user, page)
    if not decision:
        state.update(state="refused", refusal=playback.refusal_for_decision(user, page, decision))
    elif not user.is_authenticated:
        state.update(state="refused", refusal=playback.refusal_for_decision(user, page, _login_needed()))
    elif packaging_failed(video):
        # Never "still being prepared" for a video that will not be: the lesson can be
        # marked done instead (learning.progress.needs_watching).
        state.update(state="failed", refusal=failed_refusal())
    elif not video.is_playable:
        state.update(state="not_ready", refusal=playback.not_ready())
    else:
        if video.poster:
            expires = signing.expiry_in(settings.PLAYBACK_PLAYLIST_SECONDS)
            state["poster_url"] = signing.signed_file_url(video.poster, expires)
        state["play_url"] = reverse("media_pipeline:play", args=[page.pk])
    return state


def _login_needed():
    return policy.Decision(False, policy.Reason.LOGIN_REQUIRED)
