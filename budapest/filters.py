"""The filters every list uses to name a record: a country by ISO code, anything by slug, a goal by number, a year.

A filter that names a record (a country by ISO code, anything by slug, a goal by number) checks the
form of the value first and looks the record up second, so that callers can tell a malformed value
(code "invalid", answered with 400 by the API) from a well-formed one that names nothing (code
"not_found", answered with 404).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

NOT_FOUND = "not_found"

# Wider than any key the database can hold; a bigger number names nothing and is answered as such.
MAX_NUMBER = 2**31 - 1


class ReferenceField(forms.ModelChoiceField):
    """A model choice given by a natural key: the form of the value is checked before the lookup."""

    default_error_messages = {NOT_FOUND: _("No %(model)s matches “%(value)s”.")}
    format_validators: tuple = ()
    queryset: QuerySet  # a filter's field always has one: the records it names

    def normalise(self, value: str):
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        for validator in self.format_validators:
            validator(value)
        value = self.normalise(value)
        try:
            return self.lookup(value)
        except self.queryset.model.DoesNotExist:
            raise self.not_found(value) from None

    def lookup(self, value):
        return self.queryset.get(**{self.to_field_name or "pk": value})

    def not_found(self, value) -> ValidationError:
        params = {"value": value, "model": self.queryset.model._meta.verbose_name}
        return ValidationError(self.error_messages[NOT_FOUND], code=NOT_FOUND, params=params)


class CountryCodeField(ReferenceField):
    default_error_messages = {NOT_FOUND: _("No country has the ISO code “%(value)s”.")}
    format_validators = (
        RegexValidator(r"^[A-Za-z]{2}\Z", _("Give a two-letter ISO 3166-1 code, such as TR."), code="invalid"),
    )

    def normalise(self, value: str) -> str:
        return value.upper()


class SlugReferenceField(ReferenceField):
    format_validators = (
        RegexValidator(r"^[-a-zA-Z0-9_]+\Z", _("Give a slug: letters, digits, hyphens or underscores."), "invalid"),
    )


class OrganisationReferenceField(SlugReferenceField):
    """An organisation by its slug or its acronym, in any case: unodc, UNODC, icmpd."""

    default_error_messages = {NOT_FOUND: _("No organisation has the slug or acronym “%(value)s”.")}
    format_validators = (
        RegexValidator(r"^[-a-zA-Z0-9_.]+\Z", _("Give an acronym or a slug, such as UNODC."), "invalid"),
    )

    def lookup(self, value):
        found = list(self.queryset.filter(Q(slug__iexact=value) | Q(short_name__iexact=value))[:2])
        # A slug names one record; an acronym that two organisations share names neither.
        exact = [actor for actor in found if actor.slug.lower() == value.lower()]
        if exact:
            return exact[0]
        if len(found) == 1:
            return found[0]
        raise self.queryset.model.DoesNotExist


class NumberReferenceField(ReferenceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = forms.IntegerField(min_value=1).clean(value)
        if number > MAX_NUMBER:
            raise self.not_found(number)
        return super().to_python(number)


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$"})
class CountryCodeFilter(django_filters.ModelChoiceFilter):
    """A country by its ISO code, in capitals or not, among the ``queryset`` given (the countries a reader may see)."""

    field_class = CountryCodeField
    schema_hint = "A two-letter ISO 3166-1 code such as TR, in capitals or not."

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "iso_code")
        kwargs.setdefault("label", _("Country (ISO code)"))
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"})
class SlugFilter(django_filters.ModelChoiceFilter):
    """A record by its slug."""

    field_class = SlugReferenceField
    schema_hint = "A slug, as in the record's address."

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_.]+$"})
class OrganisationReferenceFilter(django_filters.ModelChoiceFilter):
    """An organisation by its slug or its acronym, in capitals or not."""

    field_class = OrganisationReferenceField
    schema_hint = "An organisation's acronym (UNODC) or slug (unodc), in capitals or not."

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Organisation (acronym or slug)"))
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1})
class NumberReferenceFilter(django_filters.ModelChoiceFilter):
    """A record by its number, such as a priority goal."""

    field_class = NumberReferenceField

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "number")
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number, never a fraction."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(**kwargs)


class OrderingFilter(django_filters.OrderingFilter):
    """Ordering by declared fields only, with the primary key last so that pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


class StrictBooleanField(forms.Field):
    """`true` or `false` (in capitals or not), as the API documents a boolean; any other word is refused."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        words = {"true": True, "false": False}
        try:
            return words[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes-or-no filter that refuses (400) what is neither `true` nor `false`, not reading it as no filter."""

    field_class = StrictBooleanField
