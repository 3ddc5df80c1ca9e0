"""The change history of a meeting and everything it consists of, read from django-simple-history.

A meeting is a tree of rows in five tables (the meeting, its participations, paragraphs, passages
and footnotes); its history is the merged timeline of their historical records. One save writes
several records (a passage's text, then each of its lists of speakers and goals); they are read
back as one *entry*: who, when, and what changed, field by field, in words a policy officer reads.
Records that changed nothing make no entry.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from actors.models import Actor, Position, Region

from .models import Footnote, Meeting, Paragraph, Participation, Passage, PriorityGoal

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KIND_LABELS = {"+": _("added"), "~": _("changed"), "-": _("deleted")}
# Records of one save are written within a moment of each other, by one person, for one reason.
SAVE_WINDOW = datetime.timedelta(seconds=2)
# Labels of the objects a relation points at, by the model of its target.
_LABEL_QUERYSETS = {
    Actor: lambda: Actor.objects.select_related("parent"),
    Position: lambda: Position.objects.select_related("person", "actor__parent"),
    PriorityGoal: lambda: PriorityGoal.objects.all(),
    Region: lambda: Region.objects.all(),
}

# The models whose rows make up a meeting, each with its history (`history`, simple-history's manager).
RecordedModel = type[Meeting] | type[Participation] | type[Paragraph] | type[Footnote] | type[Passage]


class HistoricalRecord(Protocol):
    """A record of simple-history, whose historical models are made at run time: the fields it tracks, and these."""

    id: Any  # the recorded object's pk
    pk: Any  # the record's own
    history_date: datetime.datetime
    history_type: str  # "+", "~" or "-"
    history_user: AbstractBaseUser | None
    instance_type: type[Model]


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """What one save did to one object of a meeting."""

    record: HistoricalRecord  # the object's last record in the save
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
    def kind_label(self) -> "StrOrPromise":
        return KIND_LABELS[self.kind]


@dataclass
class Entry:
    """One save: who, when, why (a restore, a publication) and what it changed."""

    date: datetime.datetime
    user: AbstractBaseUser | None
    reason: str
    changes: list[Change]


def _history_of_parts(meeting_id: int) -> list:
    """Every historical record of a meeting and its parts, oldest first, with what each needs for its label."""
    paragraph_ids = set(Paragraph.history.filter(meeting_id=meeting_id).values_list("id", flat=True))
    m2m_names = [_m2m_accessor(Passage.history.model, f) for f in Passage._meta.many_to_many]
    querysets = [
        Meeting.history.filter(id=meeting_id),
        Participation.history.filter(meeting_id=meeting_id),
        Paragraph.history.filter(meeting_id=meeting_id),
        Footnote.history.filter(meeting_id=meeting_id),
        Passage.history.filter(paragraph_id__in=paragraph_ids).prefetch_related(*m2m_names),
    ]
    records = []
    for queryset in querysets:
        records.extend(queryset.select_related("history_user"))
    records.sort(key=lambda r: (r.history_date, r.history_id))
    return records


def _m2m_accessor(history_model, m2m) -> str:
    """The reverse accessor of a record's many-to-many history rows (prefetchable, unlike simple-history's manager)."""
    through = m2m.remote_field.through
    # simple-history names the history of a relation after its through model (auto-made or our own).
    rows_model = apps.get_model(through._meta.app_label, f"Historical{through._meta.object_name}")
    return rows_model._meta.get_field("history").remote_field.get_accessor_name()


def _m2m_pks(record) -> dict[str, set]:
    return {
        m2m.name: {
            getattr(row, f"{m2m.m2m_reverse_field_name()}_id")
            for row in getattr(record, _m2m_accessor(type(record), m2m)).all()
        }
        for m2m in getattr(record, "_history_m2m_fields", [])
    }


def _related_labels(records) -> dict[tuple[type[Model], object], str]:
    """Names of the actors, positions, goals and regions that the records point at, in one query per kind."""
    wanted: dict[type[Model], set] = {}
    for record in records:
        for model_field in record.tracked_fields:
            if model_field.is_relation and model_field.related_model in _LABEL_QUERYSETS:
                wanted.setdefault(model_field.related_model, set()).add(getattr(record, model_field.attname))
        for m2m in getattr(record, "_history_m2m_fields", []):
            for pk in _m2m_pks(record)[m2m.name]:
                wanted.setdefault(m2m.related_model, set()).add(pk)
    labels = {}
    for model, pks in wanted.items():
        pks.discard(None)
        for obj in _LABEL_QUERYSETS[model]().filter(pk__in=pks):
            labels[(model, obj.pk)] = getattr(obj, "label", None) or str(obj)
    return labels


def _display(value, *, model_field=None, labels=None) -> str:
    if value in (None, ""):
        return "—"
    if model_field is not None and model_field.is_relation and labels is not None:
        return labels.get((model_field.related_model, value), str(value))
    if model_field is not None and model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    return str(value)


def _field_changes(old, new, labels) -> list[FieldChange]:
    """The fields that differ between two records of one object, old → new, in words."""
    model = new.instance_type
    result = []
    for tracked in new.tracked_fields:
        if tracked.name == "id":
            continue
        before, after = getattr(old, tracked.attname), getattr(new, tracked.attname)
        if before != after:
            model_field = model._meta.get_field(tracked.name)
            result.append(
                FieldChange(
                    str(model_field.verbose_name),
                    _display(before, model_field=model_field, labels=labels),
                    _display(after, model_field=model_field, labels=labels),
                )
            )
    old_pks, new_pks = _m2m_pks(old), _m2m_pks(new)
    for m2m in getattr(new, "_history_m2m_fields", []):
        if old_pks[m2m.name] != new_pks[m2m.name]:

            def names(pks, target=m2m.related_model):
                return ", ".join(sorted(labels.get((target, pk), str(pk)) for pk in pks)) or "—"

            result.append(FieldChange(str(m2m.verbose_name), names(old_pks[m2m.name]), names(new_pks[m2m.name])))
    return result


def _object_label(record, paragraph_numbers: dict[int, int], labels) -> str:
    model = record.instance_type
    if model is Meeting:
        return record.title
    if model is Participation:
        return labels.get((Actor, record.actor_id), str(record.actor_id))
    if model is Paragraph:
        return f"¶{record.number} {record.subject}".strip()
    if model is Passage:
        number = paragraph_numbers.get(record.paragraph_id, "?")
        text = record.text if len(record.text) <= 70 else record.text[:70] + "…"
        return f"¶{number}.{record.order} {text}"
    return str(_("footnote %(number)s") % {"number": record.number})


def _same_fields(old, new) -> bool:
    return all(getattr(old, f.attname) == getattr(new, f.attname) for f in new.tracked_fields)


def _saves(records) -> list[list]:
    """The records grouped by save: consecutive, by one person, for one reason, within a moment.

    An object seen again within a save belongs to it only when its own fields did not change (the
    record simple-history writes after a list of speakers or goals is set); otherwise it is a new save.
    """
    groups: list[list] = []
    last: dict[tuple, HistoricalRecord] = {}
    for record in records:
        key = (record.instance_type, record.id)
        if groups:
            first = groups[-1][0]
            if (
                first.history_user_id == record.history_user_id
                and (first.history_change_reason or "") == (record.history_change_reason or "")
                and record.history_date - first.history_date <= SAVE_WINDOW
                and (key not in last or (record.history_type == "~" and _same_fields(last[key], record)))
            ):
                groups[-1].append(record)
                last[key] = record
                continue
        groups.append([record])
        last = {key: record}
    return groups


def meeting_history(meeting: Meeting, *, limit: int = 500) -> list[Entry]:
    """The saves of a meeting and its parts, newest first, each with what it changed; none that changed nothing."""
    records = _history_of_parts(meeting.pk)
    labels = _related_labels(records)
    paragraph_numbers = {r.id: r.number for r in records if r.instance_type is Paragraph}
    last_state: dict[tuple, HistoricalRecord] = {}  # each object's newest record so far
    entries = []
    for group in _saves(records):
        before: dict[tuple, HistoricalRecord | None] = {}
        after: dict[tuple, HistoricalRecord] = {}
        for record in group:
            key = (record.instance_type, record.id)
            before.setdefault(key, last_state.get(key))
            after[key] = record
            last_state[key] = record
        changes = []
        for key, record in after.items():
            model = record.instance_type
            old = before[key]
            label = _object_label(record, paragraph_numbers, labels)
            change = Change(record=record, model_label=str(model._meta.verbose_name), object_label=label, kind="~")
            if record.history_type == "-":
                change.kind = "-"
            elif old is None or old.history_type == "-":
                change.kind = "+"
            else:
                change.fields = _field_changes(old, record, labels)
                if not change.fields:
                    continue  # saved, but nothing changed: not worth an entry
            changes.append(change)
        changes = _counted_additions(changes)
        if changes:
            first = group[0]
            entries.append(Entry(first.history_date, first.history_user, first.history_change_reason or "", changes))
    entries.reverse()
    return entries[:limit]


# A save that adds more rows than this (an import, the first record of a fixture) counts them instead.
LISTED_ADDITIONS = 8


def _counted_additions(changes: list[Change]) -> list[Change]:
    """Many rows added in one save read as a count per kind (“Passages added: 36”), not as a list of them all."""
    added = [change for change in changes if change.kind == "+"]
    if len(added) <= LISTED_ADDITIONS:
        return changes
    kept = [change for change in changes if change.kind != "+"]
    by_model: dict[type[Model], list[Change]] = {}
    for change in added:
        by_model.setdefault(change.record.instance_type, []).append(change)
    for model, group in by_model.items():
        label = model._meta.verbose_name if len(group) == 1 else model._meta.verbose_name_plural
        object_label = group[0].object_label if len(group) == 1 else str(len(group))
        kept.append(Change(record=group[-1].record, model_label=str(label), object_label=object_label, kind="+"))
    return kept


def meeting_changes(meeting: Meeting) -> list[Change]:
    """The changes of a meeting and its parts, newest first (each save's changes together)."""
    return [change for entry in meeting_history(meeting) for change in entry.changes]


def meeting_editors(meeting: Meeting) -> set:
    """The people who saved a change to this meeting or its parts (for a working copy: who made its changes)."""
    return {entry.user for entry in meeting_history(meeting) if entry.user is not None}


def history_baseline(*, meeting: Meeting, reason: str = "State when the history began", user=None) -> int:
    """Record the present state of a meeting's rows that have no history yet (rows loaded from a fixture).

    Without it, the first change of such a row would be the oldest state known, and the state before
    it could not be restored. Called before a write (a first save to a published meeting, a restore),
    never by a page that only shows. The records are made with simple-history's `bulk_history_create`
    (one INSERT per table), dated at the meeting's creation; simple-history has no bulk tool for the
    rows of many-to-many history, so those are written here. Returns how many records were made.
    """
    if Meeting.history.filter(id=meeting.pk).exists():
        return 0  # recorded already: its parts were recorded with it, or by their own saves since
    when = meeting.created_at or datetime.datetime.now(tz=datetime.UTC)
    groups: list[tuple[RecordedModel, QuerySet]] = [(Meeting, Meeting.objects.filter(pk=meeting.pk))]
    groups += [(Participation, meeting.participations.all()), (Paragraph, meeting.paragraphs.all())]
    groups += [(Footnote, meeting.footnotes.all()), (Passage, Passage.objects.filter(paragraph__meeting=meeting))]
    made = 0
    for model, queryset in groups:
        recorded = model.history.filter(id__in=queryset.values("pk")).values("id")
        objs = list(queryset.exclude(pk__in=recorded))
        if not objs:
            continue
        history_user = user if user is not None and user.is_authenticated else None
        records = model.history.bulk_history_create(
            objs, default_change_reason=str(reason), default_date=when, default_user=history_user
        )
        made += len(records)
        _baseline_m2m(model, objs, records)
    return made


def _baseline_m2m(model: RecordedModel, objs: Sequence[Model], records: Sequence[HistoricalRecord]) -> None:
    history_model = model.history.model
    if not getattr(history_model, "_history_m2m_fields", None):
        return
    if any(record.pk is None for record in records):  # a database that returns no ids from a bulk insert
        by_id = {r.id: r for r in history_model.objects.filter(id__in=[o.pk for o in objs]).order_by("history_id")}
        records = [by_id[obj.pk] for obj in objs]
    record_of = {record.id: record for record in records}
    for m2m in history_model._history_m2m_fields:
        through = getattr(model, m2m.name).through
        rows_model = getattr(history_model, m2m.name).model
        source, target = get_m2m_field_name(m2m), get_m2m_reverse_field_name(m2m)
        rows_model.objects.bulk_create(
            rows_model(
                history=record_of[row[source]],
                id=row["id"],
                **{f"{source}_id": row[source], f"{target}_id": row[target]},
            )
            for row in through.objects.filter(**{f"{source}__in": [o.pk for o in objs]}).values("id", source, target)
        )
