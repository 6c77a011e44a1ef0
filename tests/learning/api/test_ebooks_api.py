"""Ebooks over the API: the list, and a signed download link for entitled callers that
works without a session cookie, expires, is refused when forged, and is re-checked
against the policy when it is used."""

import time
from unittest import mock
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from learning.models import EbookDownload
from memberships.models import Subscription, SubscriptionStatus

from ...api.clients import assert_error, assert_token_refusals, client_for
from ...documents.files import PDF_BYTES, make_document
from ...factories import EbookPageFactory

pytestmark = pytest.mark.django_db

EBOOKS = "/api/v1/ebooks/"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def silver_ebook(ebooks, tiers):
    return EbookPageFactory(
        parent=ebooks,
        title="Field Guide to Django",
        slug="field-guide",
        author_name="Ada Author",
        required_tier=tiers["silver"],
        document=make_document("field-guide.pdf"),
    )


def _link_path(ebook) -> str:
    return f"{EBOOKS}{ebook.pk}/download-link/"


def _fetch(url: str):
    """What any HTTP client does with the link: a plain GET, no cookie, no token header."""
    parts = urlsplit(url)
    return Client().get(f"{parts.path}?{parts.query}")


def test_anyone_lists_the_ebooks_with_what_they_need(client, silver_ebook):
    [book] = client.get(EBOOKS).json()["results"]
    assert book["title"] == "Field Guide to Django"
    assert book["author"] == "Ada Author"
    assert book["required_tier"]["slug"] == "silver"
    assert book["can_download"] is False


@pytest.mark.parametrize(
    ("who", "allowed"), [("bronze", False), ("lapsed", False), ("silver", True), ("gold", True)]
)
def test_the_list_says_whether_i_may_download(request, silver_ebook, who, allowed):
    [book] = client_for(request.getfixturevalue(who)).get(EBOOKS).json()["results"]
    assert book["can_download"] is allowed


def test_listing_ebooks_costs_the_same_queries_for_few_or_many(silver, silver_ebook, ebooks, tiers):
    api = client_for(silver)
    EbookPageFactory(parent=ebooks, title="Gold book", required_tier=tiers["gold"])
    with CaptureQueriesContext(connection) as two:
        assert len(api.get(EBOOKS).json()["results"]) == 2
    for n in range(4):
        EbookPageFactory(parent=ebooks, title=f"Book {n}", required_tier=tiers[["silver", "gold"][n % 2]])
    with CaptureQueriesContext(connection) as six:
        assert len(api.get(EBOOKS).json()["results"]) == 6
    assert len(six) == len(two)


def test_a_silver_member_gets_a_link_that_downloads_the_file_without_a_cookie(silver, silver_ebook):
    response = client_for(silver).post(_link_path(silver_ebook))
    assert response.status_code == 200, response.content
    link = response.json()
    assert link["url"].startswith(f"http://testserver/ebooks/{silver_ebook.pk}/download/?token=")
    download = _fetch(link["url"])
    assert download.status_code == 200
    assert _body(download) == PDF_BYTES
    assert download["Content-Disposition"] == 'attachment; filename="field-guide.pdf"'
    assert "private" in download["Cache-Control"]
    assert EbookDownload.objects.get().user == silver  # logged against who asked for the link


def test_asking_for_a_link_refuses_anonymous_expired_and_forged_tokens(silver, silver_ebook):
    assert_token_refusals(silver, "post", _link_path(silver_ebook))


@pytest.mark.parametrize("who", ["bronze", "lapsed"])
def test_unentitled_callers_get_403_with_the_policys_reason_and_the_way_up(request, silver_ebook, who):
    error = assert_error(
        client_for(request.getfixturevalue(who)).post(_link_path(silver_ebook)), 403, "not_in_tier"
    )
    assert error["details"]["required_tier"] == "silver"
    assert error["details"]["upgrade_tiers"] == ["silver", "gold"]
    assert not EbookDownload.objects.exists()


def test_an_unknown_or_unpublished_ebook_is_404(silver, silver_ebook):
    api = client_for(silver)
    assert_error(api.post(f"{EBOOKS}999999/download-link/"), 404, "not_found")
    silver_ebook.unpublish()
    assert_error(api.post(_link_path(silver_ebook)), 404, "not_found")


def test_an_expired_link_is_refused(silver, silver_ebook, settings):
    url = client_for(silver).post(_link_path(silver_ebook)).json()["url"]
    later = time.time() + settings.EBOOK_LINK_SECONDS + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = _fetch(url)
    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert not EbookDownload.objects.exists()


def test_a_forged_link_or_one_for_another_book_is_refused(silver, silver_ebook, ebooks, tiers):
    url = client_for(silver).post(_link_path(silver_ebook)).json()["url"]
    tampered = url[:-3] + ("abc" if not url.endswith("abc") else "xyz")
    assert _fetch(tampered).status_code == 403
    other = EbookPageFactory(
        parent=ebooks, required_tier=tiers["silver"], document=make_document("other.pdf")
    )
    moved = url.replace(f"/ebooks/{silver_ebook.pk}/", f"/ebooks/{other.pk}/")
    assert _fetch(moved).status_code == 403
    assert not EbookDownload.objects.exists()


def test_a_link_stops_working_when_the_plan_behind_it_ends(silver, silver_ebook):
    url = client_for(silver).post(_link_path(silver_ebook)).json()["url"]
    Subscription.objects.filter(user=silver).update(status=SubscriptionStatus.REVOKED)
    assert _fetch(url).status_code == 403
    assert not EbookDownload.objects.exists()


def test_a_visitors_ebook_list_costs_the_same_queries_for_few_or_many(client, silver_ebook, ebooks, tiers):
    with CaptureQueriesContext(connection) as one:
        assert client.get(EBOOKS).json()["results"][0]["can_download"] is False
    for n in range(4):
        EbookPageFactory(parent=ebooks, title=f"Book {n}", required_tier=tiers["gold"])
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(EBOOKS).json()["results"]) == 5
    assert len(five) == len(one)
