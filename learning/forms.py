"""The lesson's admin form."""

from wagtail.admin.forms import WagtailAdminPageForm

from media_pipeline.failures import packaging_failed, unusable_for_lesson_message


class LessonPageForm(WagtailAdminPageForm):
    """Refuses to publish a lesson whose video failed to package (nothing of it can be
    played): its learners would be told to wait for a video that never comes. Saving a
    draft is allowed (the editor may fix the video first); publishing, submitting for
    moderation and workflow actions validate in full and are refused."""

    def clean(self):
        cleaned = super().clean()
        video = cleaned.get("video")
        if video is not None and not self.is_deferred_validation and packaging_failed(video):
            self.add_error("video", unusable_for_lesson_message(video))
        return cleaned
