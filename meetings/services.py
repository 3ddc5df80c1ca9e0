"""Writes that touch several models: importing a summary as a meeting, publishing a meeting.

Plain keyword-only functions named `<thing>_<verb>`; each validates with `full_clean()` before saving
and runs in one transaction, so that a failed import leaves nothing behind.
"""

import datetime
import re
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actors.models import Actor, Person, Position
from meetings.goals import goals_in_force
from meetings.importer import Summary, SummaryError
from meetings.importer.save import ImportActors, bulk_with_history, checked, import_kind_and_number, import_positions
from meetings.kinds import propose_kind
from meetings.models import Footnote, GoalSuggestion, Meeting, MeetingSeries, Paragraph, Participation, Passage
from meetings.revisions import meeting_changes_draft
from meetings.subjects import suggestions_for
from meetings.versions import version_bump

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
        slug=_unique_slug(Actor, slugify(short_name or name) or "organisation"),
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
    version_bump(meeting)  # an editor's form opened before this change is now stale
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
    reason = f"Restored to {timezone.localtime(as_of):%d %B %Y %H:%M}"
    record = meeting.history.filter(history_date__lte=as_of).order_by("-history_date", "-history_id").first()
    if record is not None and record.history_type != "-":
        for model_field in record.tracked_fields:
            if model_field.name not in {"id", "status", "published_at", "created_at"}:
                setattr(meeting, model_field.attname, getattr(record, model_field.attname))
    version_bump(meeting)
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


def meeting_slug_for(summary: Summary) -> str:
    """A free slug for an imported meeting: its date and title, with a number added if taken."""
    return _unique_slug(Meeting, slugify(f"{summary.start_date:%Y-%m-%d} {summary.title}") or "meeting")


def meeting_for_summary(summary: Summary) -> Meeting | None:
    """The meeting a summary already stands for: the same series on the same first day, with the same title
    or in the same place (two regional meetings may fall on one day, in two cities)."""
    if not summary.title or summary.start_date is None:
        return None
    name = series_name_for(summary.title)
    same_day = Meeting.objects.filter(series__name__iexact=name, start_date=summary.start_date).order_by("pk")
    return next(
        (
            meeting
            for meeting in same_day.select_related("series")
            if meeting.title.casefold() == summary.title.casefold()
            or (meeting.location and meeting.location.casefold() == summary.location.casefold())
        ),
        None,
    )


def editable_draft_for(*, meeting: Meeting, user: Any = None) -> Meeting:
    """The draft that importing a summary again may change in place of `meeting`.

    A draft is its own. A published meeting must not change under its readers: the import goes into its
    unpublished changes (its working copy, meetings.revisions), which wait for a Publisher. A withdrawn
    meeting is refused with a message: publish it again or make it a draft first.
    """
    if meeting.status == Meeting.Status.PUBLISHED:
        return meeting_changes_draft(meeting, user=user)
    if meeting.status != Meeting.Status.DRAFT:
        raise SummaryError(
            f"“{meeting.title}” of {meeting.start_date:%-d %B %Y} is {meeting.get_status_display().lower()}: "
            "importing its summary again would change a record readers were told is withdrawn. Make it a draft "
            "first in the admin, then import it again."
        )
    return meeting


def meeting_changes(*, meeting: Meeting, summary: Summary) -> list[str]:
    """What saving `summary` over `meeting` would change, in words for the officer (nothing is saved)."""
    changes = []
    for label, old, new in (
        ("Title", meeting.title, summary.title),
        ("Place", meeting.location, summary.location),
        ("Last day", meeting.end_date, summary.end_date),
        ("Format", meeting.format, summary.format),
        ("Number of participants", meeting.participant_count, summary.participant_count),
    ):
        if (old or None) != (new or None):
            changes.append(f"{label}: “{old or '–'}” becomes “{new or '–'}”.")
    before = set(meeting.participants.values_list("name", flat=True))
    after = {match.name for match in summary.participants}
    after |= {match.name for match in (summary.chair, summary.co_chair, summary.secretariat) if match}
    after |= {match.name for _role, match in summary.roles}
    if after - before:
        changes.append("New participants: " + ", ".join(sorted(after - before)) + ".")
    if before - after:
        changes.append("No longer participants: " + ", ".join(sorted(before - after)) + ".")
    old_paragraphs = {number: " ".join(texts) for number, texts in _texts_by_paragraph(meeting).items()}
    new_paragraphs = {paragraph.number: paragraph.text for paragraph in summary.paragraphs}
    for number in sorted(set(old_paragraphs) | set(new_paragraphs)):
        if number not in new_paragraphs:
            changes.append(f"Paragraph {number} is removed.")
        elif number not in old_paragraphs:
            changes.append(f"Paragraph {number} is added.")
        elif old_paragraphs[number] != new_paragraphs[number]:
            changes.append(f"Paragraph {number} is changed.")
    old_notes = list(meeting.footnotes.values_list("text", flat=True))
    if old_notes != [text for _number, text in summary.footnotes]:
        changes.append("The footnotes are changed.")
    return changes


def _texts_by_paragraph(meeting: Meeting) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {number: [] for number in meeting.paragraphs.values_list("number", flat=True)}
    passages = Passage.objects.filter(paragraph__meeting=meeting).order_by("paragraph__number", "order")
    for number, text in passages.values_list("paragraph__number", "text"):
        texts.setdefault(number, []).append(text)
    return texts


@transaction.atomic
def meeting_import(*, summary: Summary, publish: bool = False, slug: str = "", as_new: bool = False) -> Meeting:
    """Save a recognised summary as a meeting: a draft, unless `publish` makes it public now.

    New countries (from the ISO list), organisations, institutions, people and positions are created;
    names that were not recognised are left out (they are in `summary.unrecognised` for the person
    importing). The same summary imported again (same series, same first day) updates that meeting's
    draft instead (`meeting_reimport`): never a second meeting, unless `as_new` asks for one.
    """
    if not summary.title:
        raise SummaryError("The summary has no title above paragraph 1, so the meeting cannot be saved.")
    if summary.start_date is None:
        raise SummaryError("The summary gives no date (e.g. “Online, 2 December 2020”), so it cannot be saved.")
    existing = None if as_new else meeting_for_summary(summary)
    if existing is not None:
        meeting_reimport(meeting=existing, summary=summary)
        if publish:
            meeting_publish(meeting=existing)
        return existing
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
    import_kind_and_number(meeting, summary)
    meeting.full_clean()
    meeting.save()
    _meeting_fill(meeting, summary)
    if publish:
        meeting_publish(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_reimport(*, meeting: Meeting, summary: Summary, user: Any = None) -> list[str]:
    """Put a summary imported again over the draft of its meeting; returns what changed, in words."""
    draft = editable_draft_for(meeting=meeting, user=user)
    changes = meeting_changes(meeting=draft, summary=summary)
    Passage.objects.filter(paragraph__meeting=draft).delete()
    draft.paragraphs.all().delete()
    draft.participations.all().delete()
    draft.footnotes.all().delete()
    draft.title, draft.start_date, draft.end_date = summary.title, summary.start_date, summary.end_date
    draft.format, draft.location = summary.format, summary.location
    draft.participant_count = summary.participant_count
    draft.version += 1  # an editor's form opened before the import is now stale
    draft._change_reason = "Imported again from its summary"
    import_kind_and_number(draft, summary)
    draft.full_clean()
    draft.save()
    _meeting_fill(draft, summary)
    return changes


def _bulk_relations(passages: list[Passage], relations: dict[str, list[tuple[int, list[int]]]], reason: str) -> None:
    """The speakers, goals, mentions and regions of new passages, with the rows of history that `add()` writes,
    in one insert per relation instead of one round of queries per passage and relation."""
    records = {
        record.id: record
        for record in Passage.history.filter(id__in=[passage.pk for passage in passages], history_type="+")
    }
    for name, pairs in relations.items():
        field = Passage._meta.get_field(name)
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        rows = through.objects.bulk_create(
            [through(**{"passage_id": passage_pk, f"{target}_id": pk}) for passage_pk, pks in pairs for pk in pks]
        )
        # simple-history names the history of a relation after its through model (auto-made or our own).
        history_model = apps.get_model(through._meta.app_label, f"Historical{through._meta.object_name}")
        history_model.objects.bulk_create(
            [
                history_model(
                    id=row.pk,
                    passage_id=row.passage_id,
                    history=records[row.passage_id],
                    **{f"{target}_id": getattr(row, f"{target}_id")},
                )
                for row in rows
                if row.passage_id in records
            ]
        )


def _meeting_fill(meeting: Meeting, summary: Summary) -> None:
    """Participations, officials, paragraphs, passages and footnotes of a saved meeting, from its summary.

    Written in bulk with their history rows: a meeting of 50 participations and 40 interventions is a few
    dozen queries, not two thousand (each `save()` and `add()` is a round of queries with its history).
    """
    reason = "Imported from a summary"
    actors = ImportActors.for_summary(summary)
    roles: dict[int, tuple[str, Actor | None]] = {}
    for match in summary.participants:
        roles[actors(match).pk] = (Participation.Role.PARTICIPANT, None)
    for role_name, match in reversed(summary.roles):  # host, rapporteur …: the first said for an actor wins
        roles[actors(match).pk] = (Participation.Role(role_name), None)
    for role, match in (
        (Participation.Role.SECRETARIAT, summary.secretariat),
        (Participation.Role.CO_CHAIR, summary.co_chair),
        (Participation.Role.CHAIR, summary.chair),
    ):
        if match is not None:
            represented_by = actors(summary.chair_represented_by) if role == Participation.Role.CHAIR else None
            roles[actors(match).pk] = (role, represented_by)
    participations = [
        Participation(meeting=meeting, actor_id=actor_pk, role=role, represented_by=represented_by)
        for actor_pk, (role, represented_by) in roles.items()
    ]
    bulk_with_history(checked(participations, relations=("meeting", "actor", "represented_by")), Participation, reason)

    positions = import_positions(summary, actors)

    goals = goals_in_force(meeting.start_date)
    paragraphs = [
        Paragraph(meeting=meeting, number=entry.number, subject=entry.subject) for entry in summary.paragraphs
    ]
    bulk_with_history(checked(paragraphs, relations=("meeting",)), Paragraph, reason)
    passages: list[Passage] = []
    relations: dict[str, list[tuple[int, list[int]]]] = {"speakers": [], "goals": [], "mentions": [], "regions": []}
    wanted: list[dict[str, list[int]]] = []
    for paragraph, paragraph_entry in zip(paragraphs, summary.paragraphs, strict=True):
        for order, entry in enumerate(paragraph_entry.passages, start=1):
            kind, kind_reason = propose_kind(entry.text, speakers=len(entry.speakers))
            passages.append(
                Passage(
                    paragraph=paragraph,
                    order=order,
                    text=entry.text,
                    kind=kind,
                    kind_reason=kind_reason,
                    official=positions.get(id(entry.person)) if entry.person else None,
                )
            )
            wanted.append(
                {
                    "speakers": list(dict.fromkeys(actors(match).pk for match in entry.speakers)),
                    "goals": [goals[number].pk for number in entry.goals if number in goals],
                    "mentions": list(dict.fromkeys(actors(match).pk for match in entry.mentions)),
                    "regions": [region.pk for region in entry.regions],
                }
            )
    bulk_with_history(checked(passages, relations=("paragraph", "official")), Passage, reason)
    suggestions = []
    for passage, pks in zip(passages, wanted, strict=True):
        for name, values in pks.items():
            if values:
                relations[name].append((passage.pk, values))
        if passage.kind == Passage.Kind.STATEMENT:
            # Subjects the words suggest, for the editor to confirm: never a tag by themselves.
            named = [goal for goal in goals.values() if goal.pk in pks["goals"]]
            suggestions += suggestions_for(passage, goals.values(), named=named)
    _bulk_relations(passages, relations, reason)
    GoalSuggestion.objects.bulk_create(suggestions)

    footnotes = [
        Footnote(meeting=meeting, number=number, text=text, mark=summary.footnote_marks.get(number, ""))
        for number, text in summary.footnotes
    ]
    bulk_with_history(checked(footnotes, relations=("meeting",)), Footnote, reason)
