"""What a meeting is and who held which part in it, read from the words: no database.

- The kind of meeting and its number in its series: "38th Senior Officials Meeting", "the Seventh Ministerial
  Conference" → ("senior_officials_meeting", 38), ("ministerial_conference", 7). The kinds are the values of
  `MeetingSeries.Kind`.
- The dialogue's roles beside chair, co-chair and Secretariat: "Georgia as host", "hosted by Hungary", "at the
  invitation of Armenia",
  "Sweden, as Reference Group Rapporteur", "Serbia and Türkiye, co-chairs of the working group" → the values of
  `Participation.Role` with the names as written (the recogniser matches them to actors).

Every pattern is bounded (a name of at most four words, a few words between) so that it runs in time linear in
the text, as the rest of the importer (`limits.py`).
"""

from __future__ import annotations

import re

HOST, RAPPORTEUR, WORKING_GROUP_CO_CHAIR = "host", "rapporteur", "working_group_co_chair"

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth"]  # fmt: skip
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70, "eight": 80, "ninet": 90}
_CARDINAL_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

ORDINAL_WORDS: dict[str, int] = {word: index for index, word in enumerate(_UNITS, start=1)}
ORDINAL_WORDS |= {word: index for index, word in enumerate(_TEENS, start=10)}
for _stem, _value in _TENS.items():
    ORDINAL_WORDS[f"{_stem}ieth"] = _value
    for _index, _unit in enumerate(_UNITS, start=1):
        ORDINAL_WORDS[f"{_stem}y-{_unit}"] = _value + _index  # "thirty-eighth"

_ORDINAL = r"(?P<ordinal>\d{1,3}(?:st|nd|rd|th)|[A-Za-z]+(?:-[A-Za-z]+)?)"
KINDS = (
    ("senior_officials_meeting", r"Senior\s+Officials[’']?\s+Meeting"),
    ("ministerial_conference", r"Ministerial\s+(?:Conference|Meeting)"),
    ("reference_group", r"Reference\s+Group\s+Meeting|Meeting\s+of\s+the\s+Reference\s+Group"),
    ("working_group", r"(?:Thematic\s+)?Working\s+Group(?:\s+Meeting)?|Meeting\s+of\s+the\s+Working\s+Group"),
    ("preparatory", r"Preparatory\s+(?:Meeting|Conference)"),
    ("thematic", r"Thematic\s+(?:Meeting|Conference|Workshop|Seminar)"),
    ("regional", r"Regional\s+(?:Meeting|Conference)"),
)
_KIND_PATTERNS = [(kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for kind, words in KINDS]
# The ordinal just before the kind, with at most two words between ("7th Budapest Process Ministerial Conference").
_BEFORE = re.compile(rf"{_ORDINAL}\s+(?:(?:Annual|Budapest|Process|BP)\s+){{0,2}}$", re.IGNORECASE)


def ordinal_value(word: str) -> int | None:
    """38 for "38th" or "thirty-eighth"; None for a word that is not an ordinal."""
    word = word.lower()
    digits = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
    if digits:
        return int(digits[1]) or None
    return ORDINAL_WORDS.get(word)


# Minutes name the meeting of their series by its ordinal: "Minutes of the Third Meeting", "the 12th meeting of the
# Working Group".
_NTH_MEETING = re.compile(rf"\b{_ORDINAL}\s+Meeting\b", re.IGNORECASE)
_NTH_MEETING_OF = re.compile(rf"\b{_ORDINAL}\s+meeting\s+of\s+(?:the\s+)?(?P<kind>[A-Z])", re.IGNORECASE)


def meeting_kind(title: str, first_paragraph: str = "") -> tuple[str, int | None]:
    """The kind of meeting a title names, and its number if the title (or else paragraph 1) gives it."""
    for kind, pattern in _KIND_PATTERNS:
        found = pattern.search(title)
        if found is None:
            continue
        number = _number_before(title, found.start())
        if number is None:
            for later in pattern.finditer(first_paragraph[:2000]):
                number = _number_before(first_paragraph, later.start())
                if number is not None:
                    break
        if number is None:
            number = _nth_meeting(title, first_paragraph[:2000], pattern)
        return kind, number
    return "", None


def _nth_meeting(title: str, first_paragraph: str, kind: re.Pattern) -> int | None:
    """ "Minutes of the Third Meeting" in the title, or "the third meeting of the Working Group" in paragraph 1."""
    for found in _NTH_MEETING.finditer(title):
        if (number := ordinal_value(found["ordinal"])) is not None:
            return number
    for found in _NTH_MEETING_OF.finditer(first_paragraph):
        number = ordinal_value(found["ordinal"])
        if number is not None and kind.match(first_paragraph, found.start("kind")):
            return number
    return None


def _number_before(text: str, end: int) -> int | None:
    before = _BEFORE.search(text[max(0, end - 60) : end])
    return ordinal_value(before["ordinal"]) if before else None


# A name as summaries write one: up to four capitalised words, joined by "and", "of", "the" (as _ROLE_DECLARATION).
_NAME = r"(?P<name>[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w'’-]*){0,3})"
_ROLE_PATTERNS = (
    (HOST, re.compile(rf"(?<![\w'’-]){_NAME},?\s+(?:as|in\s+its\s+capacity\s+as)\s+(?:the\s+)?host\b(?!-)")),
    (HOST, re.compile(rf"\b(?:kindly\s+)?hosted\s+by\s+(?:the\s+(?:Government\s+of\s+)?)?{_NAME}")),
    # "met in Yerevan at the invitation of Armenia" (not "… of the Chair", whose role is its own).
    (
        HOST,
        re.compile(
            r"\bat\s+the\s+(?:kind\s+)?invitation\s+of\s+(?:the\s+(?:Government\s+of\s+)?)?"
            rf"(?!(?:Co-?)?Chair|Secretariat){_NAME}"
        ),
    ),
    (
        RAPPORTEUR,
        re.compile(
            rf"(?<![\w'’-]){_NAME},?\s+(?:as|in\s+its\s+capacity\s+as)\s+(?:the\s+)?"
            r"(?:Reference\s+Group\s+|Budapest\s+Process\s+)?[Rr]apporteur\b"
        ),  # fmt: skip
    ),
    (
        WORKING_GROUP_CO_CHAIR,
        re.compile(
            rf"(?<![\w'’-]){_NAME},?\s+(?:as\s+)?(?:the\s+)?(?:two\s+)?[Cc]o-?[Cc]hairs?\s+of\s+the\s+"
            r"(?:[\w-]+\s+){0,4}?[Ww]orking\s+[Gg]roup"
        ),  # fmt: skip
    ),
)
_NOT_A_NAME = {"The", "This", "It", "Its", "Their", "He", "She", "They", "Which", "Who"}


# Where a role may be declared: the patterns above run only on the words around these, so that a long text
# without them costs one quick scan, and one with thousands of them no more than MAX_ROLE_WORDS windows.
_ROLE_WORD = re.compile(r"\bhost(?:ed)?\b|\binvitation\s+of\b|[Rr]apporteur\b|[Cc]o-?[Cc]hairs?\s+of\b")
MAX_ROLE_WORDS = 100
_WINDOW = 160


def declared_roles(text: str) -> list[tuple[str, str]]:
    """(role, name as written) for each role the text declares, in the order of the roles above, once each."""
    windows = []
    for count, word in enumerate(_ROLE_WORD.finditer(text)):
        if count >= MAX_ROLE_WORDS:
            break
        start = max(0, word.start() - _WINDOW)
        space = text.rfind(" ", max(0, start - 40), start) if start else -1
        windows.append(text[space + 1 if space >= 0 else start : word.end() + _WINDOW])  # from a word's start
    found: list[tuple[str, str]] = []
    for role, pattern in _ROLE_PATTERNS:
        for window in windows:
            for match in pattern.finditer(window):
                name = re.sub(r"['’]s$", "", match["name"]).strip()
                name = re.sub(r"^(?:The|the)\s+", "", name)
                if name and name not in _NOT_A_NAME and (role, name) not in found:
                    found.append((role, name))
    return found
