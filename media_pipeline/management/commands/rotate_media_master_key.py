"""`manage.py rotate_media_master_key`: re-wrap every content key under the current master key.

Rotation: add the new key to MEDIA_MASTER_KEYS, point MEDIA_MASTER_KEY_ID at it, run this,
then drop the old key from MEDIA_MASTER_KEYS. Running it again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from media_pipeline.keys import KeyUnwrapError, current_master_key_id, rewrap_key
from media_pipeline.models import Video


class Command(BaseCommand):
    help = "Re-wrap every video content key under MEDIA_MASTER_KEY_ID (idempotent); reports counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        current = current_master_key_id()
        videos = (
            Video.objects.exclude(wrapped_key=None).only("pk", "wrapped_key", "master_key_id").order_by("pk")
        )
        rewrapped = unchanged = 0
        failed: list[str] = []
        for video in tqdm(videos.iterator(), total=videos.count(), unit="key", file=self.stderr._out):
            try:
                wrapped, key_id, changed = rewrap_key(bytes(video.wrapped_key), video.master_key_id)
            except KeyUnwrapError as error:
                failed.append(f"video {video.pk}: {error}")
                continue
            if not changed:
                unchanged += 1
                continue
            if not dry_run:
                # Only if nobody re-wrapped it meanwhile.
                Video.objects.filter(pk=video.pk, master_key_id=video.master_key_id).update(
                    wrapped_key=wrapped, master_key_id=key_id
                )
            rewrapped += 1
        verb = "would re-wrap" if dry_run else "re-wrapped"
        self.stdout.write(
            f"Master key {current}: {verb} {rewrapped}, already current {unchanged}, failed {len(failed)}."
        )
        for line in failed:
            self.stderr.write(line)
        if failed:
            raise CommandError(
                f"{len(failed)} key(s) could not be unwrapped; is every old key still in MEDIA_MASTER_KEYS?"
            )
