from wagtail import hooks

from .access import check_document_access


# After Wagtail's collection privacy check (order 0); both must pass.
@hooks.register("before_serve_document", order=10)
def check_document_entitlement(document, request):
    return check_document_access(document, request)
