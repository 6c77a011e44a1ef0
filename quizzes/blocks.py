"""The quiz block an editor puts in a lesson body, and the lesson body that offers it.

Questions and choices are ListBlock items, so each has a stable uuid that Wagtail keeps
across edits: attempts refer to questions and choices by those ids, and to the quiz by
its StreamField block id. The block's front-end template never sees the correct flags or
explanations (see quizzes/attempts.py for what the learner is shown).
"""

from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from home.blocks import BodyBlock
from memberships.gating import mark_private

from .attempts import summary_for
from .choices import MULTIPLE, REVEAL_AFTER_LAST_ATTEMPT, REVEAL_CHOICES, SINGLE


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    kind = blocks.ChoiceBlock(
        choices=[
            (SINGLE, _("Single choice: exactly one correct answer")),
            (MULTIPLE, _("Multiple choice: select all that apply")),
        ],
        default=SINGLE,
    )
    choices = blocks.ListBlock(AnswerChoiceBlock(), min_num=2)
    explanation = blocks.TextBlock(
        required=False, help_text=_("Shown with the graded result when the quiz shows explanations.")
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        correct = [choice for choice in value["choices"] if choice["correct"]]
        if not correct:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ListBlockValidationError(
                        non_block_errors=ErrorList([_("Mark at least one choice as correct.")])
                    )
                }
            )
        if value["kind"] == SINGLE and len(correct) > 1:
            raise StructBlockValidationError(
                block_errors={
                    "kind": ErrorList(
                        [
                            _(
                                "A single-choice question has exactly one correct choice; %(count)d are marked. "
                                "Unmark the extra ones or make it a multiple-choice question."
                            )
                            % {"count": len(correct)}
                        ]
                    )
                }
            )
        return value


class QuizValue(blocks.StructValue):
    @property
    def question_count(self) -> int:
        """How many questions one attempt asks."""
        pool = len(self.get("questions") or [])
        return min(self.get("draw_count") or pool, pool)


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    intro = blocks.TextBlock(required=False, help_text=_("Shown before the learner starts."))
    required = blocks.BooleanBlock(
        required=False, default=True, help_text=_("The lesson completes only when this quiz is passed.")
    )
    pass_mark_percent = blocks.IntegerBlock(default=70, help_text=_("Score needed to pass, 1–100."))
    max_attempts = blocks.IntegerBlock(default=3, min_value=0, help_text=_("0 means unlimited."))
    time_limit_minutes = blocks.IntegerBlock(
        required=False, min_value=1, help_text=_("Empty means no time limit. Enforced on the server.")
    )
    draw_count = blocks.IntegerBlock(
        required=False,
        min_value=1,
        help_text=_(
            "Ask this many questions, drawn at random from the pool for each attempt. Empty asks all."
        ),
    )
    shuffle_choices = blocks.BooleanBlock(
        required=False, default=True, help_text=_("Show choices in a random order.")
    )
    partial_credit = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text=_(
            "Multiple-choice questions earn part of their point: each correct choice picked adds, "
            "each wrong one picked takes away (never below zero). Off: all or nothing."
        ),
    )
    show_explanations = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Show explanations and correct answers with the graded result."),
    )
    reveal_answers = blocks.ChoiceBlock(
        choices=REVEAL_CHOICES,
        default=REVEAL_AFTER_LAST_ATTEMPT,
        help_text=_(
            "When a graded attempt shows the correct answers and explanations. Shown on a failed "
            "attempt while attempts remain, they let the next attempt be passed by copying."
        ),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Quiz")
        template = "components/streamfield/blocks/quiz.html"
        value_class = QuizValue

    def get_searchable_content(self, value):
        """Title, intro and prompts only: choices and explanations stay out of the search
        index, so no search result can hint at an answer."""
        prompts = [question["prompt"] for question in value.get("questions") or []]
        return [text for text in (value.get("title"), value.get("intro"), *prompts) if text]

    def get_api_representation(self, value, context=None):
        """What the API shows of a quiz in a lesson body: its settings and how many
        questions an attempt asks. Never the question pool, the correct flags or the
        explanations: questions come drawn, one attempt at a time, from quizzes.attempts."""
        return {
            "title": value.get("title"),
            "intro": value.get("intro") or "",
            "required": bool(value.get("required")),
            "pass_mark_percent": value.get("pass_mark_percent"),
            "max_attempts": value.get("max_attempts"),
            "time_limit_minutes": value.get("time_limit_minutes"),
            "question_count": value.question_count,
        }

    def get_context(self, value, parent_context=None):
        """The learner's standing on this quiz. Only counts and links: the template gets
        no correct flags and no explanations, and never the question pool."""
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request = parent_context.get("request")
        lesson = parent_context.get("page")
        block_id = parent_context.get("block_id")
        context["block_id"] = block_id
        if request is None or lesson is None or not block_id or not lesson.pk:
            return context
        mark_private(request)  # the card shows this learner's attempts
        context["summary"] = summary_for(request.user, lesson, block_id, value)
        context["start_url"] = reverse("quizzes:start", kwargs={"lesson_id": lesson.pk, "block_id": block_id})
        return context

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        pass_mark = value.get("pass_mark_percent")
        if pass_mark is None or not 1 <= pass_mark <= 100:
            errors["pass_mark_percent"] = ErrorList([_("The pass mark is a percentage from 1 to 100.")])
        pool = len(value.get("questions") or [])
        draw = value.get("draw_count")
        if draw and draw > pool:
            errors["draw_count"] = ErrorList(
                [
                    ngettext(
                        "Cannot draw %(draw)d questions from a pool of %(pool)d question.",
                        "Cannot draw %(draw)d questions from a pool of %(pool)d questions.",
                        pool,
                    )
                    % {"draw": draw, "pool": pool}
                ]
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class LessonBodyBlock(BodyBlock):
    """A lesson's body: the standard body plus quizzes.

    Its own template passes each child's block id, which the quiz needs to identify itself.
    """

    quiz = QuizBlock()

    class Meta:
        template = "quizzes/lesson_body.html"
