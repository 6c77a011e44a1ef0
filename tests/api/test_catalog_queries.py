"""The catalog API's query counts do not grow with the list or the course: 2 courses
cost what 12 do, a 2-lesson outline what a 20-lesson one does."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from learning.enrollment import enroll
from learning.progress import complete_lesson

from ..factories import CategoryFactory, ImageFactory, VideoFactory
from .catalog import client_for, course_with_lessons

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def full_courses(catalog, prefix: str, how_many: int, instructor, tier) -> list:
    category = CategoryFactory()
    courses = []
    for n in range(how_many):
        course, _lessons = course_with_lessons(
            catalog,
            f"{prefix} {n}",
            modules=2,
            lessons=2,
            category=category,
            required_tier=tier if n % 2 else None,
            cover_image=ImageFactory(),
        )
        course.tags.add(f"{prefix}-tag-{n}", "shared")
        course.instructors.add(instructor)
        course.save_revision().publish()
        courses.append(course)
    return courses


@pytest.mark.parametrize("caller", ["anonymous", "gold"])
def test_listing_2_or_12_courses_costs_the_same(catalog, instructor, tiers, gold, caller):
    full_courses(catalog, "Few", 2, instructor, tiers["gold"])
    client = client_for(gold if caller == "gold" else None)
    few = queries(client, "/api/v1/courses/?q=few")
    full_courses(catalog, "Many", 12, instructor, tiers["gold"])
    many = queries(client, "/api/v1/courses/?q=many")
    listed = client.get("/api/v1/courses/?q=many").json()
    assert listed["count"] == 12
    assert listed["results"][0]["cover_image"]["url"].startswith("http://testserver/")
    assert few == many


@pytest.mark.parametrize("sequential", [False, True])
def test_an_outline_of_2_or_20_lessons_costs_the_same_for_an_enrolled_learner(
    catalog, tiers, silver, sequential
):
    small, small_lessons = course_with_lessons(
        catalog, "Small", modules=1, lessons=2, required_tier=tiers["silver"], is_sequential=sequential
    )
    large, large_lessons = course_with_lessons(
        catalog, "Large", modules=4, lessons=5, required_tier=tiers["silver"], is_sequential=sequential
    )
    for lesson in (small_lessons[1], large_lessons[3]):
        lesson.video = VideoFactory(duration_seconds=60)
        lesson.required_tier = tiers["gold"]
        lesson.save_revision().publish()
    for course, lessons in ((small, small_lessons), (large, large_lessons)):
        enroll(silver, course)
        complete_lesson(silver, lessons[0])
    client = client_for(silver)

    assert queries(client, f"/api/v1/courses/{small.pk}/") == queries(client, f"/api/v1/courses/{large.pk}/")
    assert len(client.get(f"/api/v1/courses/{large.pk}/").json()["modules"]) == 4


def test_an_outline_costs_the_same_for_a_visitor_whatever_its_size(catalog, tiers):
    small, _ = course_with_lessons(catalog, "Small", modules=1, lessons=2, required_tier=tiers["gold"])
    large, _ = course_with_lessons(catalog, "Large", modules=4, lessons=5, required_tier=tiers["gold"])
    client = client_for()
    assert queries(client, f"/api/v1/courses/{small.pk}/") == queries(client, f"/api/v1/courses/{large.pk}/")


def test_a_lesson_costs_the_same_in_a_course_of_2_or_20_lessons(catalog, tiers, gold):
    _small, small_lessons = course_with_lessons(
        catalog, "Small", modules=1, lessons=2, required_tier=tiers["gold"], is_sequential=True
    )
    _large, large_lessons = course_with_lessons(
        catalog, "Large", modules=4, lessons=5, required_tier=tiers["gold"], is_sequential=True
    )
    complete_lesson(gold, small_lessons[0])
    complete_lesson(gold, large_lessons[0])
    client = client_for(gold)
    assert queries(client, f"/api/v1/lessons/{small_lessons[1].pk}/") == queries(
        client, f"/api/v1/lessons/{large_lessons[1].pk}/"
    )
