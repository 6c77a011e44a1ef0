"""Read-side queries for course pages: catalog filtering, outlines, cards.

Each function does a fixed number of queries whatever the size of a course, so a
course with a hundred lessons costs what a course with four does.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from images.models import LecternImage
from memberships import policy
from memberships.models import Tier
from search.query import search_terms

from .models import Category, CoursePage, CoursePageTag, LessonPage, Level, ModulePage

CATALOG_PAGE_SIZE = 9
CARD_RENDITION = "fill-640x360"
FREE = "free"


class CatalogFilterForm(forms.Form):
    """The catalog's filters. Unknown values are reported, never a 500."""

    q = forms.CharField(required=False, max_length=100, label=_("Search courses"))
    category = forms.ChoiceField(required=False, label=_("Category"))
    level = forms.ChoiceField(required=False, label=_("Level"))
    tier = forms.ChoiceField(required=False, label=_("Membership"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.slug, c.name) for c in Category.objects.all()
        ]
        self.fields["level"].choices = [("", _("All levels")), *Level.choices]
        self.fields["tier"].choices = [("", _("Any membership")), (FREE, _("Free"))] + [
            (t.slug, t.name) for t in Tier.objects.all() if not t.is_free
        ]


def _with_card_relations(courses):
    return courses.select_related("category", "required_tier").prefetch_related(
        Prefetch("cover_image", queryset=LecternImage.objects.prefetch_renditions(CARD_RENDITION))
    )


# Sort orders a caller may ask for (the API's `ordering`); nothing else reaches ORDER BY.
ORDERINGS = {
    "newest": (F("first_published_at").desc(nulls_last=True), "-pk"),
    "oldest": (F("first_published_at").asc(nulls_last=True), "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
DEFAULT_ORDERING = "newest"


def _free_courses() -> Q:
    return Q(required_tier__isnull=True) | Q(required_tier__price=0)


def _taught_by(name: str):
    """Courses one instructor whose name holds every word of `name` teaches."""
    words = search_terms(name).split()
    if not words:
        return None
    instructors = get_user_model().objects.all()
    for word in words:
        instructors = instructors.filter(full_name__icontains=word)
    return CoursePage.instructors.through.objects.filter(user__in=instructors).values("coursepage_id")


def filter_courses(courses, data: dict):
    """The catalog's filters, for the site's form and the API alike.

    `q` goes through `search.query.search_terms` first, so only plain words reach the
    database (no NUL byte, no operator); a course matches when each word is in its title
    or summary. `tier` is a tier's slug (courses asking for exactly that tier) or "free";
    `free` True/False keeps only free/paid courses; `instructor` matches words of a name.
    """
    for word in search_terms(data.get("q") or "").split():
        courses = courses.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if data.get("category"):
        courses = courses.filter(category__slug=data["category"])
    if data.get("level"):
        courses = courses.filter(level=data["level"])
    if data.get("language"):
        courses = courses.filter(language=data["language"])
    if data.get("tag"):
        courses = courses.filter(
            pk__in=CoursePageTag.objects.filter(tag__slug=data["tag"]).values("content_object_id")
        )
    if data.get("instructor"):
        taught = _taught_by(data["instructor"])
        courses = courses.none() if taught is None else courses.filter(pk__in=taught)
    if data.get("tier") == FREE:
        courses = courses.filter(_free_courses())
    elif data.get("tier"):
        courses = courses.filter(required_tier__slug=data["tier"])
    if data.get("free") is True:
        courses = courses.filter(_free_courses())
    elif data.get("free") is False:
        courses = courses.exclude(_free_courses())
    return courses


def catalog_courses(within: Page, data: dict, ordering: str = DEFAULT_ORDERING):
    """The catalog's one query: live, public courses below `within` (the site's catalog
    page, or a site's root for the API), filtered and sorted, with what a card shows."""
    courses = CoursePage.objects.live().public().descendant_of(within)
    courses = filter_courses(courses, data)
    return _with_card_relations(courses).order_by(*ORDERINGS[ordering])


def catalog_page(index_page, params) -> dict:
    form = CatalogFilterForm(params)
    if form.is_valid():
        courses = catalog_courses(index_page, form.cleaned_data)
    else:
        courses = CoursePage.objects.none()
    page: PaginatorPage = Paginator(courses, CATALOG_PAGE_SIZE).get_page(params.get("page"))
    annotate_course_cards(page.object_list)
    query = params.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "courses": page,
        "filter_query": query.urlencode(),
        "is_filtered": any(form.data.get(name) for name in form.fields),
    }


def featured_courses(home_page) -> list[CoursePage]:
    chosen = [item.course_id for item in home_page.featured_courses.all()]
    courses = _with_card_relations(CoursePage.objects.live().public())
    if chosen:
        by_id = {c.pk: c for c in courses.filter(pk__in=chosen)}
        return [by_id[pk] for pk in chosen if pk in by_id]
    return list(courses.order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:3])


def _lessons_below(courses: Iterable[Page]):
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path)
    return LessonPage.objects.live().filter(condition)


def annotate_course_cards(courses: Iterable[CoursePage]) -> Iterable[CoursePage]:
    """Sets `lesson_count` and `duration_minutes` on each course with one query."""
    courses = list(courses)
    totals: dict[int, list[int]] = {c.pk: [0, 0] for c in courses}
    if courses:
        by_path = {c.path: c.pk for c in courses}
        course_depth_len = len(courses[0].path)
        rows = _lessons_below(courses).values_list("path", "duration_minutes")
        for path, minutes in rows:
            course_pk = by_path.get(path[:course_depth_len])
            if course_pk is not None:
                totals[course_pk][0] += 1
                totals[course_pk][1] += minutes
    for course in courses:
        course.lesson_count, course.duration_minutes = totals[course.pk]
    return courses


@dataclass
class OutlineModule:
    page: ModulePage
    lessons: list[LessonPage] = field(default_factory=list)

    @property
    def duration_minutes(self) -> int:
        return sum(lesson.duration_minutes for lesson in self.lessons)


@dataclass
class Outline:
    modules: list[OutlineModule]

    @property
    def lesson_count(self) -> int:
        return sum(len(m.lessons) for m in self.modules)

    @property
    def duration_minutes(self) -> int:
        return sum(m.duration_minutes for m in self.modules)

    @property
    def first_lesson(self) -> LessonPage | None:
        for module in self.modules:
            if module.lessons:
                return module.lessons[0]
        return None


def course_outline(course: CoursePage) -> Outline:
    """Modules and their live lessons in tree order: two queries for any course size
    (the lessons are the course's cached `ordered_lessons`, shared with the policy)."""
    modules = [OutlineModule(page=m) for m in ModulePage.objects.child_of(course).live().order_by("path")]
    by_path = {m.page.path: m for m in modules}
    for lesson in course.ordered_lessons:
        module = by_path.get(lesson.path[: -Page.steplen])
        if module is not None:
            module.lessons.append(lesson)
    return Outline(modules=modules)


def lesson_neighbours(lesson: LessonPage) -> dict:
    """Previous and next lesson across module boundaries, in course order."""
    course = lesson.course
    siblings = list(course.ordered_lessons) if course else []
    ids = [item.pk for item in siblings]
    position = ids.index(lesson.pk) if lesson.pk in ids else -1
    return {
        "previous_lesson": siblings[position - 1] if position > 0 else None,
        "next_lesson": siblings[position + 1] if 0 <= position < len(siblings) - 1 else None,
        "lesson_position": position + 1,
        "lesson_total": len(siblings),
    }


def outline_decisions(user, course: CoursePage) -> dict[int, "policy.Decision"]:
    """The policy's answer for each lesson of `course`'s outline (locked or open, and
    why), in a fixed number of queries whatever the course's size: the lessons are the
    course's cached `ordered_lessons`, each pointed at the course and at tiers loaded
    once, so asking the policy per lesson reads only per-request caches."""
    tiers = {tier.pk: tier for tier in policy.all_tiers()}
    decisions = {}
    for lesson in course.ordered_lessons:
        lesson.__dict__["course"] = course  # LessonPage.course is a cached_property
        if lesson.required_tier_id is not None:
            lesson.required_tier = tiers.get(lesson.required_tier_id)
        decisions[lesson.pk] = policy.can_view(user, lesson)
    return decisions


def live_course(within: Page, pk: int) -> CoursePage | None:
    """A live, public course below `within` (a site's root), or None."""
    return (
        CoursePage.objects.live()
        .public()
        .descendant_of(within)
        .select_related("category", "required_tier", "cover_image")
        .prefetch_related("tags", "instructors")
        .filter(pk=pk)
        .first()
    )


def live_lesson(within: Page, pk: int) -> LessonPage | None:
    """A live, public lesson below `within` whose module and course are live too (as the
    outline shows it), or None."""
    lesson = (
        LessonPage.objects.live()
        .public()
        .descendant_of(within)
        .select_related("required_tier", "video")
        .filter(pk=pk)
        .first()
    )
    if lesson is None or lesson.course is None or not lesson.course.live:
        return None
    if lesson.module is None or not lesson.module.live:
        return None
    return lesson
