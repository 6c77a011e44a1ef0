"""`manage.py repackage_single_key_videos`: give videos packaged with one key for every
rendition a key per rendition.

Such videos keep playing as they are (their one key is each rendition's key), but a
learner's key for a lower quality then also opens the higher ones. Packaging one again
from its source gives each rendition its own key and drops the single key; learners keep
streaming the current build until the new one replaces it.
"""

from django.core.management.base import BaseCommand

from media_pipeline import packaging
from media_pipeline.models import Video, VideoStatus


def single_key_videos():
    """Videos with a rendition that has no key of its own."""
    videos = Video.objects.exclude(wrapped_key=None).exclude(renditions=[]).order_by("pk")
    return [v for v in videos if any(not r.get("key") for r in v.renditions or [])]


class Command(BaseCommand):
    help = "Package again every video whose renditions share one content key (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be packaged; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        done = skipped = failed = 0
        for video in single_key_videos():
            if not video.source:
                self.stderr.write(f"video {video.pk} ({video.title}): no source to package again; skipped.")
                skipped += 1
                continue
            if dry_run:
                self.stdout.write(f"video {video.pk} ({video.title}) would be packaged again.")
                done += 1
                continue
            result = packaging.package(video.pk, first_playable=False)
            if result.status == VideoStatus.READY:
                done += 1
            else:
                self.stderr.write(f"video {video.pk} ({video.title}): {result.error_message}")
                failed += 1
        verb = "would package again" if dry_run else "packaged again"
        self.stdout.write(f"{verb} {done}, skipped {skipped}, failed {failed}.")
