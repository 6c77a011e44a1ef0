"""`manage.py rotate_media_master_key`: re-wrap every content key under the current master key.

Every rendition's own key (in its `renditions` entry) and, for a video packaged before
per-rendition keys, its single video key are re-wrapped.

Rotation: add the new key to MEDIA_MASTER_KEYS, point MEDIA_MASTER_KEY_ID at it, run this,
then drop the old key from MEDIA_MASTER_KEYS. Running it again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from media_pipeline.keys import KeyUnwrapError, current_master_key_id, rewrap_key, rewrap_rendition_key
from media_pipeline.models import Video


class Command(BaseCommand):
    help = "Re-wrap every video content key under MEDIA_MASTER_KEY_ID (idempotent); reports counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        current = current_master_key_id()
        videos = Video.objects.only("pk", "wrapped_key", "master_key_id", "renditions", "storage_prefix")
        videos = videos.order_by("pk")
        counts = {"rewrapped": 0, "unchanged": 0}
        failed: list[str] = []
        for video in tqdm(videos.iterator(), total=videos.count(), unit="video", file=self.stderr._out):
            try:
                self._rewrap_video(video, counts, dry_run)
            except KeyUnwrapError as error:
                failed.append(f"video {video.pk}: {error}")
        verb = "would re-wrap" if dry_run else "re-wrapped"
        self.stdout.write(
            f"Master key {current}: {verb} {counts['rewrapped']}, already current {counts['unchanged']}, "
            f"failed {len(failed)}."
        )
        for line in failed:
            self.stderr.write(line)
        if failed:
            raise CommandError(
                f"{len(failed)} key(s) could not be unwrapped; is every old key still in MEDIA_MASTER_KEYS?"
            )

    def _rewrap_video(self, video: Video, counts: dict, dry_run: bool) -> None:
        """Count each key (the video's single key, each rendition's own) as re-wrapped or
        current; write only what changed, and only if nobody changed it meanwhile."""
        if video.wrapped_key is not None:
            wrapped, key_id, changed = rewrap_key(bytes(video.wrapped_key), video.master_key_id)
            counts["rewrapped" if changed else "unchanged"] += 1
            if changed and not dry_run:
                Video.objects.filter(pk=video.pk, master_key_id=video.master_key_id).update(
                    wrapped_key=wrapped, master_key_id=key_id
                )
        renditions, any_changed = [], False
        for rendition in video.renditions or []:
            if not rendition.get("key"):
                renditions.append(rendition)
                continue
            entry, changed = rewrap_rendition_key(rendition["key"])
            counts["rewrapped" if changed else "unchanged"] += 1
            any_changed = any_changed or changed
            renditions.append({**rendition, "key": entry})
        if any_changed and not dry_run:
            # A packaging run that published meanwhile wrote a new build prefix (with keys
            # wrapped under the current master key): leave its renditions alone.
            Video.objects.filter(pk=video.pk, storage_prefix=video.storage_prefix).update(
                renditions=renditions
            )
