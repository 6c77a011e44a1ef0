"""Documents are stored privately, and Wagtail's own /documents/ URL asks the policy
through the pages that use each document."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from wagtail.models import CollectionViewRestriction, PageViewRestriction

import pytest

from ..factories import (
    BlogPageFactory,
    CoursePageFactory,
    EbookPageFactory,
    LessonPageFactory,
    ModulePageFactory,
)
from .files import PDF_BYTES, make_document

pytestmark = pytest.mark.django_db


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.fixture
def silver_ebook(ebooks, tiers):
    return EbookPageFactory(parent=ebooks, required_tier=tiers["silver"], document=make_document())


@pytest.fixture
def gold_module(catalog, tiers):
    course = CoursePageFactory(parent=catalog, required_tier=tiers["gold"])
    return ModulePageFactory(parent=course)


def _attach(document, title="Slides"):
    return [{"type": "attachment", "value": {"document": document.pk, "title": title}}]


# --- where the bytes live -----------------------------------------------------------


def test_uploaded_documents_are_stored_under_private_media_root_not_media_root(silver_ebook):
    path = Path(silver_ebook.document.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.read_bytes() == PDF_BYTES
    assert not list(Path(settings.MEDIA_ROOT).rglob(path.name))


def test_document_links_always_go_through_the_serve_view(silver_ebook):
    document = silver_ebook.document
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert document.url == reverse("wagtaildocs_serve", args=[document.id, document.filename])


@pytest.mark.urls("tests.documents.urls_serving_media")
def test_raw_file_is_not_reachable_at_any_media_url(client, gold, silver_ebook):
    client.force_login(gold)  # even a member with access gets nothing from these paths
    name = silver_ebook.document.file.name
    candidates = [
        settings.MEDIA_URL + name,
        f"/media/{Path(name).name}",
        f"/media/documents/{Path(name).name}",
        f"/media/private-media/{name}",
        f"/media/../private-media/{name}",
        silver_ebook.document.file.url,  # the private storage's own (unserved) URL
    ]
    for url in candidates:
        response = client.get(url)
        assert response.status_code in (400, 404), url  # 400: the traversal is refused
        assert PDF_BYTES not in _body(response), url


@pytest.mark.urls("tests.documents.urls_serving_media")
def test_media_serving_in_that_check_does_serve_public_files(client):
    """Control for the test above: the same URLconf really serves MEDIA_ROOT."""
    public = Path(settings.MEDIA_ROOT) / "public-check.txt"
    public.write_bytes(b"public")
    try:
        assert _body(client.get(settings.MEDIA_URL + "public-check.txt")) == b"public"
    finally:
        public.unlink()


# --- Wagtail's /documents/<id>/<filename> --------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("silver", 200), ("gold", 200), ("editor", 200), ("bronze", 403), ("lapsed", 403), (None, 302)],
)
def test_ebook_document_follows_the_download_policy(client, request, silver_ebook, viewer, status):
    _login(client, request.getfixturevalue(viewer) if viewer else None)
    response = client.get(silver_ebook.document.url)
    assert response.status_code == status
    assert {"private", "no-store"} <= _cache_control(response)
    if status == 200:
        assert _body(response) == PDF_BYTES
    else:
        assert PDF_BYTES not in _body(response)
    if status == 302:
        assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize(
    ("viewer", "status"), [("gold", 200), ("editor", 200), ("silver", 403), ("bronze", 403), (None, 302)]
)
def test_lesson_attachment_is_served_to_those_who_may_view_the_lesson(
    client, request, gold_module, viewer, status
):
    document = make_document("slides.pdf")
    LessonPageFactory(parent=gold_module, attachments=_attach(document))
    _login(client, request.getfixturevalue(viewer) if viewer else None)
    response = client.get(document.url)
    assert response.status_code == status
    assert (_body(response) == PDF_BYTES) == (status == 200)


@pytest.mark.parametrize("viewer", ["bronze", None])
def test_preview_lesson_attachment_is_open_to_everyone(client, request, gold_module, viewer):
    document = make_document("preview.pdf")
    LessonPageFactory(parent=gold_module, is_preview=True, attachments=_attach(document))
    _login(client, request.getfixturevalue(viewer) if viewer else None)
    response = client.get(document.url)
    assert response.status_code == 200
    assert _body(response) == PDF_BYTES


def test_document_linked_from_members_only_post_rich_text_follows_that_post(
    client, blog, tiers, bronze, gold
):
    document = make_document("notes.pdf")
    link = f'<p>Get the <a linktype="document" id="{document.pk}">notes</a>.</p>'
    BlogPageFactory(parent=blog, required_tier=tiers["gold"], body=[("paragraph", link)])
    client.force_login(bronze)
    assert client.get(document.url).status_code == 403
    client.force_login(gold)
    assert client.get(document.url).status_code == 200


def test_the_most_open_live_page_using_a_document_decides(client, gold_module, bronze):
    document = make_document("shared.pdf")
    LessonPageFactory(parent=gold_module, attachments=_attach(document))
    client.force_login(bronze)
    assert client.get(document.url).status_code == 403
    LessonPageFactory(parent=gold_module, is_preview=True, attachments=_attach(document))
    assert client.get(document.url).status_code == 200


@pytest.mark.parametrize(
    ("viewer", "status"), [("editor", 200), ("admin_user", 200), ("gold", 403), ("bronze", 403), (None, 302)]
)
def test_document_no_live_page_uses_is_for_staff_only(client, request, viewer, status):
    document = make_document("unused.pdf")
    _login(client, request.getfixturevalue(viewer) if viewer else None)
    assert client.get(document.url).status_code == status


def test_document_used_only_by_a_draft_is_for_staff_only(client, gold_module, gold, editor):
    document = make_document("draft.pdf")
    LessonPageFactory(parent=gold_module, live=False, attachments=_attach(document))
    client.force_login(gold)
    assert client.get(document.url).status_code == 403
    client.force_login(editor)
    assert client.get(document.url).status_code == 200


def test_wagtail_page_privacy_of_the_using_page_still_applies(client, catalog, bronze):
    document = make_document("free.pdf")
    module = ModulePageFactory(parent=CoursePageFactory(parent=catalog))
    lesson = LessonPageFactory(parent=module, attachments=_attach(document))
    client.force_login(bronze)
    assert client.get(document.url).status_code == 200
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.GROUPS)
    assert client.get(document.url).status_code == 403


def test_wagtail_collection_privacy_still_applies(client, catalog):
    document = make_document("free.pdf")
    module = ModulePageFactory(parent=CoursePageFactory(parent=catalog))
    LessonPageFactory(parent=module, attachments=_attach(document))
    assert client.get(document.url).status_code == 200
    CollectionViewRestriction.objects.create(
        collection=document.collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_file_uploaded_in_the_admin_lands_in_private_storage(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    client.force_login(admin_user)
    upload = SimpleUploadedFile("uploaded-book.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Uploaded book", "file": upload, "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Uploaded book")
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert path.read_bytes() == PDF_BYTES
    assert document.file_size == len(PDF_BYTES)
