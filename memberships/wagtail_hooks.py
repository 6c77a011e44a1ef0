from wagtail import hooks

from .gating import gate_page


# Runs after Wagtail's own privacy check (order 0), so page privacy keeps working.
@hooks.register("before_serve_page", order=10)
def check_membership(page, request, serve_args, serve_kwargs):
    return gate_page(page, request)
