"""What we remember to tell an account holder about their own account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInDevice(models.Model):
    """A (client address, browser) pair this account has signed in from.

    A sign-in from a pair not seen before gets a "new sign-in to your account" email, so
    the holder notices a stranger using their password; known pairs stay quiet.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_devices"
    )
    # Text, not GenericIPAddressField: "" for an unknown address must still be unique
    # (NULLs never collide in a unique constraint).
    ip_address = models.CharField(max_length=45, blank=True)
    # The full User-Agent can be long; the hash is what makes the pair unique.
    user_agent_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=255, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-in device")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "ip_address", "user_agent_hash"], name="unique_sign_in_device"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} from {self.ip_address or '?'}"
