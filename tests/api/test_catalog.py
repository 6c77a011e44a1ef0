"""The catalog over the API: the course list (filters, search, sort), a course with its
outline, locks and progress, and a lesson whose body only the policy opens."""

import datetime
import json
import uuid

from django.utils import timezone

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from learning.enrollment import enroll
from learning.models import Level
from learning.progress import complete_lesson

from ..factories import (
    CategoryFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    HomePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    VideoFactory,
)
from .catalog import client_for, course_with_lessons, error_of, expired_token

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


def course_url(course) -> str:
    return f"/api/v1/courses/{course.pk}/"


def lesson_url(lesson) -> str:
    return f"/api/v1/lessons/{lesson.pk}/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def published_in_order(catalog, *names, **fields):
    """Courses published a minute apart, in the order named (the last is newest)."""
    start = timezone.now() - datetime.timedelta(hours=1)
    return [
        CoursePageFactory(
            parent=catalog, title=name, first_published_at=start + datetime.timedelta(minutes=n), **fields
        )
        for n, name in enumerate(names)
    ]


# ---------------------------------------------------------------------------- list


def test_the_list_shows_live_public_courses_newest_first_to_anyone(catalog, instructor):
    older, newer = published_in_order(catalog, "Older", "Newer")
    CoursePageFactory(parent=catalog, title="Draft", live=False)
    private = CoursePageFactory(parent=catalog, title="Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    course, _lessons = course_with_lessons(
        catalog, "With lessons", lessons=3, first_published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    newer.instructors.add(instructor)
    newer.save()

    response = client_for().get(COURSES)

    assert titles(response) == ["With lessons", "Newer", "Older"]
    card = response.json()["results"][0]
    assert card["id"] == course.pk and card["lesson_count"] == 3
    assert card["duration_minutes"] == sum(item.duration_minutes for item in _lessons)
    assert card["url"].endswith(course.url) and card["url"].startswith("http")
    assert response.json()["results"][1]["instructors"] == [{"name": instructor.full_name}]
    assert "body" not in card


def test_the_list_filters_by_category_level_language_tag_and_instructor(
    catalog, instructor, other_instructor
):
    data = CategoryFactory(name="Data")
    sql = CoursePageFactory(parent=catalog, title="SQL", category=data, level=Level.ADVANCED, language="vi")
    colour = CoursePageFactory(parent=catalog, title="Colour", level=Level.BEGINNER)
    sql.tags.add("databases")
    sql.instructors.add(instructor)
    sql.save()
    colour.instructors.add(other_instructor)
    colour.save()
    api = client_for()

    assert titles(api.get(COURSES, {"category": data.slug})) == ["SQL"]
    assert titles(api.get(COURSES, {"level": "beginner"})) == ["Colour"]
    assert titles(api.get(COURSES, {"language": "vi"})) == ["SQL"]
    assert titles(api.get(COURSES, {"tag": "databases"})) == ["SQL"]
    assert titles(api.get(COURSES, {"tag": "no-such-tag"})) == []
    assert titles(api.get(COURSES, {"instructor": "ines"})) == ["SQL"]
    assert titles(api.get(COURSES, {"instructor": "Omar Otherinstructor"})) == ["Colour"]
    assert titles(api.get(COURSES, {"instructor": "Ines Otherinstructor"})) == []
    assert api.get(COURSES, {"tag": "databases"}).json()["results"][0]["tags"] == [
        {"slug": "databases", "name": "databases"}
    ]


def test_the_list_filters_by_tier_and_free(catalog, tiers):
    CoursePageFactory(parent=catalog, title="Open")
    CoursePageFactory(parent=catalog, title="Bronze", required_tier=tiers["bronze"])
    CoursePageFactory(parent=catalog, title="Gold", required_tier=tiers["gold"])
    api = client_for()

    assert titles(api.get(COURSES, {"tier": "gold"})) == ["Gold"]
    assert sorted(titles(api.get(COURSES, {"tier": "free"}))) == ["Bronze", "Open"]
    assert sorted(titles(api.get(COURSES, {"free": "true"}))) == ["Bronze", "Open"]
    assert titles(api.get(COURSES, {"free": "false"})) == ["Gold"]
    gold = api.get(COURSES, {"tier": "gold"}).json()["results"][0]
    assert gold["is_free"] is False
    assert gold["required_tier"]["slug"] == "gold" and gold["required_tier"]["price"] == "499000.00"


def test_search_finds_every_word_in_title_or_summary_and_ignores_syntax(catalog):
    CoursePageFactory(parent=catalog, title="Python for data", summary="Pandas and charts.")
    CoursePageFactory(parent=catalog, title="Python web", summary="Django from scratch.")
    api = client_for()

    assert sorted(titles(api.get(COURSES, {"q": "python"}))) == ["Python for data", "Python web"]
    assert titles(api.get(COURSES, {"q": "python django"})) == ["Python web"]
    assert titles(api.get(COURSES, {"q": '"python" AND (charts*)'})) == ["Python for data"]
    assert len(titles(api.get(COURSES, {"q": "  *** "}))) == 2  # nothing to search: everything


def test_the_site_catalog_and_the_api_find_the_same_courses(client, catalog):
    """One query function: the catalog page's search now matches words as the API does."""
    CoursePageFactory(parent=catalog, title="Python web", summary="Django from scratch.")
    CoursePageFactory(parent=catalog, title="Python data", summary="Charts.")
    page = client.get(catalog.url, {"q": "django python"})
    assert [course.title for course in page.context["courses"]] == ["Python web"]
    assert titles(client_for().get(COURSES, {"q": "django python"})) == ["Python web"]


def test_whitelisted_orderings_sort_and_others_are_422(catalog):
    published_in_order(catalog, "Beta", "Alpha", "Gamma")
    api = client_for()

    assert titles(api.get(COURSES, {"ordering": "title"})) == ["Alpha", "Beta", "Gamma"]
    assert titles(api.get(COURSES, {"ordering": "-title"})) == ["Gamma", "Beta", "Alpha"]
    assert titles(api.get(COURSES, {"ordering": "oldest"})) == ["Beta", "Alpha", "Gamma"]
    assert titles(api.get(COURSES, {"ordering": "newest"})) == ["Gamma", "Alpha", "Beta"]
    for unknown in ["price", "path", "-first_published_at", "title;drop"]:
        error = error_of(api.get(COURSES, {"ordering": unknown}), 422, "validation_error")
        assert "ordering" in error["details"]["fields"]


def test_unknown_filter_values_are_422_not_an_empty_list(catalog, tiers):
    api = client_for()
    for params, field in [
        ({"category": "no-such"}, "category"),
        ({"tier": "platinum"}, "tier"),
        ({"level": "expert"}, "level"),
        ({"language": "fr"}, "language"),
        ({"free": "maybe"}, "free"),
        ({"q": "x" * 101}, "q"),
    ]:
        error = error_of(api.get(COURSES, params), 422, "validation_error")
        assert field in error["details"]["fields"]


def test_nul_bytes_in_search_are_refused_with_422_not_a_500(catalog):
    CoursePageFactory(parent=catalog, title="Python")
    error = error_of(client_for().get(COURSES, {"q": "py\x00thon"}), 422, "validation_error")
    assert "q" in error["details"]["fields"]
    assert error_of(client_for().get(COURSES, {"instructor": "\x00"}), 422, "validation_error")


def test_huge_or_past_the_end_page_numbers_are_404_envelopes(catalog):
    CoursePageFactory(parent=catalog, title="Only")
    api = client_for()
    for page in ["2", "0", "99999999999999999999999", "-1", "abc"]:
        error_of(api.get(COURSES, {"page": page}), 404, "not_found")
    body = api.get(COURSES, {"page_size": "1000"}).json()
    assert body["count"] == 1 and body["next"] is None


def test_another_sites_courses_are_neither_listed_nor_found(catalog):
    ours = CoursePageFactory(parent=catalog, title="Ours")
    root = Page.get_first_root_node()
    other_home = HomePageFactory(parent=root, slug="other-home")
    Site.objects.create(hostname="other.example", port=80, root_page=other_home, site_name="Other")
    other_catalog = CourseIndexPageFactory(parent=other_home, slug="other-courses")
    theirs, lessons = course_with_lessons(other_catalog, "Theirs")
    api = client_for()

    assert titles(api.get(COURSES)) == ["Ours"]
    error_of(api.get(course_url(theirs)), 404, "not_found")
    error_of(api.get(lesson_url(lessons[0])), 404, "not_found")
    assert api.get(course_url(ours)).status_code == 200


# ---------------------------------------------------------------------------- course


def test_course_detail_has_the_outline_with_durations_and_preview_flags(catalog, tiers):
    course, lessons = course_with_lessons(
        catalog, "Outline", modules=2, lessons=2, required_tier=tiers["gold"]
    )
    lessons[0].is_preview = True
    lessons[0].save_revision().publish()
    lessons[3].video = VideoFactory(duration_seconds=90)
    lessons[3].save_revision().publish()
    LessonPageFactory(parent=lessons[0].get_parent(), title="Draft lesson", live=False)

    body = client_for().get(course_url(course)).json()

    assert body["id"] == course.pk and body["slug"] == course.slug
    assert [m["title"] for m in body["modules"]] == ["Outline module 1", "Outline module 2"]
    outline = [lesson for module in body["modules"] for lesson in module["lessons"]]
    assert [item["id"] for item in outline] == [lesson.pk for lesson in lessons]
    assert [item["duration_minutes"] for item in outline] == [lesson.duration_minutes for lesson in lessons]
    assert [item["is_preview"] for item in outline] == [True, False, False, False]
    assert [item["has_video"] for item in outline] == [False, False, False, True]
    assert body["modules"][0]["duration_minutes"] == lessons[0].duration_minutes + lessons[1].duration_minutes
    assert body["lesson_count"] == 4
    assert body["progress"] is None


def test_a_visitor_sees_which_lessons_are_locked_and_why(catalog, tiers):
    course, lessons = course_with_lessons(catalog, "Gold", lessons=2, required_tier=tiers["gold"])
    lessons[0].is_preview = True
    lessons[0].save_revision().publish()

    body = client_for().get(course_url(course)).json()
    preview, gated = body["modules"][0]["lessons"]

    assert (preview["locked"], preview["lock_reason"]) == (False, None)
    assert (gated["locked"], gated["lock_reason"], gated["required_tier"]) == (True, "login_required", "gold")
    assert body["body"] is None
    assert body["access"]["allowed"] is False and body["access"]["reason"] == "login_required"
    assert [t["slug"] for t in body["access"]["upgrade_tiers"]] == ["gold"]


def test_a_learner_below_the_tier_sees_tier_too_low_and_a_member_sees_it_open(catalog, tiers, silver, gold):
    course, _lessons = course_with_lessons(catalog, "Gold", lessons=1, required_tier=tiers["gold"])

    as_silver = client_for(silver).get(course_url(course)).json()
    as_gold = client_for(gold).get(course_url(course)).json()

    assert as_silver["modules"][0]["lessons"][0]["lock_reason"] == "tier_too_low"
    assert as_silver["access"]["reason"] == "tier_too_low" and as_silver["body"] is None
    assert as_gold["modules"][0]["lessons"][0]["locked"] is False
    assert as_gold["access"] == {"allowed": True, "reason": "member", "required_tier": as_gold["required_tier"],
                                 "upgrade_tiers": []}  # fmt: skip
    assert as_gold["body"] == []


def test_a_sequential_course_names_the_lesson_to_finish_first_and_progress_moves(catalog, learner):
    course, lessons = course_with_lessons(catalog, "Steps", lessons=3, is_sequential=True)
    enroll(learner, course)
    api = client_for(learner)

    body = api.get(course_url(course)).json()
    states = [(x["locked"], x["lock_reason"]) for x in body["modules"][0]["lessons"]]
    assert states == [(False, None), (True, "locked"), (True, "locked")]
    assert body["modules"][0]["lessons"][2]["finish_first"] == {
        "id": lessons[0].pk,
        "title": lessons[0].title,
    }
    assert body["progress"] == {
        "enrolled": True,
        "enrollment_status": "active",
        "can_enroll": True,
        "percent": 0,
        "completed_lessons": 0,
        "continue_lesson": {"id": lessons[0].pk, "title": lessons[0].title},
    }

    complete_lesson(learner, lessons[0])
    body = api.get(course_url(course)).json()
    rows = body["modules"][0]["lessons"]
    assert [(x["completed"], x["locked"]) for x in rows] == [(True, False), (False, False), (False, True)]
    assert rows[2]["finish_first"]["id"] == lessons[1].pk
    assert body["progress"]["percent"] == 33 and body["progress"]["continue_lesson"]["id"] == lessons[1].pk


def test_the_course_answer_is_private_when_gated_or_personal(catalog, tiers, learner):
    open_course = CoursePageFactory(parent=catalog, title="Open")
    gold_course = CoursePageFactory(parent=catalog, title="Gold", required_tier=tiers["gold"])

    assert "no-store" not in client_for().get(course_url(open_course)).get("Cache-Control", "")
    assert "no-store" in client_for().get(course_url(gold_course))["Cache-Control"]
    personal = client_for(learner).get(course_url(open_course))["Cache-Control"]
    assert "private" in personal and "no-store" in personal


def test_drafts_private_and_unknown_courses_and_lessons_are_404(catalog, learner):
    draft, draft_lessons = course_with_lessons(catalog, "Draft")
    draft.unpublish()
    private, private_lessons = course_with_lessons(catalog, "Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    live, live_lessons = course_with_lessons(catalog, "Live")
    unpublished_lesson = live_lessons[1]
    unpublished_lesson.unpublish()
    api = client_for(learner)

    for url in [
        course_url(draft),
        lesson_url(draft_lessons[0]),
        course_url(private),
        lesson_url(private_lessons[0]),
        lesson_url(unpublished_lesson),
        course_url(live_lessons[0]),  # a lesson's id is not a course
        lesson_url(live),  # nor the other way round
        "/api/v1/courses/99999999/",
        "/api/v1/lessons/99999999/",
    ]:
        error_of(api.get(url), 404, "not_found")
    assert api.get(lesson_url(live_lessons[0])).status_code == 200


# ---------------------------------------------------------------------------- lesson


def _quiz_and_paragraph() -> str:
    choice = {"type": "item", "id": str(uuid.uuid4()), "value": {"text": "The right one", "correct": True}}
    wrong = {"type": "item", "id": str(uuid.uuid4()), "value": {"text": "A wrong one", "correct": False}}
    question = {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "prompt": "Which?",
            "kind": "single",
            "choices": [choice, wrong],
            "explanation": "Because.",
        },
    }
    quiz = {
        "title": "Check",
        "intro": "Three tries.",
        "required": True,
        "pass_mark_percent": 70,
        "max_attempts": 3,
        "time_limit_minutes": 10,
        "draw_count": None,
        "shuffle_choices": True,
        "partial_credit": False,
        "show_explanations": True,
        "reveal_answers": "after_last_attempt",
        "questions": [question],
    }
    return json.dumps(
        [
            {"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>Read <b>this</b>.</p>"},
            {"type": "quiz", "id": str(uuid.uuid4()), "value": quiz},
        ]
    )


def test_a_member_gets_the_body_as_blocks_and_the_quiz_without_its_answers(catalog, tiers, gold):
    course = CoursePageFactory(parent=catalog, title="Gold", required_tier=tiers["gold"])
    module = ModulePageFactory(parent=course)
    lesson = LessonPageFactory(parent=module, title="Quiz lesson", body=_quiz_and_paragraph())

    response = client_for(gold).get(lesson_url(lesson))

    assert response.status_code == 200, response.content
    body = response.json()
    paragraph, quiz = body["body"]
    assert paragraph["type"] == "paragraph" and paragraph["value"] == "<p>Read <b>this</b>.</p>"
    assert quiz["type"] == "quiz" and quiz["id"]
    assert quiz["value"] == {
        "title": "Check",
        "intro": "Three tries.",
        "required": True,
        "pass_mark_percent": 70,
        "max_attempts": 3,
        "time_limit_minutes": 10,
        "question_count": 1,
    }
    text = response.content.decode()
    for secret in ["The right one", "A wrong one", "Because.", '"correct"', "Which?"]:
        assert secret not in text
    assert body["course"] == {"id": course.pk, "slug": course.slug, "title": "Gold"}
    assert body["access"]["reason"] == "member"
    assert body["progress"]["completed"] is False and body["progress"]["has_required_quiz"] is True
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_video_lesson_says_it_has_a_video_but_gives_no_playlist_or_key(catalog, gold, tiers):
    video = VideoFactory(
        duration_seconds=120,
        storage_prefix="video/abc123/b1",
        renditions=[{"height": 360, "playlist": "360/index.m3u8", "key": "d3JhcHBlZA=="}],
    )
    course, lessons = course_with_lessons(catalog, "Clips", lessons=1, required_tier=tiers["gold"])
    lessons[0].video = video
    lessons[0].save_revision().publish()

    response = client_for(gold).get(lesson_url(lessons[0]))

    assert response.json()["video"] == {"duration_seconds": 120.0, "ready": True}
    text = response.content.decode()
    for secret in ["m3u8", "abc123", "d3JhcHBlZA", "/video/", str(video.public_id)]:
        assert secret not in text


def test_a_refused_lesson_is_403_with_the_teaser_and_never_the_body(catalog, tiers, silver):
    course, lessons = course_with_lessons(catalog, "Gold", lessons=1, required_tier=tiers["gold"])
    lesson = lessons[0]

    for user, reason in [(None, "login_required"), (silver, "tier_too_low")]:
        response = client_for(user).get(lesson_url(lesson))
        error = error_of(response, 403, reason)
        teaser = error["details"]
        assert teaser["id"] == lesson.pk and teaser["title"] == lesson.title
        assert teaser["summary"] == lesson.summary and teaser["course"]["id"] == course.pk
        assert teaser["reason"] == reason and teaser["required_tier"]["slug"] == "gold"
        assert [(t["slug"], t["price"]) for t in teaser["upgrade_tiers"]] == [("gold", "499000.00")]
        assert "Lesson body text" not in response.content.decode()
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_locked_lesson_is_403_naming_the_lesson_to_finish(catalog, learner):
    _course, lessons = course_with_lessons(catalog, "Steps", lessons=2, is_sequential=True)
    error = error_of(client_for(learner).get(lesson_url(lessons[1])), 403, "locked")
    assert error["details"]["finish_first"] == {"id": lessons[0].pk, "title": lessons[0].title}
    assert lessons[0].title in error["message"]


def test_preview_and_free_lessons_open_to_visitors_and_stay_cacheable(catalog, tiers):
    _course, lessons = course_with_lessons(catalog, "Gold", lessons=2, required_tier=tiers["gold"])
    lessons[0].is_preview = True
    lessons[0].save_revision().publish()
    _free, free_lessons = course_with_lessons(catalog, "Free", lessons=1)

    for lesson, reason in [(lessons[0], "preview"), (free_lessons[0], "free")]:
        response = client_for().get(lesson_url(lesson))
        assert response.status_code == 200
        body = response.json()
        assert body["access"]["reason"] == reason and body["progress"] is None
        assert body["body"][0]["value"] == "<p>Lesson body text for learners.</p>"
        assert "no-store" not in response.get("Cache-Control", "")
    assert client_for().get(lesson_url(lessons[0])).json()["next_lesson"]["id"] == lessons[1].pk


def test_expired_and_forged_tokens_are_401_even_on_public_routes(catalog, learner):
    _course, lessons = course_with_lessons(catalog, "Free", lessons=1)
    token = str(client_for(learner)._credentials["HTTP_AUTHORIZATION"]).split()[1]
    for bad in [expired_token(learner), token[:-4] + "AAAA", "not-a-token"]:
        client = client_for()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {bad}")
        for url in [COURSES, lesson_url(lessons[0])]:
            response = client.get(url)
            assert response.status_code == 401 and response.json()["error"]["code"] == "token_not_valid"


def test_wagtails_own_page_api_is_not_mounted(db, catalog):
    CoursePageFactory(parent=catalog)
    for path in ["/api/v2/pages/", "/api/v2/pages/?type=learning.LessonPage&fields=body", "/api/v2/"]:
        response = client_for().get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_an_inactive_users_token_is_refused(catalog):
    user = UserFactory(is_active=False)
    response = client_for(user).get(COURSES)
    assert response.status_code == 401


def test_course_and_lesson_addresses_name_the_host_and_port_the_caller_used(catalog):
    course, lessons = course_with_lessons(catalog, "Addressed", lessons=1)
    lessons[0].is_preview = True
    lessons[0].save_revision().publish()
    client = client_for()
    card = client.get(COURSES, HTTP_HOST="127.0.0.1:8123").json()["results"][0]
    assert card["url"] == "http://127.0.0.1:8123" + course.url
    lesson = client.get(lesson_url(lessons[0]), HTTP_HOST="127.0.0.1:8123").json()
    assert lesson["url"] == "http://127.0.0.1:8123" + lessons[0].url
