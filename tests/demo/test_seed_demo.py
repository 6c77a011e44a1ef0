"""`manage.py seed_demo` builds a browsable site offline and changes nothing when run again.

Seeding takes a few seconds, so each test checks several things about one seeded site.
"""

from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Page, Site

import pytest

from learning.models import CoursePage, EbookPage, LessonPage

pytestmark = pytest.mark.django_db

COUNTED = [
    "accounts.User",
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "images.LecternImage",
    "documents.LecternDocument",
    "learning.Category",
    "home.HomePageFeaturedCourse",
]
DEMO_LOGINS = [
    "admin@lectern.local",
    "editor@lectern.local",
    "instructor@lectern.local",
    "learner@lectern.local",
]


def _counts():
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


@pytest.fixture
def seeded(tiers):
    call_command("seed_demo", stdout=StringIO())
    return _counts()


def test_seed_builds_courses_ebooks_and_a_second_run_changes_nothing(seeded):
    courses = CoursePage.objects.live()
    assert courses.count() >= 3
    for course in courses:
        lessons = LessonPage.objects.live().descendant_of(course)
        assert lessons.count() >= 4
        assert lessons.filter(is_preview=True).exists()
        assert course.cover_image is not None
    assert courses.filter(required_tier__isnull=True).exists()
    assert courses.filter(required_tier__slug__in=["silver", "gold"]).exists()

    for ebook in EbookPage.objects.live():
        with ebook.document.file.open("rb") as pdf:
            data = pdf.read()
        assert data.startswith(b"%PDF")
        assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") == ebook.page_count >= 2

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == seeded
    assert "Demo content ready" in out.getvalue()


def test_demo_site_is_browsable_and_demo_accounts_log_in(seeded, client):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    for path in ["/", "/courses/", "/blog/", "/ebooks/", "/about/", "/search/?q=python"]:
        assert client.get(path).status_code == 200, path
    free_course = CoursePage.objects.live().filter(required_tier__isnull=True).first()
    assert client.get(free_course.url).status_code == 200

    for email in DEMO_LOGINS:
        response = client.post(reverse("account_login"), {"login": email, "password": "lectern-demo"})
        assert response.status_code == 302, email
        assert "_auth_user_id" in client.session
        client.logout()


def test_home_hero_image_is_drawn_for_the_crop_the_home_page_shows(seeded):
    """The hero is shown through a `fill-WxH` rendition; drawn at another aspect ratio,
    the crop cut its own text off ("E COURSES", "earn skills that last")."""
    import re
    from pathlib import Path

    from django.conf import settings

    from home.models import HomePage

    template = (Path(settings.BASE_DIR) / "templates/pages/home_page.html").read_text()
    width, height = map(int, re.search(r"page\.hero_image fill-(\d+)x(\d+)", template).groups())
    hero = HomePage.objects.get().hero_image

    assert hero.width * height == hero.height * width
    rendition = hero.get_rendition(f"fill-{width}x{height}")
    assert (rendition.width, rendition.height) == (width, height)
