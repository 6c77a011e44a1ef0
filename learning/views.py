"""Learner-facing views outside Wagtail's page tree: the protected ebook download,
enrolling, the player's heartbeat, "Mark as done" and the "My learning" dashboard.

Views stay thin: the policy decides, `learning.enrollment` / `learning.progress` /
`learning.dashboard` do the work.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from config.client_ip import client_ip
from documents.serving import serve_protected
from memberships import policy
from memberships.gating import mark_private, render_teaser

from . import dashboard as dashboard_service
from . import ebook_links
from .enrollment import EnrollmentRefused, enroll
from .models import CoursePage, EbookPage, LessonPage
from .progress import HeartbeatError, MarkDoneRefused, beat, mark_done

MAX_BEAT_BYTES = 16 * 1024


@require_GET
def download_ebook(request, page_id: int):
    """Check the policy, log and count the download, then hand over the file.

    The downloader is the logged-in user, or the user a signed `?token=` link from the
    API names (`ebook_links`); either way the policy is asked now."""
    mark_private(request)
    ebook = get_object_or_404(
        EbookPage.objects.live().public().select_related("document", "required_tier"),
        pk=page_id,
        document__isnull=False,
    )
    signed_link = "token" in request.GET
    user = request.user
    if signed_link:
        try:
            user = ebook_links.user_for(request.GET["token"], ebook)
        except ebook_links.LinkRefused as refusal:
            return HttpResponseForbidden(refusal.message, content_type="text/plain; charset=utf-8")
    decision = policy.can_download(user, ebook)
    if not decision:
        if signed_link:
            return HttpResponseForbidden(
                _("Your plan does not include this ebook."), content_type="text/plain; charset=utf-8"
            )
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render_teaser(request, ebook, decision)
    ebook.record_download(
        user,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return serve_protected(request, ebook.document, _download_name(ebook))


def _download_name(ebook: EbookPage) -> str:
    extension = ebook.document.file_extension
    return f"{ebook.slug}.{extension}" if extension else ebook.slug


# ---------------------------------------------------------------------------- enrolling


@require_POST
def enroll_in_course(request, course_id: int):
    """One click on the course page. Visitors log in first; a learner below the
    course's tier gets the teaser (403) with the upgrade offer."""
    course = get_object_or_404(
        CoursePage.objects.live().public().select_related("required_tier"), pk=course_id
    )
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    mark_private(request)
    try:
        result = enroll(request.user, course)
    except EnrollmentRefused as refused:
        return render_teaser(request, course, refused.decision)
    if result.created:
        messages.success(
            request, _("You are enrolled in %(course)s. Enjoy the course!") % {"course": course.title}
        )
    else:
        messages.info(request, _("You were already enrolled in %(course)s.") % {"course": course.title})
    return HttpResponseRedirect(course.url)


# ---------------------------------------------------------------------------- heartbeat


def _json_error(status: int, code: str, message: str, token: str | None = None) -> JsonResponse:
    body = {"error": {"code": code, "message": message}}
    if token:
        body["token"] = token
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _csrf_refusal(request, body: dict):
    """The player sends the CSRF token in the X-CSRFToken header (fetch) or, from
    sendBeacon which cannot set headers, in the JSON body's `csrf` field. Django's own
    check runs either way (cookie, origin, referer)."""
    if "HTTP_X_CSRFTOKEN" not in request.META and isinstance(body.get("csrf"), str):
        request.META["HTTP_X_CSRFTOKEN"] = body["csrf"]

    def checked_view(request):  # no csrf_exempt attribute: the middleware checks
        return None

    return CsrfViewMiddleware(lambda r: None).process_view(request, checked_view, (), {})


@csrf_exempt  # checked below, where the token may come from the JSON body
@require_POST
def heartbeat(request, lesson_id: int):
    """POST /learning/lessons/<id>/heartbeat/ (CONTRACTS, "Heartbeat"): JSON in, JSON out."""
    mark_private(request)
    if len(request.body) > MAX_BEAT_BYTES:
        return _json_error(400, "bad_input", _("The heartbeat is too large."))
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _json_error(400, "bad_input", _("The heartbeat must be JSON."))
    if not isinstance(body, dict):
        return _json_error(400, "bad_input", _("The heartbeat must be a JSON object."))
    if _csrf_refusal(request, body) is not None:
        return _json_error(403, "csrf", _("The page is out of date; reload it to keep recording progress."))
    if not request.user.is_authenticated:
        return _json_error(403, "login_required", _("Log in to record your progress."))
    lesson = LessonPage.objects.live().select_related("video", "required_tier").filter(pk=lesson_id).first()
    if lesson is None:
        return _json_error(404, "not_found", _("No such lesson."))
    try:
        result = beat(
            request.user,
            lesson,
            token=body.get("token"),
            ranges=body.get("ranges"),
            position=body.get("position"),
            device=body.get("device"),
        )
    except HeartbeatError as error:
        return _json_error(error.status, error.code, error.message, error.token)
    response = JsonResponse(
        {
            "token": result.token,
            "position": result.position,
            "percent": result.percent,
            "completed": result.completed,
            "course_percent": result.course_percent,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- mark as done


@require_POST
def mark_lesson_done(request, lesson_id: int):
    """The "Mark as done" button of a lesson without a video to watch (none, or one whose
    packaging failed) and without a required quiz."""
    lesson = get_object_or_404(
        LessonPage.objects.live().select_related("required_tier", "video"), pk=lesson_id
    )
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    mark_private(request)
    try:
        mark_done(request.user, lesson)
    except MarkDoneRefused as refused:
        if refused.decision is not None:
            return render_teaser(request, lesson, refused.decision)
        messages.error(request, refused.message)
    else:
        messages.success(request, _("“%(lesson)s” is done.") % {"lesson": lesson.title})
    return HttpResponseRedirect(lesson.url)


# ---------------------------------------------------------------------------- dashboard


@login_required
@require_GET
def dashboard(request):
    """ "My learning": enrolled courses with progress and continue links, the
    certificates and live-session slots, and the subscription status."""
    mark_private(request)
    subscription = dashboard_service.subscription_status(request.user)
    return render(
        request,
        "learning/dashboard.html",
        {
            "courses": dashboard_service.enrolled_courses(request.user),
            "bought_courses": dashboard_service.bought_not_started(request.user),
            "subscription": subscription,
            "current_tier": subscription.tier if subscription else policy.tier_of(request.user),
        },
    )
