"""The lessons that playlist and key requests are checked against, kept between requests.

Every key and playlist request re-checks the token, the user, the policy and the playback
session. What the policy is asked about (is the lesson live, which tier it and its
course ask for, whether the course is sequential, the video's renditions and wrapped
key) changes only when an editor saves, publishes, moves or deletes a page, when a
video is saved (packaging progress, a new rendition, a replaced source) or when a tier
is edited. Loading it again for each of the hundreds of key requests a lecture makes
was most of the key endpoint's cost: two page queries, and compiling their SQL.

So each worker keeps the lessons it has served, stamped with a content version that
lives in the shared cache. Any of those changes sets a new version once its transaction
commits, and the next request in every worker loads the lesson afresh. What can change
between two key requests of one viewer — their subscription, their playback session,
their completed lessons — is never kept here: the policy reads it on every request.

This is only on when the cache is shared between processes (`PLAYBACK_GATE_CACHE`, on
by default with Redis). With per-process memory, the web server would never hear that
the jobs process finished packaging a video.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "media_pipeline:gate-version"
KEEP = 2048  # lessons per worker; a lesson is a few kilobytes without its body

_lessons: OrderedDict[int, tuple[str, object]] = OrderedDict()
_lock = threading.Lock()


def load_lesson(lesson_id: int):
    """The live lesson with its video, tier and course resolved, or None."""
    from learning.models import LessonPage

    # The body and attachments are never needed here; not loading them keeps the page
    # query small whatever the lesson's length.
    lesson = (
        LessonPage.objects.live()
        .select_related("video", "required_tier")
        .defer("body", "attachments")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is not None:
        # Resolve now, once, what the policy will read: the course (a cached property,
        # with its tier) and the lesson's own tier override.
        lesson.course  # noqa: B018
        lesson.access_tier  # noqa: B018
    return lesson


def lesson(lesson_id: int):
    """`load_lesson`, answered from this worker's memory while the content is unchanged."""
    if not settings.PLAYBACK_GATE_CACHE:
        return load_lesson(lesson_id)
    version = current_version()
    with _lock:
        kept = _lessons.get(lesson_id)
        if kept is not None and kept[0] == version:
            _lessons.move_to_end(lesson_id)
            return kept[1]
    found = load_lesson(lesson_id)
    with _lock:
        _lessons[lesson_id] = (version, found)
        _lessons.move_to_end(lesson_id)
        while len(_lessons) > KEEP:
            _lessons.popitem(last=False)
    return found


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed() -> None:
    """Make every worker load lessons afresh. Set now, and again once the transaction
    commits: a worker that saw the first new version may have loaded the rows as they
    were before the commit, and the second makes it load them again."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _on_save(sender, instance, **kwargs) -> None:
    if isinstance(instance, _watched()):
        content_changed()


def _on_change(sender, **kwargs) -> None:
    content_changed()


@functools.cache
def _watched() -> tuple[type, ...]:
    from wagtail.models import Page

    from memberships.models import Tier

    from .models import Video

    return (Page, Video, Tier)


def connect() -> None:
    from wagtail.signals import page_unpublished, post_page_move

    post_save.connect(_on_save, dispatch_uid="media_pipeline.gate.save")
    for model in _watched():
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"media_pipeline.gate.delete.{model.__name__}"
        )
    page_unpublished.connect(_on_change, dispatch_uid="media_pipeline.gate.unpublished")
    post_page_move.connect(_on_change, dispatch_uid="media_pipeline.gate.moved")
