from rest_framework import serializers

from ..models import ExportRequest


class ExportRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExportRequest
        fields = ["id", "status", "requested_at", "ready_at", "expires_at"]
        read_only_fields = fields
