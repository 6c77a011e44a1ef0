"""Learner-facing views: the session page, the join redirect and the leave beacon.

Joining always passes through here so the one policy decides and attendance is
recorded; invitations and widgets link to these views, never to the meeting itself.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from memberships.gating import mark_private, render_teaser
from memberships.policy import can_join

from . import services
from .models import LiveSession


def _session(pk: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.select_related("course"), pk=pk)


@login_required
def session_detail(request, pk: int):
    session = _session(pk)
    mark_private(request)
    decision = can_join(request.user, session.course)
    context = {
        "session": session,
        "decision": decision,
        "state": services.join_state(session, request.user) if decision else None,
    }
    return TemplateResponse(request, "live/session_detail.html", context)


@login_required
def join(request, pk: int):
    session = _session(pk)
    mark_private(request)
    decision = can_join(request.user, session.course)
    if not decision:
        return render_teaser(request, session.course, decision)
    state = services.join_state(session, request.user)
    if state != services.JoinState.OPEN:
        context = {"session": session, "state": state}
        return TemplateResponse(request, "live/join_closed.html", context, status=409)
    services.record_join(session, request.user)
    return HttpResponseRedirect(services.meeting_url_for(session, request.user))


@require_POST
@login_required
def leave(request, pk: int):
    """The session page's sendBeacon on leaving (CSRF token in the form body)."""
    session = _session(pk)
    mark_private(request)
    services.record_leave(session, request.user)
    return HttpResponse(status=204)
