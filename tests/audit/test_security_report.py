"""Reports → Account security: superusers read, filter and export the events; other
staff get neither the menu item nor the page."""

from django.urls import reverse

import pytest

from audit.models import SecurityEvent, SecurityEventKind

from .conftest import login_with_mfa

pytestmark = pytest.mark.django_db

URL = reverse("audit_security_events")


@pytest.fixture
def events(learner):
    return [
        SecurityEvent.objects.create(
            user=learner,
            identifier=learner.email,
            kind=SecurityEventKind.LOGIN,
            client_address="198.51.100.7",
        ),
        SecurityEvent.objects.create(
            identifier="nobody@example.test",
            kind=SecurityEventKind.LOGIN_FAILED,
            client_address="203.0.113.66",
        ),
    ]


def test_a_superuser_sees_every_event_and_the_menu_item(superuser_client, events, learner):
    response = superuser_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert learner.email in html and "198.51.100.7" in html
    assert "nobody@example.test" in html and "203.0.113.66" in html
    assert URL in superuser_client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_report_filters_by_account_and_by_kind(superuser_client, events, learner):
    html = superuser_client.get(URL, {"account": "nobody@"}).content.decode()
    assert "203.0.113.66" in html and "198.51.100.7" not in html
    html = superuser_client.get(URL, {"kind": SecurityEventKind.LOGIN}).content.decode()
    assert "198.51.100.7" in html and "203.0.113.66" not in html


def test_the_user_listing_links_a_superuser_to_that_accounts_events(superuser_client, learner):
    html = superuser_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert f"{URL}?account={learner.email.replace('@', '%40')}" in html


def test_an_editor_is_refused_the_report_and_has_no_menu_item(client, editor, events):
    """Refused the way Wagtail refuses any admin page: back to the dashboard with
    "Sorry, you do not have permission…", none of the events shown."""
    login_with_mfa(client, editor)
    response = client.get(URL, follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    html = response.content.decode()
    assert "do not have permission" in html
    assert "203.0.113.66" not in html
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
