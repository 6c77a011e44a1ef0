"""The home page, standard pages, the blog and the 404 page render what a visitor needs."""

import datetime

from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from home.models import HomePageFeaturedCourse

from ..factories import BlogPageFactory, CoursePageFactory, StandardPageFactory, build_course

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").replace("\xa0", " ").split())


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


def _published_courses(catalog, count: int) -> list:
    """Courses published a day apart, oldest first."""
    start = timezone.now() - datetime.timedelta(days=count)
    return [
        build_course(
            catalog,
            modules=1,
            lessons=2,
            title=f"Course {n}",
            first_published_at=start + datetime.timedelta(days=n),
        )
        for n in range(count)
    ]


def test_home_shows_the_featured_courses_in_the_chosen_order(client, home, catalog):
    courses = _published_courses(catalog, 5)
    for order, course in enumerate([courses[1], courses[0]]):
        HomePageFeaturedCourse.objects.create(page=home, course=course, sort_order=order)

    response = client.get(home.url)

    assert response.status_code == 200
    assert "pages/home_page.html" in _templates(response)
    assert [c.pk for c in response.context["featured_courses"]] == [courses[1].pk, courses[0].pk]
    text = _text(response)
    assert text.index("Course 1") < text.index("Course 0")
    assert "Course 4" not in text
    assert "2 lessons" in text  # cards carry their lesson count


def test_home_falls_back_to_the_three_latest_courses_when_none_are_featured(client, home, catalog):
    courses = _published_courses(catalog, 5)
    CoursePageFactory(parent=catalog, title="Draft course", live=False, first_published_at=timezone.now())

    response = client.get(home.url)

    assert [c.pk for c in response.context["featured_courses"]] == [c.pk for c in courses[:1:-1]]
    text = _text(response)
    assert "Course 4" in text and "Course 3" in text and "Course 2" in text
    assert "Course 1" not in text
    assert "Draft course" not in text


def test_home_skips_a_featured_course_that_was_unpublished(client, home, catalog):
    shown, withdrawn = _published_courses(catalog, 2)
    withdrawn.unpublish()
    for order, course in enumerate([withdrawn, shown]):
        HomePageFeaturedCourse.objects.create(page=home, course=course, sort_order=order)

    response = client.get(home.url)

    assert [c.pk for c in response.context["featured_courses"]] == [shown.pk]


def test_home_shows_the_latest_blog_posts(client, home, blog):
    BlogPageFactory(parent=blog, title="Old news", date=datetime.date(2024, 1, 1))
    BlogPageFactory(parent=blog, title="Fresh news", date=datetime.date(2025, 6, 1))

    text = _text(client.get(home.url))

    assert text.index("Fresh news") < text.index("Old news")


def test_standard_page_shows_its_introduction_and_body(client, home):
    page = StandardPageFactory(
        parent=home,
        title="About Lectern",
        introduction="Who we are.",
        body=[("paragraph", "<p>We teach by doing.</p>")],
    )

    response = client.get(page.url)

    assert response.status_code == 200
    assert "pages/standard_page.html" in _templates(response)
    text = _text(response)
    assert "About Lectern" in text and "Who we are." in text and "We teach by doing." in text


def test_blog_index_lists_posts_newest_first_nine_to_a_page(client, blog):
    for day in range(1, 11):
        BlogPageFactory(parent=blog, title=f"Post of day {day:02d}", date=datetime.date(2025, 3, day))

    first = client.get(blog.url)
    second = client.get(blog.url, {"page": 2})

    assert first.status_code == 200
    assert "pages/blog_index_page.html" in _templates(first)
    first_text = _text(first)
    positions = [first_text.index(f"Post of day {day:02d}") for day in range(10, 1, -1)]
    assert positions == sorted(positions)
    assert "Post of day 01" not in first_text
    second_text = _text(second)
    assert "Post of day 01" in second_text
    assert "Post of day 10" not in second_text
    assert "?page=2" in first.content.decode()


def test_blog_index_survives_a_garbage_page_number(client, blog):
    BlogPageFactory(parent=blog, title="Only post")

    response = client.get(blog.url, {"page": "abc"})

    assert response.status_code == 200
    assert "Only post" in _text(response)


def test_blog_index_filters_by_tag(client, blog):
    tagged = BlogPageFactory(parent=blog, title="About Django")
    tagged.tags.add("django")
    tagged.save()
    BlogPageFactory(parent=blog, title="About cooking")

    text = _text(client.get(blog.url, {"tag": "django"}))

    assert "About Django" in text
    assert "About cooking" not in text


def test_blog_post_shows_its_tags_linking_to_the_filtered_blog(client, blog, admin_user):
    post = BlogPageFactory(parent=blog, title="Release notes", author=admin_user)
    post.tags.add("Release Notes", "wagtail")
    post.save()

    response = client.get(post.url)

    assert response.status_code == 200
    assert "pages/blog_page.html" in _templates(response)
    text = _text(response)
    assert "Release Notes" in text and "wagtail" in text
    assert admin_user.display_name in text
    hrefs = {a["href"] for a in BeautifulSoup(response.content, "html.parser").find_all("a", href=True)}
    assert f"{blog.url}?tag=release-notes" in hrefs


def test_draft_blog_post_and_standard_page_are_not_found_for_visitors(client, home, blog):
    draft_post = BlogPageFactory(parent=blog, live=False)
    draft_page = StandardPageFactory(parent=home, live=False)

    assert client.get(draft_post.url).status_code == 404
    assert client.get(draft_page.url).status_code == 404
    assert draft_post.title not in _text(client.get(blog.url))


def test_unknown_address_gets_our_404_page(client, home, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in _templates(response)
    assert "base.html" in _templates(response)  # the site's own look, with its navigation
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("form", attrs={"action": "/search/"}) is not None
