"""No lost edits: two people's saves of one page are merged field by field, and a real clash is shown, not settled.

Every field a person can edit carries, hidden beside it, the value it had when the page was opened
(Django's `show_hidden_initial`). On save, with the row locked, each field has three values: that
*base*, the *current* one in the database, and *mine* in the form.

- only I changed it: mine is saved;
- only someone else changed it: theirs is kept (my page still showed the old value) and I am told;
- both changed it to different values: nothing is saved; the field shows mine, with theirs beside it,
  and the base moves on to theirs, so that the next save is my deliberate choice.

Inline rows are forms of their own: a row I did not touch is not saved at all (Django's formsets skip
rows whose fields equal their base), so a colleague's change to another row survives. Written here
rather than taken from django-concurrency, which refuses a stale save whole instead of merging it.
"""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from ..history import history_baseline
from ..versions import version_bump
from .widgets import QuickHiddenInput


def _shown(field: forms.Field, value) -> str:
    """A value as the person sees it in the field: a choice's label, an object's name, a list of names."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(field.label_from_instance(obj) for obj in value)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.ChoiceField):
        # django-stubs types the getter as anything choices= takes; it gives them normalised, as pairs.
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    return str(value)


class MergingForm(forms.ModelForm):
    """A model form that merges a save with those made since the page was opened (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merged: list[str] = []  # what was kept of someone else's save, in words
        self.conflicts: dict[str, tuple[str, str]] = {}  # field name -> (theirs, mine) as shown
        for name in self.merged_fields():
            field = self.fields[name]
            field.show_hidden_initial = True
            if field.hidden_widget is forms.HiddenInput:  # not a list of them (MultipleHiddenInput)
                field.hidden_widget = QuickHiddenInput

    def merged_fields(self) -> list[str]:
        """The fields a person edits here (not hidden ones, not split date-times, not extra form fields)."""
        model_fields = {f.name for f in self._meta.model._meta.get_fields()}
        return [
            name
            for name, field in self.fields.items()
            if name in model_fields
            and not field.widget.is_hidden
            and not isinstance(field.widget, forms.MultiWidget)
            and not field.disabled
        ]

    def current_values(self, obj, names: list[str]) -> dict:
        """The values the row holds now, as a form's initial data (a subclass may compute a field otherwise)."""
        return model_to_dict(obj, fields=names)

    def current_value(self, obj, name: str, field):
        return _current_value(obj, name, field)

    def _base(self, name: str):
        bound = self[name]
        return bound.field.hidden_widget().value_from_datadict(self.data, self.files, bound.html_initial_name)

    @cached_property
    def changed_data(self) -> list[str]:
        """What the person changed, against the values the page was opened with (no query per related field)."""
        changed = []
        for name in self.fields:
            bound = self[name]
            field = bound.field
            if field.show_hidden_initial and isinstance(field, forms.ModelChoiceField):
                base = self._base(name)
                # Compared as the ids they are, where Django would load the object of the old value first.
                if field.has_changed(base if base is not None else "", bound.data):
                    changed.append(name)
            # Django's own changed_data asks this of each field; django-stubs leaves the private method out.
            elif bound._has_changed():  # type: ignore[attr-defined]
                changed.append(name)
        return changed

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.is_bound:
            return cleaned
        names = [n for n in self.merged_fields() if n in cleaned and bound_initial_sent(self, n)]
        if not names:
            return cleaned
        # Locked until the save commits: a save made at the same moment waits, then merges with this one.
        model = type(self.instance)
        current_obj = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current_obj is None:
            return cleaned
        current = self.current_values(current_obj, names)
        who = None
        for name in names:
            field, base = self.fields[name], self._base(name)
            try:
                base_value = base if isinstance(field, forms.ModelChoiceField) else field.to_python(base)
            except ValidationError:
                continue
            theirs_changed = field.has_changed(current[name], base if base is not None else "")
            if not theirs_changed:
                continue
            mine_changed = field.has_changed(base_value, self[name].data)
            theirs = self.current_value(current_obj, name, field)
            if who is None:
                who = _last_saved_by(current_obj)
            if not mine_changed:
                cleaned[name] = theirs
                self.merged.append(
                    _("%(field)s: “%(value)s” (saved by %(who)s) is kept")
                    % {"field": field.label, "value": _shown(field, theirs), "who": who}
                )
            elif field.has_changed(current[name], self[name].data):
                self.conflicts[name] = (_shown(field, theirs), _shown(field, cleaned[name]))
                self._move_base(name, current[name])
                self.add_error(
                    name,
                    _(
                        "%(who)s changed this too, to “%(theirs)s”, after you opened the page; yours is "
                        "“%(mine)s”. Choose the one to keep (or write another) and save again."
                    )
                    % {"who": who, "theirs": self.conflicts[name][0], "mine": self.conflicts[name][1]},
                )
        return cleaned

    def _move_base(self, name: str, value) -> None:
        """The base of a clashing field becomes their value: the next save is the person's choice between them."""
        # The admin binds its forms to the request's POST (or the copy revisions.post_for_copy makes): a QueryDict.
        self.data = cast(QueryDict, self.data).copy()
        key = self[name].html_initial_name
        prepared = self.fields[name].prepare_value(value)
        if isinstance(prepared, list | tuple):
            self.data.setlist(key, [str(getattr(v, "pk", v)) for v in prepared])
        else:
            self.data[key] = "" if prepared is None else str(prepared)


class MergingInlineForm(MergingForm):
    """A row of an inline: one the person did not touch is neither validated nor saved (its base is its value)."""

    def full_clean(self):
        if self.is_bound and self.instance.pk is not None and not self.empty_permitted and not self.has_changed():
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()


def bound_initial_sent(form: forms.Form, name: str) -> bool:
    """The page sent the value the field had when it was opened (a page from before this mechanism did not)."""
    return form[name].html_initial_name in form.data


def _current_value(obj, name: str, field: forms.Field):
    value = getattr(obj, name)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list(value.all())
    return value


def _last_saved_by(obj) -> str:
    record = (
        obj.history.select_related("history_user").order_by("-history_date").first()
        if hasattr(obj, "history")
        else None
    )
    if record is None:
        return _("someone")
    user = record.history_user.get_username() if record.history_user else _("someone")
    when = date_format(timezone.localtime(record.history_date), "TIME_FORMAT")
    return f"{user} ({when})"


def rows_sent(data: QueryDict, prefix: str) -> QueryDict:
    """The data of an inline whose management form counts no more rows than the page sent.

    The count is the browser's word: "TOTAL_FORMS=100000" made Django build, check and show again up to 2,000
    empty rows (16 s of a worker for one POST) before saying "Please submit at most 1000 forms". A row the page
    shows always sends its fields (at least its hidden id), so the rows sent are counted from their names.
    """
    total_key, initial_key = f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS"
    start = len(prefix) + 1
    indexes = [key[start:].split("-", 1)[0] for key in data if key.startswith(f"{prefix}-")]
    sent = max((int(index) + 1 for index in indexes if index.isdigit() and len(index) < 5), default=0)
    try:
        total, initial = int(data.get(total_key, "")), int(data.get(initial_key, ""))
    except ValueError:
        return data  # a management form that is not one: the formset says so itself
    if total <= sent and initial <= sent:
        return data
    data = data.copy()
    data[total_key], data[initial_key] = str(min(total, sent)), str(min(initial, sent))
    return data


class MergingAdminMixin:
    """Saves that merge with a colleague's (admin.merging): the version counted, the person told what was kept."""

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)  # type: ignore[misc]
        if "data" in kwargs:
            kwargs["data"] = rows_sent(kwargs["data"], prefix)
        return kwargs

    def save_model(self, request, obj, form, change):
        if change:
            # Rows loaded from a fixture get their first record before their first change, so it can be undone.
            history_baseline(meeting=getattr(obj, "meeting", obj))
            version_bump(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        merged = list(getattr(form, "merged", []))
        for formset in formsets:
            for inline_form in formset.forms:
                merged += getattr(inline_form, "merged", [])
        if merged:
            self.message_user(
                request,
                _("Someone else saved this page after you opened it; their changes are kept with yours: %(list)s.")
                % {"list": "; ".join(merged)},
                messages.WARNING,
            )
