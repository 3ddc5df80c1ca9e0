"""Template tags of the public pages: navigation state and machine-readable data."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes of Django's json_script: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value) -> str:
    """A <script type="application/ld+json"> element, escaped as json_script escapes its data."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def nav_current(context, prefix: str) -> str:
    """aria-current="page" on the main navigation link of the section the reader is in."""
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return format_html(' aria-current="{}"', "page" if request.path == prefix else "true")
    return ""
