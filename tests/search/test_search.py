"""Site search: finds live pages by their words, and never breaks on odd input."""

from django.urls import reverse

import pytest

from search.views import MAX_QUERY_LENGTH

from ..factories import BlogPageFactory, CoursePageFactory

pytestmark = pytest.mark.django_db


def _search(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    assert "pages/search_results.html" in [t.name for t in response.templates]
    return response


def _found(response) -> list[str]:
    return [page.title for page in response.context["results"]]


def test_search_finds_a_course_by_a_word_in_its_summary(client, catalog):
    CoursePageFactory(parent=catalog, title="Practical SQL", summary="Master quaternion joins quickly.")
    CoursePageFactory(parent=catalog, title="Colour theory", summary="Hue and contrast.")

    response = _search(client, q="quaternion")

    assert _found(response) == ["Practical SQL"]
    assert "Practical SQL" in response.content.decode()


def test_search_finds_a_course_by_a_word_in_its_body(client, catalog):
    CoursePageFactory(
        parent=catalog, title="Query tuning", body=[("paragraph", "<p>Read every heliotrope plan.</p>")]
    )

    assert _found(_search(client, q="heliotrope")) == ["Query tuning"]


def test_search_finds_a_blog_post_by_its_body_text(client, blog):
    BlogPageFactory(
        parent=blog, title="Release notes", body=[("paragraph", "<p>We shipped marzipan quizzes.</p>")]
    )
    BlogPageFactory(parent=blog, title="Unrelated post")

    assert _found(_search(client, q="marzipan")) == ["Release notes"]


def test_search_ignores_draft_pages(client, catalog, blog):
    CoursePageFactory(
        parent=catalog, title="Unreleased course", summary="Secret zeppelin material.", live=False
    )
    BlogPageFactory(parent=blog, title="Embargoed post", body=[("paragraph", "<p>zeppelin</p>")], live=False)

    response = _search(client, q="zeppelin")

    assert _found(response) == []
    assert "Unreleased course" not in response.content.decode()


def test_empty_query_shows_no_results_and_no_error(client, catalog):
    CoursePageFactory(parent=catalog)

    for query in ("", "   "):
        response = _search(client, q=query)
        assert response.context["search_query"] == ""
        assert _found(response) == []


def test_very_long_query_is_cut_to_the_maximum_length(client, catalog):
    CoursePageFactory(parent=catalog, title="Long words", summary="antidisestablishmentarianism")

    response = _search(client, q="antidisestablishmentarianism " + "x" * 5000)

    assert len(response.context["search_query"]) == MAX_QUERY_LENGTH
    assert response.context["search_query"].startswith("antidisestablishmentarianism")


@pytest.mark.parametrize("page", ["abc", "999", "-3", "1.5"])
def test_search_survives_a_garbage_page_number(client, catalog, page):
    CoursePageFactory(parent=catalog, title="Practical SQL", summary="quaternion")

    response = _search(client, q="quaternion", page=page)

    assert _found(response) == ["Practical SQL"]
