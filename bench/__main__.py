"""`make bench`: every benchmark, each printing its figures and ratios side by side."""

import sys

from bench import (
    certificates,
    course_page,
    gated_pages,
    lesson_page,
    packaging,
    playback_endpoints,
    readyz,
    stats_panels,
)
from bench.setup import django_with_fresh_db

# Benchmarks that build (and drop) their own database run on their own: -m bench <name>.
STANDALONE = {
    "stats_panels": stats_panels.main,
    "certificates": certificates.main,
    "packaging": packaging.main,
    "readyz": readyz.main,
    "playback_endpoints": playback_endpoints.main,
}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STANDALONE:
        STANDALONE[sys.argv[1]]()
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "lesson_page":
        lesson_page.main()
        sys.exit(0)
    django_with_fresh_db()
    course_page.main(setup=False)
    print()
    gated_pages.main(setup=False)
    print()
    lesson_page.main(setup=False)
