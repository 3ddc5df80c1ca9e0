"""Admin widgets and inline helpers that keep pages cheap in queries however long the summary.

Inlines load their rows' related objects with the rows, so that no row runs queries of its own.
"""

from collections.abc import Sequence

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from actors.models import Actor, Position


def excerpt(text, words=18):
    return Truncator(text).words(words)


# Querysets that carry what an object's name needs: an institution's name shows its country,
# a position's name shows the person and the institution.
def actors_with_names():
    return Actor.objects.select_related("parent")


def positions_with_names():
    return Position.objects.select_related("person", "actor__parent")


LABEL_QUERYSETS = {Actor: actors_with_names, Position: positions_with_names}


# --- Inputs drawn without the template engine -------------------------------------------------------


class QuickHiddenInput(forms.HiddenInput):
    """A hidden input, drawn as Django's templates draw it (hidden.html, input.html, attrs.html) in Python.

    Every field a person edits carries its value as the page was opened beside it (admin.merging), so
    the meeting page of fifty participants draws some 200 of these; through the template engine each
    costs a context and three templates (tests/test_admin.py holds the two to the same markup).
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = [(key, val) for key, val in widget["attrs"].items() if val is not False]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', widget["value"]) if widget["value"] is not None else "",
            format_html_join(
                "", " {}{}", ((key, "" if val is True else format_html('="{}"', val)) for key, val in shown)
            ),
        )


def _attribute_value(value) -> str:
    return "" if value is True else format_html('="{}"', value)


# --- Inlines that run no query per row ------------------------------------------------------------


class PreloadedChoicesMixin:
    """An autocomplete widget that shows its selected options from objects loaded with the inline's rows.

    Django's autocomplete widget runs one query per row to find the labels of the selected values;
    `preloaded` (pk as text -> object), set by `CheapInlineFormSet`, makes that query unnecessary.
    When the values are not all preloaded (a form re-shown with new choices), it queries as usual.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.preloaded is None or any(v not in self.preloaded for v in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance
        for pk in selected:
            obj = self.preloaded[pk]
            options.append(self.create_option(name, obj.pk, label(obj), True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PreloadedChoicesMixin, AutocompleteSelect):
    pass


class PreloadedAutocompleteSelectMultiple(PreloadedChoicesMixin, AutocompleteSelectMultiple):
    pass


def _loaded_related(instance, name):
    """The related objects of `instance` already in memory, as {pk as text: object}, or None."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        cache = getattr(instance, "_prefetched_objects_cache", {})
        if name not in cache:
            return None
        return {str(obj.pk): obj for obj in cache[name]}
    if not model_field.is_cached(instance):
        return None
    obj = getattr(instance, name)
    return {} if obj is None else {str(obj.pk): obj}


class CheapInlineFormSet(BaseInlineFormSet):
    """Gives each row's autocomplete widgets their preloaded objects, and all rows one list of checkboxes."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        shared_choices = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside Django's related-widget wrapper
            if isinstance(widget, PreloadedChoicesMixin):
                if form.instance.pk is not None:
                    widget.preloaded = _loaded_related(form.instance, name)
            elif isinstance(widget, forms.CheckboxSelectMultiple) and isinstance(field, forms.ModelMultipleChoiceField):
                # The same goals for every row: read them once, not once per row.
                if name not in shared_choices:
                    shared_choices[name] = list(iter(field.choices))  # iter(): no COUNT query first
                field.choices = shared_choices[name]


class CheapInlineMixin:
    """Use with an inline whose `get_queryset` selects and prefetches what its autocomplete fields show."""

    formset: type[BaseInlineFormSet] = CheapInlineFormSet
    checkbox_fields: Sequence[str] = ()  # many-to-many fields shown as checkboxes

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        if db_field.related_model in LABEL_QUERYSETS and "queryset" not in kwargs:
            kwargs["queryset"] = LABEL_QUERYSETS[db_field.related_model]()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        elif db_field.name in self.checkbox_fields:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.related_model in LABEL_QUERYSETS and "queryset" not in kwargs:
            kwargs["queryset"] = LABEL_QUERYSETS[db_field.related_model]()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
