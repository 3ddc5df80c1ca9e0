"""``{% fragment "name" value… %}…{% endfragment %}``: a part of a page rendered once per change.

See budapest.fragments for the rule.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from budapest.fragments import fragment_key, store, stored

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        generation = context.get("fragment_generation")
        if not generation:
            return self._render(context)
        values = [value.resolve(context) for value in self.values]
        key = fragment_key(self.name.resolve(context), generation, get_language(), values)
        content = stored(key)
        if content is None:
            content = self._render(context)
            store(key, content)
        return mark_safe(content)  # noqa: S308 - rendered by this template, escaped as it was rendered

    def _render(self, context):
        """The part itself, with the values only it needs (the view's `fragment_context`, computed once)."""
        costly = context.get("fragment_context")
        with context.push(**(costly() if costly else {})):
            return self.nodelist.render(context)


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} takes a name and the values the part varies with")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])
