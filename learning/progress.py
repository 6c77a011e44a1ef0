"""Honest lesson progress: heartbeats, completion, course progress.

The player reports the media ranges it actually played since its last beat. The server
merges them into `LessonProgress.watched_ranges` and completes the lesson when they
cover at least 90 % of the video's duration (taken from the Video, never from the
client). Four things can never count, unlike in playhead-based LMSs:

- beats from a playback session that never fetched this video's key: nothing can have
  played without it (the key endpoint logs each key it gives per playback session);
- seeking to the end: a jump adds no watched range, only a new position;
- claiming more than the player's top speed (2×) allows in the wall-clock time since
  the last accepted beat, and never since before that session's first key fetch, when
  streaming really began (plus a small tolerance, granted once rather than per beat,
  so beating very often buys nothing);
- replaying a beat: each beat carries a server-signed token bound to the user, the
  lesson, a sequence number and when it was issued; a token whose sequence is not
  newer than the last accepted one is refused, and each accepted beat returns the next.

`complete_lesson` is the one way a lesson becomes complete (video coverage, the "Mark as
done" button, or QUIZZES on a pass); it is idempotent, safe under concurrency, and when
the last lesson of a course completes it marks the enrollment completed and sends
`course_completed` exactly once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline.failures import packaging_failed
from media_pipeline.playback import first_key_fetch
from memberships import devices, policy
from memberships.gating import mark_private
from notifications.inbox import notify
from notifications.mail import send_templated_email

from .enrollment import EnrollmentRefused, can_enroll, enroll
from .models import CoursePage, CourseWatchDay, Enrollment, EnrollmentStatus, LessonPage, LessonProgress
from .signals import course_completed, lesson_completed

TOKEN_SALT = "learning.heartbeat"  # noqa: S105 (a signing namespace, not a secret)
COMPLETION_COVERAGE = 0.9
TOP_SPEED = 2.0
# Network and timer jitter. Over a whole viewing, what is accepted never exceeds
# TOP_SPEED x the wall-clock time plus this, however often the player beats; a single
# beat may claim at most TOP_SPEED x (time since the last beat + CARRY_SECONDS) + this.
TOLERANCE_SECONDS = getattr(settings, "LEARNING_HEARTBEAT_TOLERANCE_SECONDS", 3.0)
CARRY_SECONDS = 2.0
TOKEN_MAX_AGE = timedelta(seconds=getattr(settings, "LEARNING_HEARTBEAT_TOKEN_MAX_AGE", 6 * 3600))
MAX_RANGES_PER_BEAT = 200
MERGE_GAP_SECONDS = 0.5  # ranges closer than this are one range (segment boundaries)
RESUME_NEAR_END_SECONDS = 5.0


class HeartbeatError(Exception):
    """A refused beat: HTTP status, a stable code for the player, a human message, and
    (for stale or replayed tokens) a fresh token the player may continue with."""

    def __init__(self, status: int, code: str, message: str, token: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.token = status, code, message, token


@dataclass(frozen=True)
class BeatResult:
    token: str
    position: float
    percent: int
    completed: bool
    course_percent: int


# ---------------------------------------------------------------------------- tokens


def issue_token(user, lesson: LessonPage, sequence: int, now: datetime | None = None) -> str:
    """A signed, opaque token for beat number `sequence` of `user` on `lesson`."""
    issued = (now or timezone.now()).timestamp()
    payload = {"u": user.pk, "l": lesson.pk, "s": int(sequence), "t": round(issued, 3)}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=False)


def next_token(user, lesson: LessonPage, progress: LessonProgress | None, now=None) -> str:
    return issue_token(user, lesson, (progress.last_beat if progress else -1) + 1, now)


def read_token(token, user, lesson: LessonPage, now: datetime) -> tuple[int, datetime]:
    """(sequence, issued_at) of a token that is ours, for this user and lesson, and not
    expired. Raises HeartbeatError otherwise. Expiry is checked against `now` (not the
    signer's clock) so tests can move time deterministically."""
    if not isinstance(token, str) or not token:
        raise HeartbeatError(400, "bad_token", "The heartbeat token is missing.")
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        user_id, lesson_id = payload["u"], payload["l"]
        sequence, issued = int(payload["s"]), float(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise HeartbeatError(400, "bad_token", "The heartbeat token is not valid.") from None
    if user_id != user.pk or lesson_id != lesson.pk:
        raise HeartbeatError(403, "wrong_token", "This heartbeat token belongs to another lesson or user.")
    issued_at = datetime.fromtimestamp(issued, tz=UTC)
    if issued_at > now + timedelta(seconds=60):
        raise HeartbeatError(400, "bad_token", "The heartbeat token is not valid.")
    if now - issued_at > TOKEN_MAX_AGE:
        raise HeartbeatError(409, "expired", "The heartbeat token has expired; continue with the new one.")
    return sequence, issued_at


# ---------------------------------------------------------------------------- ranges


def _number(value, what: str, code: str = "bad_input") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise HeartbeatError(400, code, f"{what} must be a number of seconds.")
    return float(value)


def clean_ranges(raw) -> list[list[float]]:
    """Validate the beat's `ranges`: a list of [start, end] with 0 <= start <= end."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_RANGES_PER_BEAT:
        raise HeartbeatError(400, "bad_ranges", "ranges must be a list of [start, end] pairs.")
    cleaned = []
    for item in raw:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise HeartbeatError(400, "bad_ranges", "Each range must be a [start, end] pair.")
        start = _number(item[0], "A range start", "bad_ranges")
        end = _number(item[1], "A range end", "bad_ranges")
        if start < 0 or end < start:
            raise HeartbeatError(400, "bad_ranges", "A range must run forward from 0 or later.")
        cleaned.append([start, end])
    return cleaned


def merge_ranges(ranges, duration: float | None = None) -> list[list[float]]:
    """Sort, clip to [0, duration] (when known) and merge overlapping or touching ranges."""
    clipped = []
    for start, end in ranges:
        if duration:
            start, end = min(start, duration), min(end, duration)
        if end > start:
            clipped.append([float(start), float(end)])
    clipped.sort()
    merged: list[list[float]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1] + MERGE_GAP_SECONDS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[round(s, 3), round(e, 3)] for s, e in merged]


def covered_seconds(ranges) -> float:
    return sum(end - start for start, end in ranges)


def percent_watched(progress: LessonProgress | None) -> int:
    if progress is None or not progress.duration_seconds:
        return 0
    return min(100, int(progress.watched_seconds * 100 // progress.duration_seconds))


def video_duration(lesson: LessonPage) -> float:
    """The duration to measure coverage against: the Video's own, never the client's."""
    video = lesson.video if lesson.video_id else None
    return float(video.duration_seconds or 0) if video is not None else 0.0


# ---------------------------------------------------------------------------- quizzes


def lesson_has_required_quiz(lesson: LessonPage) -> bool:
    """True when the lesson's body holds a quiz block marked required: such a lesson
    completes only when QUIZZES reports a pass, never by watching or a button."""
    for block in lesson.body or []:
        if block.block_type == "quiz":
            value = block.value
            required = value.get("required", True) if hasattr(value, "get") else True
            if required:
                return True
    return False


def needs_watching(lesson: LessonPage) -> bool:
    """True when the lesson completes by watching its video. A lesson whose video failed
    to package (nothing of it can ever play) completes by "Mark as done" instead, so no
    learner, and no course, is stranded on it."""
    return bool(lesson.video_id) and not packaging_failed(lesson.video)


# ---------------------------------------------------------------------------- heartbeat


def _progress_row(user, lesson: LessonPage, *, lock: bool = False) -> LessonProgress:
    """The user's progress row for the lesson, created if missing (a unique constraint
    and a retry make two first beats at once safe)."""
    rows = LessonProgress.objects.select_for_update() if lock else LessonProgress.objects
    progress = rows.filter(user=user, lesson=lesson).first()
    if progress is not None:
        return progress
    try:
        with transaction.atomic():
            LessonProgress.objects.create(user=user, lesson=lesson)
    except IntegrityError:
        pass
    return rows.get(user=user, lesson=lesson)


def record_heartbeat(
    user,
    lesson: LessonPage,
    *,
    token,
    ranges,
    position,
    device,
    now: datetime | None = None,
) -> BeatResult:
    """Accept one beat from the player, or raise HeartbeatError saying why not.

    The caller (the view) has checked the policy (`can_play`). Nothing is saved from a
    refused beat.
    """
    now = now or timezone.now()
    sequence, issued_at = read_token(token, user, lesson, now)
    new_ranges = clean_ranges(ranges)
    position = _number(position if position is not None else 0, "position")
    if not isinstance(device, str) or not device.strip() or len(device) > 100:
        raise HeartbeatError(400, "bad_input", "device must be the player's device id.")
    session = devices.touch(user, device)
    if session is None:
        raise HeartbeatError(
            403,
            "device_limit",
            "Playback stopped on this device because your plan's device limit was reached.",
        )
    streaming_since = first_key_fetch(session.pk, lesson.video_id) if lesson.video_id else None
    if streaming_since is None:
        raise HeartbeatError(
            409,
            "not_streaming",
            "Nothing of this video has been streamed on this device yet, so there is no progress to record.",
        )
    duration = video_duration(lesson)
    course = lesson.course

    with transaction.atomic():
        progress = _progress_row(user, lesson, lock=True)
        if sequence <= progress.last_beat:
            raise HeartbeatError(
                409,
                "replayed",
                "This heartbeat was already received.",
                next_token(user, lesson, progress, now),
            )
        anchor = max(t for t in (progress.speed_anchor_at, issued_at, streaming_since) if t is not None)
        elapsed = (now - anchor).total_seconds()
        claimed = covered_seconds(merge_ranges(new_ranges, duration))
        if claimed > TOP_SPEED * elapsed + TOLERANCE_SECONDS:
            raise HeartbeatError(
                400,
                "too_fast",
                f"{claimed:.0f} s of video cannot have played in {max(elapsed, 0):.0f} s.",
            )
        # Spend the budget: the anchor moves on by what was claimed at top speed, so the
        # tolerance is granted once, not per beat (beating often buys nothing), and at
        # most CARRY_SECONDS of unused time carries over to the next beat.
        anchor = max(anchor + timedelta(seconds=claimed / TOP_SPEED), now - timedelta(seconds=CARRY_SECONDS))
        merged = merge_ranges([*progress.watched_ranges, *new_ranges], duration)
        progress.watched_ranges = merged
        newly_watched = round(covered_seconds(merged), 3) - progress.watched_seconds
        progress.watched_seconds = round(covered_seconds(merged), 3)
        _add_watch_time(user, course, newly_watched, now)
        progress.duration_seconds = duration
        progress.position_seconds = max(0.0, min(position, duration) if duration else position)
        progress.last_beat, progress.last_beat_at, progress.speed_anchor_at = sequence, now, anchor
        progress.save(
            update_fields=[
                "watched_ranges",
                "watched_seconds",
                "duration_seconds",
                "position_seconds",
                "last_beat",
                "last_beat_at",
                "speed_anchor_at",
                "updated_at",
            ]
        )
        enrollment = _ensure_enrollment(user, course)
        completes = (
            progress.completed_at is None
            and duration > 0
            and progress.watched_seconds >= COMPLETION_COVERAGE * duration
            and not lesson_has_required_quiz(lesson)
        )
        if enrollment is not None and not completes:
            Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)
    if completes:
        # After the beat's own transaction, so locks are always taken in one order
        # (enrollment, then progress) by every path that completes a lesson.
        complete_lesson(user, lesson, source="video", now=now)
        progress.refresh_from_db(fields=["completed_at"])
        enrollment = Enrollment.objects.filter(pk=enrollment.pk).first() if enrollment else None

    return BeatResult(
        token=issue_token(user, lesson, sequence + 1, now),
        position=progress.position_seconds,
        percent=percent_watched(progress),
        completed=progress.completed_at is not None,
        course_percent=enrollment.progress_percent if enrollment else 0,
    )


def _add_watch_time(user, course: CoursePage | None, seconds: float, now: datetime) -> None:
    """Count newly watched seconds towards the course's day (instructor earnings read it)."""
    if course is None or seconds <= 0:
        return
    day = timezone.localdate(now)
    updated = CourseWatchDay.objects.filter(user=user, course=course, day=day).update(
        seconds=F("seconds") + seconds
    )
    if not updated:
        try:
            with transaction.atomic():
                CourseWatchDay.objects.create(user=user, course=course, day=day, seconds=seconds)
        except IntegrityError:
            CourseWatchDay.objects.filter(user=user, course=course, day=day).update(
                seconds=F("seconds") + seconds
            )


def beat(user, lesson: LessonPage, **fields) -> BeatResult:
    """One heartbeat as the site's player and the API send it: the policy first
    (`can_play`, so a lapsed or locked learner's beats stop counting), then
    `record_heartbeat`'s checks."""
    decision = policy.can_play(user, lesson)
    if not decision:
        raise HeartbeatError(403, str(decision.reason), _("This lesson is not open to you."))
    return record_heartbeat(user, lesson, **fields)


class MarkDoneRefused(Exception):
    """ "Mark as done" refused: `decision` when the policy said no (the site shows the
    teaser), else `code` and `message` (the lesson completes another way)."""

    def __init__(self, code: str, message: str, decision: policy.Decision | None = None):
        super().__init__(message)
        self.code, self.message, self.decision = code, message, decision


def mark_done(user, lesson: LessonPage) -> LessonProgress:
    """ "Mark as done" for a lesson without a video to watch (none, or one whose packaging
    failed) and without a required quiz; any other lesson completes by watching or by
    passing its quiz, never by asking."""
    decision = policy.can_view(user, lesson)
    if not decision:
        raise MarkDoneRefused(str(decision.reason), _("This lesson is not open to you."), decision)
    if needs_watching(lesson):
        raise MarkDoneRefused("needs_watching", _("This lesson completes when you have watched its video."))
    if lesson_has_required_quiz(lesson):
        raise MarkDoneRefused("needs_quiz", _("This lesson completes when you pass its quiz."))
    return complete_lesson(user, lesson, source="manual")


# ---------------------------------------------------------------------------- completion


def _ensure_enrollment(user, course: CoursePage | None) -> Enrollment | None:
    """Progress in a course the learner may enroll in enrolls them (once); a preview
    lesson watched below the course's tier records progress without enrolling."""
    if course is None:
        return None
    try:
        return enroll(user, course).enrollment
    except EnrollmentRefused:
        return None


def complete_lesson(
    user, lesson: LessonPage, source: str = "manual", now: datetime | None = None
) -> LessonProgress:
    """Mark `lesson` complete for `user` (source: "video", "manual" or "quiz").

    Idempotent: a second call changes nothing and sends nothing. Safe under
    concurrency: the enrollment row is locked first, so completions of two lessons of
    one course at once are counted one after the other and the course completes once
    (a conditional UPDATE … WHERE completed_at IS NULL decides who sends the signal).
    """
    now = now or timezone.now()
    course = lesson.course
    with transaction.atomic():
        enrollment = _ensure_enrollment(user, course)
        if enrollment is not None:
            enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        progress = _progress_row(user, lesson)
        newly = LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        progress.refresh_from_db()
        if not newly:
            return progress
        if course is not None:
            policy.forget_completions(user, course)
        lesson_completed.send(
            sender=LessonProgress, user=user, lesson=lesson, progress=progress, source=source
        )
        if enrollment is not None:
            _recount_course(enrollment, user, course, lesson, now)
    return progress


def course_percent(lesson_ids, completed_ids) -> int:
    lesson_ids = list(lesson_ids)
    if not lesson_ids:
        return 0
    done = sum(1 for pk in lesson_ids if pk in completed_ids)
    return done * 100 // len(lesson_ids)


def _recount_course(
    enrollment: Enrollment, user, course: CoursePage, lesson: LessonPage, now: datetime
) -> None:
    """Course progress in a constant number of queries: the lesson ids, the learner's
    completions, one UPDATE, and (at 100 %) one conditional UPDATE."""
    lesson_ids = [item.pk for item in course.ordered_lessons]
    done = course.completed_lesson_ids(user)
    percent = course_percent(lesson_ids, done)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        progress_percent=percent, last_lesson=lesson, last_activity_at=now
    )
    enrollment.progress_percent, enrollment.last_lesson, enrollment.last_activity_at = percent, lesson, now
    if not lesson_ids or not set(lesson_ids) <= done:
        return
    finished = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=now, status=EnrollmentStatus.COMPLETED
    )
    if not finished:
        return
    enrollment.completed_at, enrollment.status = now, EnrollmentStatus.COMPLETED
    enrollment.user = user
    course_completed.send(sender=Enrollment, enrollment=enrollment)
    url = reverse("learning:dashboard")
    send_templated_email(
        "course_completed", user, {"course": course, "enrollment": enrollment, "dashboard_url": url}
    )
    notify(
        user, "course_completed", f"You finished {course.title}", "Well done — every lesson is complete.", url
    )


# ---------------------------------------------------------------------------- read side


def resume_position(progress: LessonProgress | None, requested=None) -> float:
    """Where the player starts: `?t=` when it is a sane number, else the saved position
    (from the start again when the learner had reached the end)."""
    if requested not in (None, ""):
        try:
            seconds = float(requested)
        except (TypeError, ValueError):
            seconds = -1.0
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    if progress is None:
        return 0.0
    position = progress.position_seconds
    if progress.duration_seconds and position >= progress.duration_seconds - RESUME_NEAR_END_SECONDS:
        return 0.0
    return position


def lesson_page_context(request, lesson: LessonPage) -> dict:
    """What the lesson page shows per learner (CONTRACTS, "Heartbeat"): resume_at,
    heartbeat_url, heartbeat_token, the tick, % watched and the mark-as-done form."""
    user = request.user
    context = {
        "resume_at": resume_position(None, request.GET.get("t")),
        "lesson_progress": None,
        "lesson_complete": False,
        "lesson_percent": 0,
        "can_mark_done": False,
        "has_required_quiz": False,
    }
    if not user.is_authenticated:
        return context
    # The page now carries this learner's token and progress: never a shared cache.
    mark_private(request)
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    has_quiz = lesson_has_required_quiz(lesson)
    complete = bool(progress and progress.is_complete)
    context.update(
        resume_at=resume_position(progress, request.GET.get("t")),
        heartbeat_url=reverse("learning:heartbeat", args=[lesson.pk]),
        heartbeat_token=next_token(user, lesson, progress),
        lesson_progress=progress,
        lesson_complete=complete,
        lesson_percent=100 if complete and not lesson.video_id else percent_watched(progress),
        has_required_quiz=has_quiz,
        video_failed=bool(lesson.video_id) and not needs_watching(lesson),
        can_mark_done=not complete and not needs_watching(lesson) and not has_quiz,
        mark_done_url=reverse("learning:lesson_complete", args=[lesson.pk]),
    )
    return context


def course_progress_for(request, course: CoursePage) -> dict:
    """Per-learner state of a course page: enrollment, ticks, locks, %, continue link.

    Constant queries: the enrollment, the learner's completions (cached in the policy),
    and — only for a sequential course and a possibly exempt viewer — the exemption checks.
    """
    user = request.user
    lesson_ids = [item.pk for item in course.ordered_lessons]
    context = {
        "enroll_decision": can_enroll(user, course),
        "enrollment": None,
        "completed_lesson_ids": set(),
        "locked_lesson_ids": policy.locked_lessons(user, course),
        "course_percent": 0,
        "continue_lesson": None,
    }
    if not user.is_authenticated:
        return context
    # The page now shows this learner's progress and buttons: never a shared cache.
    mark_private(request)
    completed = policy.completed_lessons(user, course)
    enrollment = (
        Enrollment.objects.filter(user=user, course=course).exclude(status=EnrollmentStatus.CANCELLED).first()
    )
    continue_lesson = next((item for item in course.ordered_lessons if item.pk not in completed), None)
    context.update(
        enrollment=enrollment,
        completed_lesson_ids=completed,
        course_percent=course_percent(lesson_ids, completed),
        continue_lesson=continue_lesson,
        # The outline opens the module the learner continues in, besides the first.
        continue_module_path=continue_lesson.path[: -continue_lesson.steplen] if continue_lesson else "",
    )
    return context
