"""The in-site notifications list, "mark all read" and the header's unread badge."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from notifications.inbox import notify, unread_count
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_list_needs_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_newest_first_and_unread_highlighted(client, learner, gold):
    first = notify(learner, "enrolled", "First notice")
    second = notify(learner, "course_completed", "Second notice", url="/learning/")
    notify(gold, "enrolled", "Someone else's notice")
    Notification.objects.filter(pk=first.pk).update(read_at=second.created_at)
    client.force_login(learner)
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert [n.title for n in response.context["notices"]] == ["Second notice", "First notice"]
    assert "Someone else" not in html
    assert html.count("notification--unread") == 1
    assert '<a href="/learning/">Second notice</a>' in html
    assert response["Cache-Control"].startswith("private")


def test_mark_all_read_is_a_post_that_clears_the_badge(client, learner):
    for n in range(3):
        notify(learner, "enrolled", f"Notice {n}")
    client.force_login(learner)
    html = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="badge badge--warning">3' in html
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert unread_count(learner) == 0
    assert "badge--warning" not in response.content.decode()


def test_mark_all_read_touches_only_my_notices(client, learner, gold):
    notify(gold, "enrolled", "Gold's")
    client.force_login(learner)
    client.post(reverse("notifications:mark_all_read"))
    assert unread_count(gold) == 1


def test_mark_all_read_is_csrf_protected(learner):
    from django.test import Client

    notify(learner, "enrolled", "Notice")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(reverse("notifications:mark_all_read")).status_code == 403
    assert unread_count(learner) == 1


def test_the_badge_costs_visitors_no_query(client, home):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from notifications.templatetags.notification_tags import unread_notifications

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as captured:
        assert unread_notifications({"request": request}) == 0
    assert len(captured) == 0


def test_the_badge_is_one_count_query_per_request(learner):
    from django.test import RequestFactory

    from notifications.templatetags.notification_tags import unread_notifications

    notify(learner, "enrolled", "Notice")
    request = RequestFactory().get("/")
    request.user = learner
    with CaptureQueriesContext(connection) as captured:
        assert unread_notifications({"request": request}) == 1
        assert unread_notifications({"request": request}) == 1
    assert len(captured) == 1


def test_only_site_paths_become_links(client, learner):
    notify(learner, "enrolled", "Odd link", url="javascript:alert(1)")
    notify(learner, "enrolled", "Off-site link", url="//evil.example/")
    client.force_login(learner)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "javascript:alert" not in html and "evil.example" not in html
    assert "Odd link" in html and "Off-site link" in html
