"""What learning does when other apps announce something."""

from django.dispatch import receiver

from quizzes.models import QuizAttempt
from quizzes.signals import quiz_passed

from .progress import complete_lesson


@receiver(quiz_passed, sender=QuizAttempt, dispatch_uid="learning.complete_lesson_on_quiz_pass")
def complete_lesson_on_quiz_pass(sender, attempt, **kwargs):
    """Passing a lesson's quiz completes the lesson."""
    complete_lesson(attempt.user, attempt.lesson, source="quiz")
