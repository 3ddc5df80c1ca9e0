"""The languages of the record's content, and names of countries and organisations in them.

The summaries are written in English (settings.LANGUAGE_CODE); every other language of the site
(settings.LANGUAGES) is a content language a summary may be translated into. Nothing here names a
language: another one needs its line in settings.LANGUAGES, its catalogue and its content.

A country's name in a language is, in this order: the name the Secretariat entered for it (its
official name as that language's documents write it, e.g. «Кыргызстан»), else its ISO 3166 name in
that language (pycountry's translations of Debian's iso-codes), else its English name. An
organisation has only the first and the last.
"""

import functools
import gettext
from dataclasses import dataclass

import pycountry
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def content_languages() -> list[tuple[str, str]]:
    """The languages a summary can be translated into: every language of the site but the summaries' own."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def content_language_codes() -> list[str]:
    return [code for code, _name in content_languages()]


def reading_language() -> str:
    """The language a reader reads in now (the active one, reduced to a language of the site)."""
    active = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    codes = {code for code, _name in settings.LANGUAGES}
    if active in codes:
        return active
    base = active.split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


@functools.cache
def _iso_3166(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def iso_country_name(iso_code: str, language: str) -> str | None:
    """The ISO 3166 name of a country in a language, or None where iso-codes has none."""
    country = pycountry.countries.get(alpha_2=iso_code.upper()) if len(iso_code) == 2 else None
    if country is None:
        return None
    catalogue = _iso_3166(language)
    if type(catalogue) is gettext.NullTranslations:  # iso-codes has no catalogue for this language
        return None
    return catalogue.gettext(country.name)


@dataclass(frozen=True)
class Name:
    """A name as shown in a language: `lang` is the language it is written in when that is not the reader's."""

    text: str
    lang: str | None = None

    def __str__(self) -> str:
        return self.text


def entered_in(names: dict | None, field: str, english: str, language: str | None = None) -> Name:
    """A record's words in a language: those entered for it there (`names`: {"ru": {field: "…"}}), else its
    English words, marked as English."""
    language = language or reading_language()
    if language == settings.LANGUAGE_CODE:
        return Name(english)
    entered = ((names or {}).get(language) or {}).get(field)
    return Name(entered) if entered else Name(english, lang=settings.LANGUAGE_CODE)


def names_field(help_text) -> models.JSONField:
    """A record's words in other languages, by language code (`entered_in` reads them).

    Nullable with no default: SQLite adds the column without rebuilding its table (and the views on it).
    """
    return models.JSONField(_("names in other languages"), null=True, blank=True, help_text=help_text)
