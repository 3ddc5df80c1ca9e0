"""The priority goals a passage names, read from its words without the database.

    goal_numbers("priority goals 1, 2 and 5¹")  → [1, 2, 5]
    goal_subjects("the goal on legal migration") → ["legal migration"]
    goal_subjects("the goals on return and on integration") → ["return", "integration"]

A number means the goal of that number in the Call for Action in force on the meeting's date
(`meetings.goals.goals_in_force`); a subject means the one goal of that Call for Action whose title holds those
words, which the recogniser looks up (`Recogniser.goals_on`): "the return goal" is goal 3 in 2025 and no goal in
2020, whose goals have no title "return".
"""

from __future__ import annotations

import re

from ..markup import SUPERSCRIPT_DIGITS
from .roles import ORDINAL_WORDS

_SUP = f"[{SUPERSCRIPT_DIGITS}]"
# A number may be followed by its subject in brackets: "goals 1 (irregular migration) and 3 (return)".
_NUMBER = rf"\d{{1,2}}{_SUP}*(?:\s*\([^()\n]{{1,60}}\))?"
_GOALS = re.compile(
    rf"\b(?:(?:priority\s+)?goals?\s+|(?-i:PGs?)\s*)(?:no\.?\s*|number\s+|#)?"  # "PG 2", never "pg 2"
    rf"(?P<numbers>{_NUMBER}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+to\s+|\s*[–-]\s*)"
    rf"(?:(?:goal|(?-i:PG))\s*|#)?{_NUMBER})*)"  # "PG1–PG3", "goal 2 (…), goal 4": the word again before a number
    r"(?![\d.,]\d)",
    re.IGNORECASE,
)
_ANY_GOAL = re.compile(r"goal|PG", re.IGNORECASE)  # a text without either names no goal: one quick scan
_BRACKETED = re.compile(r"\s*\([^()\n]{1,60}\)")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8}
_ORDINAL = "|".join(_ORDINALS)
_ORDINAL_GOALS = re.compile(
    rf"\b(?P<ordinals>(?:{_ORDINAL})(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)(?:the\s+)?(?:{_ORDINAL}))*)"
    r"\s+(?:priority\s+)?goals?\b",
    re.IGNORECASE,
)
# "priority goals one and two", "priority goal three": numbers in words only after "priority goal", as "the goals
# two countries share" names none.
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBER_WORD = "|".join(_NUMBER_WORDS)
_WORDED_GOALS = re.compile(
    rf"\bpriority\s+goals?\s+(?:no\.?\s*)?(?P<words>(?:{_NUMBER_WORD})(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)"
    rf"(?:{_NUMBER_WORD}))*)\b",
    re.IGNORECASE,
)


def goal_numbers(text: str) -> list[int]:
    """Numbers of the goals a text names: "priority goals 1, 2 and 5¹", "goal 2", "goals 3 to 5", "PG 2", "the
    second priority goal", "goals 1 (irregular migration) and 3 (return)" → their numbers; "the six priority
    goals" names none."""
    numbers: list[int] = []
    if not _ANY_GOAL.search(text):
        return numbers
    for match in _GOALS.finditer(text):
        spec = re.sub(r"PG\s*|goal\s*|#", "", re.sub(_SUP, "", _BRACKETED.sub("", match["numbers"])), flags=re.I)
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", spec):
            bounds = re.split(r"\s+to\s+|\s*[–-]\s*", part)
            if len(bounds) == 2 and bounds[0] and bounds[1] and int(bounds[0]) < int(bounds[1]):
                numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            else:
                numbers.extend(int(bound) for bound in bounds if bound)
    for match in _ORDINAL_GOALS.finditer(text):
        numbers.extend(_ORDINALS[word.lower()] for word in re.findall(_ORDINAL, match["ordinals"], re.IGNORECASE))
    for match in _WORDED_GOALS.finditer(text):
        numbers.extend(_NUMBER_WORDS[word.lower()] for word in re.findall(_NUMBER_WORD, match["words"], re.I))
    return sorted(set(numbers))


# "the goal on return, readmission and reintegration", "the priority goal on legal migration", "the return goal".
_SUBJECT_AFTER = re.compile(r"\b(?:priority\s+)?goal\s+on\s+(?:the\s+)?(?P<words>[a-z]{1,30}(?:\s+[a-z]{1,30}){0,3})")
# "the goals on return and on integration", "the goals on legal migration and international protection": one
# subject each, split at their "and" and commas (a single goal's "return, readmission and reintegration" is one).
_SUBJECTS_AFTER = re.compile(
    r"\b(?:priority\s+)?goals\s+on\s+(?:the\s+)?(?P<words>[a-z]{1,30}(?:(?:\s+|\s*,\s*)[a-z]{1,30}){0,9})"
)
_SUBJECT_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?(?:on\s+)?(?:the\s+)?|\s+(?:and|or)\s+(?:on\s+)?(?:the\s+)?")
_SUBJECT_BEFORE = re.compile(r"\bthe\s+(?P<words>[a-z]{1,30}(?:\s+[a-z]{1,30})?)\s+goal\b(?!\s+(?:on|of)\b)")
# Words that end a subject, and words before "goal" that are no subject ("the main goal", "the first goal").
_SUBJECT_ENDS = {
    "the", "a", "an", "goal", "goals", "as", "would", "will", "was", "is", "which", "that", "to", "in", "for",
    "by", "with", "under", "at", "its", "their", "his", "her", "within",
}  # fmt: skip
_NO_SUBJECT = {
    "priority", "main", "common", "same", "overall", "key", "other", "new", "whole", "each", "specific", "relevant",
    "ultimate", "shared", "final", "general", "second", "last", "next", *ORDINAL_WORDS, *_NUMBER_WORDS,
}  # fmt: skip


def goal_subjects(text: str) -> list[str]:
    """The subjects of the goals a text names by subject, in its words: "the goal on legal migration and the return
    goal" → ["legal migration", "return"]. Which goal (if any) each is, the recogniser says."""
    found: list[tuple[int, str]] = []
    if not _ANY_GOAL.search(text):
        return []
    for match in _SUBJECT_AFTER.finditer(text):
        words: list[str] = []
        for word in match["words"].split():
            if word in _SUBJECT_ENDS:
                break
            words.append(word)
        while words and words[-1] in ("and", "or"):
            words.pop()
        if words:
            found.append((match.start(), " ".join(words)))
    for match in _SUBJECTS_AFTER.finditer(text):
        phrase: list[str] = []
        for word in re.findall(r"[a-z]+|,", match["words"]):
            if word in _SUBJECT_ENDS:
                break
            phrase.append(word)
        for offset, subject in enumerate(_SUBJECT_SEPARATOR.split(" ".join(phrase).replace(" ,", ","))):
            subject = subject.strip(" ,")
            if subject and subject not in ("and", "or", "on"):
                found.append((match.start() + offset, subject))
    for match in _SUBJECT_BEFORE.finditer(text):
        words = match["words"].split()
        if not set(words) & _NO_SUBJECT:
            found.append((match.start(), " ".join(words)))
    subjects: list[str] = []
    for _start, subject in sorted(found):
        if subject not in subjects:
            subjects.append(subject)
    return subjects
