"""Personal data kept by quizzes: attempts and answers (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, delete_owned, owned_rows

declare(
    "quizzes.QuizAttempt",
    fields=["user"],
    purpose=_("Your quiz attempts, answers and scores, to grade them and hold attempt limits."),
    retention=_("While the account exists."),
    area="quizzes",
    export=owned_rows(
        "quizzes.QuizAttempt",
        "public_id",
        "lesson__title",
        "quiz_title",
        "attempt_number",
        "status",
        "answers",
        "score",
        "passed",
        "started_at",
        "submitted_at",
    ),
    erase=delete_owned("quizzes.QuizAttempt"),
    on_erasure=_("Deleted."),
)
