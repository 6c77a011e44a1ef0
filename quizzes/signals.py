"""What quizzes announce. `learning` listens: quizzes never import learning, which owns
progress and already imports the quiz block for its lesson body."""

from django.dispatch import Signal

# A submitted attempt reached the pass mark. kwargs: attempt (a QuizAttempt). Sent inside
# the submission's transaction, so a receiver that fails undoes the submission too.
quiz_passed = Signal()
