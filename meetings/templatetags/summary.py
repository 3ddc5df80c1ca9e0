"""Template filters that render the summary markup safely (see meetings.markup)."""

from django import template

from meetings import markup

register = template.Library()


@register.filter
def inline_markup(text: str, page: str = ""):
    """`{{ passage.text|inline_markup }}`, or `|inline_markup:meeting_url` on a page other than the meeting's."""
    return markup.render_inline(text or "", page)


@register.filter
def block_markup(text: str):
    return markup.render_blocks(text or "")
