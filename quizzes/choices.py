"""The quiz's fixed vocabularies: question kinds and when answers are revealed. Kept apart
from the blocks so the attempts, the models and the blocks can all import them."""

from django.utils.translation import gettext_lazy as _

SINGLE = "single"
MULTIPLE = "multiple"

# When a graded attempt shows the correct choices and explanations (with explanations on).
REVEAL_EVERY_ATTEMPT = "every_attempt"
REVEAL_AFTER_PASSING = "after_passing"
REVEAL_AFTER_LAST_ATTEMPT = "after_last_attempt"
REVEAL_CHOICES = [
    (REVEAL_AFTER_LAST_ATTEMPT, _("Only after the last attempt (or a pass)")),
    (REVEAL_AFTER_PASSING, _("Only after passing")),
    (REVEAL_EVERY_ATTEMPT, _("After every attempt")),
]
