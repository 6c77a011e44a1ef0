"""A course bought on its own: open for life, whatever happens to the learner's tier.

A purchase is granted when the order that paid for it is confirmed and ends only when
that order is refunded (`revoked_at`). The policy reads the live ones (see
`memberships.policy.bought_course_ids`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CoursePurchaseQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class CoursePurchase(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_purchases"
    )
    course = models.ForeignKey("learning.CoursePage", on_delete=models.PROTECT, related_name="purchases")
    order = models.ForeignKey(
        "memberships.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="course_purchases"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)

    objects = CoursePurchaseQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("course purchase")
        constraints = [
            # One live purchase per learner and course: a confirmation retried, or a second
            # order for a course already owned, never opens it twice.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_course_purchase",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} owns {self.course_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
