"""What the parser reads a summary into: a plain tree of what it says, before any name is matched to an actor.

`parse.parse_summary` builds it; `recognise.recognise_summary` matches its names. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class ParsedPerson:
    """A named official as the text introduces them: "Deputy Director General **Mr. X** from Y"."""

    honorific: str
    name: str
    title: str
    affiliation: str
    represents: str = ""  # "chair" or "co_chair" where the sentence says "representing Turkey as Chair"


@dataclass
class ParsedPassage:
    """A run of sentences of one paragraph: an intervention, the chair's or Secretariat's words, or narration."""

    text: str
    kind: str  # "intervention", "person", "chair", "co_chair", "chairs" (both), "secretariat" or "narration"
    speakers: list[str] = field(default_factory=list)  # bold names as written, before splitting
    person: ParsedPerson | None = None
    goals: list[int] = field(default_factory=list)
    goal_subjects: list[str] = field(default_factory=list)  # "the goal on return": the recogniser finds its number


@dataclass
class ParsedParagraph:
    number: int
    text: str
    passages: list[ParsedPassage]
    topic: str = ""  # a bold phrase that is not a name, e.g. "next steps for 2021"
    heading: str = ""  # the heading just above the paragraph, if any


@dataclass
class ParsedFootnote:
    number: int
    text: str
    mark: str = ""  # a mark of its own ("*"), referred to as [^*] in the text; numbered after the others


@dataclass
class ParsedSummary:
    title: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    location: str
    format: str
    participant_count: int | None
    country_count: int | None
    participant_lists: list[str]  # the lists of paragraph 1 as written, e.g. "Afghanistan, Albania, …"
    chair: str
    co_chair: str
    secretariat: str
    people: list[ParsedPerson]
    paragraphs: list[ParsedParagraph]
    footnotes: list[ParsedFootnote]
    warnings: list[str] = field(default_factory=list)
    kind: str = ""  # MeetingSeries.Kind value: "senior_officials_meeting" (roles.meeting_kind)
    number: int | None = None  # its number in its series: 38 for the 38th Senior Officials Meeting
    roles: list[tuple[str, str]] = field(default_factory=list)  # host, rapporteur, …: (role, name as written)
