"""Writes that touch several models: importing a summary as a meeting, publishing a meeting.

Plain keyword-only functions named `<thing>_<verb>`; each validates with `full_clean()` before saving
and runs in one transaction, so that a failed import leaves nothing behind.
"""

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actors.models import Actor, Person, Position
from meetings.goals import goals_in_force
from meetings.importer import ActorMatch, Summary, SummaryError
from meetings.kinds import propose_kind
from meetings.models import Footnote, GoalSuggestion, Meeting, MeetingSeries, Paragraph, Participation, Passage
from meetings.subjects import suggestions_for

SOM_SERIES = "Senior Officials Meetings"
_MEETING_NOUNS = r"(?:Meeting|Conference|Workshop|Seminar|Forum|Session|Visit|Dialogue|Round ?table|Webinar)"
_NOT_A_KIND = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                         r"annual|\d{4}|budapest|process|bp)$", re.IGNORECASE)  # fmt: skip


def _unique_slug(model, base: str, *, max_length: int = 200) -> str:
    base = base[:max_length].strip("-") or "item"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return slug


def series_name_for(title: str) -> str:
    """The series a title belongs to: "6th Ministerial Conference" → "Ministerial Conferences"."""
    if re.search(r"\bSenior Officials[’']? Meeting", title, re.IGNORECASE):
        return SOM_SERIES
    match = re.search(rf"((?:[A-Z][\w'’-]*\s+){{0,3}}){_MEETING_NOUNS}\b", title)
    if not match:
        return title.strip()
    words = [word for word in match[1].split() if not _NOT_A_KIND.match(word)][-2:]
    noun = re.search(_MEETING_NOUNS, match[0])[0]
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
    series = MeetingSeries(name=name, slug=_unique_slug(MeetingSeries, slugify(name)))
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def country_create(*, name: str, iso_code: str, other_names: list[str] | None = None) -> Actor:
    """A country the summaries name for the first time, with its ISO 3166 code."""
    country = Actor(
        kind=Actor.Kind.COUNTRY,
        name=name,
        slug=_unique_slug(Actor, slugify(name)),
        iso_code=iso_code.upper(),
        other_names="\n".join(other_names or []),
    )
    country.full_clean()
    country.save()
    return country


@transaction.atomic
def institution_create(*, name: str, parent: Actor, short_name: str = "") -> Actor:
    """A ministry or agency of a country (or a body of an organisation) named as an official's workplace."""
    institution = Actor(
        kind=Actor.Kind.INSTITUTION,
        name=name,
        short_name=short_name,
        parent=parent,
        slug=_unique_slug(Actor, slugify(f"{parent.slug}-{name}")),
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


def _meeting_set_status(meeting: Meeting, *, status: str, published_at: datetime.datetime | None) -> Meeting:
    meeting.status = status
    meeting.published_at = published_at
    meeting.version += 1  # an editor's form opened before this change is now stale
    meeting.full_clean()
    meeting.save(update_fields=["status", "published_at", "version", "updated_at"])
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting, published_at: datetime.datetime | None = None) -> Meeting:
    """Make a meeting public now, or at a time to come."""
    return _meeting_set_status(meeting, status=Meeting.Status.PUBLISHED, published_at=published_at or timezone.now())


@transaction.atomic
def meeting_withdraw(*, meeting: Meeting) -> Meeting:
    """Take a published meeting off the public site; its address then says that it was withdrawn."""
    return _meeting_set_status(meeting, status=Meeting.Status.WITHDRAWN, published_at=meeting.published_at)


@transaction.atomic
def meeting_make_draft(*, meeting: Meeting) -> Meeting:
    """Turn a meeting back into a draft, seen by staff only."""
    return _meeting_set_status(meeting, status=Meeting.Status.DRAFT, published_at=None)


def _latest_records(model, scope: dict, as_of: datetime.datetime) -> tuple[dict, dict]:
    """For each object in scope: its newest record at or before `as_of`, and its first record ever."""
    at_time, first = {}, {}
    for record in model.history.filter(**scope).order_by("history_date", "history_id"):
        first.setdefault(record.id, record)
        if record.history_date <= as_of:
            at_time[record.id] = record
    return at_time, first


def _restore_row(record, current, *, reason: str) -> None:
    """Write a row back as its historical record has it; a row that is already so is left untouched."""
    values = {f.attname: getattr(record, f.attname) for f in record.tracked_fields}
    relations = {
        m2m_field.name: {
            getattr(row, f"{m2m_field.m2m_reverse_field_name()}_id") for row in getattr(record, m2m_field.name).all()
        }
        for m2m_field in getattr(record, "_history_m2m_fields", [])
    }
    if current is not None and all(getattr(current, name) == value for name, value in values.items()):
        if all(set(getattr(current, name).values_list("pk", flat=True)) == pks for name, pks in relations.items()):
            return
    obj = record.instance_type(**values)
    obj._change_reason = reason
    obj.save()
    for name, pks in relations.items():
        getattr(obj, name).set(pks)


@transaction.atomic
def meeting_restore(*, meeting: Meeting, as_of: datetime.datetime) -> Meeting:
    """Put a meeting and all its parts back as they were at `as_of`; the restore is itself a change in the history.

    The publication status stays as it is (publishing is a decision of its own). A row whose history
    does not reach back to `as_of` is kept as it is rather than deleted: nothing is lost by a restore.
    """
    from .history import history_baseline

    history_baseline(meeting=meeting)
    reason = f"Restored to {as_of.isoformat()}"
    record = meeting.history.filter(history_date__lte=as_of).order_by("-history_date", "-history_id").first()
    if record is not None and record.history_type != "-":
        for model_field in record.tracked_fields:
            if model_field.name not in {"id", "status", "published_at", "created_at"}:
                setattr(meeting, model_field.attname, getattr(record, model_field.attname))
    meeting.version += 1
    meeting._change_reason = reason
    meeting.full_clean()
    meeting.save()

    paragraph_ids = set(Paragraph.history.filter(meeting_id=meeting.pk).values_list("id", flat=True))
    parts = [
        (Participation, {"meeting_id": meeting.pk}, meeting.participations.all()),
        (Paragraph, {"meeting_id": meeting.pk}, meeting.paragraphs.all()),
        (Footnote, {"meeting_id": meeting.pk}, meeting.footnotes.all()),
        (Passage, {"paragraph_id__in": paragraph_ids}, Passage.objects.filter(paragraph__meeting=meeting)),
    ]
    plans = []
    for model, scope, current in parts:
        at_time, first = _latest_records(model, scope, as_of)
        wanted = {pk: r for pk, r in at_time.items() if r.history_type != "-"}
        unwanted = [
            obj
            for obj in current
            if obj.pk not in wanted and (obj.pk in at_time or (obj.pk in first and first[obj.pk].history_type == "+"))
        ]
        plans.append((model, wanted, unwanted, {obj.pk: obj for obj in current}))
    # Delete children before parents, then write parents before children.
    for _model, _wanted, unwanted, _current in reversed(plans):
        for obj in unwanted:
            obj._change_reason = reason
            obj.delete()
    for _model, wanted, _unwanted, current in plans:
        for pk, record in wanted.items():
            _restore_row(record, current.get(pk), reason=reason)
    return meeting


class _Actors:
    """Saved actors for the matches of one import: existing ones as they are, new ones created once."""

    def __init__(self) -> None:
        self._saved: dict[int, Actor] = {}

    def __call__(self, match: ActorMatch | None) -> Actor | None:
        if match is None:
            return None
        if match.actor is not None:
            return match.actor
        if id(match) not in self._saved:
            if match.kind == Actor.Kind.COUNTRY:
                existing = Actor.objects.filter(iso_code=match.code).first()
                self._saved[id(match)] = existing or country_create(
                    name=match.name, iso_code=match.code, other_names=match.other_names
                )
            elif match.kind == Actor.Kind.INSTITUTION and match.parent is not None:
                self._saved[id(match)] = institution_create(
                    name=match.name, parent=self(match.parent), short_name=match.code or ""
                )
            else:
                raise SummaryError(f"“{match.written}” is neither a known actor nor a country to create.")
        return self._saved[id(match)]


def meeting_slug_for(summary: Summary) -> str:
    """A free slug for an imported meeting: its date and title, with a number added if taken."""
    return _unique_slug(Meeting, slugify(f"{summary.start_date:%Y-%m-%d} {summary.title}") or "meeting")


@transaction.atomic
def meeting_import(*, summary: Summary, publish: bool = False, slug: str = "") -> Meeting:
    """Save a recognised summary as a new meeting: a draft, unless `publish` makes it public now.

    New countries (from the ISO list), institutions, people and positions are created; names that
    were not recognised are left out (they are in `summary.unrecognised` for the person importing).
    """
    if not summary.title:
        raise SummaryError("The summary has no title above paragraph 1, so the meeting cannot be saved.")
    if summary.start_date is None:
        raise SummaryError("The summary gives no date (e.g. “Online, 2 December 2020”), so it cannot be saved.")
    actors = _Actors()
    series = series_get_or_create(name=series_name_for(summary.title))
    meeting = Meeting(
        series=series,
        title=summary.title,
        slug=slug or meeting_slug_for(summary),
        start_date=summary.start_date,
        end_date=summary.end_date,
        format=summary.format,
        location=summary.location,
        participant_count=summary.participant_count,
        status=Meeting.Status.DRAFT,
    )
    meeting.full_clean()
    meeting.save()

    roles: dict[int, tuple[str, Actor | None]] = {}
    for match in summary.participants:
        roles[actors(match).pk] = (Participation.Role.PARTICIPANT, None)
    for role, match in (
        (Participation.Role.SECRETARIAT, summary.secretariat),
        (Participation.Role.CO_CHAIR, summary.co_chair),
        (Participation.Role.CHAIR, summary.chair),
    ):
        if match is not None:
            represented_by = actors(summary.chair_represented_by) if role == Participation.Role.CHAIR else None
            roles[actors(match).pk] = (role, represented_by)
    for actor_pk, (role, represented_by) in roles.items():
        participation = Participation(meeting=meeting, actor_id=actor_pk, role=role, represented_by=represented_by)
        participation.full_clean()
        participation.save()

    positions = {}
    for person in summary.people:
        saved = person_get_or_create(name=person.name, honorific=person.honorific)
        if person.affiliation is not None and person.title:
            positions[id(person)] = position_get_or_create(
                person=saved, title=person.title, actor=actors(person.affiliation)
            )

    goals = goals_in_force(meeting.start_date)
    suggestions = []
    for paragraph_entry in summary.paragraphs:
        paragraph = Paragraph(meeting=meeting, number=paragraph_entry.number, subject=paragraph_entry.subject)
        paragraph.full_clean()
        paragraph.save()
        for order, entry in enumerate(paragraph_entry.passages, start=1):
            kind, kind_reason = propose_kind(entry.text, speakers=len(entry.speakers))
            passage = Passage(
                paragraph=paragraph,
                order=order,
                text=entry.text,
                kind=kind,
                kind_reason=kind_reason,
                official=positions.get(id(entry.person)) if entry.person else None,
            )
            passage.full_clean()
            passage.save()
            # add() only what there is: each call writes a row of history, and most passages name no goal.
            named = [goals[number] for number in entry.goals if number in goals]
            if kind == Passage.Kind.STATEMENT:
                suggestions += suggestions_for(passage, goals.values(), named=named)
            for related, items in (
                (passage.speakers, [actors(match) for match in entry.speakers]),
                (passage.goals, named),
                (passage.mentions, [actors(match) for match in entry.mentions]),
                (passage.regions, entry.regions),
            ):
                if items:
                    related.add(*items)

    GoalSuggestion.objects.bulk_create(suggestions)
    for number, text in summary.footnotes:
        footnote = Footnote(meeting=meeting, number=number, text=text)
        footnote.full_clean()
        footnote.save()

    if publish:
        meeting_publish(meeting=meeting)
    return meeting
