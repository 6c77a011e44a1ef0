"""Where protected files live: STORAGES["private"], which no URL serves."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The storage for files that only reach a user through a Django view.

    A callable, so migrations record this function rather than a storage's settings.
    """
    return storages["private"]
