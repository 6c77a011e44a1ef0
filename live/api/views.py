"""The live-sessions API: the same policy (`can_join`) and the same door
(`services.join_state`) as the site's join redirect, and attendance recorded by
`services.record_join` before the meeting URL is handed out."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.errors import ApiError
from api.schema import error_responses
from memberships.api.refusals import refusal
from memberships.policy import can_join

from .. import services
from ..models import LiveSession
from ..widgets import upcoming_sessions_of
from .serializers import JoinSerializer, LiveSessionSerializer

CLOSED_MESSAGES = {
    services.JoinState.NOT_YET: _("The session is not open yet: come back shortly before it starts."),
    services.JoinState.ENDED: _("The session has ended."),
    services.JoinState.CANCELLED: _("The session was cancelled."),
    services.JoinState.NO_LINK: _("The meeting is not ready yet. Try again in a moment."),
    services.JoinState.FULL: _("The session is full."),
}


class MyUpcomingSessions(generics.ListAPIView):
    """Upcoming sessions of the courses the caller is enrolled in or teaches, soonest first."""

    serializer_class = LiveSessionSerializer

    def get_queryset(self):
        return upcoming_sessions_of(self.request.user).select_related("course__required_tier")


class JoinSession(generics.GenericAPIView):
    """Join a session: records attendance and answers the meeting URL."""

    serializer_class = JoinSerializer
    queryset = LiveSession.objects.select_related("course__required_tier")

    @extend_schema(
        request=None,
        responses={200: JoinSerializer, **error_responses(403, 409)},
        description=(
            "403 `tier_too_low` / `not_in_tier`: the caller's plan does not include this "
            "course's live sessions. 409 `session_not_yet` / `session_ended` / "
            "`session_cancelled` / `session_no_link` / `session_full`: the door is closed."
        ),
    )
    def post(self, request, session_id: int):
        session = get_object_or_404(self.get_queryset(), pk=session_id)
        decision = can_join(request.user, session.course)
        if not decision:
            raise refusal(decision)
        state = services.join_state(session, request.user)
        if state != services.JoinState.OPEN:
            raise ApiError(status.HTTP_409_CONFLICT, f"session_{state}", str(CLOSED_MESSAGES[state]))
        attendance = services.record_join(session, request.user)
        body = {
            "meeting_url": services.meeting_url_for(session, request.user),
            "joined_at": attendance.joined_at,
            "join_count": attendance.join_count,
        }
        return Response(self.get_serializer(body).data)
