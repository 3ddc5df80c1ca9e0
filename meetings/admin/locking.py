"""No lost edits: a save made from a page opened before someone else's save is stopped and explained.

Optimistic locking with the model's `version` field. The form carries the version it was opened at;
`clean()` locks the row (inside the admin's transaction) and compares. On a conflict the form is shown
again with everything the editor typed, the list of changes saved meanwhile, and the version moved
on, so that a second save deliberately keeps the editor's text.

Written here rather than taken from django-concurrency: that library wraps `Model._do_update`, which
also governs fixture loading and django-simple-history's writes; a hidden field and a row lock in
`clean()` keep the mechanism visible and confined to the forms that edit.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MAX_LISTED_CHANGES = 12


class VersionLockedForm(forms.ModelForm):
    """A model form for a model with a `version` field, that refuses a stale save once."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set by the admin: a callable (obj, since) -> list of meetings.history.Change saved since then.
    changes_since = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["seen_version"] = self.instance.version
            self.initial["opened_at"] = timezone.now().isoformat()
        self.current_version = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        current = model.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True)
        self.current_version = current.first() or self.instance.version
        seen = cleaned.get("seen_version")
        if seen is not None and seen != self.current_version:
            # Shown again with the version moved on: saving once more keeps this editor's text.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = self.current_version
            raise ValidationError(self._conflict_messages(cleaned.get("opened_at")))
        return cleaned

    def _conflict_messages(self, opened_at: str | None) -> list[str]:
        since = parse_datetime(opened_at or "") or timezone.now() - datetime.timedelta(hours=1)
        changes: list = self.changes_since(self.instance, since) if self.changes_since else []
        messages = [
            _(
                "Someone else saved this page after you opened it. Nothing you typed is lost: it is all "
                "still in the form below. Check their changes, listed here, then save again to keep your version."
            )
        ]
        for change in changes[:MAX_LISTED_CHANGES]:
            who = change.user.get_username() if change.user else _("someone")
            when = date_format(timezone.localtime(change.date), "DATETIME_FORMAT")
            details = "; ".join(f"{f.label}: “{f.old}” → “{f.new}”" for f in change.fields)
            messages.append(
                f"{who}, {when}: {change.model_label} {change.object_label} {change.kind_label}"
                + (f" ({details})" if details else "")
            )
        if len(changes) > MAX_LISTED_CHANGES:
            messages.append(_("… and %(count)d more changes.") % {"count": len(changes) - MAX_LISTED_CHANGES})
        return messages


class VersionLockedAdminMixin:
    """For a ModelAdmin whose form is a VersionLockedForm: bumps the version with each save."""

    def changes_since(self, obj, since):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.changes_since = staticmethod(self.changes_since)
        return form

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.current_version + 1
        super().save_model(request, obj, form, change)
