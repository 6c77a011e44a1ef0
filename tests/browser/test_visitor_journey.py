"""What only a browser proves: a visitor walks the site and an editor gets into the admin."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..factories import build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def published_course(catalog, tiers):
    return build_course(
        catalog, modules=2, lessons=2, title="Modern CSS layout", summary="Grid and flexbox for real pages."
    )


def test_visitor_walks_home_catalog_course_lesson(live_server, page, published_course, home):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Lectern"))

    page.get_by_role("navigation", name=re.compile("main", re.I)).get_by_role("link", name="Courses").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Courses")

    page.get_by_role("link", name="Modern CSS layout").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modern CSS layout")
    module = published_course.get_children().first()
    lesson = module.get_children().first()
    expect(page.get_by_text(module.title).first).to_be_visible()

    page.get_by_role("link", name=lesson.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    expect(page.get_by_text("Lesson body text for learners.")).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name=re.compile("breadcrumb", re.I))
    expect(breadcrumb.get_by_role("link", name="Modern CSS layout")).to_be_visible()


def test_editor_logs_into_the_admin_and_sees_the_page_tree(live_server, page, editor, catalog):
    page.goto(live_server.url + "/admin/")
    page.get_by_label(re.compile("email", re.I)).fill(editor.email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(live_server.url + f"/admin/pages/{catalog.pk}/")
    expect(page.get_by_text("Courses").first).to_be_visible()
