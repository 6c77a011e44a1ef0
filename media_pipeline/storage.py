"""Moving packaged output in and out of private storage (local disk or S3).

Every name here is inside `storages["private"]`, which no URL serves. Content types are
set explicitly: this machine's mime table maps `.ts` to a Qt translation file, and S3
hands the stored type back to players.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages

CONTENT_TYPES = {
    ".ts": "video/mp2t",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def private_storage() -> Storage:
    return storages["private"]


def video_root(public_id) -> str:
    """Folder of every build of one video."""
    return f"video/{public_id}/"


def build_prefix(public_id, build_id: str) -> str:
    return f"video/{public_id}/{build_id}/"


def source_folder(public_id) -> str:
    return f"video-sources/{public_id}/"


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


class _TypedFile(File):
    """A File that tells django-storages its content type instead of letting it guess."""

    def __init__(self, file, name: str, content_type: str):
        super().__init__(file, name)
        self.content_type = content_type


def _is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket") and hasattr(storage, "_normalize_name")


def upload_tree(local_dir: str | Path, prefix: str, storage: Storage | None = None) -> int:
    """Store every file under local_dir at prefix + its relative path; returns bytes stored.

    Names are new (each build has its own prefix), so a clash means something else
    wrote there: we refuse rather than let the storage pick another name.
    """
    storage = storage or private_storage()
    local_dir = Path(local_dir)
    files = sorted(p for p in local_dir.rglob("*") if p.is_file())

    def put(path: Path) -> int:
        name = prefix + path.relative_to(local_dir).as_posix()
        with path.open("rb") as handle:
            stored = storage.save(name, _TypedFile(handle, name, content_type_for(name)))
        if stored != name:
            storage.delete(stored)
            raise FileExistsError(f"{name} already exists in storage")
        return path.stat().st_size

    if _is_s3(storage) and len(files) > 4:
        with ThreadPoolExecutor(max_workers=8) as pool:
            return sum(pool.map(put, files))
    return sum(put(path) for path in files)


def list_files(prefix: str, storage: Storage | None = None) -> list[str]:
    """Every stored name under prefix (recursively)."""
    storage = storage or private_storage()
    prefix = prefix.rstrip("/")
    if _is_s3(storage):
        key_prefix = storage._normalize_name(prefix) + "/"
        location = storage.location.strip("/")
        cut = len(location) + 1 if location else 0
        return sorted(obj.key[cut:] for obj in storage.bucket.objects.filter(Prefix=key_prefix))
    names: list[str] = []
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return names
    names.extend(f"{prefix}/{f}" for f in files)
    for sub in dirs:
        names.extend(list_files(f"{prefix}/{sub}", storage))
    return sorted(names)


def list_folders(prefix: str, storage: Storage | None = None) -> list[str]:
    """Direct sub-folders of prefix, as `prefix/<name>/`."""
    storage = storage or private_storage()
    prefix = prefix.rstrip("/")
    try:
        dirs, _files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    return [f"{prefix}/{d}/" for d in sorted(dirs)]


def delete_prefix(prefix: str, storage: Storage | None = None) -> int:
    """Delete every file under prefix; returns how many. Empty local folders go too."""
    storage = storage or private_storage()
    if not prefix.strip("/"):
        raise ValueError("Refusing to delete the whole storage.")
    if _is_s3(storage):
        key_prefix = storage._normalize_name(prefix.rstrip("/")) + "/"
        deleted = 0
        for response in storage.bucket.objects.filter(Prefix=key_prefix).delete():
            deleted += len(response.get("Deleted", []))
        return deleted
    names = list_files(prefix, storage)
    for name in names:
        storage.delete(name)
    if hasattr(storage, "path"):
        try:
            shutil.rmtree(storage.path(prefix.rstrip("/")))
        except FileNotFoundError:
            pass
    return len(names)


def delete_name(name: str, storage: Storage | None = None) -> None:
    """Delete one stored file; on local disk its folder goes too once it is empty (a
    failed upload's `video-sources/<id>/` would otherwise stay behind, empty)."""
    if not name:
        return
    storage = storage or private_storage()
    storage.delete(name)
    folder = os.path.dirname(name)
    if folder and not _is_s3(storage):
        try:
            os.rmdir(storage.path(folder))
        except (OSError, NotImplementedError):
            pass  # not empty (another version is still there), gone, or not on disk


@contextmanager
def local_copy(name: str, storage: Storage | None = None, *, workdir: str | Path) -> Iterator[str]:
    """A local path for a stored file: the file itself on disk storage, else a download."""
    storage = storage or private_storage()
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path and os.path.exists(path):
        yield path
        return
    suffix = os.path.splitext(name)[1]
    fd, temp = tempfile.mkstemp(dir=workdir, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out, storage.open(name, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
        yield temp
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
