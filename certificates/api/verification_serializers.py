from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from ..models import Certificate


class VerifiedCertificateSerializer(serializers.ModelSerializer):
    """What the public verification page shows, and nothing more (no email, no revoker)."""

    status = serializers.SerializerMethodField(help_text=_("`valid`, or `revoked` (then see `revoked_at`)."))
    learner_name = serializers.SerializerMethodField(
        help_text=_("Who it was awarded to; null once their account was deleted.")
    )
    instructors = serializers.ListField(child=serializers.CharField())
    verification_url = serializers.URLField(help_text=_("The public page, as printed in the QR code."))
    revoked_reason = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "number",
            "status",
            "learner_name",
            "course_title",
            "instructors",
            "issued_at",
            "revoked_at",
            "revoked_reason",
            "verification_url",
        ]
        read_only_fields = fields

    def get_status(self, certificate) -> str:
        return "revoked" if certificate.is_revoked else "valid"

    def get_learner_name(self, certificate) -> str | None:
        return certificate.learner_name or None

    def get_revoked_reason(self, certificate) -> str | None:
        return certificate.revoked_reason if certificate.is_revoked else None
