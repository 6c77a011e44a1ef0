"""No gated body, quiz answer, playlist or key leaves through the catalog API: every
gated page type × every caller × every door of `tests/api/leaks.py`."""

import pytest

from ..factories import CoursePageFactory
from .catalog import client_for
from .leaks import CALLERS, CASES, DOORS, check

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(request, tiers, bronze, silver, gold, lapsed, other_instructor, catalog):
    """The callers by name; `other_instructor` teaches a course of their own."""
    own = CoursePageFactory(parent=catalog, title="Their own course")
    own.instructors.add(other_instructor)
    own.save_revision().publish()
    return {
        "anonymous": None,
        "bronze": bronze,
        "silver": silver,
        "gold": gold,
        "lapsed": lapsed,
        "other_instructor": other_instructor,
    }


@pytest.mark.parametrize("case_name", list(CASES))
def test_no_gated_content_leaks_through_any_door_to_any_caller(case_name, cast, catalog, tiers):
    case = CASES[case_name](catalog, tiers)
    checked = 0
    for caller in CALLERS:
        client = client_for(cast[caller])
        for door in DOORS:
            url = door.url(case)
            if url is None:
                continue
            check(door, case, caller, client.get(url))
            checked += 1
    assert checked >= len(CALLERS) * 2
