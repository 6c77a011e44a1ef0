"""A throwaway database for benchmarks: migrated SQLite (or DATABASE_URL) in a temp dir."""

import os
import tempfile


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
