from django import template

from memberships import policy
from memberships.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="VND"):
    return format_money(amount, currency)


@register.simple_tag(takes_context=True)
def may_download(context, ebook):
    """The policy's answer for the current user, for ebook download buttons."""
    return policy.can_download(context["request"].user, ebook)
