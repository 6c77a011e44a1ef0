"""Concurrent refreshes with one refresh token: exactly one gets tokens.

On PostgreSQL the requests really run at once and the family's row lock decides. SQLite
has no row locks (its write lock is per database), so there the same threads take turns
through the same code: the outcome asked of both databases is identical.
"""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiTokenFamily
from tests.races import run_at_once

from .conftest import bearer, refresh, tokens_for, url

RACERS = 5


def _refresh_at_once(token: str) -> list:
    return run_at_once(lambda _index: refresh(token, APIClient()), RACERS)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_refreshes_with_one_token_give_tokens_exactly_once(learner):
    first = tokens_for(learner)

    answers = _refresh_at_once(first["refresh"])

    assert len(answers) == RACERS
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [409] * (RACERS - 1), [answer.content for answer in answers]
    losers = [answer.json()["error"]["code"] for answer in answers if answer.status_code != 200]
    assert set(losers) == {"refresh_token_just_used"}
    # The winner's tokens carry on; the sign-in was not ended by its own client racing.
    (winner,) = [answer.json() for answer in answers if answer.status_code == 200]
    assert bearer(winner["access"]).get(url("me")).status_code == 200
    assert refresh(winner["refresh"]).status_code == 200
    assert ApiTokenFamily.objects.get(user=learner).revoked_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_no_grace_for_races_concurrent_refreshes_end_the_family(learner, settings):
    settings.API_REFRESH_RACE_SECONDS = 0
    first = tokens_for(learner)

    answers = _refresh_at_once(first["refresh"])

    assert sorted(answer.status_code for answer in answers) == [200] + [401] * (RACERS - 1)
    (winner,) = [answer.json() for answer in answers if answer.status_code == 200]
    assert refresh(winner["refresh"]).status_code == 401
