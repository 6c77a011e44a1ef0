"""Shapes of a quiz attempt over the API.

An attempt's `questions` never say which choice is correct, open or graded; the graded
`result` carries points per question and, only when `quizzes.attempts.reveals_answers`
allows, the correct choices and explanations. Before submission no response holds a
correct answer or an explanation."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import IdField

from .. import attempts


class StartRequestSerializer(serializers.Serializer):
    lesson = IdField(help_text=_("The lesson's id."))
    quiz = serializers.CharField(
        max_length=64, help_text=_("The quiz's id within the lesson (its block id).")
    )


class AnswersRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64), max_length=50),
        help_text=_(
            "Question id → the chosen choice ids, merged into the answers kept so far (an empty "
            "list clears that question)."
        ),
    )


class SubmitRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64), max_length=50),
        required=False,
        help_text=_("Question id → chosen choice ids; merged into the answers kept so far."),
    )
    allow_unanswered = serializers.BooleanField(
        default=False, help_text=_("Submit even with questions unanswered (they count as wrong).")
    )


class ChoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    chosen = serializers.BooleanField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.IntegerField()
    prompt = serializers.CharField()
    kind = serializers.CharField(help_text=_("`single` or `multiple`."))
    choices = ChoiceSerializer(many=True)


class GradedQuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    points = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False)
    correct_choices = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text=_("Null unless answers are revealed.")
    )
    explanation = serializers.CharField(allow_null=True, help_text=_("Null unless answers are revealed."))


class ResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=_("`submitted`, or `expired` when the time ran out."))
    score = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    points = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    passed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    duration_seconds = serializers.IntegerField()
    reveals_answers = serializers.BooleanField()
    reveal_note = serializers.CharField(allow_blank=True)
    questions = GradedQuestionSerializer(many=True)


class AttemptSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lesson = serializers.IntegerField(source="lesson_id")
    quiz = serializers.CharField(source="block_id")
    title = serializers.CharField(source="quiz_title")
    attempt_number = serializers.IntegerField()
    max_attempts = serializers.IntegerField(help_text=_("0: unlimited."))
    pass_mark_percent = serializers.IntegerField()
    status = serializers.CharField(help_text=_("`in_progress`, `submitted` or `expired`."))
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True, help_text=_("Null without a time limit."))
    seconds_left = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    def get_seconds_left(self, attempt) -> int | None:
        return attempts.seconds_left(attempt) if attempt.is_open else None

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, attempt):
        return [
            {
                "id": q.id,
                "number": q.number,
                "prompt": q.prompt,
                "kind": q.kind,
                "choices": [{"id": c.id, "text": c.text, "chosen": c.chosen} for c in q.choices],
            }
            for q in attempts.questions_for_learner(attempt, attempt.answers or {})
        ]

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, attempt):
        if attempt.is_open:
            return None
        reveal = attempts.reveals_answers(attempt)
        graded = attempts.graded_questions(attempt)
        return ResultSerializer(
            {
                "status": attempt.status,
                "score": attempt.score,
                "points": attempt.points,
                "passed": bool(attempt.passed),
                "submitted_at": attempt.submitted_at,
                "duration_seconds": int(attempt.duration.total_seconds()) if attempt.duration else 0,
                "reveals_answers": reveal,
                "reveal_note": attempts.reveal_note(attempt),
                "questions": [
                    {
                        "id": q.id,
                        "points": q.points,
                        "correct_choices": [c.id for c in q.choices if c.correct] if reveal else None,
                        "explanation": q.explanation if reveal else None,
                    }
                    for q in graded
                ],
            }
        ).data
