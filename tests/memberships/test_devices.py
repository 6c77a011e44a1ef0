"""The tier's device limit, enforced when playback starts."""

import pytest

from memberships import devices
from memberships.models import PlaybackSession

pytestmark = pytest.mark.django_db


def test_bronze_learner_opening_a_second_device_ends_the_first(bronze):
    first = devices.start_playback(bronze, "laptop", "Firefox", "10.0.0.1")
    assert first.ended == [] and first.message == ""
    second = devices.start_playback(bronze, "phone", "Safari", "10.0.0.2")
    assert [s.device_id for s in second.ended] == ["laptop"]
    assert "1 device" in second.message
    assert devices.touch(bronze, "laptop") is None  # the laptop's next heartbeat is refused
    assert devices.touch(bronze, "phone") is not None


def test_gold_learner_may_watch_on_three_devices(gold):
    for device in ["laptop", "phone", "tablet"]:
        assert devices.start_playback(gold, device).ended == []
    fourth = devices.start_playback(gold, "tv")
    assert [s.device_id for s in fourth.ended] == ["laptop"]
    assert PlaybackSession.objects.filter(user=gold, ended_at__isnull=True).count() == 3


def test_reopening_on_the_same_device_does_not_count_twice(silver):
    devices.start_playback(silver, "laptop")
    again = devices.start_playback(silver, "laptop")
    assert again.ended == []
    assert PlaybackSession.objects.filter(user=silver, ended_at__isnull=True).count() == 1


def test_devices_of_other_learners_do_not_count(bronze, silver):
    devices.start_playback(silver, "shared-id")
    assert devices.start_playback(bronze, "shared-id").ended == []
