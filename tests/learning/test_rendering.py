"""Course, module, lesson and ebook pages render what a visitor needs to see."""

from django.template.defaultfilters import filesizeformat

import pytest
from bs4 import BeautifulSoup

from home.templatetags.lectern_tags import duration

from ..factories import (
    CoursePageFactory,
    DocumentFactory,
    EbookPageFactory,
    ImageFactory,
    LessonPageFactory,
    ModulePageFactory,
    build_course,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").replace("\xa0", " ").split())


def _hrefs(response) -> set[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {a["href"] for a in soup.find_all("a", href=True)}


@pytest.fixture
def course(catalog):
    """Two modules of two lessons, with durations that format distinctly."""
    course = CoursePageFactory(parent=catalog, title="Practical SQL")
    intro = ModulePageFactory(parent=course, title="Foundations")
    LessonPageFactory(parent=intro, title="Tables and rows", duration_minutes=11)
    LessonPageFactory(parent=intro, title="Your first SELECT", duration_minutes=23)
    joins = ModulePageFactory(parent=course, title="Joining data")
    LessonPageFactory(parent=joins, title="Inner joins", duration_minutes=34)
    LessonPageFactory(parent=joins, title="Outer joins", duration_minutes=46)
    return course


def test_course_page_shows_modules_lessons_and_durations(client, course):
    response = client.get(course.url)

    assert response.status_code == 200
    assert "pages/course_page.html" in [t.name for t in response.templates]
    text = _text(response)
    assert "Practical SQL" in text
    for module_title in ("Foundations", "Joining data"):
        assert module_title in text
    for lesson_title, minutes in [
        ("Tables and rows", 11),
        ("Your first SELECT", 23),
        ("Inner joins", 34),
        ("Outer joins", 46),
    ]:
        assert lesson_title in text
        assert duration(minutes) in text
    assert "4 lessons" in text
    assert duration(11 + 23 + 34 + 46) in text  # the course's total, 1 h 54 min


def test_course_page_outline_leaves_out_draft_lessons(client, course):
    module = course.get_children().first()
    LessonPageFactory(parent=module, title="Unfinished lesson", live=False)

    text = _text(client.get(course.url))

    assert "Unfinished lesson" not in text
    assert "4 lessons" in text


def test_module_page_lists_its_lessons_and_links_back_to_the_course(client, course):
    module = course.get_children().live().first().specific

    response = client.get(module.url)

    assert response.status_code == 200
    assert "pages/module_page.html" in [t.name for t in response.templates]
    text = _text(response)
    assert "Tables and rows" in text and "Your first SELECT" in text
    assert "Inner joins" not in text
    assert course.url in _hrefs(response)


def test_lesson_page_has_breadcrumb_and_links_to_neighbours_across_modules(client, course):
    foundations, joins = (m.specific for m in course.get_children())
    last_of_first_module = foundations.get_children().last()
    first_of_second_module, second_of_second_module = joins.get_children()

    response = client.get(first_of_second_module.url)

    assert response.status_code == 200
    assert "pages/lesson_page.html" in [t.name for t in response.templates]
    breadcrumb = BeautifulSoup(response.content, "html.parser").select_one("nav.breadcrumb")
    assert breadcrumb is not None
    crumbs = [a["href"] for a in breadcrumb.find_all("a", href=True)]
    assert crumbs == [course.url, joins.url]
    links = _hrefs(response)
    assert last_of_first_module.url in links  # previous lesson, in the module before
    assert second_of_second_module.url in links  # next lesson
    text = _text(response)
    assert "Lesson 3 of 4" in text
    assert duration(34) in text


def test_first_lesson_has_no_previous_link_and_last_lesson_no_next(client, course):
    lessons = [lesson for module in course.get_children() for lesson in module.get_children()]

    first = client.get(lessons[0].url)
    last = client.get(lessons[-1].url)

    assert first.context["previous_lesson"] is None
    assert first.context["next_lesson"].pk == lessons[1].pk
    assert 'rel="prev"' not in first.content.decode()
    assert last.context["next_lesson"] is None
    assert 'rel="next"' not in last.content.decode()
    assert lessons[-2].url in _hrefs(last)


def test_lesson_body_renders_highlighted_code_callout_image_and_download(client, catalog):
    image = ImageFactory(title="Query plan")
    handout = DocumentFactory(title="Cheat sheet")
    module = ModulePageFactory(parent=CoursePageFactory(parent=catalog))
    lesson = LessonPageFactory(
        parent=module,
        body=[
            ("paragraph", "<p>Read the plan before tuning.</p>"),
            (
                "code",
                {
                    "language": "python",
                    "caption": "Fetch rows",
                    "code": "def fetch(cursor):\n    return cursor.fetchall()",
                },
            ),
            (
                "callout",
                {
                    "kind": "warning",
                    "title": "Mind the locks",
                    "text": "<p>Long transactions block writers.</p>",
                },
            ),
            ("image", {"image": image, "caption": "A sequential scan"}),
            ("download", {"document": handout, "title": ""}),
        ],
    )

    response = client.get(lesson.url)

    assert response.status_code == 200
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    # Pygments marks the keyword up on the server: no JavaScript highlighter needed.
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">fetch</span>' in html
    assert "Fetch rows" in _text(response)
    assert "Mind the locks" in html and "Long transactions block writers." in html
    img = soup.find("img", src=image.get_rendition("width-1200").url)
    assert img is not None
    assert "A sequential scan" in _text(response)
    assert "Cheat sheet" in _text(response)  # the download falls back to the document's title
    assert "Read the plan before tuning." in html


def test_code_in_an_unknown_language_is_shown_escaped(client, catalog):
    module = ModulePageFactory(parent=CoursePageFactory(parent=catalog))
    lesson = LessonPageFactory(
        parent=module,
        body=[("code", {"language": "klingon", "caption": "", "code": "<script>alert(1)</script>"})],
    )

    html = client.get(lesson.url).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_draft_course_module_and_lesson_are_not_found_for_visitors(client, catalog):
    live_course = build_course(catalog, modules=1, lessons=1)
    live_module = live_course.get_children().first()
    draft_lesson = LessonPageFactory(parent=live_module, live=False)
    draft_module = ModulePageFactory(parent=live_course, live=False)
    draft_course = CoursePageFactory(parent=catalog, live=False)

    for page in (draft_lesson, draft_module, draft_course):
        assert client.get(page.url).status_code == 404
    assert client.get(live_module.url).status_code == 200


def test_ebook_shelf_lists_live_ebooks_only(client, ebooks):
    EbookPageFactory(parent=ebooks, title="Clean SQL")
    EbookPageFactory(parent=ebooks, title="Secret manuscript", live=False)

    response = client.get(ebooks.url)

    assert response.status_code == 200
    assert "pages/ebook_index_page.html" in [t.name for t in response.templates]
    text = _text(response)
    assert "Clean SQL" in text
    assert "Secret manuscript" not in text


def test_ebook_page_shows_page_count_and_size_but_never_the_raw_file_url(client, ebooks, tiers):
    document = DocumentFactory(file__data=b"%PDF-1.4\n" + b"0" * 4096)
    document.get_file_size()  # recorded on upload through the admin
    ebook = EbookPageFactory(parent=ebooks, title="Clean SQL", page_count=180, document=document)

    response = client.get(ebook.url)

    assert response.status_code == 200
    assert "pages/ebook_page.html" in [t.name for t in response.templates]
    text = _text(response)
    assert "180 pages" in text
    assert filesizeformat(document.file_size).replace("\xa0", " ") in text
    html = response.content.decode()
    assert document.url not in html
    assert document.file.url not in html
    assert document.file.name not in html
