"""Honest video completion: heartbeat sequences driven with a hand-moved clock.

Linear watching completes at 90 %; seeking to the end, ranges larger than 2x the
wall-clock time since the last beat, replayed beats and foreign tokens never count.
"""

from django.core import signing

import pytest

from learning.models import LessonProgress
from learning.progress import HeartbeatError, issue_token, merge_ranges, record_heartbeat
from learning.signals import lesson_completed

from .conftest import DEVICE, VIDEO_SECONDS, key_fetched

pytestmark = pytest.mark.django_db


class Player:
    """Plays like the real player: keeps the last token, fetches the key, sends what it played."""

    def __init__(self, user, lesson, clock, device=DEVICE):
        self.user, self.lesson, self.clock, self.device = user, lesson, clock, device
        self.token = issue_token(user, lesson, 0, now=clock.now)  # the page's token
        key_fetched(user, lesson, device)

    def beat(self, ranges, position=None, *, after: float, token=None):
        self.clock.advance(after)
        result = record_heartbeat(
            self.user,
            self.lesson,
            token=token or self.token,
            ranges=ranges,
            position=position if position is not None else (ranges[-1][1] if ranges else 0),
            device=self.device,
            now=self.clock.now,
        )
        self.token = result.token
        return result


def progress_of(user, lesson):
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def test_linear_watching_completes_the_lesson_at_ninety_percent(learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    completions = []
    lesson_completed.connect(lambda **kw: completions.append(kw["lesson"].pk), weak=False, dispatch_uid="t1")
    try:
        for start in range(0, 75, 15):  # 0–75 s watched: 75 %
            result = player.beat([[start, start + 15]], after=15)
        assert (result.percent, result.completed) == (75, False)
        result = player.beat([[75, 90]], after=15)  # 90 %
    finally:
        lesson_completed.disconnect(dispatch_uid="t1")
    assert result.completed and result.percent == 90
    assert completions == [video_lesson.pk]
    progress = progress_of(learner, video_lesson)
    assert progress.watched_ranges == [[0.0, 90.0]]
    assert progress.duration_seconds == VIDEO_SECONDS  # from the Video, not the client


def test_seeking_to_the_end_never_completes(learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    player.beat([[0, 10]], after=10)
    result = player.beat([[99, 100]], position=100, after=60)  # jumped to the end, played 1 s
    assert not result.completed
    assert result.percent == 11
    progress = progress_of(learner, video_lesson)
    assert progress.position_seconds == 100  # remembered for resume, not as watched
    assert progress.completed_at is None


def test_a_range_larger_than_twice_the_elapsed_time_is_refused_and_nothing_is_saved(
    learner, video_lesson, clock, playing
):
    player = Player(learner, video_lesson, clock)
    player.beat([[0, 10]], after=10)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[10, 95]], after=15)  # 85 s of video in 15 s of wall-clock time
    assert refused.value.code == "too_fast"
    progress = progress_of(learner, video_lesson)
    assert progress.watched_ranges == [[0.0, 10.0]] and progress.completed_at is None


def test_top_speed_two_times_is_accepted(learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    for start in range(0, 90, 30):
        result = player.beat([[start, start + 30]], after=15)  # playbackRate 2
    assert result.completed


def test_beating_very_often_does_not_buy_extra_tolerance(learner, video_lesson, clock, playing):
    from learning.progress import TOLERANCE_SECONDS, TOP_SPEED

    player = Player(learner, video_lesson, clock)
    position, refusals = 0.0, 0
    for _ in range(100):  # 100 beats 0.1 s apart, each claiming 0.5 s (5x speed)
        try:
            player.beat([[position, position + 0.5]], after=0.1)
            position += 0.5
        except HeartbeatError as error:
            assert error.code == "too_fast"
            refusals += 1
    watched = progress_of(learner, video_lesson).watched_seconds
    assert refusals > 0
    assert watched <= TOP_SPEED * 10 + TOLERANCE_SECONDS  # 10 s of wall-clock time in all


def test_a_replayed_beat_is_refused_and_adds_nothing(learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    first_token = player.token
    player.beat([[0, 15]], after=15)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[15, 30]], after=15, token=first_token)
    assert refused.value.code == "replayed" and refused.value.status == 409
    assert refused.value.token  # the player may continue with a fresh token
    assert progress_of(learner, video_lesson).watched_ranges == [[0.0, 15.0]]


def test_replaying_the_whole_session_again_cannot_complete(learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    tokens = []
    for start in range(0, 45, 15):
        tokens.append(player.token)
        player.beat([[start, start + 15]], after=15)
    for token in tokens:  # an attacker resends the recorded beats
        with pytest.raises(HeartbeatError):
            player.beat([[45, 60]], after=15, token=token)
    assert progress_of(learner, video_lesson).watched_seconds == 45


def test_a_forged_token_is_refused(learner, video_lesson, clock, playing):
    forged = signing.dumps(
        {"u": learner.pk, "l": video_lesson.pk, "s": 99, "t": clock.now.timestamp()}, salt="x"
    )
    player = Player(learner, video_lesson, clock)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[0, 10]], after=10, token=forged)
    assert (refused.value.status, refused.value.code) == (400, "bad_token")
    tampered = player.token[:-2] + ("AA" if not player.token.endswith("AA") else "BB")
    with pytest.raises(HeartbeatError):
        player.beat([[0, 10]], after=10, token=tampered)
    assert (
        progress_of(learner, video_lesson) is None or progress_of(learner, video_lesson).watched_seconds == 0
    )


def test_an_expired_token_is_refused(learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[0, 10]], after=7 * 3600)
    assert (refused.value.status, refused.value.code) == (409, "expired")


def test_another_users_token_is_refused(learner, gold, video_lesson, clock, playing):
    theirs = issue_token(gold, video_lesson, 5, now=clock.now)
    player = Player(learner, video_lesson, clock)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[0, 10]], after=10, token=theirs)
    assert (refused.value.status, refused.value.code) == (403, "wrong_token")


def test_a_token_for_another_lesson_is_refused(learner, video_lesson, clock, playing, catalog):
    other = video_lesson.get_next_sibling().specific
    player = Player(learner, video_lesson, clock)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[0, 10]], after=10, token=issue_token(learner, other, 0, now=clock.now))
    assert refused.value.code == "wrong_token"


@pytest.mark.parametrize(
    "ranges",
    [
        "0-10",
        [[10, 5]],
        [[-1, 5]],
        [[0, "ten"]],
        [[0, float("inf")]],
        [[0, 1, 2]],
        [[True, 4]],
        [[0, 1]] * 201,
    ],
)
def test_bad_ranges_are_refused_with_a_clear_error(ranges, learner, video_lesson, clock, playing):
    player = Player(learner, video_lesson, clock)
    with pytest.raises(HeartbeatError) as refused:
        player.beat(ranges, position=0, after=10)
    assert refused.value.status == 400 and refused.value.code == "bad_ranges"


def test_an_ended_device_gets_device_limit(learner, video_lesson, clock, playing):
    from memberships import devices

    devices.start_playback(learner, "a-second-device")  # a free plan allows one device
    player = Player(learner, video_lesson, clock)
    with pytest.raises(HeartbeatError) as refused:
        player.beat([[0, 10]], after=10)
    assert (refused.value.status, refused.value.code) == (403, "device_limit")


def test_watching_a_lesson_with_a_required_quiz_records_progress_but_never_completes(learner, catalog, clock):
    from memberships import devices

    from .conftest import quiz_body, video_course

    course, (lesson,) = video_course(catalog, lessons=1, title="Quiz course")
    lesson.body = quiz_body(required=True)
    lesson.save_revision().publish()
    devices.start_playback(learner, DEVICE)
    player = Player(learner, lesson, clock)
    for start in range(0, 100, 20):
        result = player.beat([[start, start + 20]], after=15)
    assert result.percent == 100 and not result.completed


def test_merge_ranges_sorts_clips_and_joins():
    assert merge_ranges([[50, 60], [0, 10], [9.8, 20], [95, 120]], duration=100) == [
        [0.0, 20.0],
        [50.0, 60.0],
        [95.0, 100.0],
    ]
