from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A POST's `Idempotency-Key`, claimed by the first request and holding its answer
    (api/idempotency.py). Rows older than `IDEMPOTENCY_TTL` are ignored and swept daily."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_once_per_user")
        ]

    def __str__(self):
        return self.key
