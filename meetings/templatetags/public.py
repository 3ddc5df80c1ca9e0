"""Template tags of the public pages: navigation state and machine-readable data."""

import json
from pathlib import Path

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from actors.languages import Name, entered_in, reading_language
from budapest import languages

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


# The flags the site ships (static/flags, from the flag-icons package), read once: a code without a file shows none.
_FLAGS_DIR = Path(settings.BASE_DIR) / "static" / "flags"
_FLAG_CODES = frozenset(path.stem for path in _FLAGS_DIR.glob("??.svg"))


@register.simple_tag
def flag(actor) -> str:
    """A country's flag as a small SVG image, decorative (the name stands beside it); nothing for others."""
    code = (getattr(actor, "iso_code", "") or "").lower()
    if getattr(actor, "kind", "") != "country" or code not in _FLAG_CODES:
        return ""
    return format_html(
        '<img class="flag" src="{}" alt="" width="20" height="15" loading="lazy" decoding="async">',
        static(f"flags/{code}.svg"),
    )


@register.simple_tag
def meeting_dates(meeting, separator: str = "–") -> str:
    """A meeting's day or days, each a <time>: "19–20 February 2019" rather than "19 February 2019–20 February 2019"
    when both days fall in one month and the language's date starts with the day ("j F Y", "j E Y г.")."""
    start, end = meeting.start_date, meeting.end_date
    full = formats.get_format("DATE_FORMAT")
    if not end or end == start:
        return format_html('<time datetime="{}">{}</time>', start.isoformat(), formats.date_format(start, full))
    same_month = (start.year, start.month) == (end.year, end.month) and full.startswith("j ")
    return format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        start.isoformat(),
        formats.date_format(start, "j" if same_month else full),
        separator,
        end.isoformat(),
        formats.date_format(end, full),
    )


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: for lookups by a value that a template cannot spell as an attribute."""
    return mapping.get(key) if hasattr(mapping, "get") else None


# Open Graph wants a territory: the English of these records is British (the Secretariat's).
_OG_LOCALES = {"en": "en_GB", "ru": "ru_RU"}


@register.filter
def og_locale(language_code: str | None) -> str:
    """The Open Graph locale (language_TERRITORY) of a page in this language."""
    code = (language_code or "en").replace("-", "_")
    if "_" in code:
        language, territory = code.split("_", 1)
        return f"{language.lower()}_{territory.upper()}"
    return _OG_LOCALES.get(code.lower(), code.lower())


@register.filter
def without_meetings(actors) -> list:
    """The actors of a list annotated with `meeting_count` that attended no published meeting."""
    return [actor for actor in actors if not getattr(actor, "meeting_count", 0)]


def _named(name) -> str:
    """A name in the reader's language, in a span marked as English where the reader's language has none."""
    if name.lang:
        return format_html('<span lang="{}">{}</span>', name.lang, name.text)
    return conditional_escape(name.text)


@register.filter
def as_entered(value) -> str:
    """Words of the record that have no translation (a goal's title, a series' or a Call for Action's name):
    as entered, in English, marked `lang="en"` on a page in another language so that none is read as that
    language's words."""
    if value in (None, ""):
        return ""
    if reading_language() == settings.LANGUAGE_CODE:
        return conditional_escape(value)
    return _named(Name(str(value), lang=settings.LANGUAGE_CODE))


@register.filter
def local(record, field: str) -> str:
    """A record's words in the reader's language (a goal's "title" or "text", a series' or a Call for Action's
    "name"): those entered for it in that language (its `names`), else its English words marked lang="en"."""
    return _named(entered_in(record.names, field, getattr(record, field)))


@register.filter
def local_text(record, field: str) -> str:
    """The same as plain text, for a page's title or an attribute."""
    return entered_in(record.names, field, getattr(record, field)).text


@register.filter
def local_name(actor) -> str:
    """A country's or organisation's name in the reader's language (actors.languages), e.g. «Турция»."""
    return _named(actor.name_in()) if actor else ""


@register.filter
def local_label(actor) -> str:
    """Its short name (acronym) in the reader's language, else its name there."""
    return _named(actor.label_in()) if actor else ""


@register.filter
def local_title(meeting, translated: str | None = None) -> str:
    """A meeting's title in the reader's language where its translation is public (`translated`, or the
    queryset's `translated_title`: meetings.translations.with_translated_title), else its English title marked
    as English. A list of passages gives it their `meeting_translated_title` (PassageQuerySet.for_listing)."""
    if reading_language() == settings.LANGUAGE_CODE:
        return conditional_escape(meeting.title)
    words = translated or getattr(meeting, "translated_title", None)
    return conditional_escape(words) if words else _named(Name(meeting.title, lang=settings.LANGUAGE_CODE))


@register.simple_tag
def english() -> str:
    """` lang="en"` on an element of English content (an official's title) on a page in another language."""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}"') if reading_language() != settings.LANGUAGE_CODE else ""  # noqa: S308


@register.simple_tag(takes_context=True)
def page_languages(context) -> list:
    """This page in each language (budapest.languages): the language switch and the hreflang links."""
    request = context.get("request")
    return languages.page_languages(request) if request is not None else []
