"""The same pipeline against an S3 server on loopback (moto), with production's options."""

from urllib.parse import parse_qs, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from media_pipeline import packaging
from media_pipeline import storage as store
from media_pipeline.models import Video, VideoCaption, VideoStatus
from media_pipeline.verify import verify

from .conftest import S3_BUCKET
from .packaging_support import video_from

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {
    ".ts": "video/mp2t",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
}


def _keys(s3_client, prefix: str) -> list[str]:
    listing = s3_client.list_objects_v2(Bucket=S3_BUCKET, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_packaging_to_s3_stores_every_file_private_with_its_content_type(s3_private, s3_client, clips):
    video = packaging.package(video_from(clips["vp9"]).pk)
    assert video.status == VideoStatus.READY, video.error_message
    report = verify(video)  # reads every segment back from the bucket and decrypts it
    assert report.ok, report.problems
    keys = _keys(s3_client, f"private/{video.storage_prefix}")
    assert {key.rsplit(".", 1)[1] for key in keys} == {"ts", "m3u8", "vtt", "jpg"}
    for key in keys:
        head = s3_client.head_object(Bucket=S3_BUCKET, Key=key)
        assert head["ContentType"] == EXPECTED_TYPES["." + key.rsplit(".", 1)[1]], key
        grants = s3_client.get_object_acl(Bucket=S3_BUCKET, Key=key)["Grants"]
        assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants), key  # no AllUsers
    # Only this build and the source: the first playable build is gone.
    everything = _keys(s3_client, f"private/video/{video.public_id}/")
    assert everything and all(key.startswith(f"private/{video.storage_prefix}") for key in everything)


def test_a_bad_source_on_s3_leaves_no_objects(s3_private, s3_client, clips):
    video = packaging.package(video_from(clips["truncated"]).pk)
    assert video.status == VideoStatus.FAILED and "truncated" in video.error_message
    assert _keys(s3_client, f"private/video/{video.public_id}/") == []
    assert _keys(s3_client, f"private/video-sources/{video.public_id}/") == []


def test_deleting_a_video_on_s3_deletes_its_objects(
    s3_private, s3_client, clips, django_capture_on_commit_callbacks
):
    video = packaging.package(video_from(clips["h264"]).pk)
    VideoCaption.objects.create(
        video=video,
        language="en",
        label="English",
        file=SimpleUploadedFile("en.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n"),
    )
    assert len(_keys(s3_client, f"private/video/{video.public_id}/")) > 3
    with django_capture_on_commit_callbacks(execute=True):
        Video.objects.get(pk=video.pk).delete()
    for prefix in ("video", "video-sources", "video-captions"):
        assert _keys(s3_client, f"private/{prefix}/{video.public_id}/") == []


def test_presigned_urls_of_packaged_files_are_short_lived_and_name_one_object(s3_private, clips, settings):
    video = packaging.package(video_from(clips["h264"]).pk)
    segment = video.storage_prefix + video.renditions[0]["playlist"].replace("index.m3u8", "seg_00000.ts")
    # moto accepts any signature and expiry, so check what we sign instead.
    url = urlsplit(s3_private.url(segment))
    query = parse_qs(url.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == [str(settings.PROTECTED_URL_SECONDS)]
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["X-Amz-SignedHeaders"] == ["host"]
    assert url.path == f"/{S3_BUCKET}/private/{segment}"  # exactly this object, no wildcard
    assert "/s3/aws4_request" in query["X-Amz-Credential"][0]
    assert store.content_type_for(segment) == "video/mp2t"
