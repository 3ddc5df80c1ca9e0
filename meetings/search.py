"""Search over the published record: meetings, passages (paragraphs and interventions), actors and people.

On PostgreSQL, meetings and passages are matched against their stored search vectors (a generated
column with a GIN index, see models.StoredSearchVector) with the websearch syntax readers know from
search engines ("quoted phrases", -exclusions, or), ranked, and shown with a highlighted snippet.
On SQLite, the same syntax is read by a small parser and matched with icontains, newest first.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actors.models import Actor

from .markup import strip_markup
from .models import SEARCH_CONFIG, Meeting

MAX_QUERY_LENGTH = 200
# Markers ts_headline puts around matches. They are control characters, which the cleaned query
# cannot contain, and they survive HTML-escaping, so the snippet is escaped first and marked second.
MARK_START, MARK_END = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_EDGE_PUNCTUATION = "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~«»“”‘’„…–—"


@dataclass
class Query:
    """What the reader typed, made safe to search for."""

    text: str = ""
    truncated: bool = False
    # Each group is a list of (phrase, excluded); a passage matches a group when it contains every
    # phrase that is not excluded and none that is; it matches the query when it matches a group.
    groups: list[list[tuple[str, bool]]] = field(default_factory=list)

    @property
    def has_words(self) -> bool:
        return any(not excluded for group in self.groups for _, excluded in group)

    @property
    def words(self) -> list[str]:
        return [phrase for group in self.groups for phrase, excluded in group if not excluded]


def parse_query(raw: str | None) -> Query:
    """Clean what was typed (no control characters, at most MAX_QUERY_LENGTH) and read its terms."""
    text = " ".join(_CONTROL.sub(" ", raw or "").split())
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH].strip()
    groups: list[list[tuple[str, bool]]] = [[]]
    for match in _TOKEN.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                groups.append([])
                continue
            excluded = word.startswith("-") and len(word) > 1
            phrase = word[1:] if excluded else word
            minus = "-" if excluded else ""
        phrase = " ".join(phrase.strip(_EDGE_PUNCTUATION).split())
        if phrase and re.search(r"\w", phrase):
            groups[-1].append((phrase, bool(minus)))
    groups = [group for group in groups if any(not excluded for _, excluded in group)]
    return Query(text=text, truncated=truncated, groups=groups)


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def _contains_all(query: Query, fields: list[str]) -> Q:
    """The SQLite reading of a query: every phrase of a group in one of the fields."""
    matches = Q(pk__in=[])
    for group in query.groups:
        condition = Q()
        for phrase, excluded in group:
            anywhere = Q()
            for name in fields:
                anywhere |= Q(**{f"{name}__icontains": phrase})
            condition &= ~anywhere if excluded else anywhere
        matches |= condition
    return matches


def _search_query(query: Query) -> SearchQuery:
    return SearchQuery(query.text, search_type="websearch", config=SEARCH_CONFIG)


def search_passages(passages: QuerySet, query: Query) -> QuerySet:
    """Passages matching the query, best first, each with a `snippet` to show (see snippet())."""
    if uses_full_text_search():
        search_query = _search_query(query)
        return (
            passages.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                headline=SearchHeadline(
                    "text",
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=45,
                    min_words=20,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-paragraph__meeting__start_date", "paragraph__number", "order")
        )
    return passages.filter(_contains_all(query, ["text"]))


def search_meetings(meetings: QuerySet, query: Query) -> QuerySet:
    if uses_full_text_search():
        search_query = _search_query(query)
        return (
            meetings.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-start_date")
        )
    return meetings.filter(_contains_all(query, ["title", "location"])).order_by("-start_date")


def search_actors(query: Query) -> QuerySet:
    """Countries, organisations and institutions of published meetings named by the query or one of its words."""
    whole = query.text.strip(_EDGE_PUNCTUATION)
    named = Q(name__icontains=whole) | Q(short_name__iexact=whole) | Q(other_names__icontains=whole)
    for word in query.words:
        named |= Q(name__iexact=word) | Q(short_name__iexact=word)
    kinds = [Actor.Kind.COUNTRY, Actor.Kind.ORGANISATION, Actor.Kind.INSTITUTION]
    actors = Meeting.objects.published().actors()
    return actors.filter(named, kind__in=kinds).select_related("parent").order_by("kind", "name")


def spoken_positions() -> QuerySet:
    """Titles held by officials who spoke at a published meeting: a draft names nobody in public."""
    return Meeting.objects.published().positions()


def search_people(query: Query) -> QuerySet:
    """Officials named by the query who spoke at a published meeting, with `positions` to prefetch."""
    whole = query.text.strip(_EDGE_PUNCTUATION)
    every_word = Q()
    for word in query.words:
        every_word &= Q(name__icontains=word)
    return Meeting.objects.published().people().filter(Q(name__icontains=whole) | every_word).order_by("name")


def _mark(html: str, words: list[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        html = re.sub(re.escape(escape(word)), lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", html, flags=re.I)
    return html


def snippet(passage, query: Query, width: int = 280) -> SafeString:
    """A short, escaped extract of a passage with the words searched for in <mark>."""
    text = strip_markup(passage.text).replace(MARK_START, "").replace(MARK_END, "")
    headline = getattr(passage, "headline", None)
    if headline is not None:
        marked = strip_markup(headline).replace("**", "")
        extract = marked.replace(MARK_START, "").replace(MARK_END, "")
        html = escape(marked)
    else:
        lowered = text.lower()
        found = [i for i in (lowered.find(w.lower()) for w in query.words) if i >= 0]
        start = max(0, min(found) - width // 3) if found else 0
        if start and (space := text.find(" ", start)) != -1:
            start = space + 1
        end = start + width
        if end < len(text) and (space := text.rfind(" ", start, end)) > start:
            end = space
        extract = text[start:end].strip()
        html = _mark(escape(extract), query.words)
    if extract and not text.startswith(extract[:20]):
        html = "… " + html
    # ts_headline may leave out the closing full stop of a fragment: that is no cut.
    if extract and not text.rstrip(_EDGE_PUNCTUATION).endswith(extract.rstrip(_EDGE_PUNCTUATION)[-20:]):
        html += " …"
    html = re.sub(f"{MARK_START}+", "<mark>", html)
    html = re.sub(f"{MARK_END}+", "</mark>", html)
    # Neighbouring matches read as one: "Canary Islands", not "Canary" and "Islands".
    html = html.replace("</mark> <mark>", " ")
    return mark_safe(html)  # noqa: S308 - escaped above; only <mark> is added


class CappedPaginator(Paginator):
    """Pages of search results that count at most `cap` matches, as search engines do ("1,000+ found").

    Counting every match of a common word reads every matching row (50,000 for "smuggling" in an
    archive of 10,000 meetings); counting up to the cap stops there. The results are still ranked
    over every match; pages beyond the cap are not offered: add words or filters to reach them.
    """

    cap = 1000

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    capped = False
