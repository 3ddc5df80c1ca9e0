"""The actors, people and positions an import creates, written in bulk: a few queries for the whole summary.

`meetings.services.importing.meeting_import` saves the meeting; what it names for the first time is made here first,
so that a summary with ten new countries and ten new officials costs the same handful of queries as one
with none (each `full_clean()` and `save()` with its history row is a round of queries per row).

    actors = ImportActors.for_summary(summary)   # every new country, organisation and institution saved
    actors(match)                                 # the saved Actor of any match of that summary
    positions = import_positions(summary, actors) # id(PersonEntry) → Position
"""

from __future__ import annotations

from typing import Any, overload

from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from actors.models import Actor, Person, Position
from meetings.models import Meeting, MeetingSeries

from ..slugs import FreeSlugs
from .limits import SummaryError
from .recognise import ActorMatch, PersonEntry, Summary

REASON = "Imported from a summary"


def history_user() -> Any:
    """The signed-in person whose request writes the rows, for their history (as simple_history's middleware)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def bulk_with_history(objects: list, model: Any, reason: str = REASON) -> list:
    """`bulk_create` with one history row each ("+", the user and reason of the import), in two inserts."""
    if not objects:
        return []
    return bulk_create_with_history(objects, model, default_user=history_user(), default_change_reason=reason)


def checked(objects: list, *, relations: tuple[str, ...] = ()) -> list:
    """Validate rows about to be written in bulk: every field but the relations, which point at rows this
    import has just saved (validating each would ask the database once per row); the database's constraints
    still hold every row."""
    for obj in objects:
        obj.clean_fields(exclude=list(relations))
        obj.clean()
    return objects


def _slug_base(match: ActorMatch, parent_slug: str = "") -> str:
    if match.kind == Actor.Kind.INSTITUTION:
        return slugify(f"{parent_slug}-{match.name}")
    if match.kind == Actor.Kind.ORGANISATION:
        return slugify(match.code or match.name) or "organisation"
    return slugify(match.name)


class ImportActors:
    """The saved actor of each match of one import: existing ones as they are, new ones created once, in bulk."""

    def __init__(self, saved: dict[int, Actor]) -> None:
        self._saved = saved

    @overload
    def __call__(self, match: ActorMatch) -> Actor: ...
    @overload
    def __call__(self, match: ActorMatch | None) -> Actor | None: ...
    def __call__(self, match: ActorMatch | None) -> Actor | None:
        if match is None:
            return None
        if match.actor is not None:
            return match.actor
        if id(match) not in self._saved:
            raise SummaryError(f"“{match.written}” is neither a known actor nor a country to create.")
        return self._saved[id(match)]

    @classmethod
    def for_summary(cls, summary: Summary) -> ImportActors:
        """Create every new actor of `summary`: countries and organisations, then the institutions of both.

        A country whose ISO code, or an organisation whose name, is already in the database (saved since the
        review was read) is taken as it is, not made twice. Queries: two to find those, one for slugs, and an
        insert with its history for each of the two rounds.
        """
        new = summary.new_actors
        for match in new:
            if match.kind not in (Actor.Kind.COUNTRY, Actor.Kind.ORGANISATION, Actor.Kind.INSTITUTION):
                raise SummaryError(f"“{match.written}” is neither a known actor nor a country to create.")
            if match.kind == Actor.Kind.INSTITUTION and match.parent is None:
                raise SummaryError(f"“{match.written}” is an institution of no country or organisation.")
        saved: dict[int, Actor] = {}
        if not new:
            return cls(saved)
        countries = [match for match in new if match.kind == Actor.Kind.COUNTRY]
        organisations = [match for match in new if match.kind == Actor.Kind.ORGANISATION]
        institutions = [match for match in new if match.kind == Actor.Kind.INSTITUTION]
        by_code = {
            actor.iso_code: actor
            for actor in Actor.objects.filter(iso_code__in={(match.code or "").upper() for match in countries})
        } if countries else {}  # fmt: skip
        by_name: dict[str, Actor] = {}
        if organisations:
            query = Q(pk__in=[])
            for match in organisations:
                query |= Q(name__iexact=match.name)
            for actor in Actor.objects.filter(query, kind=Actor.Kind.ORGANISATION).order_by("pk"):
                by_name.setdefault(actor.name.casefold(), actor)

        def parent_slug(match: ActorMatch) -> str:
            parent = match.parent
            if parent is None:
                return ""
            if parent.actor is not None:
                return parent.actor.slug
            return slugify(parent.name) if parent.kind == Actor.Kind.COUNTRY else _slug_base(parent)

        slugs = FreeSlugs(Actor, [_slug_base(match, parent_slug(match)) for match in new])
        first: list[Actor] = []
        for match in countries:
            existing = by_code.get((match.code or "").upper())
            if existing is not None:
                saved[id(match)] = existing
                continue
            actor = Actor(
                kind=Actor.Kind.COUNTRY,
                name=match.name,
                slug=slugs.take(_slug_base(match)),
                iso_code=(match.code or "").upper(),
                other_names="\n".join(match.other_names),
            )
            saved[id(match)] = actor
            first.append(actor)
        for match in organisations:
            existing = by_name.get(match.name.casefold())
            if existing is not None:
                saved[id(match)] = existing
                continue
            actor = Actor(
                kind=Actor.Kind.ORGANISATION,
                name=match.name,
                short_name=match.code or "",
                organisation_kind=match.organisation_kind,
                other_names="\n".join(match.other_names),
                slug=slugs.take(_slug_base(match)),
            )
            saved[id(match)] = actor
            first.append(actor)
        codes = [actor.iso_code for actor in first if actor.iso_code]
        if len(codes) != len(set(codes)):
            raise SummaryError("Two new countries were given the same ISO code: correct one of them.")
        bulk_with_history(checked(first), Actor)
        actors = cls(saved)
        second: list[Actor] = []
        for match in institutions:
            parent = actors(match.parent)
            assert parent is not None
            actor = Actor(
                kind=Actor.Kind.INSTITUTION,
                name=match.name,
                short_name=match.code or "",
                parent=parent,
                slug=slugs.take(_slug_base(match, parent.slug)),
            )
            saved[id(match)] = actor
            second.append(actor)
        bulk_with_history(checked(second, relations=("parent",)), Actor)
        return actors


def _person_slug(name: str) -> str:
    return slugify(name)[:200] or "person"


def import_positions(summary: Summary, actors: ImportActors) -> dict[int, Position]:
    """The people of a summary (told apart by the slug of their name) and the posts they held, each found or
    created once: a query to find the people, one for their positions, and an insert with history for each."""
    people: list[PersonEntry] = summary.people
    if not people:
        return {}
    persons = {person.slug: person for person in Person.objects.filter(slug__in={_person_slug(p.name) for p in people})}
    new_people: list[Person] = []
    for entry in people:
        slug = _person_slug(entry.name)
        if slug not in persons:
            persons[slug] = Person(name=entry.name, honorific=entry.honorific, slug=slug)
            new_people.append(persons[slug])
    bulk_with_history(checked(new_people), Person)

    wanted: dict[int, tuple[Person, str, Actor]] = {}
    for entry in people:
        actor = actors(entry.affiliation) if entry.affiliation is not None else None
        if actor is not None and entry.title:
            wanted[id(entry)] = (persons[_person_slug(entry.name)], entry.title, actor)
    if not wanted:
        return {}
    query = Q(pk__in=[])
    for person, title, actor in wanted.values():
        if person.pk is not None:
            query |= Q(person=person, title=title, actor=actor)
    found = {(p.person_id, p.title, p.actor_id): p for p in Position.objects.filter(query)}
    new_positions: list[Position] = []
    positions: dict[int, Position] = {}
    for key, (person, title, actor) in wanted.items():
        position = found.get((person.pk, title, actor.pk))
        if position is None:
            position = Position(person=person, title=title, actor=actor)
            found[(person.pk, title, actor.pk)] = position
            new_positions.append(position)
        positions[key] = position
    bulk_with_history(checked(new_positions, relations=("person", "actor")), Position)
    return positions


def import_kind_and_number(meeting: Meeting, summary: Summary) -> None:
    """The kind of a meeting's series and the meeting's number in it, from "the 38th Senior Officials Meeting".

    A series the officer has given a kind keeps it; a number another meeting of the series already has is
    not taken (the database allows one meeting per number), and the officer sets it in the admin.
    """
    series = meeting.series
    if summary.kind and series.kind == MeetingSeries.Kind.OTHER:
        series.kind = summary.kind
        series.numbered = series.numbered or summary.number is not None
        series.full_clean()
        series.save(update_fields=["kind", "numbered"])
    if summary.number is None or meeting.changes_of_id is not None:
        return  # unpublished changes keep the number of the meeting they change
    others = Meeting.objects.filter(series=series, number=summary.number, changes_of__isnull=True)
    if meeting.pk is not None:
        others = others.exclude(pk=meeting.pk)
    if not others.exists():
        meeting.number = summary.number
