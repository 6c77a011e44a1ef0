"""Taking a quiz over the API: start, read, answer, submit. The same services as the
site's quiz views (`quizzes.attempts`): questions drawn and stored on the server, the
time limit on the server clock, grading on the server, answers revealed on the quiz's
terms. An attempt is addressed by its public id and answers only its owner (anyone
else: 404, as if it did not exist)."""

from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.idempotency import idempotent
from api.schema import error_responses
from learning.api.refusals import policy_refusal
from learning.models import LessonPage
from memberships import policy

from .. import attempts
from ..models import AttemptStatus, QuizAttempt
from .serializers import (
    AnswersRequestSerializer,
    AttemptSerializer,
    StartRequestSerializer,
    SubmitRequestSerializer,
)

ATTEMPT_ID = OpenApiParameter(
    "attempt_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The attempt's public id."
)


def _answer(attempt: QuizAttempt, code: int = status.HTTP_200_OK) -> Response:
    response = Response(AttemptSerializer(attempt).data, status=code)
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _closed(refusal: attempts.QuizError) -> ApiError:
    return ApiError(status.HTTP_409_CONFLICT, "attempt_closed", refusal.message)


def _invalid(parsed: attempts.ParsedAnswers) -> ApiError:
    return ApiError(
        status.HTTP_422_UNPROCESSABLE_ENTITY,
        "validation_error",
        parsed.errors[0],
        {"fields": {"answers": parsed.errors}, "unanswered": parsed.unanswered},
    )


def _own_attempt(request, attempt_id) -> QuizAttempt:
    """The caller's attempt, with its lesson still open to them (the policy again)."""
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("lesson"), public_id=attempt_id, user=request.user
    )
    decision = policy.can_view(request.user, attempt.lesson.specific)
    if not decision:
        raise policy_refusal(decision)
    return attempts.settle(attempt)


def _merged_answers(attempt: QuizAttempt, sent: dict | None) -> dict:
    merged = dict(attempt.answers or {})
    for question_id, choices in (sent or {}).items():
        merged[question_id] = choices
    return {question_id: choices for question_id, choices in merged.items() if choices}


class StartAttemptView(APIView):
    serializer_class = StartRequestSerializer

    @extend_schema(
        operation_id="start_quiz_attempt",
        summary="Start a quiz attempt",
        description=(
            "Draws the questions on the server and opens an attempt, or answers the attempt already "
            "open (200). The deadline is the server's. No correct answer or explanation is sent. "
            "403 with the policy's code when the lesson is not open to the caller; 409 "
            "`attempt_limit_reached` when every allowed attempt is used. 404 when no published "
            "lesson has that id or it holds no such quiz."
        ),
        request=StartRequestSerializer,
        responses={201: AttemptSerializer, 200: AttemptSerializer, **error_responses(403, 404, 409)},
        tags=["quizzes"],
    )
    @idempotent
    def post(self, request):
        data = StartRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = get_object_or_404(LessonPage.objects.live(), pk=data.validated_data["lesson"])
        decision = policy.can_view(request.user, lesson)
        if not decision:
            raise policy_refusal(decision)
        block_id = data.validated_data["quiz"]
        quiz = attempts.find_quiz(lesson, block_id)
        if quiz is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", _("No such quiz in this lesson."))
        was_open = set(
            QuizAttempt.objects.filter(
                user=request.user, lesson=lesson, block_id=block_id, status=AttemptStatus.IN_PROGRESS
            ).values_list("public_id", flat=True)
        )
        try:
            attempt = attempts.start_attempt(request.user, lesson, block_id, quiz)
        except attempts.AttemptLimitReached as refusal:
            raise ApiError(status.HTTP_409_CONFLICT, "attempt_limit_reached", refusal.message) from None
        return _answer(
            attempt, status.HTTP_200_OK if attempt.public_id in was_open else status.HTTP_201_CREATED
        )


class AttemptView(APIView):
    serializer_class = AttemptSerializer

    @extend_schema(
        operation_id="quiz_attempt",
        summary="A quiz attempt",
        description=(
            "An open attempt: its questions and the answers kept so far. A graded one: also its "
            "`result`, with the correct choices and explanations only as the quiz's `reveal_answers` "
            "allows. An attempt whose time ran out is closed (failed) when read."
        ),
        parameters=[ATTEMPT_ID],
        responses={200: AttemptSerializer, **error_responses(403)},
        tags=["quizzes"],
    )
    def get(self, request, attempt_id):
        return _answer(_own_attempt(request, attempt_id))


class AnswersView(APIView):
    serializer_class = AnswersRequestSerializer

    @extend_schema(
        operation_id="answer_quiz_attempt",
        summary="Answer questions",
        description=(
            "Keeps answers on the open attempt (merged into those kept so far) without grading. "
            "409 `attempt_closed` once it is submitted or its time ran out."
        ),
        parameters=[ATTEMPT_ID],
        request=AnswersRequestSerializer,
        responses={200: AttemptSerializer, **error_responses(403, 409)},
        tags=["quizzes"],
    )
    def put(self, request, attempt_id):
        data = AnswersRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = _own_attempt(request, attempt_id)
        if not attempt.is_open:
            raise _closed(attempts.AttemptClosed(_("This attempt was already submitted.")))
        parsed = attempts.parse_answer_map(
            attempt, _merged_answers(attempt, data.validated_data["answers"]), allow_unanswered=True
        )
        if not parsed.is_valid:
            raise _invalid(parsed)
        try:
            attempts.save_answers(attempt, parsed.answers)
        except attempts.AttemptClosed as refusal:
            raise _closed(refusal) from None
        return _answer(attempt)


class SubmitView(APIView):
    serializer_class = SubmitRequestSerializer

    @extend_schema(
        operation_id="submit_quiz_attempt",
        summary="Submit a quiz attempt",
        description=(
            "Grades the attempt on the server (answers sent here merged into those kept) and, on a "
            "pass, completes the lesson. Unanswered questions are refused (422, `details.unanswered`) "
            "unless `allow_unanswered`. After the deadline plus a few seconds' grace the attempt is "
            "graded as failed. 409 `attempt_closed` when it was already graded."
        ),
        parameters=[ATTEMPT_ID],
        request=SubmitRequestSerializer,
        responses={200: AttemptSerializer, **error_responses(403, 409)},
        tags=["quizzes"],
    )
    @idempotent
    def post(self, request, attempt_id):
        data = SubmitRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = _own_attempt(request, attempt_id)
        if not attempt.is_open:
            raise _closed(attempts.AttemptClosed(_("This attempt was already submitted.")))
        parsed = attempts.parse_answer_map(
            attempt,
            _merged_answers(attempt, data.validated_data.get("answers")),
            allow_unanswered=data.validated_data["allow_unanswered"],
        )
        if not parsed.is_valid:
            raise _invalid(parsed)
        try:
            attempts.submit_attempt(attempt, parsed.answers)
        except attempts.AttemptClosed as refusal:
            raise _closed(refusal) from None
        return _answer(attempt)
