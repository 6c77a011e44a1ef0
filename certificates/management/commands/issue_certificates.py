"""Issue the certificates completed courses have earned but did not get.

For a completion whose certificate failed (logged by the receiver), or a learner who
finished a course and has since moved to a tier that includes certificates. Safe to run
any number of times: issuing is idempotent and asks the policy each time.
"""

from django.core.management.base import BaseCommand

from certificates.issuing import issue_certificate
from certificates.models import Certificate
from learning.models import Enrollment
from learning.models.progress import EnrollmentStatus


class Command(BaseCommand):
    help = "Issue certificates for completed enrollments that have none (and the policy allows)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many are missing.")

    def handle(self, *args, dry_run=False, **options):
        has_certificate = Certificate.objects.filter(user_id__isnull=False).values_list(
            "user_id", "course_id"
        )
        earned = set(has_certificate)
        missing = [
            enrollment
            for enrollment in Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).select_related(
                "user", "course"
            )
            if (enrollment.user_id, enrollment.course_id) not in earned
        ]
        if dry_run:
            self.stdout.write(f"{len(missing)} completed enrollment(s) without a certificate.")
            return
        issued = sum(1 for enrollment in missing if issue_certificate(enrollment.user, enrollment.course))
        self.stdout.write(f"Issued {issued}; {len(missing) - issued} not allowed by the policy.")
