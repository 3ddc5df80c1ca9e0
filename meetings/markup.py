"""The small markup of summaries: **bold** names, footnote markers (¹ ²) and numbered lists.

Text is HTML-escaped first and only then given the few tags below, so nothing an
editor types can reach a reader's browser as markup or script. The result then
passes an allow-list sanitiser (nh3) that keeps exactly those tags and attributes:
a second line of defence should a change here ever let something through.
"""

import functools
import re

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_FOOTNOTE_MARK = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
# A footnote with a mark of its own ("*" for the Kosovo designation, "**", "†"), as Word's custom marks: written
# [^*] in the text, shown as the mark, linked to the footnote whose mark it is.
MARK_CHARACTERS = "*†‡§¶#"
MARK = re.compile(f"[{re.escape(MARK_CHARACTERS)}]{{1,4}}")
_MARK_REFERENCE = re.compile(rf"\[\^({MARK.pattern})\]")
_LIST_ITEM = re.compile(r"^\s*(\d+)\.\s+(.*)$")


# Exactly what this module emits, and nothing else.
_ALLOWED_TAGS = {"p", "ol", "li", "strong", "a"}
_ALLOWED_ATTRIBUTES = {"*": set(), "a": {"href", "aria-label"}, "li": {"value"}}
_ALLOWED_CLASSES = {"a": {"fnref"}}
_ALLOWED_VALUES = {
    ("a", "href"): re.compile(r"#fn\d+|#fn-[0-9a-f]{2,4}(?:-[0-9a-f]{2,4}){0,3}"),
    ("a", "aria-label"): re.compile(rf"Footnote (?:\d+|{MARK.pattern})"),
    ("li", "value"): re.compile(r"\d+"),
}
_TEXT = re.compile(r"(^|>)([^<]+)")


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return value  # nh3 keeps only the classes in _ALLOWED_CLASSES
    pattern = _ALLOWED_VALUES.get((tag, attribute))
    return value if pattern and pattern.fullmatch(value) else None


def sanitise(html: str) -> str:
    """Keep only the tags and attributes of the summary markup; the text keeps Django's escaping.

    nh3 writes ' " and a no-break space in text as themselves or as &nbsp;; they are put back
    as escape() writes them, so that sanitising changes nothing in what this module made.
    """
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        attribute_filter=_allowed_value,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    return _TEXT.sub(
        lambda m: m.group(1) + m.group(2).replace('"', "&quot;").replace("'", "&#x27;").replace("&nbsp;", "\u00a0"),
        cleaned,
    )


def superscript(number: int) -> str:
    """A footnote's mark as the summaries write it: 12 is ¹²."""
    return "".join(SUPERSCRIPT_DIGITS[int(digit)] for digit in str(number))


def footnote_number(marker: str) -> int:
    """The number a footnote's mark stands for: ¹² is 12."""
    return int("".join(str(SUPERSCRIPT_DIGITS.index(ch)) for ch in marker))


def footnote_anchor(number: int, mark: str = "") -> str:
    """The id of a footnote on its meeting's page: "fn3", or for a mark of its own "fn-2a" ("*"), "fn-2a-2a" ("**")."""
    return "fn-" + "-".join(f"{ord(ch):x}" for ch in mark) if mark else f"fn{number}"


def footnote_references(text: str) -> list[str]:
    """The anchors of the footnotes a text refers to, in order: "fn1" for ¹, "fn-2a" for [^*]."""
    found = [(match.start(), footnote_anchor(footnote_number(match[0]))) for match in _FOOTNOTE_MARK.finditer(text)]
    found += [(match.start(), footnote_anchor(0, match[1])) for match in _MARK_REFERENCE.finditer(text)]
    return [anchor for _start, anchor in sorted(found)]


def strip_markup(text: str) -> str:
    """The plain words, as a reader sees them: no stars, a footnote's own mark as the mark ("Kosovo*")."""
    return _BOLD.sub(r"\1", _MARK_REFERENCE.sub(r"\1", text))


def _inline(text: str) -> str:
    # Marks first: "[^**]" must not be read as the start of bold. They stand aside as \x01N\x01 meanwhile
    # (the text cannot hold \x01: escape() keeps it, and the stored text never has it).
    marks: list[str] = []

    def set_aside(match: re.Match) -> str:
        marks.append(match[1])
        return f"\x01{len(marks) - 1}\x01"

    html = _MARK_REFERENCE.sub(set_aside, escape(text.replace("\x01", "")))
    html = _BOLD.sub(r"<strong>\1</strong>", html)

    def footnote_link(match: re.Match) -> str:
        number = footnote_number(match.group(0))
        return str(
            format_html('<a class="fnref" href="#fn{}" aria-label="Footnote {}">{}</a>', number, number, match.group(0))
        )

    def mark_link(match: re.Match) -> str:
        mark = marks[int(match[1])]
        return str(
            format_html(
                '<a class="fnref" href="#{}" aria-label="Footnote {}">{}</a>', footnote_anchor(0, mark), mark, mark
            )
        )

    return re.sub("\x01(\\d+)\x01", mark_link, _FOOTNOTE_MARK.sub(footnote_link, html))


# The same text always gives the same markup: each worker keeps what it rendered of late, so that a
# page rendered again (after a change elsewhere on it) does not sanitise every passage again.
_memo = functools.lru_cache(maxsize=8192)


def render_inline(text: str, page: str = "") -> SafeString:
    """One run of text: bold and footnote links, no block elements.

    `page`: the address of the meeting page that holds the footnotes, for text shown on another page
    (a profile, a goal, search results), so that a footnote mark leads to its footnote there.
    """
    html = _render_inline(text)
    if page:
        html = html.replace('href="#fn', f'href="{escape(page)}#fn')
    return mark_safe(html)  # noqa: S308 - escaped in _inline, then sanitised; the page address escaped


@_memo
def _render_inline(text: str) -> str:
    return sanitise(_inline(text))


def render_blocks(text: str) -> SafeString:
    """Several lines: runs of “1. …” lines become an ordered list, other lines paragraphs."""
    return mark_safe(_render_blocks(text))  # noqa: S308 - every piece escaped in _inline, then sanitised


@_memo
def _render_blocks(text: str) -> str:
    blocks: list[str] = []
    items: list[tuple[str, str]] = []

    def close_list():
        if items:
            lis = "".join(f'<li value="{number}">{_inline(body)}</li>' for number, body in items)
            blocks.append(f"<ol>{lis}</ol>")
            items.clear()

    for line in text.splitlines():
        if not line.strip():
            continue
        match = _LIST_ITEM.match(line)
        if match:
            items.append((match[1], match[2]))
            continue
        close_list()
        blocks.append(f"<p>{_inline(line.strip())}</p>")
    close_list()
    return sanitise("".join(blocks))
