"""Learner views: start an attempt, answer it, read the graded result.

Every view asks the one policy (memberships.policy.can_view) about the lesson, answers
only the attempt's owner (anyone else gets a 404, as if it did not exist), and marks the
response private, no-store.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning.models import LessonPage
from memberships import policy
from memberships.gating import mark_private, render_teaser

from . import attempts
from .models import AttemptStatus, QuizAttempt


def _lesson_url(lesson: LessonPage, block_id: str) -> str:
    return f"{lesson.url}#quiz-{block_id}"


@login_required
@require_POST
def start(request, lesson_id: int, block_id: str):
    """ "Start quiz": draw the questions on the server and open the attempt (or resume it)."""
    mark_private(request)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    decision = policy.can_view(request.user, lesson)
    if not decision:
        return render_teaser(request, lesson, decision)
    quiz = attempts.find_quiz(lesson, block_id)
    if quiz is None:
        raise Http404("No such quiz in this lesson.")
    try:
        attempt = attempts.start_attempt(request.user, lesson, block_id, quiz)
    except attempts.QuizError as refusal:
        messages.error(request, refusal.message)
        return redirect(_lesson_url(lesson, block_id))
    return redirect("quizzes:attempt", public_id=attempt.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request, public_id):
    """An open attempt shows its questions (GET) and takes the answers (POST); a closed
    one shows its graded result."""
    mark_private(request)
    current = get_object_or_404(
        QuizAttempt.objects.select_related("lesson"), public_id=public_id, user=request.user
    )
    lesson = current.lesson.specific
    decision = policy.can_view(request.user, lesson)
    if not decision:
        return render_teaser(request, lesson, decision)
    attempts.settle(current)
    if not current.is_open:
        if request.method == "POST":
            messages.info(request, _closed_message(current))
            return redirect("quizzes:attempt", public_id=current.public_id)
        return _result(request, lesson, current)
    if request.method == "GET":
        return _take(request, lesson, current, attempts.questions_for_learner(current))
    parsed = attempts.parse_answers(
        current, request.POST, allow_unanswered=bool(request.POST.get("allow_unanswered"))
    )
    if not parsed.is_valid:
        return _take(
            request,
            lesson,
            current,
            attempts.questions_for_learner(current, parsed.answers),
            errors=parsed.errors,
            offer_unanswered=bool(parsed.unanswered),
            status=400,
        )
    try:
        attempts.submit_attempt(current, parsed.answers)
    except attempts.AttemptClosed as refusal:
        messages.info(request, refusal.message)
    return redirect("quizzes:attempt", public_id=current.public_id)


def _closed_message(current: QuizAttempt) -> str:
    if current.status == AttemptStatus.EXPIRED:
        return _("The time for this attempt ran out, so it was closed; here is its result.")
    return _("This attempt was already submitted; here is its result.")


def _take(request, lesson, current, questions, *, errors=(), offer_unanswered=False, status=200):
    context = {
        "page": lesson,
        "lesson": lesson,
        "attempt": current,
        "questions": questions,
        "errors": errors,
        "offer_unanswered": offer_unanswered,
        "seconds_left": attempts.seconds_left(current),
        "submit_url": reverse("quizzes:attempt", kwargs={"public_id": current.public_id}),
        "lesson_url": _lesson_url(lesson, current.block_id),
    }
    return TemplateResponse(request, "quizzes/take.html", context, status=status)


def _result(request, lesson, current):
    quiz = attempts.find_quiz(lesson, current.block_id)
    summary = attempts.summary_for(request.user, lesson, current.block_id, quiz) if quiz is not None else None
    context = {
        "page": lesson,
        "lesson": lesson,
        "attempt": current,
        "questions": attempts.graded_questions(current),
        "reveal_note": attempts.reveal_note(current),
        "summary": summary,
        "start_url": reverse("quizzes:start", kwargs={"lesson_id": lesson.pk, "block_id": current.block_id}),
        "lesson_url": _lesson_url(lesson, current.block_id),
    }
    return TemplateResponse(request, "quizzes/result.html", context)
