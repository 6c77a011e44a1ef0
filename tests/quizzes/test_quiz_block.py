"""The quiz block's editor validation: each mistake gets an error on the field to fix."""

from wagtail.blocks import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

import pytest

from quizzes.blocks import LessonBodyBlock, QuestionBlock, QuizBlock

from .factories import choice, question, quiz, sql_questions


def _clean_quiz(**settings):
    block = QuizBlock()
    raw = quiz(sql_questions(), **settings)["value"]
    return block.clean(block.to_python(raw))


def _errors(excinfo) -> dict:
    return excinfo.value.block_errors


def test_a_well_formed_quiz_is_valid():
    value = _clean_quiz(draw_count=2, time_limit_minutes=10)
    assert value.question_count == 2


@pytest.mark.parametrize("mark", [0, 101, -5])
def test_pass_mark_outside_1_to_100_is_refused(mark):
    with pytest.raises(StructBlockValidationError) as excinfo:
        _clean_quiz(pass_mark_percent=mark)
    assert "pass_mark_percent" in _errors(excinfo)
    assert "1 to 100" in str(_errors(excinfo)["pass_mark_percent"])


def test_drawing_more_questions_than_the_pool_holds_is_refused():
    with pytest.raises(StructBlockValidationError) as excinfo:
        _clean_quiz(draw_count=4)
    message = str(_errors(excinfo)["draw_count"])
    assert "Cannot draw 4 questions from a pool of 3 questions" in message


def test_a_question_without_a_correct_choice_is_refused():
    block = QuestionBlock()
    raw = question("Pick one", [choice("a"), choice("b")])["value"]
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(block.to_python(raw))
    assert "Mark at least one choice as correct" in str(
        excinfo.value.block_errors["choices"].non_block_errors
    )


def test_a_single_choice_question_with_two_correct_choices_is_refused():
    block = QuestionBlock()
    raw = question("Pick one", [choice("a", True), choice("b", True), choice("c")])["value"]
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(block.to_python(raw))
    assert "exactly one correct choice; 2 are marked" in str(excinfo.value.block_errors["kind"])


def test_a_multiple_choice_question_may_have_several_correct_choices():
    block = QuestionBlock()
    raw = question("Pick all", [choice("a", True), choice("b", True), choice("c")], kind="multiple")["value"]
    assert block.clean(block.to_python(raw))["kind"] == "multiple"


def test_the_lesson_body_reports_a_bad_quiz_as_an_error_of_that_block():
    body = LessonBodyBlock()
    raw = [quiz([question("Pick one", [choice("a"), choice("b")])])]
    with pytest.raises(StreamBlockValidationError):
        body.clean(body.to_python(raw))


def test_the_lesson_body_offers_every_standard_block_and_the_quiz():
    assert set(LessonBodyBlock().child_blocks) == {
        "paragraph",
        "image",
        "code",
        "callout",
        "embed",
        "download",
        "quiz",
    }


def test_the_search_index_gets_the_quiz_title_and_prompts_but_no_choices_or_explanations():
    block = QuizBlock()
    content = " ".join(block.get_searchable_content(block.to_python(quiz(sql_questions())["value"])))
    assert "Check your understanding" in content
    assert "Which clause filters groups?" in content
    assert "BECAUSE" not in content
    assert "HAVING" not in content.replace("Which clause filters groups?", "")
