"""`manage.py export_user_data EMAIL --output FILE`: a data export for a request that
came by other means (a letter, an email), written straight to a file."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.exporting import write_zip


class Command(BaseCommand):
    help = "Write everything kept about one account to a zip file (JSON, CSV and index.html)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", required=True, help="Path of the zip file to write.")

    def handle(self, email, output, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        with open(output, "wb") as target:
            names = write_zip(user, target)
        self.stdout.write(f"Wrote {len(names)} files to {output}.")
