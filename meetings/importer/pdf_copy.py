"""Text copied out of a PDF into a .txt: what the page put around the words is taken off, broken words rejoined,
footnote numbers glued to words raised again.

    text, warnings = pdf_copy_cleaned(text)

- Page numbers alone on a line ("3", "Page 3 of 7", "- 3 -", "3 | Page") and running headers and footers (a short
  line that stands again elsewhere in the text, its digits aside: "Budapest Process – Summary", "Ministerial
  Conference, Ankara 2026 | 3") are left out below paragraph 1; above it, their first copy stays (the title).
- A number alone on a line inside a sentence ("participants of" / "12" / "countries") is no page's: it is joined to
  the line above.
- A word broken at a line's end ("migra-" then "tion", also across a page break) is one word again; the hyphen
  stays where the text writes the word with it elsewhere ("co-operation"). Each join is a guess: the review lists
  them.

Every pattern is anchored at a line's start or bounded, and each line is read a fixed number of times.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

# A page's number alone on its line.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|seite)\s*\d{1,3}(?:\s*(?:of|/|von)\s*\d{1,3})?|\d{1,3}\s*(?:of|/)\s*\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]"
    r"|\d{1,3}\s*\|\s*page|page\s*\|\s*\d{1,3})$",
    re.IGNORECASE,
)
# A paragraph's start, as the parser reads one ("1.", "(1)", "4)", "§ 4", "1.1"): below the first, lines are body.
# Not a date line's "2 December 2020": a number is a paragraph's with its "." or ")" (or as "3.1").
_PARAGRAPH_START = re.compile(r"^[ \t]*(?:\(\d{1,3}\)|\d{1,3}(?:\.\d{1,2}\.?|[.)])(?:[ \t]|$)|§)")
_RUNNING_MAX = 100  # a running header or footer is a short line
_SENTENCE_END = re.compile(r"[.;:,!?-]$")  # a line that ends a sentence, or a word broken, is text
_DIGITS = re.compile(r"\d+")
_NOT_RUNNING = re.compile(r"^(?:[-*•|#>]|\d{1,3}[.)]|\(\d)")  # list items, table rows, headings, numbers
# A word broken at the end of a line, and its rest at the start of the next line that has text.
_BROKEN_WORD = re.compile(r"(?P<head>\b[^\W\d_]{2,})[-\u00ad][ \t]*\n(?:[ \t]*\n){0,8}[ \t]*(?P<tail>[a-zß-ÿ]+)")


_WORD = re.compile(r"[^\W\d_]+")
_HYPHENATED = re.compile(r"(?<![^\W\d_])[^\W\d_]+-[^\W\d_]+")  # from a word's start only: linear


# A number alone on a line that the sentence needs: "… gathered participants of" / "12" / "countries and …". The line
# above ends in a word, the one below (no blank between) starts with a plural or a word of quantity.
_ENDS_IN_WORD = re.compile(r"[^\W\d_]$")
_COUNTED = re.compile(r"^(?:[a-z]+s|per\s*cent|percent|%|million|thousand|hundred)\b")


def _number_in_sentence(lines: list[str], index: int) -> bool:
    """Whether the bare number on line `index` is a word of the sentence around it, not a page's number."""
    if index == 0 or index + 1 >= len(lines) or not re.fullmatch(r"\d{1,3}(?:[.,]\d+)?", lines[index].strip()):
        return False
    above, below = lines[index - 1].strip(), lines[index + 1].strip()
    return bool(above and below and _ENDS_IN_WORD.search(above) and _COUNTED.match(below))


def _not_running(line: str) -> bool:
    """A line that is never a running header: a paragraph's start, a list's item, a table's row, a heading."""
    return bool(_NOT_RUNNING.match(line) or _PARAGRAPH_START.match(line))


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).casefold())


def pdf_copy_cleaned(text: str) -> tuple[str, list[str]]:
    """The text without page numbers and running lines, its broken words rejoined; and what the review says."""
    lines = text.split("\n")
    first = next((index for index, line in enumerate(lines) if _PARAGRAPH_START.match(line)), len(lines))
    counts = Counter(
        _running_key(line)
        for line in lines
        if line.strip() and len(line.strip()) <= _RUNNING_MAX and not _not_running(line.strip())
    )
    kept: list[str] = []
    dropped: Counter[str] = Counter()
    for index, line in enumerate(lines):
        stripped = " ".join(line.split())
        if stripped and kept and _number_in_sentence(lines, index):
            kept[-1] = f"{kept[-1].rstrip()} {stripped}"  # "participants of 12" / "countries": the sentence goes on
            continue
        if index > first and stripped:
            page_number = _PAGE_NUMBER.match(stripped)
            running = (
                counts[_running_key(stripped)] >= 2
                and len(stripped) <= _RUNNING_MAX
                and not _SENTENCE_END.search(stripped)
                and not _not_running(stripped)
            )
            if page_number or running:
                if running and not page_number:
                    dropped[stripped] += 1
                kept.append("")  # a break, as the page's was
                continue
        kept.append(line)
    text = "\n".join(kept)
    warnings = []
    if dropped:
        said = "; ".join(f"“{line}”" + (f" ({count} times)" if count > 1 else "") for line, count in dropped.items())
        warnings.append(
            f"Lines that stand again and again, as a PDF's running headers and footers do, were left out: {said}. "
            "Check that none was a heading."
        )
    joined: list[str] = []
    if not _BROKEN_WORD.search(text):
        return text, warnings
    # The words the text writes, and those it writes with a hyphen, looked up once for every broken word.
    folded = text.casefold()
    words, hyphenated_words = set(_WORD.findall(folded)), set(_HYPHENATED.findall(folded))

    def join(match: re.Match) -> str:
        head, tail = match["head"], match["tail"]
        hyphenated = f"{head}-{tail}"
        kept = hyphenated.casefold() in hyphenated_words and (head + tail).casefold() not in words
        whole = hyphenated if kept else head + tail
        joined.append(f"{head}- {tail} → {whole}")
        return whole

    text = _BROKEN_WORD.sub(join, text)
    if joined:
        shown = "; ".join(joined[:8]) + ("; …" if len(joined) > 8 else ".")
        warnings.append(
            textwrap.shorten(f"Words broken at the end of a line were joined ({len(joined)}): {shown}", 600)
            + " Correct any that should keep its hyphen."
        )
    return text, warnings


# A footnote as a PDF's text gives it at the end, its number no longer raised: "1 The Call for Action …".
_NOTE_LINE = re.compile(r"^[ \t]*(?P<number>[1-9]\d?)[ \t]+(?=\S)")
# A note's number glued to the word it follows, as copying loses its raising: "migration1", "Action2." (after a
# word in small letters only: "PG2", "G20", "COVID19" are names).
_GLUED_MARK = re.compile(r"(?<=[a-zà-ÿ]{2})(?P<number>[1-9]\d?)(?=[\s.,;:)!?]|$)", re.MULTILINE)
_RAISED = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def glued_note_marks(text: str) -> tuple[str, list[str]]:
    """Notes numbered 1, 2, … on lines of their own after the last paragraph, and their numbers glued to words in
    the text above, read as a PDF meant them: raised marks ("migration¹") and notes ("¹ The Call …").

    Only where the lines at the end number the notes 1, 2, … in order, and only the numbers they define.
    """
    lines = text.split("\n")
    last = max((index for index, line in enumerate(lines) if _PARAGRAPH_START.match(line)), default=-1)
    if last < 0:
        return text, []
    notes = [
        (index, int(found["number"]))
        for index in range(last + 1, len(lines))
        if (found := _NOTE_LINE.match(lines[index]))
    ]
    # The notes are the lines from the one numbered 1 on, numbered 1, 2, … with nothing else numbered after.
    first = next((position for position, (_, number) in enumerate(notes) if number == 1), None)
    if first is None or [number for _, number in notes[first:]] != list(range(1, len(notes) - first + 1)):
        return text, []
    notes = notes[first:]
    if notes[0][0] > 0 and lines[notes[0][0] - 1].strip():
        return text, []  # "… from" / "1 country …": a line wrapped before a number, not the first note
    start, count = notes[0][0], len(notes)
    glued: list[tuple[str, str]] = []  # (the word, the number glued to it)

    def raise_mark(match: re.Match) -> str:
        if int(match["number"]) > count:
            return match[0]
        word = re.search(r"[^\W\d_]+$", match.string[max(0, match.start() - 30) : match.start()])
        glued.append((word[0] if word else "", match["number"]))
        return match["number"].translate(_RAISED)

    body = _GLUED_MARK.sub(raise_mark, "\n".join(lines[:start]))
    if not glued:
        return text, []
    for index, number in notes:
        lines[index] = _NOTE_LINE.sub(str(number).translate(_RAISED) + " ", lines[index], count=1)
    shown = "; ".join(f"{word}{digits} → {word}{digits.translate(_RAISED)}" for word, digits in glued[:6])
    warning = (
        f"Numbers glued to words were read as the marks of the {count} footnote(s) at the end ({shown}"
        + ("; …)" if len(glued) > 6 else ")")
        + ": check that none was part of a name."
    )
    return "\n".join([body, *lines[start:]]), [warning]
