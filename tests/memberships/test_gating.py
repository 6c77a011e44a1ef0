"""Gated pages stay out of shared caches and coexist with Wagtail's own page privacy."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def gold_course(catalog, tiers):
    return CoursePageFactory(parent=catalog, required_tier=tiers["gold"])


def test_gated_page_is_private_and_uncacheable_for_the_member_who_may_read_it(client, gold, gold_course):
    client.force_login(gold)
    response = client.get(gold_course.url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_control(response)
    assert "public" not in _cache_control(response)


def test_teaser_is_private_and_uncacheable_too(client, bronze, gold_course):
    client.force_login(bronze)
    response = client.get(gold_course.url)
    assert response.status_code == 403
    assert {"private", "no-store"} <= _cache_control(response)


def test_free_page_is_not_marked_private(client, catalog):
    course = CoursePageFactory(parent=catalog)
    response = client.get(course.url)
    assert response.status_code == 200
    assert "no-store" not in _cache_control(response)


def test_wagtail_page_privacy_still_applies_to_free_content(client, catalog):
    course = CoursePageFactory(parent=catalog)
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(course.url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_anonymous_teaser_offers_login_with_a_way_back(client, gold_course):
    response = client.get(gold_course.url)
    assert response.status_code == 403
    assert f"?next={gold_course.url}" in response.content.decode()


def test_teaser_never_500s_for_a_lesson_whose_course_lost_its_tier(client, catalog, tiers, bronze):
    course = CoursePageFactory(parent=catalog)
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=course), required_tier=tiers["silver"])
    client.force_login(bronze)
    response = client.get(lesson.url)
    assert response.status_code == 403
    assert "Silver" in response.content.decode()


def test_gated_lesson_costs_few_queries_more_than_a_free_one(client, catalog, tiers, gold):
    """The policy adds a bounded number of queries (tier, instructors), never per block."""
    free = LessonPageFactory(parent=ModulePageFactory(parent=CoursePageFactory(parent=catalog)))
    gated_course = CoursePageFactory(parent=catalog, required_tier=tiers["gold"])
    gated = LessonPageFactory(parent=ModulePageFactory(parent=gated_course))
    client.force_login(gold)
    client.get(free.url)
    with CaptureQueriesContext(connection) as free_queries:
        assert client.get(free.url).status_code == 200
    with CaptureQueriesContext(connection) as gated_queries:
        assert client.get(gated.url).status_code == 200
    assert len(gated_queries) - len(free_queries) <= 3


def test_search_results_mark_locked_pages_and_never_show_their_body(client, catalog, tiers, bronze):
    CoursePageFactory(
        parent=catalog,
        title="Quantum gardening",
        summary="Grow things in superposition.",
        required_tier=tiers["gold"],
        body=[("paragraph", "<p>The secret compost recipe is zucchini.</p>")],
    )
    client.force_login(bronze)
    response = client.get("/search/", {"q": "quantum"})
    page = response.content.decode()
    assert "Quantum gardening" in page
    assert "Grow things in superposition." in page
    assert "secret compost" not in page
    assert [r.is_locked for r in response.context["results"]] == [True]
