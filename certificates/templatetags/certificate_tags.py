from django import template

from certificates.models import Certificate

register = template.Library()


@register.simple_tag
def certificates_of(user) -> list[Certificate]:
    """The user's certificates, newest first (one query), for the "My learning" panel."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Certificate.objects.filter(user=user).order_by("-issued_at"))
