"""A summary's header: the lines above paragraph 1 read as its title, dates, place and format.

    read_header(["Budapest Process", "Annual Senior Officials Meeting", "Online, 2 December 2020", "Summary"])
    → ("Annual Senior Officials Meeting", DateMatch(2020-12-02 …), "", "online", [])

Dates in words ("14–15 March 2022", "November 29-30, 2023", "5th of April 2024"), or in figures only where day and
month cannot be mistaken ("25/11/2025"); the place and the format (online, in person, hybrid) from the words
around the date. Every pattern is bounded; nothing here touches the database.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .limits import SummaryError

# The formats the importer has to recognise; each kind of meeting knows it.
ONLINE, IN_PERSON, HYBRID = "online", "in_person", "hybrid"

DIALOGUE_NAME = "Budapest Process"


def collapse(text: str) -> str:
    return " ".join(text.split())


def strip_bold(text: str) -> str:
    return text.replace("**", "")


# A header's line that says what kind of document it is ("Summary", "Meeting report"), no title's words.
SKIPPED_HEADER = re.compile(
    r"^(?:draft\s+|final\s+)?(?:(?:the\s+)?chair(?:'s|’s)?\s+|meeting\s+)?"
    r"(?:summary(?:\s+(?:report|record|of\s+(?:the\s+)?(?:discussions?|meeting)))?|report|minutes|conclusions)$",
    re.IGNORECASE,
)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_M = r"(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
_Y = r"(?P<{}>\d{{4}})"
_TO = r"(?:\s*[-–—]\s*|\s+(?:to|until|till|and|-)\s+)"
_OF = r"\s+(?:of\s+)?"  # "5th of April 2024"
_D1, _D2, _M1, _M2, _Y1, _Y2 = (
    _D.format("d1"),
    _D.format("d2"),
    _M.format("m1"),
    _M.format("m2"),
    _Y.format("y1"),
    _Y.format("y2"),
)
_DATE_PATTERNS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_D1}{_OF}{_M1}\s+{_Y1}{_TO}{_D2}{_OF}{_M2}\s+{_Y2}\b",  # 30 December 2021 – 2 January 2022
        rf"\b{_D1}{_OF}{_M1}{_TO}{_D2}{_OF}{_M2},?\s+{_Y2}\b",  # 30 November – 1 December 2021
        rf"\b{_D1}{_TO}{_D2}{_OF}{_M2},?\s+{_Y2}\b",  # 14–15 March 2022, 3 to 4 May 2021
        rf"\b{_D1}{_OF}{_M1},?\s+{_Y1}\b",  # 2 December 2020
        rf"\b{_M1}\s+{_D1}{_TO}{_D2},?\s+{_Y2}\b",  # March 14–15, 2022
        rf"\b{_M1}\s+{_D1},?\s+{_Y1}\b",  # December 2, 2020
    )
]


@dataclass
class DateMatch:
    start: datetime.date
    end: datetime.date | None
    span: tuple[int, int]


def find_dates(text: str) -> DateMatch | None:
    """The first date or date range in the text: "2 December 2020", "14–15 March 2022", "3 to 4 May 2021"."""
    found = []
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append(match)
    if not found:
        return None
    # The earliest match, and of those the longest (a range before the single date inside it).
    match = min(found, key=lambda m: (m.start(), -(m.end() - m.start())))
    parts = match.groupdict()
    year2 = int(parts.get("y2") or parts["y1"])
    year1 = int(parts.get("y1") or year2)
    month2 = _MONTHS[(parts.get("m2") or parts["m1"]).lower()]
    month1 = _MONTHS[(parts.get("m1") or parts["m2"]).lower()]
    try:
        start = datetime.date(year1, month1, int(parts["d1"]))
        end = datetime.date(year2, month2, int(parts["d2"])) if parts.get("d2") else None
    except ValueError as error:
        raise SummaryError(f"“{match[0]}” is not a date in the calendar ({error}).") from error
    if end is not None and end < start and parts.get("y1") is None and month1 > month2:
        start = start.replace(year=start.year - 1)  # "30 December – 2 January 2022"
    if end is not None and end < start:
        raise SummaryError(f"“{match[0]}”: the last day is before the first day.")
    if end == start:
        end = None
    return DateMatch(start, end, match.span())


# "2/12/2020", "25.11.2025": a date in figures. Its day and month can be told apart only when one of them is above 12
# (or both are the same); "2/12/2020" is 2 December in Vienna and 12 February in Washington, and is never guessed.
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/]|\.\d)")


def has_date(line: str) -> bool:
    return bool(_NUMERIC_DATE.search(line)) or any(pattern.search(line) for pattern in _DATE_PATTERNS)


def numeric_date(text: str) -> tuple[DateMatch | None, tuple[int, int] | None, str]:
    """A date written in figures, where it is, and what to tell the reader: "" when it was read, else why not."""
    match = _NUMERIC_DATE.search(text)
    if match is None:
        return None, None, ""
    first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
    readings = []
    for day, month in {(first, second), (second, first)}:
        try:
            readings.append(datetime.date(year, month, day))
        except ValueError:
            pass
    if len(readings) == 1:
        return DateMatch(readings[0], None, match.span()), match.span(), ""
    if readings:
        one, other = (f"{date.day} {date:%B %Y}" for date in sorted(readings, key=lambda date: date.month != second))
        said = f"The date “{match[0]}” may be {one} or {other}: it was not read."
    else:
        said = f"“{match[0]}” is not a date in the calendar: it was not read."
    return None, match.span(), said + " Set the meeting's date by hand."


_ONLINE_WORDS = re.compile(
    r"\b(?:online|virtual(?:ly)?|videoconference|video conference|webinar|remote(?:ly)?)\b", re.I
)
_HYBRID_WORD = re.compile(r"\bhybrid\b", re.IGNORECASE)


def _strip_trailing_joiners(text: str) -> str:
    """ "Budapest and" → "Budapest": punctuation and "and"/"or" off the end, without a pattern anchored at $."""
    while True:
        stripped = text.rstrip(" \t\n,;:/&()–—-")
        for word in ("and", "or"):
            if stripped == word or stripped.endswith((" " + word, "(" + word, "," + word)):
                stripped = stripped[: -len(word)]
        if stripped == text:
            return text
        text = stripped


def place_and_format(place: str) -> tuple[str, str]:
    """ "Online" → ("", online); "Istanbul" → ("Istanbul", in person); "Budapest and online" → hybrid."""
    hybrid = bool(_HYBRID_WORD.search(place))
    online = bool(_ONLINE_WORDS.search(place))
    location = _HYBRID_WORD.sub("", _ONLINE_WORDS.sub("", place))
    location = re.sub(r"\b(?:meeting|conference|format|event|session)\b", "", location, flags=re.IGNORECASE)
    location = re.sub(r"\(\s*\)", "", location)
    location = re.sub(r"^(?:[\s,;:/&()–—-]|and\b|or\b|in\b|held\b)+", "", location)
    location = _strip_trailing_joiners(location)
    location = collapse(location)
    if hybrid or (online and location):
        return location, HYBRID
    if online:
        return "", ONLINE
    return location, IN_PERSON


# What an e-mail puts above the text it forwards: none of it is the meeting's title.
_MAIL_HEADER = re.compile(
    r"^(?:(?:subject|from|to|cc|bcc|sent|date|re|fw|fwd|attachments?)\s*:|-{2,}\s*(?:original|forwarded)\s+message)",
    re.IGNORECASE,
)


_DIALOGUE_PREFIX = re.compile(
    rf"^{DIALOGUE_NAME}\s*(?:[–—:|-]|\s-\s)\s*(?=\S)", re.IGNORECASE
)  # "Budapest Process – X"


def read_header(lines: list[str]) -> tuple[str, DateMatch | None, str, str, list[str]]:
    cleaned = [collapse(strip_bold(line)).strip(" *_") for line in lines]
    cleaned = [line for line in cleaned if line]
    title_lines: list[str] = []
    after_date: list[str] = []
    warnings: list[str] = []
    dates, location, meeting_format = None, "", IN_PERSON
    dated = False  # the line with the date (or a date that could not be read) was seen
    for line in cleaned:
        if line.casefold() == DIALOGUE_NAME.casefold() or _MAIL_HEADER.match(line):
            continue
        if SKIPPED_HEADER.match(line) or SKIPPED_HEADER.match(_DIALOGUE_PREFIX.sub("", line)):
            continue  # "Summary", "Budapest Process – Summary" (a PDF's running header): no title's words
        if not dated:
            dates = find_dates(line)
            span = dates.span if dates else None
            if dates is None:
                dates, span, said = numeric_date(line)
                if said:
                    warnings.append(said)
            if span is not None:
                dated = True
                place = (line[: span[0]] + " " + line[span[1] :]).strip()
                place = re.sub(r"^(?:on\s+)?|,?\s*(?:on)?$", "", place).strip(" ,;–—-")
                location, meeting_format = place_and_format(place)
                continue
        if not dated:
            title_lines.append(line)
        else:
            after_date.append(line)
    title = _DIALOGUE_PREFIX.sub("", " – ".join(title_lines or after_date))
    return title, dates, location, meeting_format, warnings
