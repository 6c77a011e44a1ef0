"""Turning what someone typed into a query every search backend accepts.

The search box promises words, not a query language. Wagtail's database backends pass
terms into SQLite FTS5 MATCH expressions and PostgreSQL tsqueries without escaping
every operator, so a stray `"`, `*`, `(` or `:` used to reach the database as syntax
and come back as a 500. Keeping only word characters makes every input safe, whatever
the backend, and keeps the words a learner meant.
"""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# Letters, digits and marks in any script (so "Tiếng Việt" and "C++"'s "C" survive).
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def clean_display(raw: str) -> str:
    """What we echo back in the search box: the input without control characters."""
    printable = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_terms(raw: str) -> str:
    """The words to search for, space separated; empty when there is nothing to search."""
    words = _WORD.findall(unicodedata.normalize("NFC", clean_display(raw)))
    # Apostrophes inside words split them the way the index did when it stored them.
    terms = [part for word in words for part in re.split(r"['’]", word) if part]
    return " ".join(terms[:MAX_TERMS])
