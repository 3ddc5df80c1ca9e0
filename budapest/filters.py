"""The filters every list uses to name a record: a country by ISO code, anything by slug, a goal by number, a year.

A filter that names a record (a country by ISO code, anything by slug, a goal by number) checks the
form of the value first and looks the record up second, so that callers can tell a malformed value
(code "invalid", answered with 400 by the API) from a well-formed one that names nothing (code
"not_found", answered with 404).
"""

import re

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
# Beyond this many digits a number is only "very large": never handed to int(), which refuses 4,300 digits.
MAX_DIGITS = 18
# Words to search for: longer than any title or phrase, short enough that no search reads the archive for it.
MAX_WORDS = 200
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def whole_number(value: str) -> int | None:
    """The number written in ASCII digits (no sign, space, fraction or other script's digits), from 1; None for
    anything else. Python's int() reads "١٢" as 12 and " +1_0 " as 10: here they are not numbers. Very long ones
    count as huge."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    if len(value.lstrip("0")) > MAX_DIGITS:
        return 10**MAX_DIGITS
    return int(value) or None


class WholeNumberField(forms.IntegerField):
    """A whole number from 1 in ASCII digits, and nothing else, for every number a filter takes (a year, a goal)."""

    default_error_messages = {"invalid": _("Give a whole number from 1, in the digits 0 to 9.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = value if isinstance(value, int) and not isinstance(value, bool) else whole_number(str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class DayField(forms.DateField):
    """A day as YYYY-MM-DD (2020-12-02), the one form the API documents: no 12/01/2020, which reads two ways."""

    default_error_messages = {"invalid": _("Give a day as YYYY-MM-DD, such as 2020-12-02.")}
    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not DAY.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "string", "format": "date"})
class DayFilter(django_filters.DateFilter):
    """A day, as YYYY-MM-DD only; anything else is a 400 that says so."""

    field_class = DayField


class WordsFilter(django_filters.CharFilter):
    """Words to search for: at most MAX_WORDS characters; longer is a 400 that says so, not a long search."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_WORDS)
        super().__init__(**kwargs)


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


# A slug as every address spells it; the API's description gives the same pattern (SLUG_SCHEMA_PATTERN).
SLUG = r"[-a-zA-Z0-9_]+"
SLUG_SCHEMA_PATTERN = f"^{SLUG}$"


class SlugReferenceField(ReferenceField):
    format_validators = (
        RegexValidator(rf"^{SLUG}\Z", _("Give a slug: letters, digits, hyphens or underscores."), "invalid"),
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
        number = WholeNumberField(min_value=1).clean(value)
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


@extend_schema_field({"type": "string", "pattern": SLUG_SCHEMA_PATTERN})
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

    field_class = WholeNumberField

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
