"""The change history of a meeting and everything it consists of, read from django-simple-history.

A meeting is a tree of rows in five tables (the meeting, its participations, paragraphs, passages
and footnotes); its history is the merged timeline of their historical records. Each entry says who
changed what and when, with the fields that changed, in words a policy officer reads.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_field_name

from actors.models import Actor, Position, Region

from .models import Footnote, Meeting, Paragraph, Participation, Passage, PriorityGoal

KIND_LABELS = {"+": _("added"), "~": _("changed"), "-": _("deleted")}
# Labels of the objects a many-to-many field points at, by the model of its target.
_LABEL_QUERYSETS = {
    Actor: lambda: Actor.objects.select_related("parent"),
    Position: lambda: Position.objects.select_related("person", "actor__parent"),
    PriorityGoal: lambda: PriorityGoal.objects.all(),
    Region: lambda: Region.objects.all(),
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """One saved change of one object of a meeting."""

    record: Model
    model_label: str
    object_label: str
    kind: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def date(self) -> datetime.datetime:
        return self.record.history_date

    @property
    def user(self):
        return self.record.history_user

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _history_of_parts(meeting_id: int, since: datetime.datetime | None):
    """The historical records of a meeting and its parts, newest first, with what each needs for its label."""
    paragraph_ids = set(Paragraph.history.filter(meeting_id=meeting_id).values_list("id", flat=True))
    querysets = [
        Meeting.history.filter(id=meeting_id),
        Participation.history.filter(meeting_id=meeting_id).select_related("actor"),
        Paragraph.history.filter(meeting_id=meeting_id),
        Footnote.history.filter(meeting_id=meeting_id),
        Passage.history.filter(paragraph_id__in=paragraph_ids),
    ]
    records = []
    for queryset in querysets:
        if since is not None:
            queryset = queryset.filter(history_date__gt=since)
        records.extend(queryset.select_related("history_user"))
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    return records, paragraph_ids


def _object_label(record) -> str:
    model = record.instance_type
    if model is Meeting:
        return record.title
    if model is Participation:
        return str(record.actor)
    if model is Paragraph:
        return f"¶{record.number} {record.subject}".strip()
    return _("footnote %(number)s") % {"number": record.number}


def _passage_label(record, paragraph_numbers: dict[int, int]) -> str:
    number = paragraph_numbers.get(record.paragraph_id, "?")
    text = record.text if len(record.text) <= 70 else record.text[:70] + "…"
    return f"¶{number}.{record.order} {text}"


def _display(value, *, choices=None) -> str:
    if value in (None, ""):
        return "—"
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def meeting_changes(meeting: Meeting, *, since: datetime.datetime | None = None, limit: int = 500) -> list[Change]:
    """The changes of a meeting and its parts, newest first, each with the fields that changed."""
    records, paragraph_ids = _history_of_parts(meeting.pk, since)
    records = records[:limit]
    paragraph_numbers = dict(
        Paragraph.history.filter(id__in=paragraph_ids).order_by("history_date").values_list("id", "number")
    )
    # The previous record of each object, to compare with: the next older one in the list, or the database.
    previous: dict[int, Model | None] = {}
    older_by_object: dict[tuple, Model] = {}
    for record in reversed(records):
        key = (record.instance_type, record.id)
        previous[id(record)] = older_by_object.get(key)
        older_by_object[key] = record
    for record in records:
        if previous[id(record)] is None and record.history_type != "+":
            previous[id(record)] = record.prev_record

    labels = _related_labels(records, previous)
    changes = []
    for record in records:
        model = record.instance_type
        label = _passage_label(record, paragraph_numbers) if model is Passage else _object_label(record)
        change = Change(record=record, model_label=str(model._meta.verbose_name), object_label=label,
                        kind=record.history_type)  # fmt: skip
        old = previous[id(record)]
        if record.history_type == "~" and old is not None:
            change.fields = _field_changes(record, old, labels)
        changes.append(change)
    return changes


def _related_labels(records, previous) -> dict[tuple[type[Model], object], str]:
    """Names of the actors, positions, goals and regions that the records point at, in one query per kind."""
    wanted: dict[type[Model], set] = {}
    for record in records + [r for r in previous.values() if r is not None]:
        for model_field in record.tracked_fields:
            if model_field.is_relation and model_field.related_model in _LABEL_QUERYSETS:
                wanted.setdefault(model_field.related_model, set()).add(getattr(record, model_field.attname))
        for m2m_field in getattr(record, "_history_m2m_fields", []):
            target = m2m_field.related_model
            for row in getattr(record, m2m_field.name).all():
                wanted.setdefault(target, set()).add(getattr(row, f"{_target_field_name(m2m_field)}_id"))
    labels = {}
    for model, pks in wanted.items():
        pks.discard(None)
        for obj in _LABEL_QUERYSETS[model]().filter(pk__in=pks):
            labels[(model, obj.pk)] = getattr(obj, "label", None) or str(obj)
    return labels


def _target_field_name(m2m_field) -> str:
    return m2m_field.m2m_reverse_field_name()


def _field_changes(new, old, labels) -> list[FieldChange]:
    delta = new.diff_against(old)
    result = []
    for change in delta.changes:
        model_field = new.instance_type._meta.get_field(change.field)
        label = str(model_field.verbose_name)
        if model_field.many_to_many:
            target = model_field.related_model
            name = _target_field_name(model_field)

            def names(rows, target=target, name=name):
                pks = sorted({row[name] for row in rows})
                return ", ".join(labels.get((target, pk), str(pk)) for pk in pks) or "—"

            result.append(FieldChange(label, names(change.old), names(change.new)))
        elif model_field.is_relation:
            target = model_field.related_model
            result.append(
                FieldChange(
                    label,
                    labels.get((target, change.old), _display(change.old)),
                    labels.get((target, change.new), _display(change.new)),
                )
            )
        else:
            choices = model_field.choices
            result.append(
                FieldChange(label, _display(change.old, choices=choices), _display(change.new, choices=choices))
            )
    return result


def history_baseline(*, meeting: Meeting) -> int:
    """Record the present state of a meeting's rows that have no history yet (rows loaded from a fixture).

    Without it, the first change of such a row would be the oldest state known, and the state before
    it could not be restored. The record is dated at the meeting's creation. Returns how many were made.
    A meeting with a record of its own is taken as recorded: one query when there is nothing to do.
    """
    if Meeting.history.filter(id=meeting.pk).exists():
        return 0  # recorded already: its parts were recorded with it, or by their own saves since
    made = 0
    when = meeting.created_at or datetime.datetime.now(tz=datetime.UTC)
    groups = [(Meeting, Meeting.objects.filter(pk=meeting.pk))]
    groups += [(Participation, meeting.participations.all()), (Paragraph, meeting.paragraphs.all())]
    groups += [(Footnote, meeting.footnotes.all()), (Passage, Passage.objects.filter(paragraph__meeting=meeting))]
    for model, queryset in groups:
        recorded = set(model.history.filter(id__in=queryset.values("pk")).values_list("id", flat=True).distinct())
        for obj in queryset.exclude(pk__in=recorded):
            _record(obj, when=when)
            made += 1
    return made


def _record(obj: Model, *, when: datetime.datetime) -> None:
    history_model = type(obj).history.model
    record = history_model(
        history_date=when,
        history_type="+",
        history_user=None,
        history_change_reason="State when the history began",
        **{f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields},
    )
    record.save()
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        through = getattr(obj, m2m_field.name).through
        rows_model = getattr(record, m2m_field.name).model
        source = get_m2m_field_name(m2m_field)
        names = [f.name for f in through._meta.fields]
        rows_model.objects.bulk_create(
            rows_model(history=record, **{name: getattr(row, name) for name in names})
            for row in through.objects.filter(**{source: obj})
        )
