"""A throwaway database for benchmarks: migrated SQLite (or DATABASE_URL) in a temp dir."""

import os
import tempfile
from urllib.parse import urlparse


def _postgres(database_url: str, sql: str) -> None:
    """Run one statement on the server's maintenance database (autocommit)."""
    import psycopg

    admin = urlparse(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def recreate_postgres_database(database_url: str) -> str | None:
    """Drop and create the PostgreSQL database the URL names; None when it is not PostgreSQL.

    Benches fill their database with throwaway rows, so they only ever touch one whose
    name ends in `_bench`: a mistyped DATABASE_URL must not wipe real data.
    """
    url = urlparse(database_url)
    if not url.scheme.startswith("postgres"):
        return None
    name = url.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(
            f"refusing to drop and recreate {name!r}: the bench database name must end in _bench"
        )
    _postgres(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(database_url, f'CREATE DATABASE "{name}"')
    return name


def drop_postgres_database(database_url: str) -> None:
    """Drop the bench database again (closing this process's connections to it first)."""
    name = urlparse(database_url).path.lstrip("/")
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001, S110 - Django may not be set up in this process
        pass
    _postgres(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_with_fresh_db():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='lectern-bench-')}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)


def fresh_catalog():
    """An empty site: a home page as the default Site's root and a catalog under it."""
    from wagtail.models import Page, Site

    from tests.factories import CourseIndexPageFactory, HomePageFactory

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=root, slug="home")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return CourseIndexPageFactory(parent=home)
