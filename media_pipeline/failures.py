"""What a failed video means for editors, lessons and learners.

A video fails in two ways that must never be confused:

- *packaging failed* and nothing of it can be played (a bad first upload): a lesson
  cannot be published with it, its learners are told honestly and may mark the lesson
  done, and the course team gets a notice;
- *a replacement failed* while the previous version is still packaged and streaming
  (packaging puts the earlier build back): learners notice nothing, and the admin says
  the previous version is still live next to why the new file failed.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.inbox import notify

from .models import Video, VideoStatus
from .playback import Refusal


def packaging_failed(video: Video) -> bool:
    """Failed, and nothing of this video can be played."""
    return video.status == VideoStatus.FAILED and not video.is_playable


def replacement_failed(video: Video) -> bool:
    """Failed, but the previous version is still what learners stream."""
    return video.status == VideoStatus.FAILED and video.is_playable


def unusable_for_lesson_message(video: Video) -> str:
    """Why a lesson cannot be published with this video (names the video and its status)."""
    return _(
        "“%(title)s” cannot be published in a lesson: its status is %(status)s, so learners "
        "could not watch it. Choose another video, or upload a new file for this one and "
        "publish once it is Ready."
    ) % {"title": video.title, "status": video.get_status_display()}


def failed_refusal() -> Refusal:
    """What a learner sees in place of a video whose packaging failed."""
    return Refusal("failed", _("This video could not be prepared; the course team has been told."), 409)


def tell_course_team(video_id: int) -> int:
    """After a packaging job: if the video failed for good while published lessons show
    it, give the uploader and each lesson's owner an in-site notice (which is what the
    learners of those lessons are told happened). Returns how many were told."""
    video = Video.objects.filter(pk=video_id).select_related("created_by").first()
    if video is None or not packaging_failed(video):
        return 0
    lessons = list(video.lessons.filter(live=True).select_related("owner"))
    if not lessons:
        return 0
    people = {user.pk: user for user in [video.created_by, *(lesson.owner for lesson in lessons)] if user}
    titles = ", ".join(f"“{lesson.title}”" for lesson in lessons)
    url = reverse("wagtailsnippets_media_pipeline_video:edit", args=[video.pk])
    for user in people.values():
        notify(
            user,
            "video_failed",
            _("The video “%(title)s” could not be prepared") % {"title": video.title},
            _(
                "Learners of %(lessons)s see that it could not be prepared and may mark the lesson "
                "done. Reason: %(reason)s Upload a new file for it, or choose another video."
            )
            % {"lessons": titles, "reason": video.error_message},
            url,
        )
    return len(people)
