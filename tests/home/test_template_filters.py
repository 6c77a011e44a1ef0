import pytest

from home.templatetags.lectern_tags import duration, page_url


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h"),
        (120, "2 h"),
        (200, "3 h 20 min"),
        (None, "0 min"),
        ("x", ""),
    ],
)
def test_duration_reads_like_a_person_would_write_it(minutes, shown):
    assert duration(minutes) == shown


def test_pagination_links_keep_the_other_parameters():
    assert page_url(2) == "?page=2"
    assert page_url(3, "level=beginner&q=css") == "?level=beginner&q=css&page=3"
    assert page_url(3, "?tier=gold") == "?tier=gold&page=3"
