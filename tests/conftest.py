"""Shared fixtures: the site tree and a named cast of users every test can use.

The cast follows healthchecks' alice/bob/charlie habit: each name is a role, so a
permission test reads as a sentence.
"""

from wagtail.models import Page, Site

import pytest

from memberships.defaults import seed_default_tiers
from memberships.models import Tier

from .factories import (
    BlogIndexPageFactory,
    CourseIndexPageFactory,
    EbookIndexPageFactory,
    HomePageFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"

pytest_plugins = ["tests.browser.playwright_fixtures", "tests.memberships.gateway_fixtures"]


@pytest.fixture(scope="session")
def migrated_state(django_db_setup, django_db_blocker):
    """The database as migrations left it (default locale, root page, groups …)."""
    from django.db import connection

    with django_db_blocker.unblock():
        return (
            getattr(connection, "_test_serialized_contents", None)
            or connection.creation.serialize_db_to_string()
        )


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in getattr(
        item, "fixturenames", ()
    )


@pytest.fixture(scope="session", autouse=True)
def _snapshot_before_any_transactional_test(request):
    """Take the snapshot before any transactional test can flush the database."""
    if any(_is_transactional(item) for item in request.session.items):
        request.getfixturevalue("migrated_state")


@pytest.fixture
def _attach_migrated_state(request):
    """Transactional tests (browser tests, thread races) end with a flush that empties
    every table. Each must be marked `serialized_rollback=True` so Django puts the
    migrated state back before it runs; attach the snapshot it restores from, since
    pytest-django does not always serialize the test database itself (and the attribute
    does not survive every connection reset)."""
    if not _is_transactional(request.node):
        return
    marker = request.node.get_closest_marker("django_db")
    assert marker.kwargs.get("serialized_rollback"), (
        f"{request.node.nodeid}: transactional tests need serialized_rollback=True"
    )
    from django.db import connection

    connection._test_serialized_contents = request.getfixturevalue("migrated_state")


@pytest.fixture
def _django_db_helper(_attach_migrated_state, _django_db_helper):
    """pytest-django's own helper, with the snapshot attached before it sets up a test."""
    yield


@pytest.fixture
def tiers(db):
    """The default tiers. A migration seeds them, but a transactional test's flush
    removes them, so the fixture makes sure they are there."""
    seed_default_tiers(Tier)
    return {tier.slug: tier for tier in Tier.objects.all()}


@pytest.fixture
def home(db):
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    for welcome_page in root.get_children():  # Wagtail's own placeholder page
        welcome_page.delete()
    home = HomePageFactory(parent=root, slug="home")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Lectern"},
    )
    return home


@pytest.fixture
def catalog(home):
    return CourseIndexPageFactory(parent=home)


@pytest.fixture
def blog(home):
    return BlogIndexPageFactory(parent=home)


@pytest.fixture
def ebooks(home):
    return EbookIndexPageFactory(parent=home)


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def learner(db):
    return _verified(UserFactory(email="learner@example.test", full_name="Lan Learner"))


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    user = _verified(UserFactory(email="editor@example.test", full_name="Ed Editor", is_staff=True))
    group, _ = Group.objects.get_or_create(name="Editors")
    user.groups.add(group)
    return user


@pytest.fixture
def admin_user(db):
    return _verified(
        UserFactory(email="admin@example.test", full_name="Ada Admin", is_staff=True, is_superuser=True)
    )


def _subscribed(email, name, tier, **subscription_fields):
    from datetime import timedelta

    from django.utils import timezone

    from memberships.models import Subscription

    user = _verified(UserFactory(email=email, full_name=name))
    now = timezone.now()
    fields = {"starts_at": now - timedelta(days=10), "ends_at": now + timedelta(days=20)}
    fields.update(subscription_fields)
    Subscription.objects.create(user=user, tier=tier, **fields)
    return user


@pytest.fixture
def bronze(db, tiers):
    """A signed-up learner with no paid plan: the free tier."""
    return _verified(UserFactory(email="bronze@example.test", full_name="Bao Bronze"))


@pytest.fixture
def silver(db, tiers):
    return _subscribed("silver@example.test", "Sang Silver", tiers["silver"])


@pytest.fixture
def gold(db, tiers):
    return _subscribed("gold@example.test", "Giang Gold", tiers["gold"])


@pytest.fixture
def lapsed(db, tiers):
    """Had Gold until yesterday; the expiry job has not run yet, the policy must not care."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return _subscribed(
        "lapsed@example.test",
        "Lam Lapsed",
        tiers["gold"],
        starts_at=now - timedelta(days=31),
        ends_at=now - timedelta(days=1),
    )


def _instructor(email, name):
    from django.contrib.auth.models import Group

    user = _verified(UserFactory(email=email, full_name=name, is_staff=True))
    group, _ = Group.objects.get_or_create(name="Instructors")
    user.groups.add(group)
    return user


@pytest.fixture
def instructor(db):
    """Staff who teaches a course (add them to the course's instructors in the test)."""
    return _instructor("instructor@example.test", "Ines Instructor")


@pytest.fixture
def other_instructor(db):
    return _instructor("other.instructor@example.test", "Omar Otherinstructor")
