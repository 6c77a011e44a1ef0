"""The leak matrix: every gated page × every caller × every API door.

A *case* is a gated page built with secret markers in what only entitled callers may
read (the body, an attachment) and markers nobody may ever read over the API (a quiz's
correct answer and explanation, the video's playlist, storage prefix and key). Each case
names the callers who are entitled to it: the expectation is written down here, not
asked of the policy under test.

A *door* is an API route that could show a case: the lesson detail, the course detail,
the course list. Another endpoint joins the matrix by appending a `Door` to `DOORS`
(e.g. playback start: `reveals=False`, forbids the playlist for anyone unentitled;
ebook download link …) and, for a new page type, a builder to `CASES`.

`check(door, case, caller, response)` asserts: an unentitled caller never sees a body
marker; nobody ever sees a never-marker; an entitled caller sees the body through a
door that `reveals` it (so the markers are really in the answer when allowed, and the
test can fail).
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from ..factories import (
    CoursePageFactory,
    DocumentFactory,
    LessonPageFactory,
    ModulePageFactory,
    VideoFactory,
)

CALLERS = ["anonymous", "bronze", "silver", "gold", "lapsed", "other_instructor"]


@dataclass
class Case:
    name: str
    course: object
    page: object  # the gated page: a lesson, or the course itself
    entitled: set[str]
    body_markers: list[str]
    never_markers: list[str] = field(default_factory=list)


@dataclass
class Door:
    name: str
    url: Callable[[Case], str | None]  # None: this door does not show this case
    reveals: Callable[[Case], bool]  # an entitled caller gets this case's body here


def _is_lesson(case: Case) -> bool:
    return case.page is not case.course


DOORS: list[Door] = [
    Door(
        "lesson detail",
        lambda case: f"/api/v1/lessons/{case.page.pk}/" if _is_lesson(case) else None,
        reveals=_is_lesson,
    ),
    Door(
        "course detail",
        lambda case: f"/api/v1/courses/{case.course.pk}/",
        reveals=lambda case: not _is_lesson(case),
    ),
    Door("course list", lambda case: "/api/v1/courses/", reveals=lambda case: False),
]


def _secret_body(name: str) -> tuple[str, list[str], list[str]]:
    """A lesson body with a paragraph, a quiz and an attachment, its markers and the
    quiz's never-markers."""
    right, wrong, why = f"RIGHT-{name}", f"WRONG-{name}", f"WHY-{name}"
    question = {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "prompt": f"PROMPT-{name}",
            "kind": "single",
            "choices": [
                {"type": "item", "id": str(uuid.uuid4()), "value": {"text": right, "correct": True}},
                {"type": "item", "id": str(uuid.uuid4()), "value": {"text": wrong, "correct": False}},
            ],
            "explanation": why,
        },
    }
    quiz = {
        "title": f"QUIZ-{name}",
        "intro": "",
        "required": False,
        "pass_mark_percent": 70,
        "max_attempts": 3,
        "time_limit_minutes": None,
        "draw_count": None,
        "shuffle_choices": True,
        "partial_credit": False,
        "show_explanations": True,
        "reveal_answers": "after_last_attempt",
        "questions": [question],
    }
    body = json.dumps(
        [
            {"type": "paragraph", "id": str(uuid.uuid4()), "value": f"<p>BODY-{name}</p>"},
            {"type": "quiz", "id": str(uuid.uuid4()), "value": quiz},
        ]
    )
    return body, [f"BODY-{name}", f"QUIZ-{name}"], [right, wrong, why, f"PROMPT-{name}"]


def _video(name: str):
    prefix = f"vault-{name.lower()}"
    video = VideoFactory(
        duration_seconds=60,
        storage_prefix=f"video/{prefix}/b1",
        renditions=[{"height": 360, "playlist": f"{prefix}.m3u8", "key": f"KEY{name}"}],
    )
    return video, [prefix, ".m3u8", f"KEY{name}", str(video.public_id)]


def gated_lesson(catalog, name: str, *, tier=None, sequential=False, entitled: set[str]) -> Case:
    """A course holding one open first lesson and the gated lesson (second in a
    sequential course, so it is locked until the first is done)."""
    course = CoursePageFactory(
        parent=catalog, title=f"Course {name}", required_tier=tier, is_sequential=sequential
    )
    module = ModulePageFactory(parent=course, title=f"Module {name}")
    if sequential:
        LessonPageFactory(parent=module, title=f"First {name}")
    body, markers, never = _secret_body(name)
    video, video_never = _video(name)
    attachment = DocumentFactory(title=f"ATTACHMENT-{name}")
    lesson = LessonPageFactory(
        parent=module,
        title=f"Lesson {name}",
        summary=f"Teaser of {name}",
        body=body,
        video=video,
        attachments=[("attachment", {"document": attachment, "title": ""})],
    )
    return Case(
        name=name,
        course=course,
        page=lesson,
        entitled=entitled,
        body_markers=[*markers, f"ATTACHMENT-{name}", f"/documents/{attachment.pk}/"],
        never_markers=[*never, *video_never],
    )


def gated_course(catalog, name: str, *, tier, entitled: set[str]) -> Case:
    """A course whose own body (the description) needs a tier."""
    course = CoursePageFactory(
        parent=catalog,
        title=f"Course {name}",
        required_tier=tier,
        body=json.dumps([{"type": "paragraph", "id": str(uuid.uuid4()), "value": f"<p>BODY-{name}</p>"}]),
    )
    return Case(name=name, course=course, page=course, entitled=entitled, body_markers=[f"BODY-{name}"])


# Builders: name → function(catalog, tiers) → Case. The entitled callers of each.
CASES: dict[str, Callable] = {
    "bronze lesson": lambda catalog, tiers: gated_lesson(
        catalog, "Bronze", tier=tiers["bronze"], entitled=set(CALLERS)
    ),
    "silver lesson": lambda catalog, tiers: gated_lesson(
        catalog, "Silver", tier=tiers["silver"], entitled={"silver", "gold"}
    ),
    "gold lesson": lambda catalog, tiers: gated_lesson(
        catalog, "Gold", tier=tiers["gold"], entitled={"gold"}
    ),
    "sequential lesson": lambda catalog, tiers: gated_lesson(
        catalog, "Sequential", sequential=True, entitled=set()
    ),
    "gold sequential lesson": lambda catalog, tiers: gated_lesson(
        catalog, "GoldSequential", tier=tiers["gold"], sequential=True, entitled=set()
    ),
    "gold course body": lambda catalog, tiers: gated_course(
        catalog, "GoldCourse", tier=tiers["gold"], entitled={"gold"}
    ),
}


def check(door: Door, case: Case, caller: str, response) -> None:
    text = response.content.decode()
    where = f"{door.name} × {case.name} × {caller}"
    assert response.status_code in (200, 403), f"{where}: {response.status_code} {text[:300]}"
    for marker in case.never_markers:
        assert marker not in text, f"{where}: {marker!r} must never leave the server"
    entitled = caller in case.entitled
    reveals = door.reveals(case)
    if not entitled:
        for marker in case.body_markers:
            assert marker not in text, f"{where}: gated {marker!r} reached an unentitled caller"
        if reveals and _is_lesson(case):
            assert response.status_code == 403, where
            assert response.json()["error"]["details"]["title"] == case.page.title, where
    elif reveals:
        assert response.status_code == 200, where
        for marker in case.body_markers:
            assert marker in text, f"{where}: an entitled caller should get {marker!r}"
    if reveals and not _open_to_all(case):
        cache = response.get("Cache-Control", "")
        assert "private" in cache and "no-store" in cache, f"{where}: gated answer without private, no-store"


def _open_to_all(case: Case) -> bool:
    return set(CALLERS) <= case.entitled
