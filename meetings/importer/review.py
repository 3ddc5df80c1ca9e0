"""The officer's corrections of an import, kept as plain data (in the session) and applied to what was read.

    corrections = Corrections.from_data(session_data)
    summary = summary_with(text, corrections)   # recognised again, with every correction applied

A correction names what it changes by what the officer saw: a name as written, a passage by its text. So
corrections made in several rounds of the review keep applying, and one that no longer fits (a passage
merged away) is simply not applied.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from meetings.goals import goals_in_force

from .goals import goal_numbers, goal_subjects
from .limits import time_budget
from .parse import DIALOGUE_NAME, HYBRID, IN_PERSON, ONLINE, split_sentences, strip_bold
from .recognise import (
    COUNTRY,
    ORGANISATION,
    SPEAKER_KINDS,
    ActorMatch,
    PassageEntry,
    Recogniser,
    Summary,
    name_and_acronym,
    norm,
    summary_of_text,
)

FORMATS = (IN_PERSON, ONLINE, HYBRID)


def passage_key(number: int, text: str) -> str:
    """A passage's name in the corrections: its paragraph and a digest of its text."""
    return hashlib.sha1(f"{number}\n{text}".encode()).hexdigest()[:12]


@dataclass
class Corrections:
    """What the officer decided on the review; everything is optional."""

    names: dict[str, list] = field(default_factory=dict)  # as written → ["actor", pk] / ["organisation", …] / …
    meeting: dict[str, str] = field(default_factory=dict)  # title, start_date, end_date, location, format
    roles: dict[str, str] = field(default_factory=dict)  # chair, co_chair, secretariat → a name ("" for none)
    passages: dict[str, dict[str, str]] = field(default_factory=dict)  # key → {"speakers": "A; B", "goals": "1, 2"}
    structure: list[list] = field(default_factory=list)  # ["split", key, after sentence n] / ["merge", key]

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Corrections:
        data = data or {}
        return cls(
            names=dict(data.get("names", {})),
            meeting=dict(data.get("meeting", {})),
            roles=dict(data.get("roles", {})),
            passages=dict(data.get("passages", {})),
            structure=list(data.get("structure", [])),
        )

    def to_data(self) -> dict[str, Any]:
        return asdict(self)


def summary_with(text: str, corrections: Corrections) -> Summary:
    """The summary as read from its text, then corrected as the officer said."""
    with time_budget():
        recogniser = Recogniser(corrections.names)
        summary = summary_of_text(text, recogniser=recogniser)
        goals = goals_in_force(_date(corrections.meeting.get("start_date")) or summary.start_date)
        in_force = set(goals)
        recogniser.goal_numbers, recogniser.goal_titles = in_force, {n: goal.title for n, goal in goals.items()}
        _apply_structure(summary, corrections.structure, recogniser)
        _apply_passages(summary, corrections.passages, recogniser, in_force)
        _apply_meeting(summary, corrections.meeting)
        _apply_roles(summary, corrections.roles, recogniser)
        summary.unrecognised = recogniser.unrecognised
        summary.left_out = recogniser.left_out
    return summary


def speakers_text(entry: PassageEntry) -> str:
    """The speakers as the form shows them: organisations by their acronym, the rest by name."""
    return "; ".join(
        speaker.code if speaker.kind == ORGANISATION and speaker.code else speaker.name for speaker in entry.speakers
    )


def goals_text(entry: PassageEntry) -> str:
    return ", ".join(str(number) for number in entry.goals)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _find(summary: Summary, key: str) -> tuple[Any, int] | None:
    for paragraph in summary.paragraphs:
        for index, entry in enumerate(paragraph.passages):
            if passage_key(paragraph.number, entry.text) == key:
                return paragraph, index
    return None


def _apply_structure(summary: Summary, structure: list[list], recogniser: Recogniser) -> None:
    for operation in structure:
        found = _find(summary, operation[1])
        if found is None:
            continue
        paragraph, index = found
        entry = paragraph.passages[index]
        if operation[0] == "split":
            sentences = split_sentences(entry.text)
            after = int(operation[2])
            if not 0 < after < len(sentences):
                continue
            first, second = " ".join(sentences[:after]), " ".join(sentences[after:])
            entry.text, entry.goals = first, recogniser.goals_of(goal_numbers(first), goal_subjects(first))
            rest = PassageEntry(
                text=second, kind="narration", speakers=[], person=None,
                goals=recogniser.goals_of(goal_numbers(second), goal_subjects(second)),
            )  # fmt: skip
            paragraph.passages.insert(index + 1, rest)
        elif operation[0] == "merge" and index + 1 < len(paragraph.passages):
            following = paragraph.passages.pop(index + 1)
            entry.text = f"{entry.text} {following.text}"
            entry.speakers += [speaker for speaker in following.speakers if speaker not in entry.speakers]
            entry.goals = sorted(set(entry.goals) | set(following.goals))
            entry.mentions += [mention for mention in following.mentions if mention not in entry.mentions]
            entry.person = entry.person or following.person
            if entry.speakers and entry.kind == "narration":
                entry.kind = "intervention"


def _names(value: str) -> list[str]:
    return [name.strip() for name in re.split(r"\s*;\s*|\n", value) if name.strip()]


def _apply_passages(
    summary: Summary, edits: dict[str, dict[str, str]], recogniser: Recogniser, in_force: set[int]
) -> None:
    for key, edit in edits.items():
        found = _find(summary, key)
        if found is None:
            continue
        paragraph, index = found
        entry = paragraph.passages[index]
        if "speakers" in edit:
            speakers: list[ActorMatch] = []
            for name in _names(edit["speakers"]):
                match = recogniser.match(name, SPEAKER_KINDS) or recogniser.affiliation(name)
                if match is None:
                    recogniser.report(name)
                elif match.page_owner not in speakers:
                    speakers.append(match.page_owner)
            entry.speakers = speakers
            if speakers and entry.kind in ("narration", "continue"):
                entry.kind = "intervention"
        if "goals" in edit:
            numbers = sorted({int(number) for number in re.findall(r"\d{1,2}", edit["goals"])})
            entry.goals = [number for number in numbers if number in in_force]
            for number in numbers:
                if number not in in_force:
                    summary.warnings.append(f"Paragraph {paragraph.number}: there is no goal {number} on this date.")


def _apply_meeting(summary: Summary, meeting: dict[str, str]) -> None:
    if meeting.get("title", "").strip():
        summary.title = " ".join(meeting["title"].split())[:300]
    if "start_date" in meeting:
        summary.start_date = _date(meeting["start_date"]) or summary.start_date
    if "end_date" in meeting:
        end = _date(meeting["end_date"])
        summary.end_date = end if end and summary.start_date and end > summary.start_date else None
    if "location" in meeting:
        summary.location = " ".join(meeting["location"].split())[:200]
    if meeting.get("format") in FORMATS:
        summary.format = meeting["format"]


def _apply_roles(summary: Summary, roles: dict[str, str], recogniser: Recogniser) -> None:
    for role, name in roles.items():
        if role not in ("chair", "co_chair", "secretariat"):
            continue
        match = recogniser.match(name, (COUNTRY, ORGANISATION)) if name.strip() else None
        if name.strip() and match is None:
            recogniser.report(name)
        setattr(summary, role, match)
        if role == "chair":
            summary.chair_represented_by = None


def name_answer(action: str, *, actor_pk: int | None, name: str, acronym: str, iso: str) -> list | None:
    """The stored form of one decision on an unrecognised name, or None if it cannot be taken as given."""
    if action == "omit":
        return ["omit"]
    if action == "map" and actor_pk:
        return ["actor", actor_pk]
    if action == "organisation" and name.strip() and norm(name) != norm(DIALOGUE_NAME):
        return ["organisation", " ".join(name.split())[:200], " ".join(acronym.split())[:50]]
    if action == "country" and name.strip() and re.fullmatch(r"[A-Za-z]{2}", iso.strip()):
        return ["country", " ".join(name.split())[:200], iso.strip().upper()]
    return None


def split_written(written: str) -> tuple[str, str]:
    """ "Black Sea Mobility Observatory (BSMO)" → the name and the acronym the text gives."""
    plain = strip_bold(written).strip()
    match = re.match(r"^(?P<name>[^()]+?)\s*\((?P<acronym>[^()]{1,50})\)$", plain) and name_and_acronym(plain)
    if match:
        return match
    if written.isupper() and len(written) <= 12:
        return written, written
    return written, ""
