"""Raw storage paths (sources, segments, playlists, keys) answer no public URL."""

from django.core.files.storage import storages

import pytest

from media_pipeline import packaging
from media_pipeline.models import Video

from .packaging_support import stored_names, video_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def packaged(clips, django_capture_on_commit_callbacks):
    """A video in the private storage the settings configure (not a test folder)."""
    video = packaging.package(video_from(clips["h264"]).pk)
    yield video
    with django_capture_on_commit_callbacks(execute=True):
        Video.objects.filter(pk=video.pk).delete()


@pytest.mark.parametrize("debug", [False, True])
def test_no_public_url_serves_a_stored_video_file(client, settings, packaged, debug):
    settings.DEBUG = debug
    storage = storages["private"]
    names = stored_names(packaged)
    assert any(n.endswith(".ts") for n in names) and any(n.startswith("video-sources/") for n in names)
    for name in names:
        for url in (
            storage.url(name),
            f"{settings.MEDIA_URL}{name}",
            f"/media/{name}",
            f"/static/{name}",
            f"/{name}",
            f"/video/{name}",
            f"/private-media/{name}",
        ):
            response = client.get(url)
            assert response.status_code in {301, 302, 404}, url
            assert response.get("Content-Type", "") not in {"video/mp2t", "application/vnd.apple.mpegurl"}, (
                url
            )


def test_the_content_key_is_never_stored_as_a_file(packaged):
    storage = storages["private"]
    keys = [packaged.rendition_key(r) for r in packaged.renditions]
    for name in stored_names(packaged):
        with storage.open(name, "rb") as handle:
            data = handle.read()
            assert not any(key in data for key in keys), name
    assert not any(name.endswith((".key", ".bin", ".txt")) for name in stored_names(packaged))
