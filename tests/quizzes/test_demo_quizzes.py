"""The demo site's quizzes pass the same validation an editor's would."""

import pytest

from demo.quizzes import QUIZZES, quiz_blocks_for
from quizzes.blocks import QuizBlock


@pytest.mark.parametrize("key", sorted(QUIZZES))
def test_demo_quiz_is_valid(key):
    block = QuizBlock()
    value = block.clean(block.to_python(QUIZZES[key]))
    assert value.question_count >= 1


def test_only_the_named_lessons_get_a_quiz():
    assert quiz_blocks_for("python-for-data-analysis", "why-pandas")[0][0] == "quiz"
    assert quiz_blocks_for("python-for-data-analysis", "your-first-dataframe") == []
