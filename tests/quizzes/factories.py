"""Quiz data for tests: raw StreamField JSON with known ids, so a test can name the
correct and wrong choices it submits."""

import json
import uuid

from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory


def choice(text: str, correct: bool = False, cid: str | None = None) -> dict:
    return {"type": "item", "id": cid or str(uuid.uuid4()), "value": {"text": text, "correct": correct}}


def question(
    prompt: str, choices: list[dict], kind: str = "single", explanation: str = "", qid: str | None = None
):
    return {
        "type": "item",
        "id": qid or str(uuid.uuid4()),
        "value": {"prompt": prompt, "kind": kind, "choices": choices, "explanation": explanation},
    }


def quiz(questions: list[dict], block_id: str | None = None, **settings) -> dict:
    value = {
        "title": "Check your understanding",
        "intro": "A few questions about this lesson.",
        "required": True,
        "pass_mark_percent": 70,
        "max_attempts": 3,
        "time_limit_minutes": None,
        "draw_count": None,
        "shuffle_choices": True,
        "partial_credit": False,
        "show_explanations": True,
        "questions": questions,
    }
    value.update(settings)
    return {"type": "quiz", "id": block_id or str(uuid.uuid4()), "value": value}


def sql_questions() -> list[dict]:
    """Three questions. Every explanation starts with "BECAUSE" and the correct choices carry
    no marker in their text, so a test can search raw HTML for any correct flag or explanation."""
    return [
        question(
            "Which clause filters groups?",
            [
                choice("HAVING", True, "c-having"),
                choice("WHERE", cid="c-where"),
                choice("ORDER BY", cid="c-order"),
            ],
            explanation="BECAUSE HAVING runs after GROUP BY.",
            qid="q-having",
        ),
        question(
            "Which are aggregate functions?",
            [
                choice("count()", True, "c-count"),
                choice("sum()", True, "c-sum"),
                choice("lower()", cid="c-lower"),
                choice("avg()", True, "c-avg"),
            ],
            kind="multiple",
            explanation="BECAUSE aggregates fold many rows into one.",
            qid="q-aggregates",
        ),
        question(
            "Which join keeps unmatched rows of the left table?",
            [choice("INNER JOIN", cid="c-inner"), choice("LEFT JOIN", True, "c-left")],
            explanation="BECAUSE a left join keeps every left row.",
            qid="q-join",
        ),
    ]


ALL_RIGHT = {"q-having": ["c-having"], "q-aggregates": ["c-count", "c-sum", "c-avg"], "q-join": ["c-left"]}


def lesson_with_quiz(parent_course, quiz_block: dict, **lesson_fields):
    module = ModulePageFactory(parent=parent_course)
    body = json.dumps(
        [{"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>Lesson text.</p>"}, quiz_block]
    )
    return LessonPageFactory(parent=module, body=body, **lesson_fields)


def course(catalog, **fields):
    return CoursePageFactory(parent=catalog, **fields)
