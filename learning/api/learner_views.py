"""The learner's side of learning over the API: enrol, "my courses", start playback,
heartbeats and "Mark as done".

Each view parses, calls the service the site's view calls (`learning.enrollment`,
`learning.dashboard`, `media_pipeline.starting`, `learning.progress`), and words the
service's refusal as the error envelope (`refusals`). Answers are private, no-store.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.idempotency import idempotent
from api.schema import error_responses
from config.client_ip import client_ip
from media_pipeline import starting
from media_pipeline.playback import Refusal

from .. import dashboard
from ..enrollment import EnrollmentRefused, enroll
from ..models import CoursePage, Enrollment, LessonPage, LessonProgress
from ..progress import HeartbeatError, MarkDoneRefused, beat, mark_done, next_token, resume_position
from .learner_serializers import (
    CompletionSerializer,
    EnrollmentSerializer,
    EnrollRequestSerializer,
    HeartbeatRequestSerializer,
    HeartbeatSerializer,
    MyCourseSerializer,
    PlaybackRequestSerializer,
    PlaybackSerializer,
)
from .refusals import playback_refusal, policy_refusal

HEARTBEAT_SECONDS = 15  # as the site's player (static/js/player.js)
LESSON_ID = OpenApiParameter(
    "lesson_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The lesson's id."
)


def _private(response: Response) -> Response:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


class EnrollView(APIView):
    """POST /me/enrollments/: enrol in a course."""

    serializer_class = EnrollRequestSerializer

    @extend_schema(
        operation_id="enroll",
        summary="Enrol in a course",
        description=(
            "Enrols the caller in a course they may read: free courses are open to every account, "
            "a tier-gated course needs the tier (403 with the policy's code, e.g. `tier_too_low`). "
            "Enrolling again changes nothing and answers 200 with `created: false`. 404 when no "
            "published course has that id."
        ),
        request=EnrollRequestSerializer,
        responses={201: EnrollmentSerializer, 200: EnrollmentSerializer, **error_responses(403, 404)},
        tags=["learning"],
    )
    @idempotent
    def post(self, request):
        data = EnrollRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = get_object_or_404(
            CoursePage.objects.live().public().select_related("required_tier"),
            pk=data.validated_data["course"],
        )
        try:
            result = enroll(request.user, course)
        except EnrollmentRefused as refused:
            raise policy_refusal(refused.decision) from None
        enrollment = result.enrollment
        body = EnrollmentSerializer(
            {
                "course": course,
                "status": enrollment.status,
                "enrolled_at": enrollment.enrolled_at,
                "completed_at": enrollment.completed_at,
                "created": result.created,
            }
        ).data
        return _private(
            Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
        )


class MyCoursesView(generics.ListAPIView):
    """GET /me/courses/: "My learning" as data."""

    serializer_class = MyCourseSerializer

    @extend_schema(
        operation_id="my_courses",
        summary="My courses",
        description=(
            "The caller's courses, most recently active first, with lessons completed, percent, and "
            "the lesson and second to continue at. A constant number of queries however many courses."
        ),
        tags=["learning"],
    )
    def get(self, request, *args, **kwargs):
        return _private(super().get(request, *args, **kwargs))

    def get_queryset(self):
        return dashboard.enrolled_courses(self.request.user)


def _lesson_or_404(lesson_id: int) -> LessonPage:
    return get_object_or_404(LessonPage.objects.live().select_related("video", "required_tier"), pk=lesson_id)


class PlaybackView(APIView):
    """POST /lessons/<id>/playback/: start (or renew) playback of a lesson's video."""

    serializer_class = PlaybackRequestSerializer

    @extend_schema(
        operation_id="start_playback",
        summary="Start playback",
        description=(
            "The checks of the site's player, in the same order: the entitlement policy (403 "
            "`tier_too_low`, `subscription_lapsed`, `locked`), a lesson with a video (404 `no_video`), "
            "ready in the plan's quality (409 `not_ready`, `not_ready_for_plan`), then the plan's "
            "device limit, shared with the site: starting on one device more stops the oldest, and "
            "a `refresh` from a device that was stopped answers 409 `device_limit`.\n\n"
            "Fetch `master_url` and every playlist and key it leads to with the same Bearer token. "
            "Heartbeats count only once this device's session has fetched a key."
        ),
        parameters=[LESSON_ID],
        request=PlaybackRequestSerializer,
        responses={200: PlaybackSerializer, **error_responses(403, 409)},
        tags=["learning"],
    )
    def post(self, request, lesson_id: int):
        data = PlaybackRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = starting.start_playback(
            request.user,
            lesson_id,
            device_id=data.validated_data["device"],
            refresh=data.validated_data["refresh"],
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ip=client_ip(request),
        )
        if isinstance(grant, Refusal):
            raise playback_refusal(grant)
        progress = LessonProgress.objects.filter(user=request.user, lesson_id=grant.lesson.pk).first()
        body = starting.playback_payload(request.user, grant, absolute=request.build_absolute_uri)
        body["resume_at"] = resume_position(progress)
        body["heartbeat"] = {
            "url": request.build_absolute_uri(reverse("api:lesson_heartbeat", args=[grant.lesson.pk])),
            "token": next_token(request.user, grant.lesson, progress),
            "interval": HEARTBEAT_SECONDS,
        }
        return _private(Response(PlaybackSerializer(body).data))


class HeartbeatView(APIView):
    """POST /lessons/<id>/heartbeats/: what was really played since the last beat."""

    serializer_class = HeartbeatRequestSerializer

    @extend_schema(
        operation_id="heartbeat",
        summary="Send a heartbeat",
        description=(
            "Every 15 s while playing, and on pause and end: the ranges really played and the "
            "previous answer's token. The server checks what the site's player gets checked: the "
            "policy (403), this device's playback session still open (403 `device_limit`), a key "
            "fetched by it (409 `not_streaming`), no replayed or expired token (409 `replayed`, "
            "`expired`, with a fresh token in `details.token`), no more than 2x real time (422 "
            "`too_fast`). The lesson completes at 90 % of the video's own duration."
        ),
        parameters=[LESSON_ID],
        request=HeartbeatRequestSerializer,
        responses={200: HeartbeatSerializer, **error_responses(403, 409)},
        tags=["learning"],
    )
    def post(self, request, lesson_id: int):
        data = HeartbeatRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = _lesson_or_404(lesson_id)
        try:
            result = beat(request.user, lesson, **data.validated_data)
        except HeartbeatError as error:
            details = {"token": error.token} if error.token else {}
            code = status.HTTP_422_UNPROCESSABLE_ENTITY if error.status == 400 else error.status
            raise ApiError(code, error.code, error.message, details) from None
        return _private(Response(HeartbeatSerializer(result).data))


class CompletionView(APIView):
    """POST /lessons/<id>/completion/: "Mark as done"."""

    serializer_class = CompletionSerializer

    @extend_schema(
        operation_id="mark_lesson_done",
        summary="Mark a lesson done",
        description=(
            'The site\'s "Mark as done": for a lesson without a video to watch and without a '
            "required quiz. A lesson with a video completes by watching (409 `needs_watching`), one "
            "with a required quiz by passing it (409 `needs_quiz`). Marking again changes nothing."
        ),
        parameters=[LESSON_ID],
        request=None,
        responses={200: CompletionSerializer, **error_responses(403, 409)},
        tags=["learning"],
    )
    def post(self, request, lesson_id: int):
        lesson = _lesson_or_404(lesson_id)
        try:
            progress = mark_done(request.user, lesson)
        except MarkDoneRefused as refused:
            if refused.decision is not None:
                raise policy_refusal(refused.decision) from None
            raise ApiError(status.HTTP_409_CONFLICT, refused.code, refused.message) from None
        enrollment = Enrollment.objects.filter(user=request.user, course=lesson.course).first()
        body = {
            "lesson": lesson.pk,
            "completed_at": progress.completed_at,
            "course_percent": enrollment.progress_percent if enrollment else 0,
        }
        return _private(Response(CompletionSerializer(body).data))
