"""One address per page and language: English where the pages always were, every other language under its
code (``/ru/meetings/``), as ``i18n_patterns(prefix_default_language=False)`` in budapest/urls.py routes them.

The language of a page is its address and nothing else (no cookie, no ``Accept-Language``), so a page is the
same for every reader and a search engine can list each language apart (``hreflang``). The API and the
files beside it (robots.txt, the sitemap) have one address, outside the languages.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str  # in its own language: "Русский"
    path: str | None  # this page in that language; None where the address is no page (a 404)
    url: str  # where the language switch goes: this page (with the parameters its view read), or the home page
    current: bool
    default: bool  # the language of addresses without a prefix: hreflang="x-default"


def request_language(request: HttpRequest) -> str:
    """The language LocaleMiddleware will choose for this request: the one its address names, else English.

    The same rule as LocaleMiddleware with i18n_patterns and no prefix for the default language, asked
    before it runs (the page cache keys stored pages by it).
    """
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def without_language(path: str) -> str:
    """An address without its language prefix: "/ru/admin/" is "/admin/"."""
    language = translation.get_language_from_path(path)
    if language is None:
        return path
    return path.removeprefix(f"/{language}")


def page_in(path_info: str, language: str) -> str | None:
    """The address of the page at `path_info` in `language`, or None where it is no page of the site."""
    try:
        with translation.override(translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE):
            match = resolve(path_info)  # in the language of its own address, whatever is active
    except Resolver404:
        return None
    with translation.override(language):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:  # an address whose pattern has no name to give it again by
            return None


def page_languages(request: HttpRequest) -> list[PageLanguage]:
    """The page the reader is on in each language of LANGUAGES.

    The switch keeps the parameters the view read (``request.GET`` lists only those under the page
    cache), not the whole address: a stored page links to no parameter another reader added.
    """
    current = translation.get_language()
    # Asked for twice a page (the hreflang links, the switch): worked out once per request and language.
    known = request.__dict__.setdefault("_page_languages", {})
    if current in known:
        return known[current]
    query = request.GET.urlencode()
    languages = known[current] = []
    for code, _name in settings.LANGUAGES:
        path = page_in(request.path_info, code)
        if path is None:
            with translation.override(code):
                url = reverse("meetings:home")
        else:
            url = f"{path}?{query}" if query else path
        info = translation.get_language_info(code)
        languages.append(
            PageLanguage(code, info["name_local"], path, url, code == current, code == settings.LANGUAGE_CODE)
        )
    return languages
