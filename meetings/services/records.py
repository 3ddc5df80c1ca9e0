"""The records a summary names, found or created: series, countries, organisations, institutions, people
and the positions they held."""

import re

from django.db import transaction
from django.utils.text import slugify

from actors.models import Actor, Person, Position
from meetings.models import MeetingSeries
from meetings.slugs import unique_slug

SOM_SERIES = "Senior Officials Meetings"
_MEETING_NOUNS = r"(?:Meeting|Conference|Workshop|Seminar|Forum|Session|Visit|Dialogue|Round ?table|Webinar)"
_NOT_A_KIND = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                         r"annual|\d{4}|budapest|process|bp)$", re.IGNORECASE)  # fmt: skip


def series_name_for(title: str) -> str:
    """The series a title belongs to: "6th Ministerial Conference" → "Ministerial Conferences"."""
    if re.search(r"\bSenior Officials[’']? Meeting", title, re.IGNORECASE):
        return SOM_SERIES
    match = re.search(rf"((?:[A-Z][\w'’-]*\s+){{0,3}})({_MEETING_NOUNS})\b", title)
    if not match:
        return title.strip()
    words = [word for word in match[1].split() if not _NOT_A_KIND.match(word)][-2:]
    noun = match[2]
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return " ".join([*words, plural])


@transaction.atomic
def series_get_or_create(*, name: str) -> MeetingSeries:
    existing = (
        MeetingSeries.objects.filter(name__iexact=name).first()
        or MeetingSeries.objects.filter(slug=slugify(name)).first()
    )
    if existing:
        return existing
    series = MeetingSeries(name=name, slug=unique_slug(MeetingSeries, slugify(name)))
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def country_create(*, name: str, iso_code: str, other_names: list[str] | None = None) -> Actor:
    """A country the summaries name for the first time, with its ISO 3166 code."""
    country = Actor(
        kind=Actor.Kind.COUNTRY,
        name=name,
        slug=unique_slug(Actor, slugify(name)),
        iso_code=iso_code.upper(),
        other_names="\n".join(other_names or []),
    )
    country.full_clean()
    country.save()
    return country


@transaction.atomic
def organisation_create(
    *, name: str, short_name: str = "", organisation_kind: str = "", other_names: list[str] | None = None
) -> Actor:
    """An organisation a summary names for the first time (from the importer's reference list or the officer)."""
    organisation = Actor(
        kind=Actor.Kind.ORGANISATION,
        name=name,
        short_name=short_name,
        organisation_kind=organisation_kind,
        other_names="\n".join(other_names or []),
        slug=unique_slug(Actor, slugify(short_name or name) or "organisation"),
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def institution_create(*, name: str, parent: Actor, short_name: str = "") -> Actor:
    """A ministry or agency of a country (or a body of an organisation) named as an official's workplace."""
    institution = Actor(
        kind=Actor.Kind.INSTITUTION,
        name=name,
        short_name=short_name,
        parent=parent,
        slug=unique_slug(Actor, slugify(f"{parent.slug}-{name}")),
    )
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def person_get_or_create(*, name: str, honorific: str = "") -> Person:
    """The person of that name (people are told apart by the slug of their name), created if new."""
    slug = slugify(name)[:200] or "person"
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        person = Person(name=name, honorific=honorific, slug=slug)
        person.full_clean()
        person.save()
    return person


@transaction.atomic
def position_get_or_create(*, person: Person, title: str, actor: Actor) -> Position:
    position = Position.objects.filter(person=person, title=title, actor=actor).first()
    if position is None:
        position = Position(person=person, title=title, actor=actor)
        position.full_clean()
        position.save()
    return position
