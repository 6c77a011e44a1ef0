"""`manage.py verify_video ID`: check a packaged video the way a player would."""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from media_pipeline.models import Video
from media_pipeline.verify import segment_count, verify


class Command(BaseCommand):
    help = (
        "Check that every segment of a video is stored, decrypts with its content key and "
        "the playlist IV into MPEG-TS, and that segment durations add up to the video's."
    )

    def add_arguments(self, parser):
        parser.add_argument("video_id", type=int)

    def handle(self, *args, video_id: int, **options):
        video = Video.objects.filter(pk=video_id).first()
        if video is None:
            raise CommandError(f"No video {video_id}.")
        with tqdm(total=segment_count(video), unit="seg", desc="Verifying", file=self.stderr._out) as bar:
            report = verify(video, on_segment=lambda: bar.update(1))
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Video {video_id}: {len(report.problems)} problem(s) in {report.segments_checked} segments."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Video {video_id} OK: {report.segments_checked} segments in {len(video.renditions)} "
                f"rendition(s) decrypt to MPEG-TS; {video.duration_seconds:.2f} s."
            )
        )
