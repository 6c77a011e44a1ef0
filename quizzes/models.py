"""A learner's attempt at one quiz block of one lesson.

The attempt keeps a snapshot of what it asked (the drawn questions in their order, each
question's choices in their shown order, and which choices were correct) taken when the
learner pressed "Start quiz". A reload shows the same questions, grading uses exactly
what was shown, and a graded result still reads correctly after an editor changes the
quiz. The snapshot lives only on the server; the learner's pages get a projection of it
without the correct flags (see `quizzes.attempts.questions_for_learner`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import REVEAL_AFTER_LAST_ATTEMPT, REVEAL_CHOICES


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Time ran out")


class QuizAttempt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey("learning.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts")
    block_id = models.CharField(
        max_length=64, help_text=_("The quiz's StreamField block id in the lesson body.")
    )
    attempt_number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)

    # What was asked: settings and drawn questions as they were at the start.
    quiz_title = models.CharField(max_length=200)
    pass_mark_percent = models.PositiveSmallIntegerField()
    partial_credit = models.BooleanField(default=False)
    show_explanations = models.BooleanField(default=True)
    reveal_answers = models.CharField(
        max_length=20,
        choices=REVEAL_CHOICES,
        default=REVEAL_AFTER_LAST_ATTEMPT,
        help_text=_("When the graded result shows the correct choices and explanations."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("Attempts the quiz allowed when this one started; 0 means unlimited.")
    )
    questions = models.JSONField(
        default=list,
        help_text=_(
            "Drawn questions in order: id, prompt, kind, explanation, choices (id, text, correct) in order."
        ),
    )

    # What was answered and how it went.
    answers = models.JSONField(default=dict, blank=True, help_text=_("Question id → chosen choice ids."))
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("Percent of the points.")
    )
    passed = models.BooleanField(null=True, blank=True)

    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True, help_text=_("Start plus the time limit, if any."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # The attempt limit rests on this: two requests that both believe they are
            # starting attempt N cannot both insert it.
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id", "attempt_number"], name="quiz_attempt_number_unique"
            ),
            # One open attempt per learner and quiz, however many tabs press "Start".
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"],
                condition=Q(status="in_progress"),
                name="quiz_attempt_one_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["lesson", "block_id", "user"], name="quiz_attempt_lookup")]

    def __str__(self) -> str:
        return f"{self.quiz_title} · attempt {self.attempt_number} · {self.user}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def duration_text(self) -> str:
        """ "4 min 12 s": how long the learner took, for the result page."""
        if self.duration is None:
            return ""
        seconds = int(self.duration.total_seconds())
        minutes, seconds = divmod(max(seconds, 0), 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
