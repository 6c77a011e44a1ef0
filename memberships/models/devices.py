"""Playback sessions: one row per device a learner is watching on.

The tier's `max_devices` caps how many may be open at once; opening one more ends the
oldest (see memberships.devices.start_playback).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaybackSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playback_sessions"
    )
    device_id = models.CharField(max_length=64, help_text=_("Random id the player keeps per browser."))
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.device_id[:8]}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
