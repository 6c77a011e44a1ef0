from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import build_course


def _course_page_queries(client, course):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(course.url)
    assert response.status_code == 200
    return len(queries)


def test_course_page_lists_modules_and_lessons_in_order(client, catalog):
    course = build_course(catalog, modules=2, lessons=3)
    response = client.get(course.url)
    outline = response.context["outline"]
    assert [len(m.lessons) for m in outline.modules] == [3, 3]
    assert outline.lesson_count == 6
    assert outline.duration_minutes == sum(
        lesson.duration_minutes for m in outline.modules for lesson in m.lessons
    )
    first_module = outline.modules[0].page
    assert first_module.title in response.content.decode()


def test_course_page_query_count_does_not_grow_with_lessons(client, catalog):
    small = build_course(catalog, modules=2, lessons=2)
    large = build_course(catalog, modules=10, lessons=10)
    _course_page_queries(client, small)  # warm per-process caches (site root paths)
    assert _course_page_queries(client, large) == _course_page_queries(client, small)
