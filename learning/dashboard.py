"""The "My learning" dashboard's read side: every enrolled course with its progress and
a continue link, plus the subscription status, in a constant number of queries however
many courses a learner is enrolled in:

1. the enrollments with their courses (and cover images, one prefetch);
2. every live lesson below those courses, light fields, in tree order;
3. the learner's progress rows for those lessons (completion and resume position);
4. the current subscription with its tier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from images.models import LecternImage
from memberships import policy
from memberships.models import Subscription

from .catalog import CARD_RENDITION
from .models import CoursePage, Enrollment, EnrollmentStatus, LessonPage, LessonProgress
from .models.courses import OUTLINE_LESSON_FIELDS
from .progress import course_percent, resume_position


@dataclass
class CourseProgress:
    enrollment: Enrollment
    course: CoursePage
    lessons: list[LessonPage] = field(default_factory=list)
    completed: int = 0
    percent: int = 0
    continue_lesson: LessonPage | None = None
    continue_at: float = 0.0
    bought: bool = False

    @property
    def is_complete(self) -> bool:
        return self.enrollment.status == EnrollmentStatus.COMPLETED

    @property
    def continue_seconds(self) -> int:
        return int(self.continue_at)

    @property
    def continue_clock(self) -> str:
        """The resume point as the player shows it (1:35, 1:02:03); empty at the start."""
        seconds = self.continue_seconds
        if not seconds:
            return ""
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def enrolled_courses(user) -> list[CourseProgress]:
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("course", "course__required_tier")
        .prefetch_related(
            Prefetch("course__cover_image", queryset=LecternImage.objects.prefetch_renditions(CARD_RENDITION))
        )
        .order_by("-last_activity_at", "-enrolled_at")
    )
    if not enrollments:
        return []
    owned = policy.bought_course_ids(user)
    items = [CourseProgress(enrollment=e, course=e.course, bought=e.course_id in owned) for e in enrollments]
    by_path = {item.course.path: item for item in items}
    course_path_len = len(items[0].course.path)
    condition = Q()
    for item in items:
        condition |= Q(path__startswith=item.course.path)
    lessons = LessonPage.objects.live().filter(condition).order_by("path").only(*OUTLINE_LESSON_FIELDS)
    lessons_by_id = {}
    for lesson in lessons:
        item = by_path.get(lesson.path[:course_path_len])
        if item is not None:
            item.lessons.append(lesson)
            lessons_by_id[lesson.pk] = lesson
    progress = {
        row.lesson_id: row
        for row in LessonProgress.objects.filter(user=user, lesson_id__in=list(lessons_by_id)).only(
            "lesson_id", "completed_at", "position_seconds", "duration_seconds"
        )
    }
    for item in items:
        done = {
            lesson.pk for lesson in item.lessons if lesson.pk in progress and progress[lesson.pk].is_complete
        }
        item.completed = len(done)
        item.percent = course_percent([lesson.pk for lesson in item.lessons], done)
        _choose_continue(item, progress, done)
    return items


def _choose_continue(item: CourseProgress, progress: dict, done: set[int]) -> None:
    """Continue where the learner last was, unless that lesson is done: then the first
    lesson not yet done (or the last one they touched when everything is done)."""
    last_id = item.enrollment.last_lesson_id
    last = next((lesson for lesson in item.lessons if lesson.pk == last_id), None)
    if last is not None and last.pk not in done:
        item.continue_lesson = last
    else:
        item.continue_lesson = (
            next((lesson for lesson in item.lessons if lesson.pk not in done), None) or last
        )
    if item.continue_lesson is None and item.lessons:
        item.continue_lesson = item.lessons[0]
    if item.continue_lesson is not None:
        item.continue_at = resume_position(progress.get(item.continue_lesson.pk))


def bought_not_started(user) -> list[CoursePage]:
    """Courses `user` bought but has not enrolled in yet (one query): "My learning" lists
    them so a purchase is never lost from sight."""
    owned = policy.bought_course_ids(user)
    if not owned:
        return []
    return list(
        CoursePage.objects.live()
        .filter(pk__in=owned)
        .exclude(enrollments__user=user)
        .select_related("cover_image")
        .order_by("title")
    )


def subscription_status(user) -> Subscription | None:
    """The learner's best current subscription (None: the free tier)."""
    return (
        Subscription.objects.current()
        .filter(user=user)
        .select_related("tier")
        .order_by("-tier__rank", "-ends_at")
        .first()
    )
