"""`make bench`: every benchmark, each printing its figures and ratios side by side."""

from bench import course_page, gated_pages
from bench.setup import django_with_fresh_db

if __name__ == "__main__":
    django_with_fresh_db()
    course_page.main(setup=False)
    print()
    gated_pages.main(setup=False)
