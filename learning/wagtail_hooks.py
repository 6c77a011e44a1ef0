from wagtail import hooks
from wagtail.permissions import register_permission_policy

from home.models import HOME_PAGE_CONTEXT_HOOK
from memberships.admin_policies import ReadOnlyPermissionPolicy

from .admin_views import EnrollmentPermissionPolicy, EnrollmentViewSet
from .models import EbookDownload, Enrollment

# Before the viewset asks for the model's policy, or Wagtail makes a default one. The
# viewset itself sits in the Memberships menu group (memberships/wagtail_hooks.py).
register_permission_policy(EbookDownload, ReadOnlyPermissionPolicy(EbookDownload))
register_permission_policy(Enrollment, EnrollmentPermissionPolicy(Enrollment))


@hooks.register(HOME_PAGE_CONTEXT_HOOK)
def featured_courses_on_home(home_page, request) -> dict:
    """The home page's featured course cards (home asks through the hook, never imports us)."""
    from .catalog import annotate_course_cards, featured_courses

    return {"featured_courses": annotate_course_cards(featured_courses(home_page))}


@hooks.register("register_admin_viewset")
def register_enrollments_admin():
    return EnrollmentViewSet("enrollments", url_prefix="learning/enrollments")
