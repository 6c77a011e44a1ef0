"""Playback: who gets which playlist, with which tokens, and what a refusal says.

The views in `player_views` stay thin; everything they decide lives here.

Tokens. A player gets two kinds, both HMAC-signed, expiring, and bound to
(user, playback session, video, lesson):

- a *playlist* token in the path of every playlist URL (master, media, captions,
  storyboard index), valid `PLAYBACK_PLAYLIST_SECONDS`;
- a *key* token in the key URI of every media playlist, valid as long, which also
  names that playlist's rendition (height): each rendition has its own content key, and
  the key endpoint refuses a rendition above the viewer's tier as the playlist view does.

Every request carrying a token also needs the session cookie of the same user, and
re-asks `memberships.policy.can_play` and whether the playback session is still open,
so a pasted URL is worthless to anyone else and a lapsed or moved-on viewer is refused
at the next request. Segment URLs are cheaper (`signing`: path + expiry only) because
segments are encrypted.

Expiry and refresh (long viewing). Segment URLs live `PLAYBACK_SEGMENT_SECONDS`
(default 20 minutes, rounded up to a 5-minute window). A player that pauses for 40
minutes and resumes gets a 403/410 on its next segment; the player then asks the playback
view again with `refresh`, which keeps (or, after the device limit's idle timeout,
reopens) the same device's session without taking the device from anyone else, fetches
the fresh media playlist and retries the segment with its new URL, continuing from
`currentTime`. Nothing the learner sees changes. See static/js/player.js.

Rewriting. ffmpeg's media playlist is parsed once per build and rendition (the build id
is in `storage_prefix`, so a new build never hits a stale parse) into literal text and
segment names; a request then only joins strings and computes one HMAC per segment, and
the signed segment list itself is memoised per expiry window, so most requests only
substitute their key URI.
"""

from __future__ import annotations

import functools
import hmac
import math
import re
import struct
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from memberships import policy

from . import signing
from .models import VideoStatus

KEY_URI_PLACEHOLDER = "\x00LECTERN-KEY-URI\x00"
_KEY_LINE = re.compile(r'^(#EXT-X-KEY:.*?URI=")([^"]*)(".*)$')
_IV = re.compile(r"IV=0x([0-9A-Fa-f]{32})")


# -- tokens ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaybackToken:
    kind: str
    user_id: int
    session_id: int
    video_id: int
    lesson_id: int
    expires: int
    rendition: int = 0  # key tokens: the height of the rendition whose key they open

    @property
    def payload(self) -> str:
        ids = f"{self.user_id}.{self.session_id}.{self.video_id}.{self.lesson_id}"
        if self.kind == "key":
            ids += f".{self.rendition}"
        return f"{ids}.{self.expires}"


# Numbers in each kind's payload: the ids, (a key token's rendition,) the expiry.
_TOKEN_FIELDS = {"playlist": 5, "key": 6}


def _token_signature(kind: str, payload: str) -> str:
    digest = hmac.digest(signing.signing_key(f"token.{kind}"), payload.encode(), "sha256")
    return signing._b64(digest[:18])


def make_token(
    kind: str, *, user_id: int, session_id: int, video_id: int, lesson_id: int, ttl: int, rendition: int = 0
) -> str:
    token = PlaybackToken(kind, user_id, session_id, video_id, lesson_id, signing.expiry_in(ttl), rendition)
    return f"{token.payload}.{_token_signature(kind, token.payload)}"


class TokenError(Exception):
    def __init__(self, reason: str, token: PlaybackToken | None = None):
        super().__init__(reason)
        self.reason = reason  # "forged" or "expired"
        self.token = token  # set when only the expiry failed: the fields are genuine


def read_token(kind: str, raw: str, *, now: float | None = None) -> PlaybackToken:
    """The token's fields if its signature is right (compared in constant time) and it has
    not expired; TokenError("forged" | "expired") otherwise."""
    payload, _sep, signature = raw.rpartition(".")
    parts = payload.split(".")
    if len(parts) != _TOKEN_FIELDS[kind] or not all(p.isdigit() and len(p) < 19 for p in parts):
        raise TokenError("forged")
    if not hmac.compare_digest(_token_signature(kind, payload), signature):
        raise TokenError("forged")
    numbers = [int(p) for p in parts]
    rendition = numbers.pop(4) if kind == "key" else 0
    token = PlaybackToken(kind, *numbers, rendition=rendition)
    if token.expires < (time.time() if now is None else now):
        raise TokenError("expired", token)
    return token


# -- refusals ---------------------------------------------------------------------------


@dataclass
class Refusal:
    """Why a viewer cannot play, in words the player shows in the video area."""

    code: str
    message: str
    status: int = 403
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def _pricing_url(tier=None) -> str:
    url = reverse("memberships:pricing")
    return f"{url}?tier={tier.slug}" if tier is not None else url


def refusal_for_decision(user, lesson, decision) -> Refusal:
    """Turn the policy's `Decision` into the learner-facing refusal (the policy decides;
    this only words it)."""
    reason = str(decision.reason)
    if reason == policy.Reason.LOGIN_REQUIRED:
        login = reverse("account_login")
        return Refusal(
            "login_required",
            _("Log in to watch this lesson."),
            401,
            {"login_url": f"{login}?next={lesson.url or '/'}"},
        )
    if reason == "locked":
        finish = getattr(decision, "finish_first", None)
        if finish is None:
            return Refusal("locked", _("This lesson opens once you finish the lessons before it."), 403)
        return Refusal(
            "locked",
            _("This lesson opens once you finish “%(title)s”.") % {"title": finish.title},
            403,
            {"finish_url": finish.url, "finish_title": finish.title},
        )
    required = decision.required_tier
    tiers = [
        {"name": t.name, "slug": t.slug, "url": _pricing_url(t)}
        for t in decision.upgrade_tiers
        if not t.is_free
    ]
    lapsed = _lapsed_subscription(user, required)
    if lapsed is not None:
        return Refusal(
            "subscription_lapsed",
            _("Your %(tier)s membership ended on %(date)s. Renew it to keep watching.")
            % {"tier": lapsed.tier.name, "date": date_format(timezone.localtime(lapsed.ends_at), "j F Y")},
            403,
            {"tiers": tiers, "upgrade_url": _pricing_url(lapsed.tier)},
        )
    names = " or ".join(t["name"] for t in tiers) or (required.name if required else _("a paid plan"))
    current = decision.user_tier.name if decision.user_tier else None
    message = _("This lesson is for %(tiers)s members.") % {"tiers": names}
    if current:
        message += " " + _("You are on the %(tier)s plan.") % {"tier": current}
    return Refusal(
        "tier_too_low",
        message,
        403,
        {"tiers": tiers, "upgrade_url": _pricing_url(required)},
    )


def _lapsed_subscription(user, required):
    """The user's most recent subscription that has ended and would have opened this."""
    if not user.is_authenticated or required is None:
        return None
    from memberships.models import Subscription

    return (
        Subscription.objects.filter(user=user, ends_at__lte=timezone.now(), tier__rank__gte=required.rank)
        .select_related("tier")
        .order_by("-ends_at")
        .first()
    )


def not_ready() -> Refusal:
    return Refusal(
        "not_ready", _("This video is still being prepared. Please try again in a few minutes."), 409
    )


def not_ready_for_plan(max_height: int) -> Refusal:
    return Refusal(
        "not_ready_for_plan",
        _(
            "This video is still being prepared in your plan's quality (up to %(height)sp). "
            "Please try again in a few minutes."
        )
        % {"height": max_height},
        409,
    )


def quality_not_in_plan(height: int) -> Refusal:
    return Refusal(
        "quality_not_in_plan",
        _("%(height)sp is not included in your plan.") % {"height": height},
        403,
        {"upgrade_url": _pricing_url()},
    )


def no_video() -> Refusal:
    return Refusal("no_video", _("This lesson has no video."), 404)


def device_limit(message: str = "") -> Refusal:
    return Refusal(
        "device_limit",
        message
        or _(
            "Playback moved to another of your devices, because your plan allows only so many at "
            "a time. Press “Watch here” to continue on this one."
        ),
        409,
    )


def token_refusal(reason: str) -> Refusal:
    if reason == "expired":
        return Refusal("expired", _("This playback link has expired. Reload the lesson to continue."), 403)
    if reason == "wrong_user":
        return Refusal("wrong_user", _("This playback link belongs to another account."), 403)
    if reason == "login_required":
        return Refusal("login_required", _("Log in to watch this lesson."), 401)
    return Refusal("forged", _("This playback link is not valid."), 403)


# -- the session a token names -----------------------------------------------------------


def session_is_open(session_id: int, user_id: int) -> bool:
    """Asked on every key request, so its statement is built once per worker."""
    with connection.cursor() as cursor:
        cursor.execute(_open_session_sql(), [session_id, user_id])
        return cursor.fetchone() is not None


@functools.cache
def _open_session_sql() -> str:
    from memberships.models import PlaybackSession

    meta, q = PlaybackSession._meta, connection.ops.quote_name
    return (
        f"SELECT 1 FROM {q(meta.db_table)} WHERE {q(meta.pk.column)} = %s"  # noqa: S608 - names from the model
        f" AND {q(meta.get_field('user').column)} = %s AND {q(meta.get_field('ended_at').column)} IS NULL"
    )


def first_key_fetch(session_id: int, video_id: int):
    """When this playback session was first given a key of this video, or None if never:
    the moment streaming really began, which heartbeats are measured against
    (`learning.progress`)."""
    from .models import KeyAccess

    return (
        KeyAccess.objects.filter(playback_session_id=session_id, video_id=video_id, allowed=True)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )


def log_key_request(**values) -> None:
    """One `KeyAccess` row. Every key request is logged, so the INSERT is built once per
    worker; each value is prepared by its model field exactly as `objects.create` would.

    On PostgreSQL the row commits asynchronously (`SET LOCAL synchronous_commit TO OFF`,
    sent in the same round trip, so it applies to this INSERT's transaction only): the
    viewer does not wait for the disk to flush an audit row. A database crash can lose
    the last fraction of a second of log rows, never corrupt anything; PostgreSQL's
    documentation suggests exactly this for event logging. Inside a caller's transaction
    it is a plain INSERT, so the caller's own commit is never made asynchronous."""
    from .models import KeyAccess

    values.setdefault("at", timezone.now())
    params = [
        KeyAccess._meta.get_field(name).get_db_prep_save(value, connection) for name, value in values.items()
    ]
    sql = _insert_sql(tuple(values))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@functools.cache
def _insert_sql(names: tuple[str, ...]) -> str:
    from .models import KeyAccess

    meta, q = KeyAccess._meta, connection.ops.quote_name
    columns = ", ".join(q(meta.get_field(name).column) for name in names)
    return f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608


def device_taken_by_another(user, device_id: str) -> bool:
    """True when this device's latest session was ended because another device started:
    a player's automatic refresh must not take playback back (devices would ping-pong);
    only the learner pressing "Watch here" does."""
    from memberships.devices import ENDED_FOR_NEW_DEVICE
    from memberships.models import PlaybackSession

    latest = (
        PlaybackSession.objects.filter(user=user, device_id=device_id)
        .order_by("-started_at", "-pk")
        .only("ended_at", "end_reason")
        .first()
    )
    return bool(latest and latest.ended_at and latest.end_reason == ENDED_FOR_NEW_DEVICE)


# -- playlist text ------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedPlaylist:
    """A media playlist split into literal text and segment names.

    `literals[i]` precedes `names[i]`; `literals[-1]` follows the last segment. Key lines
    carry KEY_URI_PLACEHOLDER where ffmpeg wrote its placeholder URI."""

    literals: tuple[str, ...]
    names: tuple[str, ...]
    iv: str
    duration: float


class _LRU:
    def __init__(self, size: int):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.data.get(key)
            if value is not None:
                self.data.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


_parsed = _LRU(256)
_signed_bodies = _LRU(64)


def parse_media_playlist(text: str, base: str) -> ParsedPlaylist:
    """Split ffmpeg's VOD playlist; `base` is the storage folder its relative names live in."""
    literals, names, current = [], [], []
    iv, duration = "", 0.0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            match = _KEY_LINE.match(line)
            if match:
                line = f"{match.group(1)}{KEY_URI_PLACEHOLDER}{match.group(3)}"
                iv_match = _IV.search(line)
                iv = iv or (iv_match.group(1).lower() if iv_match else "")
            elif line.startswith("#EXTINF:"):
                duration += float(line[8:].split(",", 1)[0] or 0)
            current.append(line + "\n")
            continue
        if "/" in line or line.startswith(".") or "?" in line or ":" in line:
            raise ValueError(f"Unexpected segment URI in packaged playlist: {line!r}")
        literals.append("".join(current))
        names.append(base + line)
        current = []
    literals.append("".join(current))
    return ParsedPlaylist(tuple(literals), tuple(names), iv, duration)


def load_media_playlist(video, rendition: dict) -> ParsedPlaylist:
    """The parsed playlist of one rendition: process memory, then the shared cache, then
    storage (a build's files never change, so none of these can go stale)."""
    name = video.storage_prefix + rendition["playlist"]
    parsed = _parsed.get(name)
    if parsed is not None:
        return parsed
    cache_key = f"media_pipeline:playlist:{name}"
    text = cache.get(cache_key)
    if text is None:
        with storages["private"].open(name, "rb") as fh:
            text = fh.read().decode("utf-8")
        cache.set(cache_key, text, 24 * 3600)
    base = name.rsplit("/", 1)[0] + "/"
    parsed = parse_media_playlist(text, base)
    _parsed.put(name, parsed)
    return parsed


def render_media_playlist(parsed: ParsedPlaylist, key_uri: str, expires: int) -> str:
    """The playlist with signed segment URLs and this viewer's key URI."""
    memo_key = (id(parsed), parsed.names[0] if parsed.names else "", expires, signing.files_server())
    body = _signed_bodies.get(memo_key)
    if body is None:
        sign = signing.url_signer(expires)
        pieces = []
        for literal, name in zip(parsed.literals, parsed.names, strict=False):
            pieces.append(literal)
            pieces.append(sign(name))
            pieces.append("\n")
        pieces.append(parsed.literals[-1])
        body = "".join(pieces)
        _signed_bodies.put(memo_key, body)
    return body.replace(KEY_URI_PLACEHOLDER, key_uri)


def allowed_renditions(video, max_height: int) -> list[dict]:
    """The renditions this viewer may have: none above their tier's height.

    While a video has only its first playable rendition (a stream copy at the source's
    own size, which may be 1080p or 4K), a viewer whose cap is below it gets none, and
    is told the video is still being prepared in their quality (`not_ready_for_plan`).
    Once the ladder is done, a cap below its lowest rung still gets that rung, so a
    small cap never means no picture at all."""
    renditions = sorted(video.renditions or [], key=lambda r: int(r.get("height") or 0))
    allowed = [r for r in renditions if int(r.get("height") or 0) <= max_height]
    if allowed or video.status != VideoStatus.READY:
        return allowed
    return renditions[:1]


def lowest_rendition(video) -> dict | None:
    return min(video.renditions or [], key=lambda r: int(r.get("height") or 0), default=None)


def rendition_for_height(video, height: int) -> dict | None:
    return next((r for r in video.renditions or [] if int(r.get("height") or 0) == height), None)


def rendition_for_viewer(user, video, height: int) -> dict | Refusal:
    """The rendition of this height if the viewer's tier may have it, else the refusal:
    one answer for the media playlist and for that rendition's key.

    Asked on every key request, so the tier the policy has already loaded for this
    request is tried first; the staff check behind `policy.max_video_height` (which
    loads permissions) runs only when that tier alone would refuse. A higher cap never
    allows fewer renditions, so the answer is the same."""
    rendition = rendition_for_height(video, height)
    if rendition is None:
        return Refusal("not_found", _("This video has no such quality."), 404)
    tier = policy.tier_of(user)
    if tier is not None and rendition in allowed_renditions(video, tier.max_video_height):
        return rendition
    if rendition in allowed_renditions(video, policy.max_video_height(user)):
        return rendition
    return quality_not_in_plan(height)


def _attr(value: str) -> str:
    return value.replace('"', "'").replace("\n", " ")


def master_playlist(video, renditions: list[dict], captions: list) -> str:
    """The master playlist: one variant per allowed rendition (relative URIs next to this
    playlist's own URL) and a SUBTITLES group when the video has captions."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    subs = ""
    if captions:
        subs = ',SUBTITLES="subs"'
        has_default = any(c.is_default for c in captions)
        for i, caption in enumerate(captions):
            default = caption.is_default or (not has_default and i == 0)
            lines.append(
                f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="{_attr(caption.label)}",'
                f'LANGUAGE="{_attr(caption.language)}",DEFAULT={"YES" if default else "NO"},'
                f'AUTOSELECT={"YES" if default else "NO"},FORCED=NO,URI="captions/{caption.language}.m3u8"'
            )
    for r in renditions:
        attrs = [f"BANDWIDTH={int(r.get('bandwidth') or 800000)}"]
        if r.get("width") and r.get("height"):
            attrs.append(f"RESOLUTION={int(r['width'])}x{int(r['height'])}")
        if r.get("codecs"):
            attrs.append(f'CODECS="{_attr(r["codecs"])}"')
        lines.append("#EXT-X-STREAM-INF:" + ",".join(attrs) + subs)
        lines.append(f"{int(r['height'])}p.m3u8")
    return "\n".join(lines) + "\n"


def caption_playlist(duration: float, vtt_url: str) -> str:
    """A one-segment WebVTT media playlist for a caption track."""
    duration = max(duration, 1.0)
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        f"#EXT-X-TARGETDURATION:{math.ceil(duration)}\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration:.3f},\n{vtt_url}\n#EXT-X-ENDLIST\n"
    )


def caption_vtt(text: str, start_pts: int | None) -> str:
    """A caption file as HLS wants it: with X-TIMESTAMP-MAP tying cue time 0 to the first
    video timestamp of the segments (ffmpeg's MPEG-TS does not start at 0), so hls.js
    places the cues where the picture is."""
    text = text.lstrip("\ufeff")
    if start_pts is None or "X-TIMESTAMP-MAP" in text:
        return text
    first, _sep, rest = text.partition("\n")
    return f"{first.rstrip()}\nX-TIMESTAMP-MAP=MPEGTS:{start_pts},LOCAL:00:00:00.000\n{rest}"


def storyboard_vtt(text: str, sprite_name: str, sprite_url: str) -> str:
    """The storyboard index with its sprite references pointing at a signed URL."""
    sprite = sprite_name.rsplit("/", 1)[-1]
    return re.sub(rf"(?m)^{re.escape(sprite)}(?=#xywh=)", lambda _m: sprite_url, text)


def first_pts(video) -> int | None:
    """The first presentation timestamp (90 kHz) of the lowest rendition's first segment.

    The segment is encrypted, so this decrypts its first few kilobytes with that
    rendition's key (AES-128-CBC, the IV from the playlist) and reads the first PES headers. Cached
    per build; None when it cannot be read (captions then go out unmapped)."""
    if not video.renditions:
        return None
    cache_key = f"media_pipeline:first_pts:{video.storage_prefix}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached if cached >= 0 else None
    value = -1
    try:
        from Crypto.Cipher import AES

        lowest = lowest_rendition(video)
        parsed = load_media_playlist(video, lowest)
        with storages["private"].open(parsed.names[0], "rb") as fh:
            head = fh.read(188 * 16 * 8)
        head = head[: len(head) // 16 * 16]
        if parsed.iv:
            cipher = AES.new(video.rendition_key(lowest), AES.MODE_CBC, iv=bytes.fromhex(parsed.iv))
            head = cipher.decrypt(head)
        found = _scan_pts(head)
        value = min(found) if found else -1
    except Exception:  # noqa: BLE001 - a missing map only shifts caption timing
        value = -1
    cache.set(cache_key, value, 24 * 3600)
    return value if value >= 0 else None


def _scan_pts(data: bytes) -> list[int]:
    found = []
    for offset in range(0, len(data) - 188 + 1, 188):
        packet = data[offset : offset + 188]
        if packet[0] != 0x47 or not packet[1] & 0x40:
            continue
        adaptation = (packet[3] >> 4) & 0x3
        start = 4
        if adaptation in (2, 3):
            start += 1 + packet[4]
        pes = packet[start:]
        if len(pes) < 14 or pes[:3] != b"\x00\x00\x01" or not (0xC0 <= pes[3] <= 0xEF):
            continue
        if pes[7] & 0x80:
            p = pes[9:14]
            pts = (
                ((p[0] >> 1) & 0x07) << 30
                | (struct.unpack(">H", p[1:3])[0] >> 1) << 15
                | (struct.unpack(">H", p[3:5])[0] >> 1)
            )
            found.append(pts)
    return found


def watermark_text(user) -> str:
    return f"{user.email} · #{user.pk}"
