"""`manage.py erase_user EMAIL [--now]`: an erasure asked for by other means.

Without `--now` the account is locked and erased after the usual grace period (logging
in cancels). `--now` skips the wait; it is recorded in the audit log with who ran it."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.changes import log_change, operator
from privacy import erasure


class Command(BaseCommand):
    help = "Delete one account's personal data (after the grace period, or --now)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--now", action="store_true", help="Erase at once, without the waiting period.")

    def handle(self, email, now, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        who = operator("manage.py erase_user" + (" --now" if now else ""))
        try:
            request = erasure.request_erasure(user, requested_by=who)
            if not now:
                self.stdout.write(
                    f"Account locked; erased after {request.erase_after:%Y-%m-%d %H:%M} unless its owner logs in."
                )
                return
            # Logged before the account goes, on the request row, naming only the pseudonym.
            log_change(request, "privacy.erasure.now", user=None, via=who, pseudonym=request.pseudonym)
            erasure.erase(user, request=request)
        except erasure.ErasureRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Erased; the account's records now read {request.pseudonym}.")
