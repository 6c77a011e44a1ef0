"""The course catalog: live courses only, filters, pagination and cheap course cards."""

import datetime
import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from home.templatetags.lectern_tags import duration
from learning.models import Level

from ..factories import (
    CategoryFactory,
    CoursePageFactory,
    ImageFactory,
    LessonPageFactory,
    ModulePageFactory,
    build_course,
)

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [course.title for course in response.context["courses"]]


def _text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").replace("\xa0", " ").split())


def _pagination_links(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [html.unescape(a["href"]) for a in soup.find_all("a", href=True) if "page=" in a["href"]]


def _courses(catalog, count: int, **fields) -> list:
    """Courses without lessons, published a minute apart, newest last."""
    start = timezone.now() - datetime.timedelta(hours=1)
    return [
        CoursePageFactory(parent=catalog, first_published_at=start + datetime.timedelta(minutes=n), **fields)
        for n in range(count)
    ]


def test_catalog_lists_only_live_courses_newest_first(client, catalog):
    older, newer = _courses(catalog, 2)
    CoursePageFactory(parent=catalog, title="Draft course", live=False)

    response = client.get(catalog.url)

    assert response.status_code == 200
    assert "pages/course_index_page.html" in [t.name for t in response.templates]
    assert _titles(response) == [newer.title, older.title]
    assert "Draft course" not in _text(response)


def test_catalog_filters_by_category(client, catalog):
    data, design = CategoryFactory(name="Data"), CategoryFactory(name="Design")
    CoursePageFactory(parent=catalog, title="SQL basics", category=data)
    CoursePageFactory(parent=catalog, title="Colour theory", category=design)

    response = client.get(catalog.url, {"category": data.slug})

    assert _titles(response) == ["SQL basics"]


def test_catalog_filters_by_level(client, catalog):
    CoursePageFactory(parent=catalog, title="First steps", level=Level.BEGINNER)
    CoursePageFactory(parent=catalog, title="Deep dive", level=Level.ADVANCED)

    response = client.get(catalog.url, {"level": "advanced"})

    assert _titles(response) == ["Deep dive"]


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        ("free", {"No tier", "Bronze course"}),
        ("silver", {"Silver course"}),
        ("gold", {"Gold course"}),
    ],
)
def test_catalog_filters_by_membership_tier(client, catalog, tiers, tier, expected):
    CoursePageFactory(parent=catalog, title="No tier", required_tier=None)
    for slug in ("bronze", "silver", "gold"):
        CoursePageFactory(parent=catalog, title=f"{slug.title()} course", required_tier=tiers[slug])

    response = client.get(catalog.url, {"tier": tier})

    assert set(_titles(response)) == expected


def test_catalog_keyword_matches_title_or_summary(client, catalog):
    CoursePageFactory(parent=catalog, title="Window functions", summary="Ranking rows.")
    CoursePageFactory(parent=catalog, title="Reporting", summary="Dashboards with window functions.")
    CoursePageFactory(parent=catalog, title="Typography", summary="Letters and spacing.")

    response = client.get(catalog.url, {"q": "WINDOW"})

    assert set(_titles(response)) == {"Window functions", "Reporting"}


def test_catalog_combines_filters(client, catalog, tiers):
    data = CategoryFactory(name="Data")
    CoursePageFactory(parent=catalog, title="Free SQL", category=data, required_tier=None)
    CoursePageFactory(parent=catalog, title="Gold SQL", category=data, required_tier=tiers["gold"])
    CoursePageFactory(parent=catalog, title="Free design", required_tier=None)

    response = client.get(catalog.url, {"category": data.slug, "tier": "free"})

    assert _titles(response) == ["Free SQL"]


@pytest.mark.parametrize(("name", "value"), [("level", "expert"), ("tier", "platinum"), ("category", "nope")])
def test_catalog_reports_an_unknown_filter_value_without_crashing(client, catalog, tiers, name, value):
    CoursePageFactory(parent=catalog)

    response = client.get(catalog.url, {name: value})

    assert response.status_code == 200
    assert name in response.context["filter_form"].errors
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(attrs={"role": "alert"}) is not None
    field_error = f"Select a valid choice. {value} is not one of the available choices."
    assert field_error in _text(response)


def test_catalog_shows_nine_courses_a_page_and_the_rest_on_page_two(client, catalog):
    courses = _courses(catalog, 11)

    first = client.get(catalog.url)
    second = client.get(catalog.url, {"page": "2"})

    assert _titles(first) == [c.title for c in reversed(courses[2:])]
    assert _titles(second) == [courses[1].title, courses[0].title]
    assert "?page=2" in _pagination_links(first)


@pytest.mark.parametrize(("page", "expected_number"), [("999", 2), ("abc", 1), ("-1", 2), ("", 1)])
def test_catalog_turns_an_impossible_page_number_into_a_real_page(client, catalog, page, expected_number):
    _courses(catalog, 11)

    response = client.get(catalog.url, {"page": page})

    assert response.status_code == 200
    assert response.context["courses"].number == expected_number
    assert response.context["courses"].object_list


def test_catalog_pagination_links_keep_the_active_filters(client, catalog):
    _courses(catalog, 10, level=Level.INTERMEDIATE)
    _courses(catalog, 3, level=Level.BEGINNER)

    first = client.get(catalog.url, {"level": "intermediate", "q": "course"})
    second = client.get(catalog.url, {"level": "intermediate", "q": "course", "page": "2"})

    assert len(_titles(second)) == 1
    assert "?level=intermediate&q=course&page=2" in _pagination_links(first)
    assert "?level=intermediate&q=course&page=1" in _pagination_links(second)
    assert not [link for link in _pagination_links(first) if "level=intermediate" not in link]


def test_course_cards_show_lesson_count_and_total_duration(client, catalog):
    course = CoursePageFactory(parent=catalog, title="Timed course")
    module = ModulePageFactory(parent=course)
    for minutes in (20, 25, 30):
        LessonPageFactory(parent=module, duration_minutes=minutes)
    LessonPageFactory(parent=module, duration_minutes=99, live=False)

    response = client.get(catalog.url)

    card = response.context["courses"][0]
    assert (card.lesson_count, card.duration_minutes) == (3, 75)
    text = _text(response)
    assert "3 lessons" in text
    assert duration(75) in text


def _catalog_queries(client, catalog) -> int:
    client.get(catalog.url)  # first render makes the card renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(catalog.url)
    assert response.status_code == 200
    return len(queries)


def test_catalog_query_count_does_not_grow_with_courses_on_the_page(client, catalog, tiers):
    category = CategoryFactory()

    def add_courses(count):
        for _ in range(count):
            build_course(
                catalog,
                modules=2,
                lessons=3,
                category=category,
                required_tier=tiers["silver"],
                cover_image=ImageFactory(),
            )

    add_courses(3)
    three = _catalog_queries(client, catalog)
    add_courses(6)
    nine = _catalog_queries(client, catalog)

    assert len(client.get(catalog.url).context["courses"]) == 9
    assert nine == three
