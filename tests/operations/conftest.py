"""Operations fixtures: private folders for backups and media, admins to mail, and
helpers that fingerprint a database and the media so a restore can be proven exact."""

import hashlib
from pathlib import Path

from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField

import pytest

from operations import crypto

OTHER_KEY = "b3RoZXIta2V5LW5vdC10aGUtb25lLXVzZWQtMDAwMDA="  # 32 bytes, not the configured key


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def media_roots(settings, tmp_path, monkeypatch):
    """Public and private media in this test's own folders, so a wipe or a restore
    never touches files other tests made. File fields that resolved their storage when
    models were imported (callable storages) are pointed at the new ones too."""
    old = {alias: getattr(storages[alias], "location", None) for alias in ("default", "private")}
    public, private = tmp_path / "media", tmp_path / "private-media"
    public.mkdir()
    private.mkdir()
    settings.MEDIA_ROOT = public
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": public},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private, "base_url": "/private-files-are-never-served/"},
        },
    }
    for model in apps.get_models():
        for field in model._meta.get_fields():
            storage = getattr(field, "storage", None) if isinstance(field, FileField) else None
            location = getattr(storage, "location", None)
            for alias, old_location in old.items():
                if location is not None and location == old_location:
                    monkeypatch.setattr(field, "storage", storages[alias])
    return public, private


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Ops", "ops@lectern.example"), ("CTO", "cto@lectern.example")]
    return [email for _name, email in settings.ADMINS]


@pytest.fixture
def key() -> bytes:
    return crypto.load_key()


def media_hashes(*roots: Path) -> dict[str, str]:
    """{"<root index>/<relative path>": sha256} for every file under each root."""
    hashes = {}
    for index, root in enumerate(roots):
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                hashes[f"{index}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _normalise(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def database_fingerprint(connection, exclude=()) -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of its rows, order-independent)} for every table."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in exclude:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            rows = sorted(repr(tuple(_normalise(v) for v in row)) for row in cursor.fetchall())
            fingerprint[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return fingerprint
