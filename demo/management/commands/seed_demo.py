"""`manage.py seed_demo`: the demo site, built by demo.seed inside one transaction."""

import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import content
from demo.seed import DemoSeeder, SeedError

# Wagtail logs every page action and django-tasks every search/reference index update at
# INFO: about a thousand lines on a first run that would bury the summary.
CHATTY_LOGGERS = ("wagtail", "django_tasks")


@contextmanager
def _quiet(logger_names, quiet: bool):
    loggers = [logging.getLogger(name) for name in logger_names] if quiet else []
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Fill the site with demo content: home page and sections, five courses with modules "
        "and lessons, blog posts, ebooks (PDFs) and images, all generated locally. "
        "Idempotent: objects are found by natural key and only created when missing, so "
        "running it again changes nothing. Demo users, all with the password "
        f"'{content.PASSWORD}': "
        + ", ".join(user.email for user in content.USERS)
        + ". Users that already exist keep their password."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            # All or nothing: a failure halfway leaves no half-built page tree behind.
            with _quiet(CHATTY_LOGGERS, options["verbosity"] < 2), transaction.atomic():
                tally = DemoSeeder().run()
        except SeedError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            f"Demo content ready in {time.monotonic() - started:.1f}s (created / already there):"
        )
        for kind in tally.kinds:
            self.stdout.write(f"  {kind:<17}{tally.created[kind]:>4} / {tally.existing[kind]}")
        self.stdout.write(
            self.style.SUCCESS(f"Log in with any demo account, e.g. {content.ADMIN} / {content.PASSWORD}.")
        )
