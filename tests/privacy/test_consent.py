"""Consent: no analytics cookie before a yes (visits are still counted without it), a
banner with two equal choices that works without script, the choice kept for signed-in
people and changeable from the footer; marketing email only after a yes."""

from django.conf import settings
from django.urls import reverse

import pytest

from analytics import recording
from analytics.models import Event
from privacy import consent
from privacy.models import ConsentPurpose, ConsentRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140"


@pytest.fixture
def visitor(client):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


def test_before_consent_no_analytics_cookie_but_the_visit_counts(visitor, home):
    first = visitor.get(home.url, REMOTE_ADDR="198.51.100.4")
    second = visitor.get(home.url, REMOTE_ADDR="198.51.100.4")
    other = visitor.get(home.url, REMOTE_ADDR="198.51.100.5")
    for response in (first, second, other):
        assert recording.VISITOR_COOKIE not in response.cookies
    assert Event.objects.count() == 3
    # The same address and browser count as one visitor that day; the address is not stored.
    assert len(set(Event.objects.values_list("visitor", flat=True))) == 2
    assert "198.51.100.4" not in str(list(Event.objects.values()))


def test_the_banner_offers_accept_and_reject_of_equal_weight(visitor, home):
    page = visitor.get(home.url).content.decode()
    assert 'class="consent-banner"' in page
    accept = page.index('value="accept"')
    reject = page.index('value="reject"')
    button = 'class="button button--secondary" type="submit" name="analytics"'
    assert page.count(button) == 2 and accept and reject
    assert "<script" not in page[page.index('class="consent-banner"') :].split("</section>")[0]


def test_accepting_sets_the_cookie_on_the_next_page_and_hides_the_banner(visitor, home):
    response = visitor.post(reverse("privacy:consent"), {"analytics": "accept", "next": home.url})
    assert response.status_code == 302 and response["Location"] == home.url
    assert response.cookies[settings.PRIVACY_CONSENT_COOKIE].value == "accepted"
    page = visitor.get(home.url)
    assert recording.VISITOR_COOKIE in page.cookies
    assert b'class="consent-banner"' not in page.content


def test_rejecting_removes_an_analytics_cookie_already_set(visitor, home):
    visitor.post(reverse("privacy:consent"), {"analytics": "accept"})
    visitor.get(home.url)
    visitor.post(reverse("privacy:consent"), {"analytics": "reject"})
    page = visitor.get(home.url)
    assert page.cookies[recording.VISITOR_COOKIE].value == ""  # deleted
    assert b'class="consent-banner"' not in page.content


def test_the_next_address_cannot_leave_the_site(visitor):
    response = visitor.post(
        reverse("privacy:consent"), {"analytics": "reject", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_signed_in_choice_is_stored_and_follows_the_account(visitor, learner, home):
    visitor.force_login(learner)
    visitor.post(reverse("privacy:consent"), {"analytics": "accept", "marketing_email": "yes"})
    assert consent.latest(learner, ConsentPurpose.ANALYTICS) is True
    assert consent.marketing_email_allowed(learner)
    # Another browser, signed in, without the cookie: the account's choice applies.
    other = type(visitor)()
    other.defaults["HTTP_USER_AGENT"] = BROWSER
    other.force_login(learner)
    page = other.get(home.url)
    assert b'class="consent-banner"' not in page.content
    assert recording.VISITOR_COOKIE in page.cookies


def test_a_choice_made_before_logging_in_becomes_the_accounts(visitor, learner):
    visitor.post(reverse("privacy:consent"), {"analytics": "reject"})
    visitor.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert ConsentRecord.objects.get(user=learner).granted is False


def test_marketing_email_is_opt_in(learner):
    assert consent.marketing_email_allowed(learner) is False


def test_the_footer_links_to_the_choices_and_the_privacy_page(visitor, home):
    page = visitor.get(home.url).content.decode()
    assert reverse("privacy:consent") in page and reverse("privacy:notice") in page
    assert visitor.get(reverse("privacy:consent")).status_code == 200


def test_the_public_privacy_page_lists_the_registry(client, home):
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Orders and payments" in page and "10 years" in page


def test_admins_see_what_we_keep_and_why(admin_user, client):
    client.force_login(admin_user)
    page = client.get(reverse("privacy_registry")).content.decode()
    assert "What we keep and why" in page and "memberships.Order" in page


def test_learners_cannot_open_the_admin_registry(learner, client):
    client.force_login(learner)
    assert client.get(reverse("privacy_registry")).status_code in (302, 403)
