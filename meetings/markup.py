"""The small markup of summaries: **bold** names, footnote markers (¹ ²) and numbered lists.

Text is HTML-escaped first and only then given the few tags below, so nothing an
editor types can reach a reader's browser as markup or script.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_FOOTNOTE_MARK = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
_LIST_ITEM = re.compile(r"^\s*(\d+)\.\s+(.*)$")


def footnote_number(marker: str) -> int:
    return int("".join(str(SUPERSCRIPT_DIGITS.index(ch)) for ch in marker))


def strip_markup(text: str) -> str:
    """The plain words, as a reader sees them: no stars."""
    return _BOLD.sub(r"\1", text)


def _inline(text: str) -> str:
    html = _BOLD.sub(r"<strong>\1</strong>", escape(text))

    def footnote_link(match: re.Match) -> str:
        number = footnote_number(match.group(0))
        return str(
            format_html('<a class="fnref" href="#fn{}" aria-label="Footnote {}">{}</a>', number, number, match.group(0))
        )

    return _FOOTNOTE_MARK.sub(footnote_link, html)


def render_inline(text: str) -> SafeString:
    """One run of text: bold and footnote links, no block elements."""
    return mark_safe(_inline(text))  # noqa: S308 - escaped in _inline before any tag is added


def render_blocks(text: str) -> SafeString:
    """Several lines: runs of “1. …” lines become an ordered list, other lines paragraphs."""
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
            items.append(match.groups())
            continue
        close_list()
        blocks.append(f"<p>{_inline(line.strip())}</p>")
    close_list()
    return mark_safe("".join(blocks))  # noqa: S308 - every piece escaped in _inline
