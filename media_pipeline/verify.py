"""Checking packaged output the way a player would: fetch, decrypt, parse.

`verify_video` (the management command) and the tests use this: every segment of every
rendition is present, decrypts with that rendition's stored content key and the playlist's IV
(AES-128-CBC, PKCS#7), is MPEG-TS (0x47 sync byte every 188 bytes), and each
rendition's segment durations add up to the video's duration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

from . import storage as store
from .models import Video
from .packaging import parse_media_playlist

TS_PACKET = 188
DURATION_TOLERANCE = 0.5  # seconds, plus one frame's worth of rounding per rendition


@dataclass
class VerifyReport:
    video_id: int
    segments_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def decrypt_segment(data: bytes, key: bytes, iv_hex: str) -> bytes:
    """AES-128-CBC with PKCS#7 padding, as HLS segments are encrypted."""
    return unpad(AES.new(key, AES.MODE_CBC, bytes.fromhex(iv_hex)).decrypt(data), AES.block_size)


def is_mpeg_ts(data: bytes) -> bool:
    return (
        len(data) >= TS_PACKET
        and len(data) % TS_PACKET == 0
        and all(data[offset] == 0x47 for offset in range(0, len(data), TS_PACKET))
    )


def segments_of(video: Video) -> Iterator[tuple[dict, str, float, str]]:
    """(rendition, stored name, duration, iv) for every segment the video's playlists list."""
    storage = store.private_storage()
    for rendition in video.renditions:
        name = video.storage_prefix + rendition["playlist"]
        with storage.open(name, "rb") as handle:
            playlist = parse_media_playlist(handle.read().decode())
        folder = name.rsplit("/", 1)[0] + "/"
        for duration, uri in playlist.segments:
            yield rendition, folder + uri, duration, playlist.iv


def verify(video: Video, on_segment: Callable[[], None] | None = None) -> VerifyReport:
    report = VerifyReport(video.pk)
    if not video.is_playable:
        report.problems.append("The video has no packaged output.")
        return report
    storage = store.private_storage()
    totals: dict[str, float] = {}
    for rendition, name, duration, iv in segments_of(video):
        totals[rendition["playlist"]] = totals.get(rendition["playlist"], 0.0) + duration
        report.segments_checked += 1
        if on_segment:
            on_segment()
        if not iv or int(iv, 16) == 0:
            report.problems.append(f"{rendition['playlist']}: no explicit random IV.")
        if not storage.exists(name):
            report.problems.append(f"Missing segment {name}.")
            continue
        with storage.open(name, "rb") as handle:
            data = handle.read()
        try:
            clear = decrypt_segment(data, video.rendition_key(rendition), iv)
        except ValueError:
            report.problems.append(f"{name} does not decrypt with the stored key.")
            continue
        if not is_mpeg_ts(clear):
            report.problems.append(f"{name} is not MPEG-TS after decryption.")
    for playlist, total in totals.items():
        if abs(total - video.duration_seconds) > DURATION_TOLERANCE:
            report.problems.append(
                f"{playlist}: segments last {total:.2f} s, the video {video.duration_seconds:.2f} s."
            )
    return report


def segment_count(video: Video) -> int:
    return sum(1 for _ in segments_of(video)) if video.is_playable else 0
