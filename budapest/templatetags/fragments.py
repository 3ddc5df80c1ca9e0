"""``{% fragment "name" value… %}…{% endfragment %}``: a part of a page rendered once per change.
``{% chrome "chrome-name" value… %}…{% endchrome %}``: the same for a part of every page (the header, the menu,
the footer), which needs nothing of the view's own.

See budapest.fragments for the rule.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from budapest.fragments import fragment_generation, fragment_key, store_part, stored_part

register = template.Library()

_UNSET = object()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, values, *, chrome: bool = False):
        self.nodelist, self.name, self.values, self.chrome = nodelist, name, values, chrome

    def render(self, context):
        generation = context.get("fragment_generation", _UNSET)
        if generation is _UNSET:
            generation = _generation_of(context.get("request"))
        if not generation:
            return self._render(context)
        values = [value.resolve(context) for value in self.values]
        key = fragment_key(self.name.resolve(context), generation, get_language(), values)
        content = stored_part(key)
        if content is None:
            content = self._render(context)
            store_part(key, content)
        return mark_safe(content)  # noqa: S308 - rendered by this template, escaped as it was rendered

    def _render(self, context):
        """The part itself, with the values only it needs (the view's `fragment_context`, computed once)."""
        costly = None if self.chrome else context.get("fragment_context")
        with context.push(**(costly() if costly else {})):
            return self.nodelist.render(context)


def _generation_of(request) -> str | None:
    """The generation of a page whose view says nothing of stored parts (the chrome of any page, a list's
    filters): stored for readers not signed in only (staff who preview may be shown what the public may
    not: a draft's country). Worked out once per request, for all its parts."""
    if request is None:
        return None
    if "_fragment_generation" not in request.__dict__:
        user = getattr(request, "user", None)
        request._fragment_generation = None if user is None or user.is_authenticated else fragment_generation()
    return request._fragment_generation


def _parse(parser, token, end: str, *, chrome: bool) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{{% {bits[0]} %}} takes a name and the values the part varies with")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), values, chrome=chrome)


@register.tag
def fragment(parser, token):
    return _parse(parser, token, "endfragment", chrome=False)


@register.tag
def chrome(parser, token):
    return _parse(parser, token, "endchrome", chrome=True)
