"""HTTP doors of playback: start, playlists, key, signed files. Thin: `playback` decides.

Every answer is `Cache-Control: private, no-store`. Refusals are JSON
`{"error": {"code", "message", …}}` that the player shows in the video area.
"""

from __future__ import annotations

import json
import logging
import re

from django.conf import settings
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from api.authentication import bearer_user
from config.client_ip import client_ip
from memberships import policy
from memberships.gating import mark_private

from . import gate, playback, signing, starting
from .models import Video

log = logging.getLogger(__name__)

M3U8 = "application/vnd.apple.mpegurl"


def _private(response, request=None):
    if request is not None:
        mark_private(request)
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _refuse(request, refusal: playback.Refusal):
    return _private(JsonResponse(refusal.as_json(), status=refusal.status), request)


def _client_ip(request) -> str | None:
    return client_ip(request)


def _api_viewer(request) -> None:
    """An API client (a mobile app's player) has no session cookie: it sends its access
    token as `Authorization: Bearer …` on every playlist and key request instead. Either
    proves the same thing, who is asking, and everything after it is the same check."""
    if not request.user.is_authenticated and "HTTP_AUTHORIZATION" in request.META:
        user = bearer_user(request)
        if user is not None:
            request.user = user


# -- start -------------------------------------------------------------------------------


@require_POST
def play(request, lesson_id: int):
    """The player's first call: may this viewer play, and with which URLs?

    Body (JSON or form): `device` (the player's random id), optional `refresh` (true when
    the player renews expired URLs on its own: it then never takes playback back from
    another device). The checks are `starting.start_playback`'s, shared with the API."""
    mark_private(request)
    body = _read_body(request)
    grant = starting.start_playback(
        request.user,
        lesson_id,
        device_id=str(body.get("device") or ""),
        refresh=body.get("refresh") in (True, "1", "true"),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=_client_ip(request),
    )
    if isinstance(grant, playback.Refusal):
        return _refuse(request, grant)
    return _private(JsonResponse(starting.playback_payload(request.user, grant)), request)


def _read_body(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


# -- token-gated playlists ------------------------------------------------------------------


class _Gate:
    """What a token-gated request has proved: the token, its lesson and video."""

    def __init__(self, token, lesson, video):
        self.token, self.lesson, self.video = token, lesson, video


def _open_gate(request, raw_token: str, kind: str):
    """Check a token in the order that leaks least: signature and expiry (pure HMAC), the
    logged-in user, then the policy and the playback session. Returns a _Gate or a
    Refusal (with .token / .video set when known, for the key log)."""
    try:
        token = playback.read_token(kind, raw_token)
    except playback.TokenError as exc:
        return playback.token_refusal(exc.reason), exc.token, None
    if not request.user.is_authenticated:
        return playback.token_refusal("login_required"), token, None
    if request.user.pk != token.user_id:
        return playback.token_refusal("wrong_user"), token, None
    lesson = gate.lesson(token.lesson_id)
    if lesson is None or lesson.video_id != token.video_id:
        return playback.Refusal("not_found", "This lesson or video no longer exists.", 404), token, None
    decision = policy.can_play(request.user, lesson)
    if not decision:
        return playback.refusal_for_decision(request.user, lesson, decision), token, lesson.video
    if not playback.session_is_open(token.session_id, token.user_id):
        return playback.device_limit(), token, lesson.video
    if not lesson.video.is_playable:
        return playback.not_ready(), token, lesson.video
    return _Gate(token, lesson, lesson.video), token, lesson.video


def _playlist_response(request, text: str, content_type: str = M3U8):
    return _private(HttpResponse(text, content_type=content_type), request)


def _gate_or_refuse(request, token: str):
    mark_private(request)
    _api_viewer(request)
    gate, _token, _video = _open_gate(request, token, "playlist")
    return gate


@require_GET
def master_playlist(request, token: str):
    gate = _gate_or_refuse(request, token)
    if isinstance(gate, playback.Refusal):
        return _refuse(request, gate)
    max_height = policy.max_video_height(request.user)
    renditions = playback.allowed_renditions(gate.video, max_height)
    if not renditions:
        return _refuse(request, playback.not_ready_for_plan(max_height))
    captions = list(gate.video.captions.all())
    return _playlist_response(request, playback.master_playlist(gate.video, renditions, captions))


@require_GET
def media_playlist(request, token: str, height: int):
    gate = _gate_or_refuse(request, token)
    if isinstance(gate, playback.Refusal):
        return _refuse(request, gate)
    rendition = playback.rendition_for_viewer(request.user, gate.video, height)
    if isinstance(rendition, playback.Refusal):
        return _refuse(request, rendition)
    parsed = playback.load_media_playlist(gate.video, rendition)
    t = gate.token
    key_token = playback.make_token(
        "key",
        user_id=t.user_id,
        session_id=t.session_id,
        video_id=t.video_id,
        lesson_id=t.lesson_id,
        rendition=height,
        ttl=settings.PLAYBACK_PLAYLIST_SECONDS,
    )
    expires = signing.expiry_in(settings.PLAYBACK_SEGMENT_SECONDS)
    text = playback.render_media_playlist(parsed, f"/video/key/{key_token}/", expires)
    return _playlist_response(request, text)


def _caption(video, language: str):
    caption = video.captions.filter(language=language).first()
    if caption is None:
        raise Http404("No caption in this language.")
    return caption


@require_GET
def caption_playlist(request, token: str, language: str):
    gate = _gate_or_refuse(request, token)
    if isinstance(gate, playback.Refusal):
        return _refuse(request, gate)
    _caption(gate.video, language)
    duration = (
        gate.video.duration_seconds
        or playback.load_media_playlist(gate.video, playback.lowest_rendition(gate.video)).duration
    )
    return _playlist_response(request, playback.caption_playlist(duration, f"{language}.vtt"))


@require_GET
def caption_file(request, token: str, language: str):
    """A caption track, gated like the playlists, with its X-TIMESTAMP-MAP for HLS."""
    gate = _gate_or_refuse(request, token)
    if isinstance(gate, playback.Refusal):
        return _refuse(request, gate)
    caption = _caption(gate.video, language)
    with caption.file.open("rb") as fh:
        text = fh.read().decode("utf-8", errors="replace")
    mapped = request.GET.get("native") != "1"
    body = playback.caption_vtt(text, playback.first_pts(gate.video) if mapped else None)
    return _playlist_response(request, body, "text/vtt; charset=utf-8")


@require_GET
def storyboard(request, token: str):
    gate = _gate_or_refuse(request, token)
    if isinstance(gate, playback.Refusal):
        return _refuse(request, gate)
    video = gate.video
    if not video.storyboard:
        raise Http404("This video has no storyboard.")
    with storages["private"].open(video.storyboard, "rb") as fh:
        text = fh.read().decode("utf-8")
    sprite = video.storyboard.rsplit("/", 1)[0] + "/storyboard.jpg"
    match = re.search(r"(?m)^([^\s#]+\.jpg)#xywh=", text)
    if match:
        sprite = video.storyboard.rsplit("/", 1)[0] + "/" + match.group(1).rsplit("/", 1)[-1]
    url = signing.signed_file_url(sprite, signing.expiry_in(settings.PLAYBACK_PLAYLIST_SECONDS))
    return _playlist_response(request, playback.storyboard_vtt(text, sprite, url), "text/vtt; charset=utf-8")


# -- the key -------------------------------------------------------------------------------


@require_GET
def content_key(request, token: str):
    """The 16 raw bytes of one rendition's AES-128 key, for the viewer its token was made for.

    Same-origin, so the session cookie comes along. Every request re-checks the token (in
    constant time), the user, the policy, the playback session and that the token's
    rendition is within the viewer's tier, and is logged."""
    mark_private(request)
    _api_viewer(request)
    limited = is_ratelimited(
        request,
        group="media_pipeline.key",
        key="user_or_ip",
        rate=settings.PLAYBACK_KEY_RATE,
        method=ALL,
        increment=True,
    )
    if limited:
        refusal = playback.Refusal("rate_limited", "Too many key requests. Please wait a moment.", 429)
        _log_key(request, None, None, refusal.code)
        return _refuse(request, refusal)
    gate, token, video = _open_gate(request, token, "key")
    if isinstance(gate, playback.Refusal):
        _log_key(request, token, video, gate.code)
        return _refuse(request, gate)
    rendition = playback.rendition_for_viewer(request.user, gate.video, gate.token.rendition)
    if isinstance(rendition, playback.Refusal):
        _log_key(request, gate.token, gate.video, rendition.code)
        return _refuse(request, rendition)
    raw = gate.video.rendition_key(rendition)
    _log_key(request, gate.token, gate.video, "", allowed=True)
    response = HttpResponse(raw, content_type="application/octet-stream")
    return _private(response, request)


def _log_key(request, token, video, reason: str, allowed: bool = False) -> None:
    video_id = getattr(video, "pk", None)
    if video_id is None and token is not None:
        video_id = Video.objects.filter(pk=token.video_id).values_list("pk", flat=True).first()
    if video_id is None:
        log.info("key request refused (%s) for an unknown video from %s", reason, _client_ip(request))
        return
    user_id = request.user.pk if request.user.is_authenticated else None
    session_id = token.session_id if token is not None and allowed else None
    playback.log_key_request(
        video_id=video_id,
        user_id=user_id,
        playback_session_id=session_id,
        allowed=allowed,
        reason=reason[:40],
        ip_address=_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


# -- signed files (local storage) -------------------------------------------------------------


@require_GET
def signed_file(request, expires: str, signature: str, name: str):
    """A segment, poster, sprite or caption file from private storage, for a URL signed by
    `signing.signed_file_url`. No cookie needed: the signature and expiry are the check
    (segments are encrypted; the key endpoint is what is bound to a viewer)."""
    problem = signing.check_file_signature(name, expires, signature)
    if problem:
        status = 410 if problem == "expired" else 403
        message = "This link has expired." if problem == "expired" else "This link is not valid."
        return _private(JsonResponse({"error": {"code": problem, "message": message}}, status=status))
    storage = storages["private"]
    try:
        fh = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("No such file.") from exc
    content_type = next(t for ext, t in signing.SIGNED_FILE_TYPES.items() if name.endswith(ext))
    return _private(FileResponse(fh, content_type=content_type))


def signed_file_root(request):  # pragma: no cover - only its URL is used, as a prefix
    raise Http404()
