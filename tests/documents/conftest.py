"""Fixtures for protected files: a real S3 server and a private storage in it.

The S3 server is moto's ThreadedMotoServer on a random local port; the storage the
tests use is built from what config/settings/base.py makes of the AWS_* variables, so
the private/presigned options under test are the production ones.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.files.storage import storages

import boto3
import pytest

from documents.models import LecternDocument

ROOT = Path(__file__).resolve().parents[2]
S3_BUCKET = "lectern-test"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **_boto_credentials())
    client.create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


def _boto_credentials():
    return {
        "aws_access_key_id": S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


@pytest.fixture(scope="session")
def s3_private_storage_settings(s3_endpoint):
    """STORAGES["private"] as our settings module builds it when a bucket is set."""
    code = (
        "import json; from config.settings import base; "
        "print(json.dumps(base.STORAGES['private'], default=str))"
    )
    env = {
        **os.environ,
        **S3_CREDENTIALS,
        "SECRET_KEY": "s3-settings-probe",
        "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "PROTECTED_FILES_SERVER": "s3",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def s3_documents(settings, monkeypatch, s3_private_storage_settings):
    """From here on, documents are stored in (and served from) the S3 bucket."""
    settings.STORAGES = {**settings.STORAGES, "private": s3_private_storage_settings}
    settings.PROTECTED_FILES_SERVER = "s3"
    storage = storages["private"]
    # The field resolved its storage when the model loaded; point it at the bucket.
    monkeypatch.setattr(LecternDocument._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **_boto_credentials())
