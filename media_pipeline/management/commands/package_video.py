"""`manage.py package_video PATH --title …`: the packaging job, in the foreground."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from media_pipeline import packaging
from media_pipeline.models import Video, VideoStatus


class Command(BaseCommand):
    help = "Upload a source video to private storage and package it into encrypted HLS, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The source video file.")
        parser.add_argument("--title", help="Title shown to editors (default: the file name).")
        parser.add_argument("--owner", help="Email of the user recorded as uploader.")
        parser.add_argument(
            "--ladder-mode",
            choices=["one-process", "per-rung"],
            help="How to encode the ladder (default: setting).",
        )

    def handle(self, *args, path: Path, title=None, owner=None, ladder_mode=None, **options):
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        created_by = None
        if owner:
            created_by = get_user_model().objects.filter(email__iexact=owner).first()
            if created_by is None:
                raise CommandError(f"No user with email {owner}.")
        video = Video(title=title or path.stem.replace("_", " ").replace("-", " "), created_by=created_by)
        with path.open("rb") as handle:
            video.source.save(path.name, File(handle), save=False)
        video.source_size = path.stat().st_size
        video.status = VideoStatus.QUEUED
        video.save()
        self.stdout.write(f"Video {video.pk} ({video.public_id}): packaging {path.name}")
        with tqdm(total=100, unit="%", desc="Checking", file=self.stderr._out, leave=True) as bar:

            def report(percent: int, stage: str) -> None:
                bar.set_description(stage[:40])
                bar.update(max(0, percent - bar.n))

            video = packaging.package(video.pk, report=report, ladder_mode=ladder_mode)
            if video.status == VideoStatus.READY:
                bar.update(100 - bar.n)
        if video.status != VideoStatus.READY:
            raise CommandError(f"Video {video.pk} failed: {video.error_message}")
        rungs = ", ".join(f"{r['height']}p" for r in video.renditions)
        self.stdout.write(
            self.style.SUCCESS(
                f"Video {video.pk} is ready: {video.duration_seconds:.1f} s, {rungs}, "
                f"{video.output_size / 1e6:.1f} MB in {video.storage_prefix}"
            )
        )
