"""The catalog over the API: the course list, a course with its outline, and a lesson.

Thin views: `learning.catalog` finds and filters (the same query the catalog page runs),
`memberships.policy` decides what the caller may open, `learning.progress` says where
they are. Pages are addressed by their page id, which never changes; slugs do when an
editor renames. Only live, public pages of the site the request is for are found.

A lesson the policy refuses answers 403 with the error envelope; its `code` is the
policy's reason and `details` holds the teaser (title, summary, the tiers that open it
with prices, the lesson to finish first), never the body. Anything that depends on who
asks, or on a tier, is sent `Cache-Control: private, no-store`, as the site does.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from wagtail.models import Site

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.schema import DESCRIPTIONS, error_responses
from learning.catalog import (
    annotate_course_cards,
    catalog_courses,
    course_outline,
    lesson_neighbours,
    live_course,
    live_lesson,
    outline_decisions,
)
from learning.progress import course_progress_for, lesson_page_context
from memberships import policy
from memberships.gating import mark_private

from .serializers import (
    REFUSAL_CHOICES,
    CourseCardSerializer,
    CourseDetailSerializer,
    CourseListQuerySerializer,
    CourseOutlineSerializer,
    LessonDetailSerializer,
    TeaserSerializer,
    page_address,
)

TeaserErrorEnvelope = inline_serializer(
    name="TeaserErrorEnvelope",
    fields={
        "error": inline_serializer(
            name="TeaserError",
            fields={
                "code": serializers.ChoiceField(choices=REFUSAL_CHOICES),
                "message": serializers.CharField(),
                "details": TeaserSerializer(),
                "request_id": serializers.CharField(allow_null=True),
            },
        )
    },
)


def _site_root(request):
    """The root page of the site this request is for (its hostname, else the default)."""
    site = Site.find_for_request(request._request)
    if site is None:
        raise Http404
    return site.root_page


def _keep_private(request) -> None:
    """The answer depends on the caller or on a tier: no shared cache may keep it
    (PrivateResponseMiddleware reads the flag on Django's request)."""
    mark_private(request._request)


def _blocks(stream, request) -> list[dict]:
    return stream.stream_block.get_api_representation(stream, context={"request": request})


def _access(decision: policy.Decision) -> dict:
    return {
        "allowed": decision.allowed,
        "reason": decision.reason.value,
        "required_tier": decision.required_tier,
        "upgrade_tiers": decision.upgrade_tiers,
    }


def _ref(page) -> dict | None:
    return None if page is None else {"id": page.pk, "title": page.title}


class CourseList(generics.ListAPIView):
    """Live, public courses of this site: filters, search and a whitelisted sort."""

    permission_classes = [AllowAny]
    serializer_class = CourseCardSerializer

    def get_queryset(self):
        query = CourseListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        ordering = filters.pop("ordering")
        courses = catalog_courses(_site_root(self.request), filters, ordering)
        return courses.prefetch_related("tags", "instructors")

    @extend_schema(
        operation_id="courses_list",
        parameters=[CourseListQuerySerializer],
        summary="List courses",
        # An unknown category, tag, instructor or tier, or a bad value, is refused with 422.
        responses={200: CourseCardSerializer(many=True), **error_responses(422)},
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        annotate_course_cards(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


COURSE_ID = OpenApiParameter(
    "course_id",
    int,
    OpenApiParameter.PATH,
    description="The course's id (its page id: stable across renames).",
)
LESSON_ID = OpenApiParameter(
    "lesson_id",
    int,
    OpenApiParameter.PATH,
    description="The lesson's id (its page id: stable across renames).",
)


class CourseDetail(APIView):
    """A course with its outline; for a signed-in caller, progress and each lesson's lock."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="courses_retrieve",
        summary="A course and its outline",
        parameters=[COURSE_ID],
        responses={200: CourseDetailSerializer},
    )
    def get(self, request, course_id: int):
        course = live_course(_site_root(request), course_id)
        if course is None:
            raise Http404
        if policy.is_gated(course) or request.user.is_authenticated:
            _keep_private(request)
        return Response(_course(request, course))


def _course(request, course) -> dict:
    """The card, then the course's content and the caller's standing: the policy's answer
    for the course and for each lesson, and progress from `learning.progress`."""
    user = request.user
    decision = policy.can_view(user, course)
    outline = course_outline(course)
    locks = outline_decisions(user, course)
    state = course_progress_for(request._request, course)
    done = state["completed_lesson_ids"]
    course.lesson_count, course.duration_minutes = outline.lesson_count, outline.duration_minutes
    details = {
        "objectives": [child.value for child in course.objectives],
        "requirements": [child.value for child in course.requirements],
        "body": _blocks(course.body, request) if decision else None,
        "access": _access(decision),
        "modules": [
            {
                "id": module.page.pk,
                "title": module.page.title,
                "summary": module.page.summary,
                "duration_minutes": module.duration_minutes,
                "lessons": [_outline_lesson(lesson, locks[lesson.pk], done) for lesson in module.lessons],
            }
            for module in outline.modules
        ],
        "progress": _course_progress(state) if user.is_authenticated else None,
    }
    card = CourseCardSerializer(course, context={"request": request}).data
    return {**card, **CourseOutlineSerializer(details).data}


def _outline_lesson(lesson, decision: policy.Decision, done: set[int]) -> dict:
    return {
        "id": lesson.pk,
        "slug": lesson.slug,
        "title": lesson.title,
        "duration_minutes": lesson.duration_minutes,
        "is_preview": lesson.is_preview,
        "has_video": lesson.video_id is not None,
        "completed": lesson.pk in done,
        "locked": not decision.allowed,
        "lock_reason": None if decision.allowed else decision.reason.value,
        "required_tier": getattr(decision.required_tier, "slug", None),
        "finish_first": _ref(decision.finish_first),
    }


def _course_progress(state: dict) -> dict:
    enrollment = state["enrollment"]
    return {
        "enrolled": enrollment is not None,
        "enrollment_status": enrollment.status if enrollment else None,
        "can_enroll": state["enroll_decision"].allowed,
        "percent": state["course_percent"],
        "completed_lessons": len(state["completed_lesson_ids"]),
        "continue_lesson": _ref(state["continue_lesson"]),
    }


class LessonDetail(APIView):
    """A lesson's body when the policy opens it to the caller; otherwise 403 and the teaser."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="lessons_retrieve",
        summary="A lesson",
        description=(
            "The body (StreamField blocks as JSON) when `memberships.policy` opens the lesson to "
            "the caller. Otherwise 403: `error.code` is the reason (`login_required`, "
            "`tier_too_low`, `not_in_tier`, `locked`) and `error.details` the teaser. Video "
            "playback starts at its own route; this answer holds no playlist or key."
        ),
        parameters=[LESSON_ID],
        responses={
            200: LessonDetailSerializer,
            403: OpenApiResponse(TeaserErrorEnvelope, description=DESCRIPTIONS[403]),
        },
    )
    def get(self, request, lesson_id: int):
        lesson = live_lesson(_site_root(request), lesson_id)
        if lesson is None:
            raise Http404
        user = request.user
        if policy.is_gated(lesson) or user.is_authenticated:
            _keep_private(request)
        decision = policy.can_view(user, lesson)
        if not decision:
            raise ApiError(403, decision.reason.value, _refusal_message(decision), _teaser(lesson, decision))
        return Response(LessonDetailSerializer(_lesson(request, lesson, decision)).data)


def _refusal_message(decision: policy.Decision) -> str:
    if decision.reason == policy.Reason.LOCKED:
        return _("Finish “%(title)s” first: this course opens its lessons in order.") % {
            "title": decision.finish_first.title
        }
    if decision.reason == policy.Reason.LOGIN_REQUIRED:
        return _("Log in with a membership that opens this lesson.")
    return _("Your membership does not open this lesson.")


def _course_ref(course) -> dict:
    return {"id": course.pk, "slug": course.slug, "title": course.title}


def _teaser(lesson, decision: policy.Decision) -> dict:
    return TeaserSerializer(
        {
            "id": lesson.pk,
            "title": lesson.title,
            "summary": lesson.summary,
            "course": _course_ref(lesson.course),
            "reason": decision.reason.value,
            "required_tier": decision.required_tier,
            "upgrade_tiers": decision.upgrade_tiers,
            "finish_first": _ref(decision.finish_first),
        }
    ).data


def _lesson(request, lesson, decision: policy.Decision) -> dict:
    neighbours = lesson_neighbours(lesson)
    video = lesson.video
    data = {
        "id": lesson.pk,
        "slug": lesson.slug,
        "title": lesson.title,
        "summary": lesson.summary,
        "url": page_address(lesson, request),
        "duration_minutes": lesson.duration_minutes,
        "is_preview": lesson.is_preview,
        "course": _course_ref(lesson.course),
        "module": _ref(lesson.module),
        "position": neighbours["lesson_position"],
        "lesson_count": neighbours["lesson_total"],
        "previous_lesson": _ref(neighbours["previous_lesson"]),
        "next_lesson": _ref(neighbours["next_lesson"]),
        "video": None
        if video is None
        else {"duration_seconds": video.duration_seconds, "ready": video.is_playable},
        "body": _blocks(lesson.body, request),
        "attachments": _blocks(lesson.attachments, request),
        "access": _access(decision),
        "progress": None,
    }
    if request.user.is_authenticated:
        state = lesson_page_context(request._request, lesson)
        data["progress"] = {
            "completed": state["lesson_complete"],
            "percent": state["lesson_percent"],
            "resume_at": state["resume_at"],
            "can_mark_done": state["can_mark_done"],
            "has_required_quiz": state["has_required_quiz"],
        }
    return data
