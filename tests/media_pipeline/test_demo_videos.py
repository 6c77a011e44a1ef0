"""The demo's lesson videos: one generated clip per course, real encrypted HLS, captions."""

from wagtail.models import Revision

import pytest

from demo.videos import attach_course_video, course_video
from learning.models import LessonPage
from media_pipeline.captions import webvtt_problem
from media_pipeline.models import Video
from media_pipeline.verify import verify
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def test_a_course_clip_is_packaged_once_with_english_captions(private_root):
    video = course_video("Python for Data Work", "#12263a")
    assert video.is_ready and video.title == "Demo clip: Python for Data Work"
    assert video.duration_seconds == pytest.approx(12, abs=0.2)
    assert [r["height"] for r in video.renditions] == [360]
    assert verify(video).ok
    [caption] = video.captions.all()
    assert (caption.language, caption.is_default) == ("en", True)
    assert webvtt_problem(caption.file.read()) is None
    again = course_video("Python for Data Work", "#12263a")
    assert (again.pk, again.storage_prefix) == (video.pk, video.storage_prefix)


def test_every_lesson_of_the_course_gets_the_clip_and_a_second_run_changes_nothing(catalog, private_root):
    course = build_course(catalog, modules=2, lessons=2)
    video = attach_course_video(course, course.title, "#06bcc1")
    lessons = LessonPage.objects.descendant_of(course)
    assert lessons.count() == 4 and all(lesson.video_id == video.pk for lesson in lessons)
    assert all(lesson.get_latest_revision().as_object().video_id == video.pk for lesson in lessons.specific())
    revisions = Revision.objects.count()
    attach_course_video(course, course.title, "#06bcc1")
    assert Revision.objects.count() == revisions and Video.objects.count() == 1
