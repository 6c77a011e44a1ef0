"""Files a job stores for a database transaction: kept only if the transaction keeps them.

A job that renders a file, stores it and then points a row at it can fail between the
two (a lock, a crash, a lost race with a second worker). The database rolls back; the
storage does not. `files_kept_on_commit` removes every file stored through it if its
block ends with an exception, so a rolled-back job leaves no orphan behind, and a file
that turned out not to be needed can be dropped on purpose.

Write the file before the short transaction that records it, never inside a long one:
on SQLite a write transaction holds the one write lock for as long as it lasts.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import File
from django.core.files.storage import Storage


class StoredFiles:
    """The files stored inside one `files_kept_on_commit` block."""

    def __init__(self) -> None:
        self._stored: list[tuple[Storage, str]] = []

    def save(self, storage: Storage, name: str, content: File, max_length: int | None = None) -> str:
        """Store `content` now; returns the name the storage chose (it may add a suffix)."""
        stored_name = storage.save(name, content, max_length=max_length)
        self._stored.append((storage, stored_name))
        return stored_name

    def discard(self, name: str) -> None:
        """Remove a file stored here that the transaction did not use."""
        for storage, stored_name in list(self._stored):
            if stored_name == name:
                storage.delete(stored_name)
                self._stored.remove((storage, stored_name))

    def remove_all(self) -> None:
        while self._stored:
            storage, name = self._stored.pop()
            storage.delete(name)


@contextmanager
def files_kept_on_commit() -> Iterator[StoredFiles]:
    """Files saved through the yielded `StoredFiles` are deleted if the block raises.

    Put the transaction that records them inside the block:

        with files_kept_on_commit() as files:
            name = files.save(storage, "certificates/x.pdf", ContentFile(data))
            with transaction.atomic():
                ...  # point a row at `name`; an exception here removes the file

    The block should own its transaction (a job, not code already inside an atomic
    block): a rollback of an outer transaction after the block has left is not seen.
    """
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        files.remove_all()
        raise
