"""Unpublished changes of a published meeting, kept in a working copy until a Publisher publishes them.

A published meeting is never changed in place by an edit. The first save to it (from any admin page,
a restore or a re-import) makes a *working copy*: a draft `Meeting` with `changes_of` pointing at the
live one, cloned with all its parts, each part's `changes_of` pointing at the live row it stands for.
The ordinary admin pages edit the copy; its draft preview shows it as readers will see it; nothing
of it is public, because it is a draft. `meeting_changes_compare` lists how it differs from the live
meeting, part by part. `meeting_changes_publish` applies it onto the live rows in one transaction,
updating rows in place where they correspond (so that pks, anchors and history stay meaningful),
creating and deleting the others, and removes the copy.

Alongside, the review: an Editor submits a meeting for review, a Publisher publishes it or sends it
back with a comment; each step e-mails whom it concerns (through Django's e-mail backend).
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actors.models import Actor

from .history import FieldChange, history_baseline, meeting_editors
from .models import Document, Footnote, Meeting, MeetingCopy, Paragraph, Participation, Passage
from .services.restoring import meeting_restore
from .versions import version_bump

User = AuthUser | AnonymousUser | None
logger = logging.getLogger(__name__)

# Fields of a meeting that are the publication's own and never part of its changes.
_MEETING_OWN = {
    *Meeting.REVIEW_FIELDS,
    "id",
    "slug",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "version",
    "search_vector",
    "changes_of",
}
# A part's copy of its meeting's publication is the database's to keep (MeetingCopy), never a change.
_PART_OWN = {"id", "changes_of", "search_vector", "version", "meeting", "paragraph", *MeetingCopy.FIELDS}
# Parts of a meeting, parents first; the field by which a row is numbered within its parent.
_PARTS: list[tuple[type[models.Model], str, str | None]] = [
    (Participation, "meeting", None),
    (Paragraph, "meeting", "number"),
    (Footnote, "meeting", "number"),
    (Document, "meeting", None),  # a row points at its file, which publishing and discarding leave in place
    (Passage, "paragraph", "order"),
]
# Far above any paragraph number or passage order: where rows wait while their numbers are swapped.
_PARKING = 20000


def _values(obj: models.Model, own: set[str]) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in own and not getattr(f, "generated", False)
    }


def _m2m_fields(model: type[models.Model]) -> list:
    """Its many-to-many relations, but for those whose table is a part itself (a meeting's participants)."""
    parts = {part for part, _parent, _number in _PARTS}
    return [m2m for m2m in model._meta.many_to_many if m2m.remote_field.through not in parts]


def _link_fields(m2m) -> tuple[str, str, list[str]]:
    """A relation's table: the column to the row, the column to what it links, and the link's own columns.

    A relation with a table of our own carries values of its own (a passage's goal is named by the
    summary or tagged by the Secretariat): a copy, a comparison and a publication keep them.
    """
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    skipped = ("id", source, target, MeetingCopy.LINK_FIELD)
    own = [f.attname for f in through._meta.concrete_fields if f.name not in skipped]
    return source, target, own


def _link_rows(row: models.Model, m2m):
    """The rows of the relation's table for this row, through the prefetched reverse accessor when there is one."""
    through = m2m.remote_field.through
    source, _target, _own = _link_fields(m2m)
    accessor = through._meta.get_field(source).remote_field.get_accessor_name()
    return getattr(row, accessor).all()


def _links(row: models.Model, m2m) -> set:
    """What a row links to: the related pks, each with the link's own values where the link has any."""
    source, target, own = _link_fields(m2m)
    if not own:
        return {related.pk for related in getattr(row, m2m.name).all()}
    return {(getattr(link, f"{target}_id"), *(getattr(link, name) for name in own)) for link in _link_rows(row, m2m)}


def _link_objects(m2m, row_pk: int, links) -> list[models.Model]:
    """Unsaved rows of the relation's table that give the row (by pk) these links."""
    through = m2m.remote_field.through
    source, target, own = _link_fields(m2m)
    if not own:
        return [through(**{f"{source}_id": row_pk, f"{target}_id": pk}) for pk in links]
    return [
        through(**{f"{source}_id": row_pk, f"{target}_id": link[0], **dict(zip(own, link[1:], strict=True))})
        for link in links
    ]


def _set_links(row: models.Model, m2m, links) -> None:
    source, _target, own = _link_fields(m2m)
    if not own:
        getattr(row, m2m.name).set(links)
        return
    through = m2m.remote_field.through
    through.objects.filter(**{f"{source}_id": row.pk}).delete()
    through.objects.bulk_create(_link_objects(m2m, row.pk, links))


def _rows(model: type[models.Model], meeting: Meeting):
    if model is Passage:
        actors = Actor.objects.select_related("parent")
        queryset = Passage.objects.filter(paragraph__meeting=meeting).prefetch_related(
            Prefetch("speakers", queryset=actors),
            Prefetch("mentions", queryset=actors),
            "goals",
            "goal_links__prioritygoal",
            "regions",
        )
        return queryset.select_related("paragraph", "official__person", "official__actor__parent")
    return model._default_manager.filter(meeting=meeting)


def is_working_copy(meeting: Meeting) -> bool:
    return meeting.changes_of_id is not None


def needs_working_copy(meeting: Meeting) -> bool:
    """A published meeting (public, or scheduled to be) is changed through a working copy, never in place."""
    return meeting.changes_of_id is None and meeting.status == Meeting.Status.PUBLISHED


def working_copy_of(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.filter(changes_of=meeting).first()


@transaction.atomic
def meeting_changes_draft(meeting: Meeting, *, user: User = None) -> Meeting:
    """The draft holding the unpublished changes of a published meeting, created if needed.

    For a meeting that is not published (a draft, a withdrawn meeting, or a working copy itself) it
    is the meeting itself: there, changes are not public and are made in place.
    """
    if not needs_working_copy(meeting):
        return meeting
    live = Meeting.objects.select_for_update().get(pk=meeting.pk)  # two first saves at once make one copy
    existing = working_copy_of(live)
    if existing is not None:
        return existing
    history_baseline(meeting=live)  # the live rows' state before these changes, for their history
    draft = Meeting(**_values(live, _MEETING_OWN), slug=_draft_slug(live), status=Meeting.Status.DRAFT)
    draft.changes_of = live
    draft.skip_history_when_saving = True  # recorded below, with its parts, as one entry
    draft.save()
    del draft.skip_history_when_saving
    copies: dict[int, int] = {}  # live paragraph pk -> its copy's pk
    for model, parent, _number in _PARTS:
        live_rows = list(_rows(model, live))
        new_rows = []
        for row in live_rows:
            values = _values(row, _PART_OWN)
            if parent == "meeting":
                values["meeting_id"] = draft.pk
            else:
                values["paragraph_id"] = copies[row.paragraph_id]
            new_rows.append(model(**values, changes_of_id=row.pk))
        # One INSERT per table: a copy is made in a moment however long the summary.
        model._default_manager.bulk_create(new_rows)
        if model is Paragraph:
            copies = {row.pk: copy.pk for row, copy in zip(live_rows, new_rows, strict=True)}
        for m2m in _m2m_fields(model):
            m2m.remote_field.through.objects.bulk_create(
                link
                for row, copy in zip(live_rows, new_rows, strict=True)
                for link in _link_objects(m2m, copy.pk, _links(row, m2m))
            )
    history_baseline(meeting=draft, reason=_("Copied from the published meeting"), user=user)
    return draft


def _draft_slug(live: Meeting) -> str:
    suffix = f"-changes-{live.pk}"
    length = cast(int, Meeting._meta.get_field("slug").max_length)  # a slug field has one
    return live.slug[: length - len(suffix)] + suffix


# --- What the working copy changes --------------------------------------------------------------------------


@dataclass
class PartChange:
    """How one part (or the meeting itself) of a working copy differs from the live meeting."""

    model_label: str
    object_label: str
    kind: str  # "added", "changed", "deleted"
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"added": _("added"), "changed": _("changed"), "deleted": _("deleted")}[self.kind]


def _link_value(link: models.Model, name: str) -> str:
    shown = getattr(link, f"get_{name}_display", None)
    return str(shown() if shown else getattr(link, name))


def _display(obj: models.Model, model_field) -> str:
    if model_field.many_to_many and _link_fields(model_field)[2]:
        _source, target, own = _link_fields(model_field)
        names = []
        for link in _link_rows(obj, model_field):
            related = getattr(link, target)
            extras = [_link_value(link, name) for name in own]
            names.append(f"{getattr(related, 'label', None) or related} ({', '.join(extras)})")
        return ", ".join(sorted(names)) or "—"
    if model_field.many_to_many:
        names = sorted(
            getattr(related, "label", None) or str(related) for related in getattr(obj, model_field.name).all()
        )
        return ", ".join(names) or "—"
    value = getattr(obj, model_field.name)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(value, models.Model):
        return getattr(value, "label", None) or str(value)
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _compared_fields(model: type[models.Model], own: set[str]) -> list:
    fields = [f for f in model._meta.concrete_fields if f.name not in own and not getattr(f, "generated", False)]
    return fields + _m2m_fields(model)


def _differences(old: models.Model, new: models.Model, fields: list) -> list[FieldChange]:
    changes = []
    for model_field in fields:
        before, after = _display(old, model_field), _display(new, model_field)
        if before != after:
            changes.append(FieldChange(str(model_field.verbose_name), before, after))
    return changes


def _label(row: models.Model) -> str:
    if isinstance(row, Participation):
        return row.actor.label if hasattr(row.actor, "label") else str(row.actor)
    if isinstance(row, Paragraph):
        return str(row)
    if isinstance(row, Passage):
        text = row.text if len(row.text) <= 70 else row.text[:70] + "…"
        return f"¶{row.paragraph.number}.{row.order} {text}"
    if isinstance(row, Footnote):
        return _("footnote %(number)s") % {"number": row.number}
    return str(row)


def _related_rows(model: type[models.Model], meeting: Meeting):
    queryset = _rows(model, meeting)
    if model is Participation:
        queryset = queryset.select_related("actor__parent", "represented_by__parent")
    return queryset


def meeting_changes_compare(draft: Meeting) -> list[PartChange]:
    """How a working copy differs from its live meeting: its own fields, then each part added, changed, deleted."""
    live = draft.changes_of
    if live is None:
        return []
    result = []
    meeting_fields = _compared_fields(Meeting, _MEETING_OWN)
    if fields := _differences(live, draft, meeting_fields):
        result.append(PartChange(str(Meeting._meta.verbose_name), live.title, "changed", fields))
    for model, _parent, _number in _PARTS:
        fields = _compared_fields(model, _PART_OWN)
        live_rows = {row.pk: row for row in _related_rows(model, live)}
        seen = set()
        for row in _related_rows(model, draft):
            label = str(model._meta.verbose_name)
            original = live_rows.get(row.changes_of_id)
            if original is None:
                result.append(PartChange(label, _label(row), "added"))
                continue
            seen.add(original.pk)
            if model is Passage and original.paragraph.number != row.paragraph.number:
                number = FieldChange(_("paragraph"), str(original.paragraph.number), str(row.paragraph.number))
                result.append(PartChange(label, _label(row), "changed", [number, *_differences(original, row, fields)]))
            elif differences := _differences(original, row, fields):
                result.append(PartChange(label, _label(row), "changed", differences))
        for pk, original in live_rows.items():
            if pk not in seen:
                result.append(PartChange(str(model._meta.verbose_name), _label(original), "deleted"))
    return result


# --- Publishing the changes ------------------------------------------------------------------------------------


def _as_user(row: models.Model, user: User, reason: str) -> None:
    # simple-history reads these off any row it records, at its next save.
    setattr(row, "_change_reason", reason)  # noqa: B010
    if user is not None and user.is_authenticated:
        setattr(row, "_history_user", user)  # noqa: B010


def _same(row: models.Model, values: dict, relations: dict[str, set]) -> bool:
    if any(getattr(row, name) != value for name, value in values.items()):
        return False
    return all(_links(row, row._meta.get_field(name)) == links for name, links in relations.items())


@dataclass
class _Row:
    """A part as a snapshot: the live row it stands for (`key`), its own pk, its parent's, its values."""

    key: int | None
    pk: int
    parent: int
    values: dict
    relations: dict[str, set]


def _snapshot(meeting: Meeting, *, key) -> dict[type[models.Model], list[_Row]]:
    """Every part of a meeting as values, each with the key that matches it to a row of another meeting."""
    snapshot = {}
    for model, parent, _number in _PARTS:
        snapshot[model] = [
            _Row(
                key=key(row),
                pk=row.pk,
                parent=getattr(row, f"{parent}_id"),
                values=_values(row, _PART_OWN),
                relations={m2m.name: _links(row, m2m) for m2m in _m2m_fields(model)},
            )
            for row in _rows(model, meeting)
        ]
    return snapshot


def _apply(source: Meeting, snapshot: dict, target: Meeting, *, key, user: User, reason: str) -> None:
    """Make the target meeting's parts what the snapshot holds, writing only rows that differ.

    A snapshot row and a target row correspond when `key(target row)` is the snapshot row's key. A
    row that corresponds is updated in place; one with no counterpart is created (linked to the
    live row it stands for, on a working copy); a target row with no counterpart is deleted.
    """
    for name, value in _values(source, _MEETING_OWN).items():
        setattr(target, name, value)
    _as_user(target, user, reason)
    version_bump(target)
    target.full_clean()
    target.save()

    parent_of = {"meeting": {source.pk: target.pk}}
    plans = []
    for model, parent, number in _PARTS:
        existing, unmatched = {}, []
        for row in _rows(model, target):
            if key(row) is None:
                unmatched.append(row)  # a row only a working copy has: nothing in the snapshot stands for it
            else:
                existing[key(row)] = row
        wanted = {row.key for row in snapshot[model] if row.key is not None}
        gone = unmatched + [row for k, row in existing.items() if k not in wanted]
        plans.append((model, parent, number, existing, gone))
    # Children before parents: a deleted paragraph takes no passage with it that is still wanted.
    for _model, _parent, _number, _existing, gone in reversed(plans):
        for row in gone:
            _as_user(row, user, reason)
            row.delete()
    links_live = is_working_copy(target)
    for model, parent, number, existing, _gone in plans:
        mapping = parent_of[parent]
        rows = snapshot[model]
        if number is not None:
            # Rows whose numbers move wait far above first, so that two rows may swap places.
            moving = [
                existing[row.key].pk
                for row in rows
                if row.key in existing and row.values[number] != getattr(existing[row.key], number)
            ]
            model._default_manager.filter(pk__in=moving).update(**{number: models.F(number) + _PARKING})
        copies: dict[int, int] = {}
        keys = [row.key for row in rows if row.key is not None]
        live_pks = set(model._default_manager.filter(pk__in=keys).values_list("pk", flat=True))
        for row in rows:
            values = {**row.values, f"{parent}_id": mapping[row.parent]}
            current = existing.get(row.key)
            if current is not None and _same(current, values, row.relations):
                copies[row.pk] = current.pk  # unchanged (a parked row is not: its number moves)
                continue
            if current is None:
                current = model(**values)
                if links_live and row.key in live_pks:
                    setattr(current, "changes_of_id", row.key)  # noqa: B010 - every part has it
            else:
                current.refresh_from_db()  # its number may be parked above
                for name, value in values.items():
                    setattr(current, name, value)
            _as_user(current, user, reason)
            current.full_clean(validate_unique=False, validate_constraints=False)  # the database checks these
            current.save()
            for name, links in row.relations.items():
                _set_links(current, model._meta.get_field(name), links)
            copies[row.pk] = current.pk
        parent_of[str(model._meta.model_name)] = copies


def _live_key(row: models.Model) -> int:
    return row.pk


def _copy_key(row: models.Model) -> int | None:
    return getattr(row, "changes_of_id")  # noqa: B009 - every part has it (models.changes_of_field)


@transaction.atomic
def meeting_changes_publish(draft: Meeting, *, user: User = None) -> Meeting:
    """Make a working copy's changes live: applied onto the live meeting's rows, in one transaction; the copy goes.

    A row that did not change is not written, so the history records what the publication changed.
    """
    if not is_working_copy(draft):
        raise ValueError("Only a working copy's changes are published this way.")
    live = Meeting.objects.select_for_update().get(pk=cast(int, draft.changes_of_id))  # a working copy's
    draft = Meeting.objects.select_for_update().get(pk=draft.pk)
    editors = ", ".join(sorted({u.get_username() for u in meeting_editors(draft)})) or _("nobody")
    reason = _("Published the unpublished changes of %(editors)s") % {"editors": editors}
    live.clear_review()
    _apply(draft, _snapshot(draft, key=_copy_key), live, key=_live_key, user=user, reason=reason)
    draft.delete()
    return live


@transaction.atomic
def meeting_restore_as_changes(live: Meeting, *, as_of: datetime.datetime, user: User = None) -> Meeting:
    """Restore a published meeting as unpublished changes: its working copy becomes the meeting as it was at `as_of`.

    The restore is worked out on the live rows (meetings.services.restoring.meeting_restore), read back, and
    undone, all inside a savepoint; what it produced is then written into the working copy, where it
    waits for a Publisher like any other change.
    """
    draft = meeting_changes_draft(live, user=user)
    try:
        with transaction.atomic():
            restored = meeting_restore(meeting=Meeting.objects.get(pk=live.pk), as_of=as_of)
            state, snapshot = Meeting.objects.get(pk=restored.pk), _snapshot(restored, key=_live_key)
            raise _Undo
    except _Undo:
        pass
    when = date_format(timezone.localtime(as_of), "DATETIME_FORMAT")
    reason = _("Restored to %(when)s") % {"when": when}
    _apply(state, snapshot, draft, key=_copy_key, user=user, reason=reason)
    return draft


class _Undo(Exception):
    """Rolls back the savepoint in which a restore was worked out."""


@transaction.atomic
def meeting_changes_discard(draft: Meeting) -> Meeting:
    """Throw a working copy away: the live meeting stays as it is published."""
    if not is_working_copy(draft):
        raise ValueError("Only a working copy is discarded this way.")
    live = cast(Meeting, draft.changes_of)  # a working copy's
    draft.delete()
    return live


# --- Review ---------------------------------------------------------------------------------------------------


def publishers():
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_meeting")
            | Q(user_permissions__codename="publish_meeting")
        )
        .distinct()
    )


def _mail(recipients, subject: str, body: str) -> None:
    addresses = sorted({user.email for user in recipients if user.email})
    if not addresses:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    except OSError:  # smtplib's errors too: a review step is not undone because its mail did not go
        logger.exception("The review notice %r could not be sent", subject)


def _admin_url(meeting: Meeting) -> str:
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


@transaction.atomic
def meeting_review_submit(meeting: Meeting, *, user: User) -> Meeting:
    """An Editor asks the Publishers to review a draft or a working copy; they are told by e-mail."""
    meeting.set_review(Meeting.ReviewStatus.SUBMITTED, user=user)
    who = user.get_username() if user is not None and user.is_authenticated else _("someone")
    _mail(
        publishers(),
        _("To review: %(meeting)s") % {"meeting": meeting.title},
        _("%(who)s asks you to review “%(meeting)s” before it is published: %(url)s")
        % {"who": who, "meeting": meeting.title, "url": _admin_url(meeting)},
    )
    return meeting


@transaction.atomic
def meeting_review_return(meeting: Meeting, *, user: User, comment: str) -> Meeting:
    """A Publisher sends a meeting back to the Editor who submitted it, with a comment; the Editor is told.

    `review_by` stays the Editor (it is whom the meeting waits for); the comment says who sent it back.
    """
    submitter = meeting.review_by
    who = user.get_username() if user is not None and user.is_authenticated else _("someone")
    meeting.set_review(Meeting.ReviewStatus.RETURNED, user=submitter, comment=f"{who}: {comment}")
    if submitter is not None:
        _mail(
            [submitter],
            _("Sent back: %(meeting)s") % {"meeting": meeting.title},
            _("“%(meeting)s” was sent back to you: %(comment)s\n%(url)s")
            % {"meeting": meeting.title, "comment": comment, "url": _admin_url(meeting)},
        )
    return meeting


def waiting_for(user: User) -> dict[str, models.QuerySet[Meeting]]:
    """What waits for this person in the admin: meetings to review (Publishers), meetings sent back to them."""
    if user is None or not user.is_authenticated:
        return {}
    returned = Meeting.objects.filter(review_status=Meeting.ReviewStatus.RETURNED, review_by=user)
    waiting: dict[str, models.QuerySet[Meeting]] = {"returned": returned}
    if user.has_perm("meetings.publish_meeting"):
        waiting["to_review"] = Meeting.objects.filter(review_status=Meeting.ReviewStatus.SUBMITTED)
    return waiting


__all__ = [
    "is_working_copy",
    "meeting_changes_compare",
    "meeting_changes_discard",
    "meeting_changes_draft",
    "meeting_changes_publish",
    "meeting_review_return",
    "meeting_review_submit",
    "needs_working_copy",
    "waiting_for",
    "working_copy_of",
]
