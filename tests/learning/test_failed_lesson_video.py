"""A lesson whose video failed to package: it cannot be published with it, and where one
is already live, learners are told the truth and can still complete the lesson, so no
course is stranded."""

from django.urls import reverse

import pytest

from learning.models import Enrollment, EnrollmentStatus, LessonProgress
from media_pipeline.models import Video, VideoStatus

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory
from .test_admin_authoring import _lesson_data

pytestmark = pytest.mark.django_db


def _failed_video(title="Broken upload") -> Video:
    return Video.objects.create(
        title=title, status=VideoStatus.FAILED, error_message="This is not a video file (notes.txt)"
    )


@pytest.fixture
def lesson(catalog):
    course = CoursePageFactory(parent=catalog, title="Practical SQL")
    module = ModulePageFactory(parent=course, title="Foundations")
    return LessonPageFactory(parent=module, title="Your first query", slug="your-first-query")


def _edit(client, lesson, **extra):
    return client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), _lesson_data(**extra))


def test_publishing_a_lesson_with_a_failed_video_is_refused_naming_the_video(client, editor, lesson):
    video = _failed_video()
    client.force_login(editor)
    response = _edit(client, lesson, video=str(video.pk), **{"action-publish": "action-publish"})
    assert response.status_code == 200
    errors = response.context["form"].errors["video"]
    assert "“Broken upload” cannot be published in a lesson: its status is Failed" in errors[0]
    lesson.refresh_from_db()
    assert lesson.video_id is None


def test_a_draft_may_hold_a_failed_video_while_the_editor_fixes_it(client, editor, lesson):
    video = _failed_video()
    client.force_login(editor)
    response = _edit(client, lesson, video=str(video.pk))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.get_latest_revision_as_object().video_id == video.pk


def test_a_video_still_processing_or_one_whose_replacement_failed_can_be_published(client, editor, lesson):
    processing = Video.objects.create(title="Encoding", status=VideoStatus.PROCESSING)
    client.force_login(editor)
    assert _edit(client, lesson, video=str(processing.pk), **{"action-publish": "1"}).status_code == 302
    lesson.refresh_from_db()
    assert lesson.live and lesson.video_id == processing.pk


def test_learners_are_told_the_truth_and_can_mark_the_lesson_done(client, learner, lesson):
    """The lesson was published while its video was still processing; then packaging failed."""
    lesson.video = _failed_video()
    lesson.save_revision().publish()
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()
    assert "still being prepared" not in html
    assert "This video could not be prepared; the course team has been told." in html
    assert "Watch at least 90%" not in html
    assert "Mark as done" in html

    response = client.post(reverse("learning:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 302
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is not None
    # Its only lesson: the course completes too.
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.status == EnrollmentStatus.COMPLETED and enrollment.progress_percent == 100


def test_a_lesson_whose_video_is_still_coming_cannot_be_marked_done(client, learner, lesson):
    lesson.video = Video.objects.create(title="Encoding", status=VideoStatus.PROCESSING)
    lesson.save_revision().publish()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "still being prepared" in html and "Mark as done" not in html
    client.post(reverse("learning:lesson_complete", args=[lesson.pk]))
    assert not LessonProgress.objects.filter(user=learner, completed_at__isnull=False).exists()
