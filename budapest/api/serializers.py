"""Serializer pieces every resource shares: links to the public page and the API, and model validation."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings


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
    return absolute(request, reverse(f"api:{view_name}", kwargs=kwargs))


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


class FullCleanMixin:
    """Runs the model's own validation (its constraints included) and answers its messages as a 400."""

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
