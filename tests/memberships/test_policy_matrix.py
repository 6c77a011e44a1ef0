"""The entitlement matrix: every kind of user × every kind of gated thing.

The table is the product decision; the policy's answer and what the page actually does
must both match it.
"""

from django.urls import reverse

import pytest

from memberships import policy

from ..factories import (
    BlogPageFactory,
    CoursePageFactory,
    EbookPageFactory,
    LessonPageFactory,
    ModulePageFactory,
)

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "bronze", "silver", "gold", "lapsed", "instructor", "other_instructor", "editor"]

# thing → users who may open it (view, or download for the ebook)
MATRIX = {
    "free_course": set(USERS),
    "gold_course": {"gold", "instructor", "editor"},
    "preview_lesson": set(USERS),
    "gold_lesson": {"gold", "instructor", "editor"},
    "members_post": {"silver", "gold", "editor"},
    "silver_ebook": {"silver", "gold", "editor"},
    # A free course marked sequential, where nobody has finished lesson 1 yet.
    "sequential_first_lesson": set(USERS),
    "sequential_second_lesson": {"instructor", "editor"},
    "sequential_preview_lesson": set(USERS),
}

SECRET_BODY = "Only-members-read-this-sentence."


@pytest.fixture
def things(catalog, blog, ebooks, tiers, instructor):
    free_course = CoursePageFactory(
        parent=catalog, title="Free course", body=[("paragraph", f"<p>{SECRET_BODY}</p>")]
    )
    gold_course = CoursePageFactory(
        parent=catalog,
        title="Gold course",
        required_tier=tiers["gold"],
        body=[("paragraph", f"<p>{SECRET_BODY}</p>")],
    )
    gold_course.instructors.add(instructor)
    gold_course.save_revision().publish()
    module = ModulePageFactory(parent=gold_course)
    preview = LessonPageFactory(
        parent=module, title="Preview lesson", is_preview=True, body=[("paragraph", f"<p>{SECRET_BODY}</p>")]
    )
    gold_lesson = LessonPageFactory(
        parent=module, title="Gold lesson", body=[("paragraph", f"<p>{SECRET_BODY}</p>")]
    )
    post = BlogPageFactory(
        parent=blog,
        title="Members post",
        required_tier=tiers["silver"],
        body=[("paragraph", f"<p>{SECRET_BODY}</p>")],
    )
    ebook = EbookPageFactory(parent=ebooks, title="Silver ebook", required_tier=tiers["silver"])
    sequential = CoursePageFactory(parent=catalog, title="Step by step", is_sequential=True)
    sequential.instructors.add(instructor)
    sequential.save_revision().publish()
    steps = ModulePageFactory(parent=sequential)
    first, second, sample = (
        LessonPageFactory(
            parent=steps, title=title, is_preview=preview, body=[("paragraph", f"<p>{SECRET_BODY}</p>")]
        )
        for title, preview in (("Step one", False), ("Step two", False), ("Step sample", True))
    )
    return {
        "free_course": free_course,
        "gold_course": gold_course,
        "preview_lesson": preview,
        "gold_lesson": gold_lesson,
        "members_post": post,
        "silver_ebook": ebook,
        "sequential_first_lesson": first,
        "sequential_second_lesson": second,
        "sequential_preview_lesson": sample,
    }


@pytest.fixture
def cast(request):
    def user(name):
        if name == "anonymous":
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        return request.getfixturevalue(name)

    return user


def _ask(user, thing_name, thing):
    from learning.models import EbookPage

    if isinstance(thing, EbookPage):
        return policy.can_download(user, thing)
    return policy.can_view(user, thing)


@pytest.mark.parametrize("who", USERS)
def test_policy_answers_match_the_matrix(who, cast, things):
    user = cast(who)
    answers = {name: bool(_ask(user, name, thing)) for name, thing in things.items()}
    expected = {name: who in allowed for name, allowed in MATRIX.items()}
    assert answers == expected


@pytest.mark.parametrize("who", USERS)
def test_pages_serve_body_or_teaser_as_the_matrix_says(who, cast, things, client):
    user = cast(who)
    if who != "anonymous":
        client.force_login(user)
    for name, thing in things.items():
        if name == "silver_ebook":
            continue  # the ebook page is a public teaser; its download is checked below
        response = client.get(thing.url)
        page = response.content.decode()
        if who in MATRIX[name]:
            assert response.status_code == 200, (who, name)
            assert SECRET_BODY in page, (who, name)
        else:
            assert response.status_code == 403, (who, name)
            assert SECRET_BODY not in page, (who, name)
            assert thing.title in page, (who, name)  # the teaser names what is locked
            assert response["Cache-Control"].startswith("private"), (who, name)
            if name.startswith("sequential"):  # says which lesson to finish, with a link
                assert "Finish “Step one” first" in page, (who, name)
                assert things["sequential_first_lesson"].url in page, (who, name)
            else:
                assert "/membership/" in page, (who, name)  # and offers the upgrade


@pytest.mark.parametrize("who", USERS)
def test_ebook_download_does_what_the_matrix_says(who, cast, things, client):
    ebook = things["silver_ebook"]
    if who != "anonymous":
        client.force_login(cast(who))
    response = client.get(reverse("learning:ebook_download", args=[ebook.pk]))
    if who in MATRIX["silver_ebook"]:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    elif who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
        assert b"%PDF" not in response.content


@pytest.mark.parametrize("who", USERS)
def test_can_play_follows_can_view_including_sequential_unlock(who, cast, things):
    user = cast(who)
    for name in ("gold_lesson", "preview_lesson", "sequential_first_lesson", "sequential_second_lesson"):
        assert bool(policy.can_play(user, things[name])) == (who in MATRIX[name]), (who, name)


@pytest.mark.parametrize("who", ["bronze", "silver", "gold", "lapsed"])
def test_finishing_the_previous_lesson_unlocks_the_next(who, cast, things):
    from learning.progress import complete_lesson

    user = cast(who)
    second = things["sequential_second_lesson"]
    refused = policy.can_view(user, second)
    assert refused.reason == policy.Reason.LOCKED
    assert refused.finish_first.pk == things["sequential_first_lesson"].pk
    complete_lesson(user, things["sequential_first_lesson"])
    policy.forget_completions(user)
    assert policy.can_view(user, second)
    assert policy.can_play(user, second)


def test_the_policy_imports_no_page_classes():
    """The policy reads content through its protocols; it never imports learning or home."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(policy))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert not imported & {"learning", "home"}


def test_content_pages_satisfy_the_policy_protocols(things):
    for name in ("gold_course", "gold_lesson", "members_post", "sequential_second_lesson"):
        assert isinstance(things[name], policy.Gated), name
    assert isinstance(things["gold_course"], policy.GatedCourse)
