"""Match the names of a parsed summary to actors: by name, acronym, other names and the ISO 3166 list.

Nothing is saved here. A country found only in the ISO list comes back as a new actor for the
import to create; an institution named with its country ("Turkey's Directorate General …") as a new
institution of that country; a name that matches nothing is reported in `unrecognised`, never guessed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pycountry

from actors.models import Actor, Region
from meetings.goals import goals_in_force
from meetings.kinds import propose_kind

from .limits import check_time
from .parse import SUPERSCRIPT_DIGITS, ParsedPassage, ParsedSummary, parse_summary, strip_bold
from .reference import EXTRA_COUNTRIES, ORGANISATIONS, KnownOrganisation, demonyms

COUNTRY, ORGANISATION, INSTITUTION, GROUP = (
    Actor.Kind.COUNTRY.value,
    Actor.Kind.ORGANISATION.value,
    Actor.Kind.INSTITUTION.value,
    Actor.Kind.GROUP.value,
)
SPEAKER_KINDS = (COUNTRY, ORGANISATION, GROUP)
STATEMENT = "statement"  # Passage.Kind.STATEMENT: what a speaker says, not procedure or a report

# English short names that the ISO list does not carry but summaries use.
COUNTRY_ALIASES = {
    "turkey": "TR",
    "russia": "RU",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "south korea": "KR",
    "north korea": "KP",
    "republic of korea": "KR",
    "palestine": "PS",
    "ivory coast": "CI",
    "cape verde": "CV",
    "swaziland": "SZ",
    "macedonia": "MK",
    "holland": "NL",
    "great britain": "GB",
    "britain": "GB",
    "uk": "GB",
    "usa": "US",
    "united states": "US",
    "brunei": "BN",
    "east timor": "TL",
    "vatican": "VA",
    "holy see": "VA",
    "burma": "MM",
}


_NO_MARKS = {ord(ch): None for ch in SUPERSCRIPT_DIGITS}
_MARK_REFERENCES = re.compile(r"\[\^[^\]\s]{1,4}\]")  # "Kosovo[^*]": a footnote's own mark


@lru_cache(maxsize=16384)
def norm(name: str) -> str:
    """A key for comparing names: no accents, case, stars, footnote marks, leading "the" or possessive "'s"."""
    name = _MARK_REFERENCES.sub("", name).replace("**", "").translate(_NO_MARKS)
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = name.replace("’", "'").replace("‘", "'").replace("&", " and ").replace("–", "-").casefold()
    name = " ".join(name.split()).strip(" .,;:")
    name = re.sub(r"^the\s+", "", name)
    name = re.sub(r"'s?$", "", name)
    return name.rstrip("*")  # "Kosovo*": the dialogue's mark on a name


@dataclass(frozen=True)
class _ExtraCountry:
    """A country ISO 3166 does not list, in the shape of a pycountry record."""

    alpha_2: str
    name: str


@cache
def _iso_names() -> dict[str, Any]:
    names: dict[str, Any] = {key: _ExtraCountry(code, name) for key, (code, name) in EXTRA_COUNTRIES.items()}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(norm(value), country)
    for alias, code in COUNTRY_ALIASES.items():
        names.setdefault(alias, pycountry.countries.get(alpha_2=code))
    return names


@cache
def _known_organisations() -> dict[str, KnownOrganisation]:
    names: dict[str, KnownOrganisation] = {}
    for organisation in ORGANISATIONS:
        for key in (organisation.name, organisation.acronym, *organisation.other_names):
            if key:
                names.setdefault(norm(key), organisation)
    return names


def known_organisation(name: str) -> KnownOrganisation | None:
    """One of the dialogue's usual organisations, by its name, acronym or other name, any case."""
    return _known_organisations().get(norm(name))


def iso_country(name: str) -> pycountry.db.Country | None:
    """The ISO 3166 country of a name, matched exactly on its short, official or common name; no fuzzy search.

    A state's long form that the list does not carry is the country its short name is: "the Republic of
    Kosovo", "the Azerbaijan Republic", "the Republic of Türkiye" ("the Kyrgyz Republic" by its adjective).
    """
    key = norm(name)
    found = _iso_names().get(key)
    if found is None and (short := _short_form(key)):
        found = _iso_names().get(short) or _country_of_adjective(short)
    return found


# "Republic of", "the Kingdom of the", "Islamic Republic of" before a state's name; "Republic" after it.
_STATE_FORM = re.compile(
    r"^(?:(?:islamic|federal|democratic|people's|socialist|united|hellenic|plurinational|bolivarian)\s+)*"
    r"(?:republic|kingdom|state|principality|grand\s+duchy|sultanate|commonwealth|confederation)"
    r"\s+of\s+(?:the\s+)?(?P<prefixed>.+)$|^(?P<suffixed>.+?)\s+republic$"
)
# Short names whose long form is another state's: "the Republic of China" is not China.
_NOT_BY_SHORT_FORM = {"china", "korea", "congo"}


def _short_form(key: str) -> str:
    found = _STATE_FORM.match(key)
    short = (found["prefixed"] or found["suffixed"]) if found else ""
    return "" if short in _NOT_BY_SHORT_FORM else short


def _country_of_adjective(adjective: str) -> Any:
    """ "kyrgyz", "slovak": the country of an adjective that is no country's name itself."""
    code = demonyms().get(adjective)
    if code is None:
        return None
    return pycountry.countries.get(alpha_2=code) or next(
        (country for country in _iso_names().values() if getattr(country, "alpha_2", "") == code), None
    )


# What may follow a country's adjective and still mean the country: "the Turkish delegation", "the Hungarian Chair".
_FOR_THE_COUNTRY = re.compile(
    r"^(?P<adjective>.+?)(?:\s+(?:delegations?|delegates?|representatives?|authorities|government|side|"
    r"co-?chair(?:manship)?|chair(?:manship|person)?|presidency))?$"
)


def demonym_country(name: str) -> Any:
    """The country an adjective stands for, alone or before a word that means the country ("Turkish delegation",
    "the Georgian side"); None for anything else ("Turkish migrants" is not Turkey speaking)."""
    found = _FOR_THE_COUNTRY.match(norm(name))
    code = demonyms().get(found["adjective"]) if found else None
    if code is None:
        return None
    extra = next((country for country in _iso_names().values() if getattr(country, "alpha_2", "") == code), None)
    return pycountry.countries.get(alpha_2=code) or extra


# ---------------------------------------------------------------------------------------------
# The recognised summary


@dataclass(eq=False)
class ActorMatch:
    """An actor a name stands for: an existing one, or a new country or institution to create."""

    name: str
    kind: str
    code: str | None
    written: str
    actor: Actor | None = None
    parent: ActorMatch | None = None
    new: bool = False
    other_names: list[str] = field(default_factory=list)
    organisation_kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "code": self.code}

    @property
    def page_owner(self) -> ActorMatch:
        """The country or organisation an institution belongs to; an actor with a page of its own is its own."""
        return self.parent if self.kind == INSTITUTION and self.parent else self


@dataclass
class PersonEntry:
    honorific: str
    name: str
    title: str
    affiliation_written: str
    affiliation: ActorMatch | None
    represents: str = ""

    def to_dict(self) -> dict[str, Any]:
        affiliation = self.affiliation
        return {
            "name": self.name,
            "honorific": self.honorific,
            "title": self.title,
            "affiliation": affiliation.name if affiliation else self.affiliation_written,
            "of": affiliation.parent.name if affiliation and affiliation.parent else None,
        }


@dataclass
class PassageEntry:
    text: str
    kind: str
    speakers: list[ActorMatch]
    person: PersonEntry | None
    goals: list[int]
    mentions: list[ActorMatch] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "speakers": [speaker.to_dict() for speaker in self.speakers],
            "person": self.person.name if self.person else None,
            "goals": self.goals,
            "text": self.text,
            "mentions": [mention.to_dict() for mention in self.mentions],
            "regions": [region.name for region in self.regions],
        }


@dataclass
class ParagraphEntry:
    number: int
    subject: str
    passages: list[PassageEntry]

    @property
    def text(self) -> str:
        return " ".join(passage.text for passage in self.passages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "subject": self.subject,
            "interventions": [passage.to_dict() for passage in self.passages],
        }


@dataclass
class Summary:
    """What the importer recognised in a summary; `meeting_import` saves it, the admin shows it."""

    title: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    location: str
    format: str
    participant_count: int | None
    participants: list[ActorMatch]
    chair: ActorMatch | None
    chair_represented_by: ActorMatch | None
    co_chair: ActorMatch | None
    secretariat: ActorMatch | None
    people: list[PersonEntry]
    paragraphs: list[ParagraphEntry]
    footnotes: list[tuple[int, str]]
    unrecognised: list[str]
    warnings: list[str]
    left_out: list[str] = field(default_factory=list)  # names the officer chose to leave out
    footnote_marks: dict[int, str] = field(default_factory=dict)  # number → its own mark ("*"), [^*] in the text
    kind: str = ""  # MeetingSeries.Kind value, "" where the title names none
    number: int | None = None  # the meeting's number in its series (38th)
    roles: list[tuple[str, ActorMatch]] = field(default_factory=list)  # host, rapporteur, working-group co-chair

    @property
    def new_actors(self) -> list[ActorMatch]:
        seen: dict[int, ActorMatch] = {}
        for match in self._all_matches():
            for candidate in (match.parent, match):
                if candidate is not None and candidate.new:
                    seen.setdefault(id(candidate), candidate)
        return list(seen.values())

    def _all_matches(self):
        yield from self.participants
        yield from (
            match for match in (self.chair, self.co_chair, self.secretariat, self.chair_represented_by) if match
        )
        yield from (person.affiliation for person in self.people if person.affiliation)
        yield from (match for _role, match in self.roles)
        for paragraph in self.paragraphs:
            for passage in paragraph.passages:
                yield from passage.speakers
                yield from passage.mentions

    def to_dict(self) -> dict[str, Any]:
        def role(match: ActorMatch | None) -> dict[str, Any] | None:
            return match.to_dict() if match else None

        return {
            "title": self.title,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "location": self.location,
            "format": self.format,
            "participant_count": self.participant_count,
            "participants": [match.to_dict() for match in self.participants],
            "chair": role(self.chair),
            "co_chair": role(self.co_chair),
            "secretariat": role(self.secretariat),
            "people": [person.to_dict() for person in self.people],
            "paragraphs": [paragraph.to_dict() for paragraph in self.paragraphs],
            "footnotes": [text for _number, text in self.footnotes],
            "footnote_marks": {str(number): mark for number, mark in self.footnote_marks.items()},
            "new_actors": [match.to_dict() for match in self.new_actors],
            "unrecognised": self.unrecognised,
            "warnings": self.warnings,
            "left_out": self.left_out,
            "kind": self.kind,
            "number": self.number,
            "roles": [{"role": role, **match.to_dict()} for role, match in self.roles],
        }


# ---------------------------------------------------------------------------------------------
# Matching names


# "and of" between names that repeat their "of" ("the representatives of Montenegro and of North Macedonia").
_LIST_SEPARATOR = re.compile(r"(\s*,\s*(?:and\s+)?(?:of\s+)?|\s+and\s+(?:of\s+)?|\s*&\s*|\s*;\s*)")
# "the Diaspora Migration Office (DMO)", "(hereinafter DMO)", "(hereinafter referred to as “the DMO”)".
_ACRONYM = re.compile(
    r"^(?P<name>.+?)\s*\((?:(?:hereinafter|hereafter)\s+(?:(?:referred\s+to\s+as|called)\s+)?)?(?:the\s+)?[\"“']?"
    r"(?P<acronym>[^()\"“”']+?)[\"”']?\)$"
)


def name_and_acronym(written: str) -> tuple[str, str] | None:
    """ "Black Sea Mobility Observatory (BSMO)", "… (hereinafter BSMO)" → the name and the acronym; None without."""
    found = _ACRONYM.match(written)
    return (found["name"], found["acronym"]) if found else None


_ROLE_SUFFIX = re.compile(
    r"\s+(?:as\b|in\s+(?:its|their|his|her)\s+capacity\b|on\s+behalf\s+of\b|speaking\s+for\b).*$", re.S
)
_MAX_JOIN = 6
# "the Georgian Ministry of Internal Affairs", "Bosnian and Herzegovinian Border Police": adjective, then a name.
_ADJECTIVE_INSTITUTION = re.compile(
    r"^(?:[Tt]he\s+)?(?P<adjective>[A-Z][\w-]+(?:\s+and\s+[A-Z][\w-]+)?)\s+(?P<name>[A-Z][\w'’-]*(?:\s+\S+){0,12})$"
)


_OF = re.compile(r"\s+of\s+(?:the\s+)?")


class Recogniser:
    """The actors, goals and regions of the database, indexed once, and what has been recognised so far."""

    def __init__(self, names: dict[str, list] | None = None) -> None:
        self.left_out: list[str] = []
        self.actors = list(Actor.objects.select_related("parent"))
        self.by_key: dict[str, list[Actor]] = {}
        for actor in self.actors:
            keys = {actor.name, actor.short_name, *actor.other_names.splitlines()}
            if actor.short_name:
                keys.add(f"{actor.name} ({actor.short_name})")
            for key in filter(None, (norm(key) for key in keys if key.strip())):
                self.by_key.setdefault(key, []).append(actor)
        self.by_iso = {actor.iso_code: actor for actor in self.actors if actor.kind == COUNTRY}
        # Names as written in running text, case and all; a name two actors share stands for neither.
        self.mention_names: dict[str, Actor | None] = {}
        for actor in self.actors:
            for name in {actor.name, actor.short_name, *actor.other_names.splitlines()}:
                name = name.strip()
                if len(name) >= 3 or (len(name) == 2 and name.isupper()):
                    shared = name in self.mention_names and self.mention_names[name] != actor
                    self.mention_names[name] = None if shared else actor
        self.mention_pattern = _name_pattern(tuple(sorted(self.mention_names, key=len, reverse=True)))
        self._named: dict[str, list[tuple[str, Actor | None]]] = {}  # the names each passage's text holds
        self.goal_numbers: set[int] = set()  # those in force on the meeting's date, once it is known
        self.goal_titles: dict[int, str] = {}  # their titles, for the goals a summary names by subject
        self.regions = list(Region.objects.all())
        self.region_patterns = [
            (region, re.compile(rf"\b{re.escape(region.name.removesuffix(' Region'))}\b")) for region in self.regions
        ]
        self.unrecognised: list[str] = []
        self._matches: dict[int | tuple[str, str], ActorMatch] = {}
        self.decided = self._decisions(names or {})
        self._speakers: dict[str, bool] = {}
        self._new_acronyms: dict[str, ActorMatch] = {}  # a new institution's acronym, as the text gave it

    def _decisions(self, names: dict[str, list]) -> dict[str, ActorMatch | None]:
        """The officer's answers for names the importer did not know, by norm() of the name as written:

        ["actor", pk] (an existing actor), ["organisation", name, acronym], ["country", name, ISO code], or
        ["omit"] (left out, on purpose). A name and its acronym in brackets both stand for the answer.
        """
        by_pk = {actor.pk: actor for actor in self.actors}
        decided: dict[str, ActorMatch | None] = {}
        for written, answer in names.items():
            match: ActorMatch | None = None
            if answer[0] == "actor" and answer[1] in by_pk:
                match = self.for_actor(by_pk[answer[1]], written)
            elif answer[0] == "organisation":
                match = ActorMatch(answer[1], ORGANISATION, answer[2] or None, written, new=True)
            elif answer[0] == "country":
                existing = self.by_iso.get(answer[2])
                match = self.for_actor(existing, written) if existing else None
                match = match or ActorMatch(answer[1], COUNTRY, answer[2], written, new=True)
            elif answer[0] != "omit":
                continue
            decided[norm(written)] = match
            acronym = _ACRONYM.match(written)
            if acronym and match is not None:
                decided.setdefault(norm(acronym["acronym"]), match)
                decided.setdefault(norm(acronym["name"]), match)
            if match is not None and match.new:
                for key in (match.name, match.code or ""):
                    if key:
                        decided.setdefault(norm(key), match)
        return decided

    # -- single names

    def report(self, written: str) -> None:
        written = " ".join(strip_bold(written).split()).strip(" ,.;:")
        if norm(written) in self.decided:  # the officer chose to leave it out
            if written not in self.left_out:
                self.left_out.append(written)
        elif written and written not in self.unrecognised:
            # "BSMO" after "Black Sea Mobility Observatory (BSMO)" is the same name: one answer covers both.
            if any((name_and_acronym(known) or ("", ""))[1] == written for known in self.unrecognised):
                return
            acronym = _ACRONYM.match(written)
            if acronym and acronym["acronym"] in self.unrecognised:
                self.unrecognised.remove(acronym["acronym"])
            self.unrecognised.append(written)

    def for_actor(self, actor: Actor, written: str) -> ActorMatch:
        if actor.pk not in self._matches:
            parent_actor = actor.parent if actor.parent_id else None
            parent = self.for_actor(parent_actor, parent_actor.name) if parent_actor is not None else None
            code = actor.iso_code if actor.kind == COUNTRY else (actor.short_name or None)
            self._matches[actor.pk] = ActorMatch(actor.name, actor.kind, code, written, actor=actor, parent=parent)
        return self._matches[actor.pk]

    def _new_country(self, country: pycountry.db.Country, written: str) -> ActorMatch:
        key = ("country", country.alpha_2)
        if key not in self._matches:
            name = " ".join(re.sub(r"^[Tt]he\s+", "", strip_bold(written)).split()).strip(SUPERSCRIPT_DIGITS + "*")
            if isinstance(country, _ExtraCountry):
                name = country.name
            elif norm(name) == norm(getattr(country, "official_name", "") or ""):
                # "the Republic of Uzbekistan": the country's short name, as the archive names countries.
                name = getattr(country, "common_name", "") or country.name
            others = []
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(country, attribute, None)
                if value and value != name and value not in others:
                    others.append(value)
            self._matches[key] = ActorMatch(name, COUNTRY, country.alpha_2, written, new=True, other_names=others)
        return self._matches[key]

    def _new_organisation(self, known: KnownOrganisation, written: str) -> ActorMatch:
        # An organisation of the reference list that the database does not hold yet: by acronym, if any.
        for key in (known.acronym, known.name, *known.other_names):
            found = [actor for actor in self.by_key.get(norm(key), []) if actor.kind == ORGANISATION] if key else []
            if len(found) == 1:
                return self.for_actor(found[0], written)
        new_key = ("organisation", norm(known.name))
        if new_key not in self._matches:
            self._matches[new_key] = ActorMatch(
                known.name,
                ORGANISATION,
                known.acronym or None,
                written,
                new=True,
                other_names=list(known.other_names),
                organisation_kind=known.kind,
            )
        return self._matches[new_key]

    def is_speaker(self, written: str) -> bool:
        """Whether every name of a list ("Bulgaria, Romania and Moldova") is a known actor; nothing is reported."""
        if written not in self._speakers:
            unknown: list[str] = []
            found = self.match_list(written, (*SPEAKER_KINDS, INSTITUTION), unknown=unknown)
            self._speakers[written] = bool(found) and not unknown
        return self._speakers[written]

    def _institution(self, name: str, acronym: str, parent: ActorMatch, written: str) -> ActorMatch:
        if parent.actor is not None:
            for actor in self.actors:
                if actor.kind == INSTITUTION and actor.parent_id == parent.actor.pk:
                    if norm(actor.name) == norm(name) or (acronym and norm(actor.short_name) == norm(acronym)):
                        return self.for_actor(actor, written)
        key = ("institution", f"{id(parent)}:{norm(name)}")
        if key not in self._matches:
            self._matches[key] = ActorMatch(name, INSTITUTION, acronym or None, written, parent=parent, new=True)
            if acronym:
                # "the Diaspora Migration Office (DMO) of Moldova" … "The DMO added": the same new institution.
                self._new_acronyms.setdefault(norm(acronym), self._matches[key])
        return self._matches[key]

    def match(
        self, written: str, kinds: tuple[str, ...] = SPEAKER_KINDS, *, by_acronym: bool = True
    ) -> ActorMatch | None:
        """The actor a single name stands for, or None; countries may come from the ISO list.

        `by_acronym=False` ignores an acronym in brackets: pieces of a list joined back together must match
        by name, or "the ILO (ILO), the MARRI (MARRI)" would be taken for MARRI alone.
        """
        name = _ROLE_SUFFIX.sub("", strip_bold(written)).strip(" ,.;:")
        candidates = [name]
        acronym = _ACRONYM.match(name)
        if acronym:
            candidates += [acronym["name"], acronym["acronym"]] if by_acronym else [acronym["name"]]
        for candidate in candidates:
            decided = self.decided.get(norm(candidate))
            if decided is not None and decided.kind in kinds:
                return decided
        for candidate in candidates:
            found = [actor for actor in self.by_key.get(norm(candidate), []) if actor.kind in kinds]
            if len(found) == 1:
                return self.for_actor(found[0], written)
        if INSTITUTION in kinds and (made := self._new_acronyms.get(norm(name))) is not None:
            return made
        if COUNTRY in kinds:
            for candidate in candidates:
                country, country_name = iso_country(candidate), name
                if country is None:
                    country = demonym_country(candidate)  # a new country is named by its name, not "Turkish"
                    country_name = getattr(country, "common_name", "") or getattr(country, "name", "")
                if country is not None:
                    existing = self.by_iso.get(country.alpha_2)
                    if existing is not None:
                        return self.for_actor(existing, written)
                    return self._new_country(country, country_name)
        if ORGANISATION in kinds:
            for candidate in candidates:
                known = known_organisation(candidate)
                if known is not None:
                    return self._new_organisation(known, written)
        return None

    # -- lists of names

    def match_list(
        self, text: str, kinds: tuple[str, ...] = SPEAKER_KINDS, *, unknown: list[str] | None = None
    ) -> list[ActorMatch]:
        """Every actor of a list such as "Austria, Bosnia and Herzegovina and Norway".

        Names that match nothing are reported, or put in `unknown` for the caller to try otherwise.
        """
        parts = _LIST_SEPARATOR.split(strip_bold(text).strip(" ,.;:"))
        tokens = parts[0::2]
        separators = parts[1::2]
        tokens = [_ROLE_SUFFIX.sub("", token).strip() for token in tokens]
        found: list[ActorMatch] = []
        unmatched: list[tuple[int, str]] = []
        index = 0
        while index < len(tokens):
            for last in range(min(len(tokens), index + _MAX_JOIN) - 1, index - 1, -1):
                joined = tokens[index]
                for position in range(index + 1, last + 1):
                    joined += separators[position - 1] + tokens[position]
                match = self.match(joined, kinds, by_acronym=last == index) if joined else None
                if match is not None:
                    if match not in found:
                        found.append(match)
                    index = last + 1
                    break
            else:
                if tokens[index]:
                    unmatched.append((index, tokens[index]))
                index += 1
        for name in _merge_unknown(unmatched, tokens, separators):
            match = self.match(name, kinds)
            if match is None and unknown is not None:
                unknown.append(name)
            elif match is None:
                self.report(name)
            elif match not in found:
                found.append(match)
        return found

    # -- officials

    def affiliation(self, written: str) -> ActorMatch | None:
        """Where an official works: "Turkey's Directorate General … (DGMM)", "the Ministry of Interior of Hungary"."""
        text = strip_bold(written).strip(" ,.;:")
        if not text:
            return None
        whole = self.match(text, (ORGANISATION, COUNTRY, GROUP))
        if whole is not None:
            return whole
        acronym_match = _ACRONYM.match(text)
        name, acronym = (acronym_match["name"], acronym_match["acronym"]) if acronym_match else (text, "")
        if acronym:
            by_acronym = [actor for actor in self.by_key.get(norm(acronym), []) if actor.kind == INSTITUTION]
            if len(by_acronym) == 1:
                return self.for_actor(by_acronym[0], written)
        possessive = re.match(r"^(?P<country>.+?)['’]s?\s+(?P<name>[A-Z].+)$", name)
        if possessive:
            country = self.match(possessive["country"], (COUNTRY,))
            if country is not None:
                return self._institution(possessive["name"], acronym, country, written)
        adjective = _ADJECTIVE_INSTITUTION.match(name)
        if adjective and adjective["adjective"].casefold() in demonyms():
            # "the Georgian Ministry of Internal Affairs": an institution of Georgia.
            country = self.match(adjective["adjective"], (COUNTRY,))
            if country is not None:
                return self._institution(adjective["name"], acronym, country, written)
        # "Agency for … of the Republic of Uzbekistan": the country is the longest name after an "of" that is one.
        for of_country in _OF.finditer(name):
            country = self.match(name[of_country.end() :], (COUNTRY,)) if "," not in name[of_country.end() :] else None
            if country is not None:
                own, own_acronym = name_and_acronym(name[: of_country.start()]) or (name[: of_country.start()], acronym)
                return self._institution(own, own_acronym, country, written)
        return None

    # -- the rest of a passage

    def goals_of(self, numbers: list[int], subjects: list[str]) -> list[int]:
        """The goals in force that a passage names by number ("priority goal 3") or by subject ("the return goal")."""
        by_subject = {number for number in map(self.goals_on, subjects) if number is not None}
        return sorted({number for number in numbers if number in self.goal_numbers} | by_subject)

    def goals_on(self, subject: str) -> int | None:
        """The one goal in force whose title holds the words ("legal migration" → 2), or their first words; None
        where no goal or several do ("migration")."""
        words = subject.split()
        for count in range(len(words), 0, -1):
            phrase = re.compile(rf"\b{re.escape(' '.join(words[:count]))}\b", re.IGNORECASE)
            numbers = [number for number, title in self.goal_titles.items() if phrase.search(title)]
            if numbers:
                return numbers[0] if len(numbers) == 1 else None
        return None

    def mentions(self, text: str, exclude: list[ActorMatch]) -> list[ActorMatch]:
        """Actors a passage names without their speaking, written as their name, acronym or other name.

        An institution counts only where its country or organisation speaks or is named too, or by its
        acronym: "the Ministry of Interior" alone could be any country's.
        """
        excluded = {match.actor.pk for match in exclude if match.actor is not None}
        if text not in self._named:  # a passage said again is searched once
            plain = strip_bold(text)
            self._named[text] = [
                (found[0], self.mention_names[found[0]])
                for found in self.mention_pattern.finditer(plain)
                # Looked for just before the name (the pattern reaches no further back): once per name, not
                # from the passage's start each time.
                if not _IN_PERSON_NAME.search(plain, max(0, found.start() - _PERSON_NAME_REACH), found.start())
            ]
        named = self._named[text]
        named_pks = {actor.pk for _name, actor in named if actor is not None} | excluded
        found: list[ActorMatch] = []
        for name, actor in named:
            if actor is None or actor.pk in excluded:
                continue
            if actor.kind == INSTITUTION and actor.parent_id not in named_pks and name != actor.short_name:
                continue
            match = self.for_actor(actor, name)
            if match not in found:
                found.append(match)
        return found

    def regions_in(self, text: str) -> list[Region]:
        """Regions a passage names: "the Silk Routes" names the Silk Routes Region."""
        plain = strip_bold(text)
        return [region for region, pattern in self.region_patterns if pattern.search(plain)]


# What comes just before a name that is part of a person's: "Ms. Georgia Papadopoulou", "Mr. Michael Jordan".
_IN_PERSON_NAME = re.compile(r"\b(?:Mr|Ms|Mrs|Mme|Dr|Prof|H\.\s?E)\.?\s+(?:[A-Z][\w'’-]*\.?\s+){0,2}$")
_PERSON_NAME_REACH = 100  # characters: an honorific and two names before the one found


@cache
def _name_pattern(names: tuple[str, ...]) -> re.Pattern:
    if not names:
        return re.compile(r"(?!)")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w-])")


def _merge_unknown(unknown: list[tuple[int, str]], tokens: list[str], separators: list[str]) -> list[str]:
    """Unmatched pieces of a list, rejoined where a list of "the …" names was split inside a name.

    "the Organization for Security and Co-operation in Europe (OSCE)" splits at "and"; a piece that does not
    start with "the" in a list whose names do is the rest of the name before it.
    """
    if not unknown:
        return []
    the_style = sum(token.lower().startswith("the ") for token in tokens) * 2 >= len(tokens)
    names: list[list[int]] = []
    for index, token in unknown:
        if the_style and names and names[-1][-1] == index - 1 and not token.lower().startswith("the "):
            names[-1].append(index)
        else:
            names.append([index])
    merged = []
    for group in names:
        text = tokens[group[0]]
        for index in group[1:]:
            text += separators[index - 1] + tokens[index]
        merged.append(re.sub(r"^[Tt]he\s+", "", text))
    return merged


# ---------------------------------------------------------------------------------------------
# The whole summary


def _subject(number: int, passages: list[PassageEntry], topic: str, count: int | None, last: bool) -> str:
    """A few words for the table of contents; staff can change them in the admin."""
    if number == 1 and count:
        return "Participants"
    if passages and passages[0].person and re.search(r"\bopen(?:ed|s)\b", passages[0].text):
        return "Opening"
    if topic:
        subject = topic.strip(" .,:;")
        return (subject[:1].upper() + subject[1:])[:200]
    # What speakers say, not the Chair's or a Moderator's procedure ("The Moderator closed the session").
    interventions = [
        passage
        for passage in passages
        if passage.kind == "intervention"
        and passage.speakers
        and propose_kind(passage.text, speakers=len(passage.speakers))[0] == STATEMENT
    ]
    if interventions and len(interventions) * 2 >= len(passages):
        kinds = {speaker.kind for passage in interventions for speaker in passage.speakers}
        if kinds <= {COUNTRY, GROUP}:
            return "Interventions of states"
        if kinds <= {ORGANISATION}:
            return "Interventions of organisations"
        return "Interventions"
    if last and re.search(r"\b(?:thanked|closed|concluded)\b", " ".join(p.text for p in passages)):
        return "Closing"
    return ""


def summary_of_text(
    text: str, names: dict[str, list] | None = None, *, recogniser: Recogniser | None = None
) -> Summary:
    """Parse and recognise a summary's text: the recogniser tells the parser which plain names are speakers.

    `names` holds the officer's answers for names not recognised before (see `meetings.importer.review`).
    """
    recogniser = recogniser or Recogniser(names)
    parsed = parse_summary(text, is_speaker=recogniser.is_speaker)
    recogniser.unrecognised.clear()  # the parser's questions report nothing
    recogniser.left_out.clear()
    return recognise_summary(parsed, recogniser)


def recognise_summary(parsed: ParsedSummary, recogniser: Recogniser | None = None) -> Summary:
    """Match every name of a parsed summary to an actor; report what matches nothing."""
    recogniser = recogniser or Recogniser()
    in_force = goals_in_force(parsed.start_date)
    recogniser.goal_numbers = set(in_force)
    recogniser.goal_titles = {number: goal.title for number, goal in in_force.items()}
    participants: list[ActorMatch] = []
    for text in parsed.participant_lists:
        for match in recogniser.match_list(text, (COUNTRY, ORGANISATION)):
            if match not in participants:
                participants.append(match)

    def role(name: str) -> ActorMatch | None:
        if not name:
            return None
        match = recogniser.match(name, (COUNTRY, ORGANISATION))
        if match is None:
            recogniser.report(name)
        return match

    chair, co_chair, secretariat = role(parsed.chair), role(parsed.co_chair), role(parsed.secretariat)
    other_roles = [
        (name, match)
        for name, written in parsed.roles
        for match in recogniser.match_list(written, (COUNTRY, ORGANISATION))
    ]

    people: list[PersonEntry] = []
    chair_represented_by = None
    people_by_parsed: dict[int, PersonEntry] = {}
    for person in parsed.people:
        affiliation = recogniser.affiliation(person.affiliation)
        if affiliation is None and person.affiliation:
            recogniser.report(person.affiliation)
        entry = PersonEntry(
            honorific=person.honorific,
            name=person.name,
            title=person.title,
            affiliation_written=person.affiliation,
            affiliation=affiliation,
            represents=person.represents,
        )
        people.append(entry)
        people_by_parsed[id(person)] = entry
        represented = {"chair": chair, "co_chair": co_chair}.get(person.represents)
        if (
            person.represents == "chair"
            and affiliation is not None
            and affiliation.kind == INSTITUTION
            and represented is not None
            and affiliation.parent is represented
        ):
            chair_represented_by = affiliation

    roles = {"chair": chair, "co_chair": co_chair, "secretariat": secretariat}

    def speakers_of(passage: ParsedPassage) -> list[ActorMatch]:
        if passage.kind == "person" and passage.person is not None:
            entry = people_by_parsed[id(passage.person)]
            return [entry.affiliation.page_owner] if entry.affiliation else []
        if passage.kind in roles:
            match = roles[passage.kind]
            return [match] if match else []
        if passage.kind == "chairs":  # the Chair and the Co-Chair together
            return [match for match in (chair, co_chair) if match]
        if passage.kind == "intervention":
            found: list[ActorMatch] = []
            for bold in passage.speakers:
                for match in speaker_names(bold):
                    if match.page_owner not in found:
                        found.append(match.page_owner)
            return found
        return []

    def speaker_names(bold: str) -> list[ActorMatch]:
        """The actors a speaker's name as written stands for, looked up once however often it speaks."""
        if bold not in speakers_read:
            # One name first, as an official's workplace is read: a ministry or agency in bold
            # ("**Ministry of Interior of Hungary**", "**DGMM**") speaks for its country.
            unknown: list[str] = []
            matches = recogniser.match_list(bold, (*SPEAKER_KINDS, INSTITUTION), unknown=unknown)
            single = recogniser.affiliation(bold) if unknown and not matches else None
            if single is not None:
                matches = [single]
            else:
                for name in unknown:
                    recogniser.report(name)
            speakers_read[bold] = matches
        return speakers_read[bold]

    speakers_read: dict[str, list[ActorMatch]] = {}

    paragraphs: list[ParagraphEntry] = []
    for index, paragraph in enumerate(parsed.paragraphs):
        entries = []
        for passage in paragraph.passages:
            check_time()
            speakers = speakers_of(passage)
            person_entry = people_by_parsed.get(id(passage.person)) if passage.person else None
            goals = recogniser.goals_of(passage.goals, passage.goal_subjects)
            for number in passage.goals:
                if number not in recogniser.goal_numbers:
                    recogniser.report(f"priority goal {number}")
            is_participant_list = index == 0 and parsed.participant_lists
            exclude = speakers + ([person_entry.affiliation] if person_entry and person_entry.affiliation else [])
            entries.append(
                PassageEntry(
                    text=passage.text,
                    kind=passage.kind,
                    speakers=speakers,
                    person=person_entry,
                    goals=goals,
                    mentions=[] if is_participant_list else recogniser.mentions(passage.text, exclude),
                    regions=[] if is_participant_list else recogniser.regions_in(passage.text),
                )
            )
        last = index == len(parsed.paragraphs) - 1
        subject = paragraph.heading[:200] or _subject(
            paragraph.number, entries, paragraph.topic, parsed.participant_count, last
        )
        paragraphs.append(ParagraphEntry(number=paragraph.number, subject=subject, passages=entries))

    warnings = list(parsed.warnings)
    spoken = {passage.kind for paragraph in parsed.paragraphs for passage in paragraph.passages}
    for kind, named, words in (("chair", chair, "Chair"), ("co_chair", co_chair, "Co-Chair")):
        if kind in spoken and named is None:
            warnings.append(f"The {words} speaks but is not named (e.g. “representing Türkiye as {words}”).")
    if "chairs" in spoken and (chair is None or co_chair is None):
        warnings.append("The co-chairs speak but are not named (e.g. “chaired by Albania and co-chaired by Hungary”).")
    listed_countries = sum(1 for match in participants if match.kind == COUNTRY)
    if parsed.country_count is not None and parsed.country_count != listed_countries:
        warnings.append(
            f"The summary speaks of {parsed.country_count} countries; {listed_countries} were recognised in its list."
        )
    return Summary(
        title=parsed.title,
        start_date=parsed.start_date,
        end_date=parsed.end_date,
        location=parsed.location,
        format=parsed.format,
        participant_count=parsed.participant_count,
        participants=participants,
        chair=chair,
        chair_represented_by=chair_represented_by,
        co_chair=co_chair,
        secretariat=secretariat,
        people=people,
        paragraphs=paragraphs,
        footnotes=[(footnote.number, footnote.text) for footnote in parsed.footnotes],
        footnote_marks={footnote.number: footnote.mark for footnote in parsed.footnotes if footnote.mark},
        unrecognised=recogniser.unrecognised,
        warnings=warnings,
        left_out=recogniser.left_out,
        kind=parsed.kind,
        number=parsed.number,
        roles=other_roles,
    )
