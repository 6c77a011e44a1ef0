"""The site header as a logged-in member sees it, at the widths people browse at. With
every menu item of the demo site (Courses, Blog, Ebooks, About, Membership) and a staff
member's extra Admin button, the menu once broke onto two or three lines from 1,000 px up,
one word per line at 1,024 px."""

import pytest
from playwright.sync_api import expect

from ..factories import StandardPageFactory
from .playwright_fixtures import browser_context
from .test_video_playback import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MENU = ["Courses", "Blog", "Ebooks", "About", "Membership"]


@pytest.fixture
def full_menu(catalog, blog, ebooks, home):
    StandardPageFactory(parent=home, title="About", slug="about", show_in_menus=True)


def _menu_rows(page) -> int:
    tops = page.locator(".site-nav__link").evaluate_all(
        "links => links.map(link => Math.round(link.getBoundingClientRect().top))"
    )
    return len(set(tops))


@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_the_menu_stays_on_one_line_for_a_logged_in_staff_member(
    live_server, chromium, admin_user, full_menu, width
):
    with browser_context(chromium, viewport={"width": width, "height": 800}) as context:
        page = context.new_page()
        _log_in(page, live_server.url, admin_user)
        page.goto(live_server.url + "/courses/")
        menu = page.get_by_role("navigation", name="Main")
        expect(menu.get_by_role("link")).to_have_text(MENU)
        assert _menu_rows(page) == 1
        header = page.locator(".site-header").bounding_box()
        search = page.get_by_role("searchbox").bounding_box()
        assert search["width"] >= 140
        if width >= 1280:  # one row: brand, menu, search and account side by side
            assert header["height"] < 80, header
            expect(page.get_by_role("link", name="Admin", exact=True)).to_be_visible()
        else:  # stacked: the account's name has room beside the avatar
            expect(page.locator(".account-area__label")).to_have_text("Ada Admin")
            expect(page.locator(".account-area__label")).to_be_visible()
