"""Lesson videos. A lesson points at a Video; packaging into encrypted HLS and playback
are this app's job (see ARCHITECTURE.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Video(index.Indexed, models.Model):
    title = models.CharField(max_length=255)
    source = models.FileField(upload_to="video-sources/", blank=True)
    status = models.CharField(max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADED)
    duration_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
