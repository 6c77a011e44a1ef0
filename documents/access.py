"""Who may fetch a document through Wagtail's own /documents/<id>/<filename> URL.

A document is as open as the most open live page that uses it: the reference index
says which pages point at it (an ebook's file, a lesson's attachments, a download block,
a rich-text link), and the one entitlement policy answers for each page. An ebook page
asks `can_download`; any other page asks `can_view`, after Wagtail's own page privacy.
A document no live page uses is for staff only (editors previewing an upload).
"""

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse, HttpResponseForbidden

from wagtail.models import Page, ReferenceIndex

from learning.models import EbookPage
from memberships import policy
from memberships.gating import mark_private


def pages_using(document) -> list[Page]:
    """The live pages (specific instances) whose content refers to `document`."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).live().specific())


def may_fetch(user, document, request=None) -> bool:
    """True when `user` may use at least one live page that uses `document`."""
    pages = pages_using(document)
    if not pages:
        return bool(user.is_authenticated and user.is_staff)
    for page in pages:
        if request is not None and not _passes_page_privacy(page, request):
            continue
        if isinstance(page, EbookPage):
            decision = policy.can_download(user, page)
        else:
            decision = policy.can_view(user, page)
        if decision:
            return True
    return False


def _passes_page_privacy(page, request) -> bool:
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def check_document_access(document, request) -> HttpResponse | None:
    """`before_serve_document` hook body: None lets Wagtail serve; a response refuses."""
    mark_private(request)
    if may_fetch(request.user, document, request):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden()
