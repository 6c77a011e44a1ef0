"""Taking a quiz: start an attempt, read the learner's answers, grade on the server.

Why it is shaped this way:
- Questions are drawn on the server when the learner presses "Start quiz" and stored
  on the attempt (with the shown choice order), so a reload never redraws and the
  browser never receives the pool or the correct flags.
- The attempt limit rests on the unique (user, lesson, block id, attempt number)
  constraint: a start computes the next number and inserts; of two racing starts only
  one insert succeeds. Nothing counts and then inserts.
- Submitting is one conditional UPDATE (`status = in progress` → graded), so of many
  racing submissions exactly one grades the attempt and completes the lesson.
- The time limit is checked against the server clock: a submission after the deadline
  plus a small grace (settings.QUIZ_TIME_GRACE_SECONDS, 5 s by default, for the network
  only) counts as failed. The learner's countdown ends at the real deadline.
- Correct answers are revealed on the quiz's terms (`reveal_answers`): by default only
  once no attempt remains, so a failed attempt never hands the next one its answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import MULTIPLE, REVEAL_AFTER_LAST_ATTEMPT, REVEAL_AFTER_PASSING, REVEAL_EVERY_ATTEMPT, SINGLE
from .models import AttemptStatus, QuizAttempt
from .signals import quiz_passed

ANSWER_PREFIX = "answer-"
START_RETRIES = 3


class QuizError(Exception):
    """A refusal with a message the learner can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AttemptLimitReached(QuizError):
    pass


class AttemptClosed(QuizError):
    pass


# Finding quizzes in a lesson body.


def quiz_blocks(lesson) -> list[tuple[str, object]]:
    """(block id, quiz value) for each quiz in the lesson body, in page order."""
    return [(child.id, child.value) for child in lesson.body if child.block_type == "quiz"]


def find_quiz(lesson, block_id: str):
    """The quiz value with this block id in the lesson's body, or None."""
    for child_id, value in quiz_blocks(lesson):
        if child_id == block_id:
            return value
    return None


# Drawing questions.


def draw_questions(quiz, rng: random.Random | None = None) -> list[dict]:
    """Snapshot the questions one attempt asks: a random subset when the quiz draws one,
    each question's choices shuffled when the quiz says so. Ids are the ListBlock item
    ids, stable across edits of the quiz."""
    rng = rng or random.SystemRandom()
    pool = list(quiz["questions"].bound_blocks)
    draw = quiz.get("draw_count")
    if draw and draw < len(pool):
        pool = rng.sample(pool, draw)
    questions = []
    for item in pool:
        question = item.value
        choices = [
            {"id": choice.id, "text": choice.value["text"], "correct": bool(choice.value["correct"])}
            for choice in question["choices"].bound_blocks
        ]
        if quiz.get("shuffle_choices"):
            rng.shuffle(choices)
        questions.append(
            {
                "id": item.id,
                "prompt": question["prompt"],
                "kind": question["kind"],
                "explanation": question.get("explanation") or "",
                "choices": choices,
            }
        )
    return questions


# Starting.


def _open_attempt(user, lesson, block_id: str) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(
        user=user, lesson=lesson, block_id=block_id, status=AttemptStatus.IN_PROGRESS
    ).first()


def grace() -> timedelta:
    """Seconds a submission may arrive after the deadline and still count: the network's
    delay for an answer sent as the countdown (which ends at the real deadline) runs out,
    never extra time to answer."""
    return timedelta(seconds=getattr(settings, "QUIZ_TIME_GRACE_SECONDS", 5))


def is_overdue(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Past the deadline plus the grace: the attempt can no longer be answered."""
    now = now or timezone.now()
    return attempt.deadline is not None and now > attempt.deadline + grace()


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int | None:
    """Whole seconds until the deadline (not counting the grace), or None without a limit."""
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))


def start_attempt(user, lesson, block_id: str, quiz) -> QuizAttempt:
    """The learner's open attempt at this quiz, or a new one with freshly drawn questions.

    Raises AttemptLimitReached when every allowed attempt is used. Safe under concurrent
    calls: the unique constraints decide which insert wins, the losers retry and find it.
    """
    for _try in range(START_RETRIES):
        now = timezone.now()
        current = _open_attempt(user, lesson, block_id)
        if current is not None:
            if not is_overdue(current, now):
                return current
            close_overdue(current, now)
        used = (
            QuizAttempt.objects.filter(user=user, lesson=lesson, block_id=block_id).aggregate(
                last=Max("attempt_number")
            )["last"]
            or 0
        )
        max_attempts = quiz.get("max_attempts") or 0
        if max_attempts and used >= max_attempts:
            raise AttemptLimitReached(limit_message(max_attempts))
        limit = quiz.get("time_limit_minutes")
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    user=user,
                    lesson=lesson,
                    block_id=block_id,
                    attempt_number=used + 1,
                    quiz_title=quiz["title"],
                    pass_mark_percent=quiz["pass_mark_percent"],
                    partial_credit=bool(quiz.get("partial_credit")),
                    show_explanations=bool(quiz.get("show_explanations")),
                    reveal_answers=quiz.get("reveal_answers") or REVEAL_AFTER_LAST_ATTEMPT,
                    max_attempts=max_attempts,
                    questions=draw_questions(quiz),
                    started_at=now,
                    deadline=now + timedelta(minutes=limit) if limit else None,
                )
        except IntegrityError:
            continue  # another request took this number or opened an attempt: look again
    current = _open_attempt(user, lesson, block_id)
    if current is not None:
        return current
    raise AttemptLimitReached(_("Another attempt at this quiz is starting right now. Please try again."))


def limit_message(max_attempts: int) -> str:
    return ngettext(
        "You have used your %(count)d attempt at this quiz.",
        "You have used all %(count)d attempts at this quiz.",
        max_attempts,
    ) % {"count": max_attempts}


# Reading answers.


@dataclass
class ParsedAnswers:
    answers: dict[str, list[str]]
    errors: list[str] = field(default_factory=list)
    unanswered: list[int] = field(default_factory=list)  # question numbers, 1-based

    @property
    def is_valid(self) -> bool:
        return not self.errors


def parse_answers(attempt: QuizAttempt, data, *, allow_unanswered: bool = False) -> ParsedAnswers:
    """Read `answer-<question id>` fields (values: choice ids) against the attempt's questions.

    Everything that fits is kept even when something does not, so the form can be shown
    again with the learner's choices intact.
    """
    by_id = {q["id"]: q for q in attempt.questions}
    answers: dict[str, list[str]] = {}
    errors: list[str] = []
    for key in data:
        if key.startswith(ANSWER_PREFIX) and key[len(ANSWER_PREFIX) :] not in by_id:
            errors.append(_("The form held an answer to a question that is not in this attempt."))
            break
    for number, question in enumerate(attempt.questions, start=1):
        chosen = data.getlist(ANSWER_PREFIX + question["id"]) if hasattr(data, "getlist") else []
        valid_ids = {c["id"] for c in question["choices"]}
        known = [cid for cid in dict.fromkeys(chosen) if cid in valid_ids]
        if len(known) != len(set(chosen)):
            errors.append(_("Question %(n)d: an answer did not match its choices.") % {"n": number})
        if question["kind"] == SINGLE and len(known) > 1:
            errors.append(_("Question %(n)d takes one answer only.") % {"n": number})
            known = known[:1]
        if known:
            answers[question["id"]] = known
    unanswered = [n for n, q in enumerate(attempt.questions, start=1) if q["id"] not in answers]
    if unanswered and not allow_unanswered:
        errors.append(
            ngettext(
                "Question %(list)s has no answer yet. Answer it, or tick the box below to submit "
                "anyway (unanswered questions count as wrong).",
                "Questions %(list)s have no answer yet. Answer them, or tick the box below to submit "
                "anyway (unanswered questions count as wrong).",
                len(unanswered),
            )
            % {"list": ", ".join(str(n) for n in unanswered)}
        )
    return ParsedAnswers(answers=answers, errors=errors, unanswered=unanswered)


def parse_answer_map(attempt: QuizAttempt, mapping: dict, *, allow_unanswered: bool = False) -> ParsedAnswers:
    """The same checks for answers sent as {question id: [choice ids]} (the API) as for
    the form's `answer-<question id>` fields."""
    data = MultiValueDict({ANSWER_PREFIX + str(qid): list(choices) for qid, choices in mapping.items()})
    return parse_answers(attempt, data, allow_unanswered=allow_unanswered)


def save_answers(attempt: QuizAttempt, answers: dict[str, list[str]]) -> QuizAttempt:
    """Keep an open attempt's answers so far (an app that answers question by question);
    submitting grades them unless it sends its own. An attempt whose time ran out is
    closed instead, and AttemptClosed raised, as for a late submission."""
    now = timezone.now()
    if attempt.is_open and is_overdue(attempt, now):
        close_overdue(attempt, now)
    if not attempt.is_open:
        raise AttemptClosed(_("This attempt was already submitted."))
    saved = QuizAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
        answers=answers
    )
    if not saved:
        attempt.refresh_from_db()
        raise AttemptClosed(_("This attempt was already submitted."))
    attempt.answers = answers
    return attempt


# Grading.


def question_points(question: dict, chosen: list[str], partial_credit: bool) -> Decimal:
    """1 for an exactly right answer. With partial credit, a multiple-choice question
    earns (right picks − wrong picks) / number of right choices, never below 0."""
    correct = {c["id"] for c in question["choices"] if c["correct"]}
    picked = set(chosen)
    if picked == correct:
        return Decimal(1)
    if partial_credit and question["kind"] == MULTIPLE and correct:
        earned = len(picked & correct) - len(picked - correct)
        return max(Decimal(0), Decimal(earned) / Decimal(len(correct)))
    return Decimal(0)


@dataclass(frozen=True)
class Grade:
    points: Decimal
    score: Decimal  # percent, two decimals
    passed: bool


def grade(
    questions: list[dict], answers: dict[str, list[str]], *, pass_mark: int, partial_credit: bool
) -> Grade:
    points = sum(
        (question_points(q, answers.get(q["id"], []), partial_credit) for q in questions), Decimal(0)
    )
    total = len(questions)
    score = (points * 100 / total) if total else Decimal(0)
    score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    points = points.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Grade(points=points, score=score, passed=bool(total) and score >= pass_mark)


def _close(attempt: QuizAttempt, answers: dict, now: datetime, *, expired: bool) -> bool:
    """Grade and close the attempt if it is still open; False when another request did it first."""
    result = grade(
        attempt.questions, answers, pass_mark=attempt.pass_mark_percent, partial_credit=attempt.partial_credit
    )
    passed = result.passed and not expired
    ended = min(now, attempt.deadline) if expired and attempt.deadline else now
    fields = {
        "status": AttemptStatus.EXPIRED if expired else AttemptStatus.SUBMITTED,
        "answers": answers,
        "points": result.points,
        "score": result.score,
        "passed": passed,
        "submitted_at": now,
        "duration": ended - attempt.started_at,
    }
    won = QuizAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(**fields) == 1
    if won:
        for name, value in fields.items():
            setattr(attempt, name, value)
    else:
        attempt.refresh_from_db()
    return won


def settle(attempt: QuizAttempt) -> QuizAttempt:
    """An attempt as it stands now: one whose time ran out unsubmitted is closed (failed)
    the moment anyone looks at it, so every reader sees the same state."""
    if attempt.is_open and is_overdue(attempt):
        close_overdue(attempt)
    return attempt


def close_overdue(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Close an attempt whose time ran out without a submission: nothing answered, failed."""
    return _close(attempt, {}, now or timezone.now(), expired=True)


def submit_attempt(attempt: QuizAttempt, answers: dict[str, list[str]]) -> QuizAttempt:
    """Grade the learner's answers; on a pass, complete the lesson.

    Raises AttemptClosed when the attempt was already graded (another tab, a double
    click). A submission after the deadline plus grace is graded but fails.
    """
    now = timezone.now()
    if not attempt.is_open:
        raise AttemptClosed(_("This attempt was already submitted."))
    expired = is_overdue(attempt, now)
    with transaction.atomic():
        if not _close(attempt, answers, now, expired=expired):
            raise AttemptClosed(_("This attempt was already submitted."))
        if attempt.passed:
            # learning completes the lesson (and perhaps the course) in this transaction.
            quiz_passed.send(sender=QuizAttempt, attempt=attempt)
    return attempt


# What the learner's pages show.


@dataclass(frozen=True)
class LearnerChoice:
    id: str
    text: str
    chosen: bool = False
    correct: bool | None = None  # None: not revealed


@dataclass(frozen=True)
class LearnerQuestion:
    number: int
    id: str
    prompt: str
    kind: str
    choices: list[LearnerChoice]
    points: Decimal | None = None  # set on a graded attempt
    explanation: str = ""  # set only when revealed

    @property
    def field_name(self) -> str:
        return ANSWER_PREFIX + self.id

    @property
    def is_multiple(self) -> bool:
        return self.kind == MULTIPLE

    @property
    def is_correct(self) -> bool:
        return self.points is not None and self.points >= 1

    @property
    def is_partly_correct(self) -> bool:
        return self.points is not None and 0 < self.points < 1


def questions_for_learner(
    attempt: QuizAttempt, answers: dict[str, list[str]] | None = None
) -> list[LearnerQuestion]:
    """The open attempt as the learner may see it: prompts and choices, never which is correct."""
    answers = answers if answers is not None else {}
    return [
        LearnerQuestion(
            number=number,
            id=q["id"],
            prompt=q["prompt"],
            kind=q["kind"],
            choices=[
                LearnerChoice(id=c["id"], text=c["text"], chosen=c["id"] in answers.get(q["id"], ()))
                for c in q["choices"]
            ],
        )
        for number, q in enumerate(attempt.questions, start=1)
    ]


def reveals_answers(attempt: QuizAttempt) -> bool:
    """Whether this closed attempt's result shows the correct choices and explanations.

    Only with explanations on, and then as the quiz's `reveal_answers` says: after every
    attempt; only after a passed one; or (the default) once the learner is done: a
    passed attempt, or the last one the quiz allowed when this attempt started. A
    failed attempt with attempts left never shows them, so the next attempt cannot be
    passed by copying."""
    if attempt.is_open or not attempt.show_explanations:
        return False
    if attempt.reveal_answers == REVEAL_EVERY_ATTEMPT or attempt.passed:
        return True
    if attempt.reveal_answers == REVEAL_AFTER_PASSING:
        return False
    return bool(attempt.max_attempts) and attempt.attempt_number >= attempt.max_attempts


def reveal_note(attempt: QuizAttempt) -> str:
    """What the result says when it does not show the correct answers, and why."""
    if reveals_answers(attempt):
        return ""
    if not attempt.show_explanations:
        return _(
            "This quiz does not show the correct answers. Each question says whether your answer was right."
        )
    if attempt.reveal_answers == REVEAL_AFTER_PASSING or not attempt.max_attempts:
        return _(
            "The correct answers and explanations appear once you pass. "
            "Each question says whether your answer was right."
        )
    return _(
        "The correct answers and explanations appear once you pass or after your last attempt. "
        "Each question says whether your answer was right."
    )


def graded_questions(attempt: QuizAttempt) -> list[LearnerQuestion]:
    """A closed attempt's questions with the learner's answers and points; the correct
    choices and explanations only when `reveals_answers` allows."""
    if attempt.is_open:
        raise AttemptClosed(_("This attempt has not been submitted yet."))
    reveal = reveals_answers(attempt)
    graded = []
    for number, q in enumerate(attempt.questions, start=1):
        chosen = attempt.answers.get(q["id"], [])
        graded.append(
            LearnerQuestion(
                number=number,
                id=q["id"],
                prompt=q["prompt"],
                kind=q["kind"],
                choices=[
                    LearnerChoice(
                        id=c["id"],
                        text=c["text"],
                        chosen=c["id"] in chosen,
                        correct=c["correct"] if reveal else None,
                    )
                    for c in q["choices"]
                ],
                points=question_points(q, chosen, attempt.partial_credit),
                explanation=q["explanation"] if reveal else "",
            )
        )
    return graded


@dataclass
class QuizSummary:
    """One learner's standing on one quiz, for the quiz card on the lesson page."""

    attempts: list[QuizAttempt]
    max_attempts: int

    @property
    def used(self) -> int:
        return max((a.attempt_number for a in self.attempts), default=0)

    @property
    def remaining(self) -> int | None:
        return None if not self.max_attempts else max(0, self.max_attempts - self.used)

    @property
    def open_attempt(self) -> QuizAttempt | None:
        return next((a for a in self.attempts if a.is_open), None)

    @property
    def best(self) -> QuizAttempt | None:
        graded = [a for a in self.attempts if a.score is not None]
        return max(graded, key=lambda a: (bool(a.passed), a.score), default=None)

    @property
    def latest(self) -> QuizAttempt | None:
        closed = [a for a in self.attempts if not a.is_open]
        return max(closed, key=lambda a: a.attempt_number, default=None)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.remaining is None or self.remaining > 0

    @property
    def limit_message(self) -> str:
        return limit_message(self.max_attempts) if self.max_attempts else ""


def summary_for(user, lesson, block_id: str, quiz) -> QuizSummary:
    attempts = []
    if user.is_authenticated:
        attempts = list(
            QuizAttempt.objects.filter(user=user, lesson=lesson, block_id=block_id)
            .only("public_id", "attempt_number", "status", "score", "passed", "started_at", "submitted_at")
            .order_by("attempt_number")
        )
    return QuizSummary(attempts=attempts, max_attempts=quiz.get("max_attempts") or 0)
