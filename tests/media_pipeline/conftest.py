"""Fixtures shared by the media pipeline tests: generated source clips, fresh storage."""

import shutil
import tempfile
from pathlib import Path

import pytest

# The project's moto S3 server and the private-storage settings production builds for it.
from tests.documents.conftest import S3_BUCKET, s3_client, s3_endpoint, s3_private_storage_settings  # noqa: F401

from .packaging_support import build_clips


@pytest.fixture(scope="session")
def clips():
    """{name: path} of tiny generated sources: h264, silent, vp9, uhd, portrait, vfr, and
    the bad ones (text, empty, audio, truncated)."""
    folder = Path(tempfile.mkdtemp(prefix="lectern-test-clips-"))
    yield build_clips(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def private_root(settings, tmp_path):
    """Private storage in a folder of this test's own, so "nothing left" can be checked."""
    from django.core.files.storage import storages

    from media_pipeline.models import Video, VideoCaption

    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/private-files-are-never-served/"},
        },
    }
    storage = storages["private"]
    fields = [Video._meta.get_field("source"), VideoCaption._meta.get_field("file")]
    originals = [field.storage for field in fields]
    for field in fields:
        field.storage = storage
    yield root
    for field, original in zip(fields, originals, strict=True):
        field.storage = original


@pytest.fixture
def s3_private(settings, s3_private_storage_settings):  # noqa: F811
    """Private storage is the moto bucket (what production uses with AWS_STORAGE_BUCKET_NAME)."""
    from django.core.files.storage import storages

    from media_pipeline.models import Video, VideoCaption

    settings.STORAGES = {**settings.STORAGES, "private": s3_private_storage_settings}
    storage = storages["private"]
    fields = [Video._meta.get_field("source"), VideoCaption._meta.get_field("file")]
    originals = [field.storage for field in fields]
    for field in fields:
        field.storage = storage
    yield storage
    for field, original in zip(fields, originals, strict=True):
        field.storage = original
