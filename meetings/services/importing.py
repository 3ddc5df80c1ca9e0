"""A recognised summary (meetings.importer) saved as a meeting, or put again over its meeting's draft."""

import datetime
from typing import Any, cast

from django.apps import apps
from django.db import transaction
from django.db.models import ManyToManyField
from django.utils.text import slugify

from actors.models import Actor
from meetings.goals import goals_in_force
from meetings.importer import Summary, SummaryError
from meetings.importer.save import ImportActors, bulk_with_history, checked, import_kind_and_number, import_positions
from meetings.kinds import propose_kind
from meetings.models import Footnote, GoalSuggestion, Meeting, Paragraph, Participation, Passage
from meetings.revisions import meeting_changes_draft
from meetings.slugs import unique_slug
from meetings.subjects import suggestions_for
from meetings.versions import version_bump

from .publishing import meeting_publish
from .records import (
    series_get_or_create,
    series_name_for,
)


def meeting_slug_for(summary: Summary) -> str:
    """A free slug for an imported meeting: its date and title, with a number added if taken."""
    return unique_slug(Meeting, slugify(f"{summary.start_date:%Y-%m-%d} {summary.title}") or "meeting")


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


def _start_date_to_save(summary: Summary) -> datetime.date:
    """The first day of the meeting a summary is saved as; a SummaryError where it lacks what a meeting needs."""
    if not summary.title:
        raise SummaryError("The summary has no title above paragraph 1, so the meeting cannot be saved.")
    if summary.start_date is None:
        raise SummaryError("The summary gives no date (e.g. “Online, 2 December 2020”), so it cannot be saved.")
    return summary.start_date


@transaction.atomic
def meeting_import(*, summary: Summary, publish: bool = False, slug: str = "", as_new: bool = False) -> Meeting:
    """Save a recognised summary as a meeting: a draft, unless `publish` makes it public now.

    New countries (from the ISO list), organisations, institutions, people and positions are created;
    names that were not recognised are left out (they are in `summary.unrecognised` for the person
    importing). The same summary imported again (same series, same first day) updates that meeting's
    draft instead (`meeting_reimport`): never a second meeting, unless `as_new` asks for one.
    """
    start_date = _start_date_to_save(summary)
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
        start_date=start_date,
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
    start_date = _start_date_to_save(summary)
    draft = editable_draft_for(meeting=meeting, user=user)
    changes = meeting_changes(meeting=draft, summary=summary)
    Passage.objects.filter(paragraph__meeting=draft).delete()
    draft.paragraphs.all().delete()
    draft.participations.all().delete()
    draft.footnotes.all().delete()
    draft.title, draft.start_date, draft.end_date = summary.title, start_date, summary.end_date
    draft.format, draft.location = summary.format, summary.location
    draft.participant_count = summary.participant_count
    version_bump(draft)  # an editor's form opened before the import is now stale
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
        field = cast(ManyToManyField, Passage._meta.get_field(name))  # `relations` names many-to-many fields
        # Its through model, resolved when the apps loaded: one for each relation, `passage` and its target.
        through = cast(type[Any], field.remote_field.through)
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
    for role, role_match in (
        (Participation.Role.SECRETARIAT, summary.secretariat),
        (Participation.Role.CO_CHAIR, summary.co_chair),
        (Participation.Role.CHAIR, summary.chair),
    ):
        if role_match is not None:
            represented_by = actors(summary.chair_represented_by) if role == Participation.Role.CHAIR else None
            roles[actors(role_match).pk] = (role, represented_by)
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
