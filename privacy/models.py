"""Requests a learner makes about their data, and the consent they gave or refused."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def _private_storage():
    return storages["private"]


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportRequest(models.Model):
    """One "Download my data": the job fills `file` (private storage) and mails a signed
    link; the retention job deletes the file once `expires_at` has passed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    file = models.FileField(storage=_private_storage, upload_to="exports/", blank=True, max_length=255)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


class ErasureRequest(models.Model):
    """ "Delete my account": the account is locked at once and erased at `erase_after`
    unless its owner logs in before then. The row outlives the account (user NULL) as
    the record that the erasure happened, naming only the pseudonym."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    pseudonym = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    erase_after = models.DateTimeField()
    requested_by = models.CharField(
        max_length=120, blank=True, help_text=_("Who asked: the account owner, or the operator's command.")
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_erasure_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"erasure of {self.pseudonym} ({self.status})"


class ConsentPurpose(models.TextChoices):
    ANALYTICS = "analytics", _("Analytics cookie")
    MARKETING_EMAIL = "marketing_email", _("Marketing email")


class ConsentRecord(models.Model):
    """Each choice a signed-in person made, newest last: the latest row per purpose is the
    current answer, the rest is the proof of when it changed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.purpose}: {'yes' if self.granted else 'no'}"
