"""How allowed downloads leave on S3: a private object, handed over by a presigned URL
that expires after PROTECTED_URL_SECONDS, fetched here from a real (moto) S3 server."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

import pytest

from learning.models import EbookDownload

from ..factories import EbookPageFactory
from .conftest import S3_BUCKET
from .files import PDF_BYTES, make_document

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our local S3 server)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_bucket_settings_keep_protected_files_private_and_sign_every_url(s3_private_storage_settings):
    options = s3_private_storage_settings["OPTIONS"]
    assert s3_private_storage_settings["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == S3_BUCKET
    assert options["location"] == "private"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["custom_domain"] is None
    assert options["signature_version"] == "s3v4"


def test_uploaded_document_is_a_private_object_under_the_private_prefix(s3_documents, s3_client):
    document = make_document("s3-book.pdf")
    key = f"private/{document.file.name}"
    assert s3_client.get_object(Bucket=S3_BUCKET, Key=key)["Body"].read() == PDF_BYTES
    grants = s3_client.get_object_acl(Bucket=S3_BUCKET, Key=key)["Grants"]
    assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants)
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only


def test_s3_mode_redirects_to_a_presigned_url_that_returns_the_bytes(
    client, s3_documents, s3_endpoint, silver, ebooks, tiers
):
    ebook = EbookPageFactory(
        parent=ebooks, slug="cloud-book", required_tier=tiers["silver"], document=make_document("cloud.pdf")
    )
    client.force_login(silver)
    response = client.get(reverse("learning:ebook_download", args=[ebook.id]))

    assert response.status_code == 302
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert location.startswith(s3_endpoint)
    query = parse_qs(urlsplit(location).query)
    assert query.get("X-Amz-Signature"), location
    assert query["X-Amz-Expires"] == ["300"]
    assert query["response-content-disposition"] == ['attachment; filename="cloud-book.pdf"']
    assert urlsplit(location).path.endswith(f"/private/{ebook.document.file.name}")

    status, headers, body = _fetch(location)
    assert status == 200
    assert body == PDF_BYTES
    assert headers["Content-Disposition"] == 'attachment; filename="cloud-book.pdf"'
    assert EbookDownload.objects.filter(ebook=ebook, user=silver).count() == 1

    # The same object without the signature: refused (moto checks the private ACL; it
    # does not check signatures or expiry, so forged and expired URLs are AWS's to refuse).
    unsigned = location.split("?", 1)[0]
    status, _headers, body = _fetch(unsigned)
    assert status == 403
    assert body != PDF_BYTES


def test_s3_mode_refuses_before_any_url_is_signed(client, s3_documents, bronze, ebooks, tiers):
    ebook = EbookPageFactory(parent=ebooks, required_tier=tiers["silver"], document=make_document())
    client.force_login(bronze)
    response = client.get(reverse("learning:ebook_download", args=[ebook.id]))
    assert response.status_code == 403
    assert "X-Amz-Signature" not in response.content.decode()


def test_wagtail_document_url_streams_from_the_bucket_after_the_policy(
    client, s3_documents, silver, bronze, ebooks, tiers
):
    ebook = EbookPageFactory(parent=ebooks, required_tier=tiers["silver"], document=make_document())
    client.force_login(bronze)
    assert client.get(ebook.document.url).status_code == 403
    client.force_login(silver)
    response = client.get(ebook.document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
