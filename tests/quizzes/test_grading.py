"""Grading on the server: single choice, multiple choice as an exact set, partial credit."""

import random
from decimal import Decimal

from quizzes.attempts import draw_questions, grade, question_points
from quizzes.blocks import QuizBlock

from .factories import ALL_RIGHT, quiz, sql_questions


def _questions():
    block = QuizBlock()
    value = block.to_python(quiz(sql_questions(), shuffle_choices=False)["value"])
    return draw_questions(value, random.Random(1))


def _by_id(qid):
    return next(q for q in _questions() if q["id"] == qid)


def test_single_choice_scores_only_the_correct_choice():
    q = _by_id("q-having")
    assert question_points(q, ["c-having"], partial_credit=False) == 1
    assert question_points(q, ["c-where"], partial_credit=False) == 0
    assert question_points(q, [], partial_credit=False) == 0


def test_single_choice_never_gets_partial_credit():
    assert question_points(_by_id("q-having"), ["c-where"], partial_credit=True) == 0


def test_multiple_choice_needs_exactly_the_correct_set():
    q = _by_id("q-aggregates")
    assert question_points(q, ["c-count", "c-sum", "c-avg"], partial_credit=False) == 1
    assert question_points(q, ["c-count", "c-sum"], partial_credit=False) == 0
    assert question_points(q, ["c-count", "c-sum", "c-avg", "c-lower"], partial_credit=False) == 0


def test_partial_credit_adds_right_picks_and_takes_away_wrong_ones():
    q = _by_id("q-aggregates")  # three right choices
    assert question_points(q, ["c-count", "c-sum"], partial_credit=True) == Decimal(2) / 3
    assert question_points(q, ["c-count", "c-sum", "c-lower"], partial_credit=True) == Decimal(1) / 3
    assert question_points(q, ["c-count", "c-lower"], partial_credit=True) == 0
    assert question_points(q, ["c-lower"], partial_credit=True) == 0  # never below zero


def test_a_score_reaching_the_pass_mark_passes():
    questions = _questions()
    result = grade(questions, ALL_RIGHT, pass_mark=70, partial_credit=False)
    assert (result.points, result.score, result.passed) == (Decimal("3.00"), Decimal("100.00"), True)

    two_right = {**ALL_RIGHT, "q-join": ["c-inner"]}
    result = grade(questions, two_right, pass_mark=70, partial_credit=False)
    assert (result.score, result.passed) == (Decimal("66.67"), False)
    assert grade(questions, two_right, pass_mark=66, partial_credit=False).passed


def test_partial_credit_counts_towards_the_score():
    answers = {**ALL_RIGHT, "q-aggregates": ["c-count", "c-sum"]}
    result = grade(_questions(), answers, pass_mark=70, partial_credit=True)
    assert result.points == Decimal("2.67")
    assert result.score == Decimal("88.89")
    assert result.passed


def test_unanswered_questions_count_as_wrong():
    result = grade(_questions(), {"q-having": ["c-having"]}, pass_mark=30, partial_credit=False)
    assert result.score == Decimal("33.33")


def test_a_draw_takes_a_subset_of_the_pool_with_every_choice():
    block = QuizBlock()
    value = block.to_python(quiz(sql_questions(), draw_count=2)["value"])
    seen = set()
    for seed in range(20):
        drawn = draw_questions(value, random.Random(seed))
        assert len(drawn) == 2
        assert len({q["id"] for q in drawn}) == 2
        seen.update(q["id"] for q in drawn)
        for q in drawn:
            assert len(q["choices"]) in (2, 3, 4)
    assert seen == {"q-having", "q-aggregates", "q-join"}
