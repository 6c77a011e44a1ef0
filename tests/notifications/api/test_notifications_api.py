"""Notifications over the API: my list (paginated), the unread count, mark one or all
read. Only the caller's own: another user's notification is 404."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from notifications.inbox import notify
from notifications.models import Notification

from ...api.clients import assert_error, assert_token_refusals, client_for

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"


def test_my_notifications_newest_first_with_the_unread_count(learner, gold):
    first = notify(learner, "enrolled", "You are enrolled")
    second = notify(learner, "certificate_issued", "Your certificate is ready", url="/certificates/x/")
    notify(gold, "enrolled", "Not yours")
    api = client_for(learner)

    body = api.get(NOTIFICATIONS).json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [second.pk, first.pk]
    assert body["results"][0]["is_read"] is False
    assert body["results"][0]["url"] == "/certificates/x/"
    assert api.get(f"{NOTIFICATIONS}unread-count/").json() == {"unread": 2}


def test_the_list_is_paginated(learner):
    Notification.objects.bulk_create(Notification(user=learner, kind="k", title=f"n{n}") for n in range(25))
    api = client_for(learner)
    page = api.get(NOTIFICATIONS).json()
    assert (page["count"], len(page["results"])) == (25, 20)
    assert len(api.get(page["next"]).json()["results"]) == 5


def test_marking_one_read_changes_only_that_one(learner):
    older = notify(learner, "enrolled", "Older")
    newer = notify(learner, "enrolled", "Newer")
    api = client_for(learner)
    response = api.post(f"{NOTIFICATIONS}{older.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    first_read_at = response.json()["read_at"]
    assert api.post(f"{NOTIFICATIONS}{older.pk}/read/").json()["read_at"] == first_read_at  # once
    newer.refresh_from_db()
    assert newer.read_at is None
    assert api.get(f"{NOTIFICATIONS}unread-count/").json() == {"unread": 1}


def test_mark_all_read_touches_only_mine(learner, gold):
    notify(learner, "a", "One")
    notify(learner, "b", "Two")
    theirs = notify(gold, "c", "Theirs")
    api = client_for(learner)
    assert api.post(f"{NOTIFICATIONS}read-all/").json() == {"marked": 2}
    assert api.get(f"{NOTIFICATIONS}unread-count/").json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_users_notification_is_404(learner, gold):
    theirs = notify(gold, "c", "Theirs")
    assert_error(client_for(learner).post(f"{NOTIFICATIONS}{theirs.pk}/read/"), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "unread-count/"), ("post", "read-all/"), ("post", "1/read/")],
)
def test_every_notification_endpoint_refuses_anonymous_expired_and_forged_tokens(learner, method, path):
    notify(learner, "a", "Mine")
    assert_token_refusals(learner, method, f"{NOTIFICATIONS}{path}")
    assert Notification.objects.get().read_at is None


def test_listing_costs_the_same_queries_for_one_or_many(learner):
    api = client_for(learner)
    notify(learner, "a", "One")
    with CaptureQueriesContext(connection) as one:
        api.get(NOTIFICATIONS)
    for n in range(10):
        notify(learner, "a", f"More {n}")
    with CaptureQueriesContext(connection) as eleven:
        assert len(api.get(NOTIFICATIONS).json()["results"]) == 11
    assert len(eleven) == len(one)
