"""Serializer pieces every resource shares: links to the public page and the API, and model validation."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from budapest.filters import DAY, DayField


def absolute(request, path: str | None) -> str | None:
    """An absolute address for a path, so that partners can follow it as it is."""
    if not path:
        return None
    return request.build_absolute_uri(path) if request is not None else path


URL_OR_NULL = {"type": "string", "format": "uri", "nullable": True}


@extend_schema_field(URL_OR_NULL)
class PageURLField(serializers.ReadOnlyField):
    """The object's public page, from ``get_absolute_url()``; null where it has none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "The public page of this record, or null where it has none.")
        super().__init__(**kwargs)

    def to_representation(self, instance):
        get_url = getattr(instance, "get_absolute_url", None)
        return absolute(self.context.get("request"), get_url() if get_url else None)


def api_address(request, view_name: str, **kwargs) -> str:
    """The absolute API address of a record; unlike DRF's reverse(), it never carries ?format= along."""
    path = reverse(f"api:{view_name}", kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field({"type": "string", "format": "uri"})
class APIURLField(serializers.ReadOnlyField):
    """This record in the API, e.g. ``APIURLField("meeting-detail", slug="slug")`` for meetings by slug."""

    def __init__(self, view_name: str, **lookups: str):
        self.view_name = view_name
        self.lookups = lookups or {"pk": "pk"}
        super().__init__(source="*", help_text="This record in the API.")

    def to_representation(self, instance):
        kwargs = {name: self._attribute(instance, path) for name, path in self.lookups.items()}
        return api_address(self.context.get("request"), self.view_name, **kwargs)

    @staticmethod
    def _attribute(instance, path: str):
        for attribute in path.split("."):
            instance = getattr(instance, attribute)
        return instance


# What JSON type each kind of field takes. DRF converts more than that ("name": 0 becomes "0",
# "regions": {} an empty list, "true" a boolean); a write API that guesses hides a client's bug.
TEXT = (str,)
EXACT_TYPES = (
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.IntegerField, (int,), "a whole number"),
    (serializers.CharField, TEXT, "a string"),
    (serializers.ChoiceField, (str, int), "one of the choices"),
    (serializers.DateField, TEXT, "a date as a string (YYYY-MM-DD)"),
    (serializers.DateTimeField, TEXT, "a date and time as a string"),
    (serializers.ManyRelatedField, (list,), "a list"),
    (serializers.ListField, (list,), "a list"),
    (serializers.SlugRelatedField, (str, int), "a slug"),
    (serializers.PrimaryKeyRelatedField, (int,), "an id"),
)


def _expected(field: serializers.Field) -> tuple[tuple[type, ...], str] | None:
    for field_class, types, words in EXACT_TYPES:
        if isinstance(field, field_class):
            return types, words
    return None


JSON_NAMES = {
    bool: "true or false",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "an object",
}


def is_of(value, types: tuple[type, ...]) -> bool:
    """isinstance, except that a boolean is no number: it is one in Python, never in JSON."""
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False


UNKNOWN_FIELD = "Unknown field."
READ_ONLY_FIELD = "This field is read-only: it cannot be written."


class ExactTypesMixin:
    """Refuses, with a 400 naming each field: a field the resource does not have or does not take
    (``"status": "published"``, ``"api_url": …``), which DRF would ignore; a value of the wrong JSON type
    (``"name": 0``, ``"regions": {}``); NUL in any string.
    """

    def unknown_fields(self, data: dict) -> dict[str, list[str]]:
        """Each key of the body that names no field the client may write, with why."""
        errors = {}
        for name in data:
            field = self.fields.get(name)  # type: ignore[attr-defined]  # the serializer's this is mixed into
            if field is None:
                errors[str(name)] = [UNKNOWN_FIELD]
            elif field.read_only:
                errors[str(name)] = [READ_ONLY_FIELD]
        return errors

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, dict):
            errors.update(self.unknown_fields(data))
            for name, field in self.fields.items():
                if field.read_only or field.source == "*" or name not in data:
                    continue
                value = data[name]
                if value is None:
                    continue  # null: the field's own allow_null rule answers
                if _holds_nul(value):
                    errors[name] = ["A NUL character is not allowed."]
                    continue
                expected = _expected(field)
                if expected and not is_of(value, expected[0]):
                    errors[name] = [f"Give {expected[1]}, not {JSON_NAMES.get(type(value), 'that')}."]
                elif isinstance(field, serializers.DateField) and not DAY.match(value):
                    # As the filters read a day (budapest.filters.DayField): not 20211130, 2021-W48-2 or ٢٠٢١-١١-٣٠.
                    errors[name] = [str(DayField.default_error_messages["invalid"])]
        if not errors:
            return super().to_internal_value(data)
        # The other fields are still checked, so that one answer names every field at fault (a missing one too);
        # the refused values are not handed on: DRF would convert them, or fail on them.
        try:
            super().to_internal_value({name: value for name, value in data.items() if name not in errors})
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                errors = {**error.detail, **errors}
        raise serializers.ValidationError(errors)


class FullCleanMixin(ExactTypesMixin):
    """Runs the model's own validation (its constraints included) and answers its messages as a 400.

    Values of the wrong type are refused before that (ExactTypesMixin).
    """

    def model_defaults(self) -> dict:
        """Field values fixed by the resource rather than given by the client, such as a country's kind."""
        return {}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in {**self.model_defaults(), **attrs}.items():
            if not model._meta.get_field(name).many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            messages = {
                (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): value
                for key, value in error.message_dict.items()
            }
            raise serializers.ValidationError(messages) from None
        return attrs

    def create(self, validated_data):
        return super().create({**self.model_defaults(), **validated_data})
