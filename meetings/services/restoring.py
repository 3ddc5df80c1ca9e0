"""A meeting and all its parts put back as they were at a moment of their history (django-simple-history)."""

import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings.history import history_baseline
from meetings.models import Footnote, Meeting, Paragraph, Participation, Passage
from meetings.versions import version_bump


def _latest_records(model, scope: dict, as_of: datetime.datetime) -> tuple[dict, dict]:
    """For each object in scope: its newest record at or before `as_of`, and its first record ever."""
    at_time: dict[int, Any] = {}
    first: dict[int, Any] = {}
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
    parts: list[tuple[type[models.Model], dict[str, Any], QuerySet[Any]]] = [
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
    for _model, wanted, _unwanted, by_pk in plans:
        for pk, record in wanted.items():
            _restore_row(record, by_pk.get(pk), reason=reason)
    return meeting
