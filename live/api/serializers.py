from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from learning.api.serializers import CourseRefSerializer
from memberships.policy import can_join

from ..models import LiveSession


class LiveSessionSerializer(serializers.ModelSerializer):
    course = CourseRefSerializer()
    opens_at = serializers.DateTimeField(help_text=_("Learners may join from this moment."))
    is_open = serializers.SerializerMethodField(help_text=_("Whether the door is open now."))
    can_join = serializers.SerializerMethodField(
        help_text=_("Whether the caller's plan lets them join sessions of this course.")
    )

    class Meta:
        model = LiveSession
        fields = [
            "id",
            "title",
            "description",
            "course",
            "starts_at",
            "ends_at",
            "time_zone",
            "opens_at",
            "is_open",
            "can_join",
        ]
        read_only_fields = fields

    def get_is_open(self, session) -> bool:
        return session.is_open()

    def get_can_join(self, session) -> bool:
        return bool(can_join(self.context["request"].user, session.course))


class JoinSerializer(serializers.Serializer):
    meeting_url = serializers.URLField(help_text=_("Open this to enter the meeting."))
    joined_at = serializers.DateTimeField(help_text=_("The caller's first join of this session."))
    join_count = serializers.IntegerField()
