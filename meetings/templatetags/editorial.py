"""Template tags of the admin's editorial pages."""

from django import template

from ..revisions import waiting_for as _waiting_for

register = template.Library()


@register.simple_tag
def waiting_for(user) -> dict:
    """What waits for this person: meetings to review, meetings sent back to them (lists, read once)."""
    return {name: list(queryset[:20]) for name, queryset in _waiting_for(user).items()}
