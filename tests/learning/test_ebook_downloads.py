"""Protected ebook downloads: who gets the file, what is logged, what the page offers."""

from django.urls import reverse

import pytest

from learning.models import EbookDownload, EbookPage

from ..documents.files import PDF_BYTES, make_document
from ..factories import EbookPageFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) LecternTest/1.0"


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def silver_ebook(ebooks, tiers):
    return EbookPageFactory(
        parent=ebooks,
        title="Field Guide to Django",
        slug="field-guide",
        required_tier=tiers["silver"],
        document=make_document("field-guide.pdf"),
    )


def _download_url(ebook) -> str:
    return reverse("learning:ebook_download", args=[ebook.id])


@pytest.mark.parametrize("member", ["silver", "gold"])
def test_silver_and_gold_members_download_the_exact_pdf(client, request, silver_ebook, member):
    client.force_login(request.getfixturevalue(member))
    response = client.get(_download_url(silver_ebook), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert _body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="field-guide.pdf"'
    assert {"private", "no-store"} <= _cache_control(response)
    assert "public" not in _cache_control(response)


def test_a_download_is_logged_once_with_ip_and_browser_and_counted(client, silver, silver_ebook):
    client.force_login(silver)
    response = client.get(_download_url(silver_ebook), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    _body(response)
    download = EbookDownload.objects.get()
    assert (download.user, download.ebook_id) == (silver, silver_ebook.id)
    assert download.ip == "203.0.113.7"
    assert download.user_agent == BROWSER
    assert download.created_at is not None
    assert EbookPage.objects.get(pk=silver_ebook.pk).download_count == 1


def test_every_download_counts(client, silver, gold, silver_ebook):
    for user in (silver, gold, silver):
        client.force_login(user)
        _body(client.get(_download_url(silver_ebook)))
    assert EbookDownload.objects.count() == 3
    assert EbookPage.objects.get(pk=silver_ebook.pk).download_count == 3


@pytest.mark.parametrize("refused", ["bronze", "lapsed"])
def test_bronze_and_lapsed_learners_get_the_teaser_and_no_file(client, request, silver_ebook, refused):
    client.force_login(request.getfixturevalue(refused))
    response = client.get(_download_url(silver_ebook))
    assert response.status_code == 403
    assert "memberships/teaser.html" in [t.name for t in response.templates]
    assert PDF_BYTES not in response.content
    assert "Content-Disposition" not in response
    assert {"private", "no-store"} <= _cache_control(response)
    assert not EbookDownload.objects.exists()
    assert EbookPage.objects.get(pk=silver_ebook.pk).download_count == 0


def test_anonymous_visitor_is_sent_to_login_and_back(client, silver_ebook):
    url = _download_url(silver_ebook)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert not EbookDownload.objects.exists()


def test_staff_editor_may_download(client, editor, silver_ebook):
    client.force_login(editor)
    response = client.get(_download_url(silver_ebook))
    assert response.status_code == 200
    assert _body(response) == PDF_BYTES


def test_unpublished_or_private_ebooks_are_not_found(client, gold, silver_ebook, ebooks, tiers):
    from wagtail.models import PageViewRestriction

    client.force_login(gold)
    draft = EbookPageFactory(
        parent=ebooks, required_tier=tiers["silver"], live=False, document=make_document()
    )
    assert client.get(_download_url(draft)).status_code == 404
    PageViewRestriction.objects.create(page=silver_ebook, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(_download_url(silver_ebook)).status_code == 404
    assert client.get(reverse("learning:ebook_download", args=[ebooks.id])).status_code == 404


def test_download_answers_get_only(client, silver, silver_ebook):
    client.force_login(silver)
    assert client.post(_download_url(silver_ebook)).status_code == 405
    assert not EbookDownload.objects.exists()


def test_nginx_mode_hands_the_file_to_nginx_without_a_body(client, settings, silver, silver_ebook):
    settings.PROTECTED_FILES_SERVER = "nginx"
    client.force_login(silver)
    response = client.get(_download_url(silver_ebook))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{silver_ebook.document.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="field-guide.pdf"'
    assert {"private", "no-store"} <= _cache_control(response)
    assert EbookPage.objects.get(pk=silver_ebook.pk).download_count == 1


# --- the ebook page ---------------------------------------------------------------


@pytest.mark.parametrize("member", ["silver", "gold", "editor"])
def test_entitled_user_sees_the_download_button(client, request, silver_ebook, member):
    client.force_login(request.getfixturevalue(member))
    html = client.get(silver_ebook.url).content.decode()
    assert f'href="{_download_url(silver_ebook)}"' in html
    assert "Download PDF (" in html
    assert "Upgrade" not in html


@pytest.mark.parametrize("viewer", ["anonymous", "bronze", "lapsed"])
def test_others_see_the_tier_its_price_and_an_upgrade_link(client, request, silver_ebook, tiers, viewer):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    response = client.get(silver_ebook.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert _download_url(silver_ebook) not in html
    assert "Download for Silver members" in html
    assert f"{reverse('memberships:pricing')}?tier={tiers['silver'].slug}" in html
    gate = html[html.index('class="download-gate"') :]
    assert ("Log in" in gate) == (viewer == "anonymous")


@pytest.mark.parametrize("viewer", ["anonymous", "bronze", "silver", "editor"])
def test_ebook_page_never_shows_the_documents_own_url(client, request, silver_ebook, viewer):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    response = client.get(silver_ebook.url)
    html = response.content.decode()
    document = silver_ebook.document
    assert document.url not in html  # Wagtail's /documents/<id>/<filename>
    assert document.file.name not in html  # the storage path, under any prefix
    assert {"private", "no-store"} <= _cache_control(response)


# --- admin ------------------------------------------------------------------------


def test_downloads_log_is_listed_searchable_and_read_only_in_the_admin(
    client, admin_user, silver, gold, silver_ebook, ebooks, tiers
):
    silver_ebook.record_download(silver, ip="198.51.100.4", user_agent=BROWSER)
    other_book = EbookPageFactory(parent=ebooks, required_tier=tiers["silver"], document=make_document())
    other_book.record_download(gold, ip="198.51.100.5", user_agent=BROWSER)
    client.force_login(admin_user)
    index = reverse("ebook_downloads:index")
    html = client.get(index).content.decode()
    assert "silver@example.test" in html
    assert silver_ebook.title in html
    assert "198.51.100.4" in html
    assert "silver@example.test" in client.get(index, {"q": "silver@"}).content.decode()
    assert "silver@example.test" not in client.get(index, {"q": "nobody@"}).content.decode()
    filtered = client.get(index, {"ebook": silver_ebook.pk}).content.decode()
    assert "silver@example.test" in filtered
    assert "gold@example.test" not in filtered
    assert client.get(reverse("ebook_downloads:add")).status_code in (302, 403)
    download = EbookDownload.objects.get(user=silver)
    assert client.get(reverse("ebook_downloads:edit", args=[download.pk])).status_code in (302, 403)
    assert client.get(reverse("ebook_downloads:delete", args=[download.pk])).status_code in (302, 403)
