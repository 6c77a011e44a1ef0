"""Lesson videos and what packaging made of them.

A lesson points at a Video. Its source and every packaged file (AES-128 HLS segments,
playlists, poster, storyboard, captions) live in private storage under
`storage_prefix`; nothing here is ever served by a public URL. Each rendition's content
key is kept only wrapped under a master key (`media_pipeline.keys`).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.search import index

from .captions import validate_webvtt
from .keys import unwrap_key, unwrap_rendition_key, wrap_key


def private_storage():
    return storages["private"]


def _source_path(video: "Video", filename: str) -> str:
    return f"video-sources/{video.public_id}/{filename}"


def _caption_path(caption: "VideoCaption", filename: str) -> str:
    return f"video-captions/{caption.video.public_id}/{caption.language}-{uuid.uuid4().hex[:8]}.vtt"


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Video(index.Indexed, ClusterableModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=255)
    source = models.FileField(storage=private_storage, upload_to=_source_path, max_length=500, blank=True)
    source_size = models.BigIntegerField(default=0)

    status = models.CharField(max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Packaging progress, 0–100."))
    stage = models.CharField(max_length=60, blank=True, help_text=_("What packaging is doing now."))
    error_message = models.TextField(blank=True)

    duration_seconds = models.FloatField(default=0)
    source_width = models.PositiveIntegerField(null=True, blank=True)
    source_height = models.PositiveIntegerField(null=True, blank=True)
    source_video_codec = models.CharField(max_length=40, blank=True)
    source_audio_codec = models.CharField(max_length=40, blank=True)

    # [{"height": 720, "width": 1280, "bandwidth": 2800000, "codecs": "avc1.4d401f,mp4a.40.2",
    #   "playlist": "720p/index.m3u8"}, …], lowest first; paths are relative to storage_prefix.
    renditions = models.JSONField(default=list, blank=True)
    poster = models.CharField(max_length=500, blank=True, help_text=_("Storage name of the poster frame."))
    storyboard = models.CharField(
        max_length=500, blank=True, help_text=_("Storage name of the storyboard WebVTT.")
    )
    storage_prefix = models.CharField(
        max_length=300, blank=True, help_text=_("Where the packaged output lives.")
    )
    output_size = models.BigIntegerField(default=0, help_text=_("Bytes of packaged output in storage."))

    # The packaging run allowed to publish; a newer run (source replaced again, retry)
    # takes over and the older one stops without writing.
    packaging_run = models.CharField(max_length=32, blank=True, editable=False)

    wrapped_key = models.BinaryField(null=True, blank=True, editable=False)
    master_key_id = models.CharField(max_length=40, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    packaged_at = models.DateTimeField(null=True, blank=True)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        """The full ladder is packaged and stored."""
        return self.status == VideoStatus.READY and bool(self.renditions)

    @property
    def is_playable(self) -> bool:
        """Something can be played: the first rendition, while the ladder is still encoding.
        Every rendition needs a key: its own, or the video's single key of older packagings."""
        return bool(
            self.renditions
            and self.storage_prefix
            and (self.wrapped_key or all(r.get("key") for r in self.renditions))
        )

    @property
    def is_stalled(self) -> bool:
        """Queued or processing, but no progress saved for 15 minutes: the job was lost."""
        active = self.status in (VideoStatus.QUEUED, VideoStatus.PROCESSING)
        return (
            active
            and self.updated_at is not None
            and self.updated_at < timezone.now() - timedelta(minutes=15)
        )

    def rendition_key(self, rendition: dict) -> bytes:
        """The raw 16-byte AES-128 key of one rendition's segments: its own, or for a
        rendition packaged before each had one, the video's single key.

        Kept per instance and wrapped key, like `content_key`: the playback gate keeps
        the video between key requests."""
        entry = rendition.get("key")
        if not entry:
            return self.content_key()
        kept = self.__dict__.setdefault("_unwrapped_rendition_keys", {})
        wrapped = (entry.get("wrapped"), entry.get("master_key_id"))
        raw = kept.get(wrapped)
        if raw is None:
            raw = kept[wrapped] = unwrap_rendition_key(entry)
        return raw

    def content_key(self) -> bytes:
        """The raw 16-byte AES-128 key that every rendition of a video packaged before
        per-rendition keys shares (see `media_pipeline.keys`).

        Unwrapped once per loaded instance and wrapped key: the playback gate keeps a
        video between key requests until it changes, and unwrapping (AES-GCM) on each
        of them was a tenth of the key endpoint's CPU. The master key that unwraps it
        is in this process's memory anyway."""
        if not self.wrapped_key or not self.master_key_id:
            raise ValueError(f"Video {self.pk} has no content key yet.")
        wrapped = (bytes(self.wrapped_key), self.master_key_id)
        kept = self.__dict__.get("_unwrapped_key")
        if kept is None or kept[0] != wrapped:
            kept = self.__dict__["_unwrapped_key"] = (wrapped, unwrap_key(*wrapped))
        return kept[1]

    def set_content_key(self, raw: bytes) -> None:
        """Wrap and remember a content key (the caller saves)."""
        self.wrapped_key, self.master_key_id = wrap_key(raw)


class VideoCaption(models.Model):
    """A WebVTT caption track in one language."""

    video = ParentalKey(Video, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(max_length=16, help_text=_("BCP 47 code, e.g. en or vi."))
    label = models.CharField(max_length=60, help_text=_("Shown in the player's caption menu."))
    file = models.FileField(
        storage=private_storage,
        upload_to=_caption_path,
        max_length=500,
        validators=[validate_webvtt],
        help_text=_("A WebVTT (.vtt) file, UTF-8."),
    )
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["video", "language"], name="one_caption_per_language")]

    def __str__(self) -> str:
        return f"{self.video} ({self.language})"


class KeyAccess(models.Model):
    """Every content-key request, allowed or not, for audit and abuse review."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="key_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    playback_session = models.ForeignKey(
        "memberships.PlaybackSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allowed = models.BooleanField()
    reason = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"key {self.video_id} for {self.user_id}: {'ok' if self.allowed else self.reason}"
