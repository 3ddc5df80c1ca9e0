"""Search over the published record: meetings, passages (paragraphs and interventions), actors and people.

On PostgreSQL, meetings and passages are matched against their stored search vectors (a generated
column with a GIN index, see models.StoredSearchVector) with the websearch syntax readers know from
search engines ("quoted phrases", -exclusions, or), ranked, and shown with a highlighted snippet.
On SQLite, the same syntax is read by a small parser and matched with icontains, newest first.

A reader in another language also finds the published translations (meetings.translations): on
PostgreSQL by their stored vectors in that language's word forms («мигранты» finds «мигрантов»);
on SQLite by their lower-cased text containing each word's stem (`stem`: endings cut off).
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actors.models import Actor
from budapest.filters import MAX_WORDS

from .markup import strip_markup
from .models import SEARCH_CONFIG, MeetingReferences
from .publication import visible_actors
from .translation_models import Translation
from .translations import public_texts, search_config

MAX_QUERY_LENGTH = MAX_WORDS  # one limit for words to search for: the lists' `search` filter's (WordsFilter) too
# How many matches are counted, and ranked (the newest of them): "more than 1,000 found" past that.
RANKED = 1000
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


# Endings of Russian (and other Cyrillic) words, longest first: what SQLite's fallback cuts off a word.
_ENDINGS = sorted(
    "иями ями ами ией иях ях ах ов ев ей ий ый ой ая яя ое ее ие ые ого его ому ему ым им ом ем ую юю ия ья ье"
    " а я о е ы и у ю ь й".split(),
    key=len,
    reverse=True,
)
_CYRILLIC = re.compile(r"[а-яё]")


def stem(word: str) -> str:
    """A word without its ending, lower-cased, for SQLite: «Мигранты» and «мигрантов» are both «мигрант»."""
    word = word.lower()
    if not _CYRILLIC.search(word):
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _contains_all(query: Query, fields: list[str], *, lookup: str = "icontains", prepare=lambda phrase: phrase) -> Q:
    """The SQLite reading of a query: every phrase of a group in one of the fields."""
    matches = Q(pk__in=[])
    for group in query.groups:
        condition = Q()
        for phrase, excluded in group:
            anywhere = Q()
            for name in fields:
                anywhere |= Q(**{f"{name}__{lookup}": prepare(phrase)})
            condition &= ~anywhere if excluded else anywhere
        matches |= condition
    return matches


def _search_query(query: Query) -> SearchQuery:
    return SearchQuery(query.text, search_type="websearch", config=SEARCH_CONFIG)


def _stems(phrase: str) -> str:
    return " ".join(stem(word) for word in phrase.split())


def _translated_query(query: Query, language: str) -> SearchQuery:
    return SearchQuery(query.text, search_type="websearch", config=search_config(language))


def search_passages(passages: QuerySet, query: Query, language: str | None = None) -> "QuerySet | RankedPassages":
    """Passages matching the query, best first, each with a `snippet` to show (see snippet()).

    In another language than English, a passage also matches by its published translation there,
    and carries that translation's words (`translated_headline` on PostgreSQL, `translated_text`).
    """
    language = language or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        translated = public_texts(language).filter(passage=OuterRef("pk"))
        passages = passages.annotate(translated_text=Subquery(translated.values("text")[:1]))
        if uses_full_text_search():
            return _search_passages_translated(passages, query, language, translated)
        condition = _contains_all(query, ["search_text"], lookup="contains", prepare=_stems)
        return passages.filter(_contains_all(query, ["text"]) | Exists(translated.filter(condition)))
    if uses_full_text_search():
        return RankedPassages(passages, _search_query(query))
    return passages.filter(_contains_all(query, ["text"]))


# Best first: by rank, then the newest meeting, then in the order of the summary (the pk only to break ties
# between two meetings of one day).
BEST_FIRST = ("-rank", "-meeting_date", "paragraph__number", "order", "pk")


class RankedPassages:
    """The passages that match a query on PostgreSQL, best first, as CappedPaginator pages them.

    The candidates (`_candidates`) are ranked on the passage table alone (with the paragraph's number, to
    keep a summary's order between equals), in one query of their ids that the pager also counts; only the
    page's rows are then read with all that the list shows (`passages`: for_listing's joins and prefetches)
    and their highlighted headline. Ranked as one query, all 1,001 candidates for "smuggling" on 10,000
    meetings were joined to their paragraph, meeting, official, person and actor before the sort kept 20.
    """

    def __init__(self, passages: QuerySet, search_query: SearchQuery):
        self.passages, self.search_query = passages, search_query

    def ranked(self) -> QuerySet:
        """The candidates' ids, best first."""
        return (
            self.passages.filter(pk__in=_candidates(self.passages.filter(search_vector=self.search_query)))
            .annotate(rank=SearchRank(F("search_vector"), self.search_query))
            .order_by(*BEST_FIRST)
            .values_list("pk", flat=True)
        )

    @cached_property
    def ids(self) -> list[int]:
        return list(self.ranked())

    def rows(self, ids: list[int]) -> QuerySet:
        """These passages, as the list shows them, in no order."""
        headline = _headline("text", self.search_query, SEARCH_CONFIG)
        return self.passages.filter(pk__in=ids).annotate(headline=headline).order_by()

    def __len__(self) -> int:
        """How many were ranked: all the matches up to one more than RANKED."""
        return len(self.ids)

    def __getitem__(self, index: slice) -> list:
        ids = self.ids[index]
        found = {passage.pk: passage for passage in self.rows(ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]  # one deleted since it was ranked is left out


def _candidates(matches: QuerySet) -> QuerySet:
    """The matches that are ranked: the newest `RANKED` of them (all of them when there are fewer).

    Ranking reads every candidate's vector: the 50,287 passages that contain "smuggling" in an archive of
    10,000 meetings took 0.6 s to rank; the newest 1,000, found from the index of meeting dates (or, for
    a rare word, from the text index), a few milliseconds. As many as the pager counts (CappedPaginator):
    past that many, the reader is asked for more words or filters anyway.
    """
    # One more than are shown: the pager's count then sees that there are more (CappedPaginator.capped).
    return matches.order_by("-meeting_date", "-pk").values("pk")[: RANKED + 1]


def _headline(expression, search_query: SearchQuery, config: str) -> SearchHeadline:
    return SearchHeadline(
        expression,
        search_query,
        config=config,
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=45,
        min_words=20,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _search_passages_translated(passages: QuerySet, query: Query, language: str, translated: QuerySet) -> QuerySet:
    english, own = _search_query(query), _translated_query(query, language)
    config = search_config(language)
    matching = translated.filter(search_vector=own)
    own_rank = matching.annotate(rank=SearchRank(F("search_vector"), own)).values("rank")[:1]
    return (
        passages.filter(Q(search_vector=english) | Exists(matching))
        .annotate(
            rank=Greatest(
                SearchRank(F("search_vector"), english),
                Coalesce(Subquery(own_rank, output_field=FloatField()), Value(0.0)),
            ),
            headline=_headline("text", english, SEARCH_CONFIG),
            translated_headline=Subquery(translated.annotate(h=_headline("text", own, config)).values("h")[:1]),
        )
        .order_by(*BEST_FIRST)
    )


def search_meetings(meetings: QuerySet, query: Query, language: str | None = None) -> QuerySet:
    """Meetings matching the query by their title or place (and, in another language, their published title there)."""
    language = language or settings.LANGUAGE_CODE
    titles = Translation.objects.public().filter(language=language)
    if uses_full_text_search():
        search_query = _search_query(query)
        condition = Q(search_vector=search_query)
        if language != settings.LANGUAGE_CODE:
            condition |= Q(pk__in=titles.filter(search_vector=_translated_query(query, language)).values("meeting"))
        return (
            meetings.filter(condition)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-start_date")
        )
    condition = _contains_all(query, ["title", "location"])
    if language != settings.LANGUAGE_CODE:
        own = titles.annotate(lowered=Lower("title")).filter(
            _contains_all(query, ["lowered"], lookup="contains", prepare=_stems)
        )
        condition |= Q(pk__in=own.values("meeting"))
    return meetings.filter(condition).order_by("-start_date")


def search_documents(documents: QuerySet, query: Query) -> QuerySet:
    """Documents whose title or extracted text matches the query (PostgreSQL: in their English forms).

    The vector is made at query time, not stored: a meeting has a handful of documents, and their
    text can be long. Callers pass public documents only (`Document.objects.public()`).
    """
    if uses_full_text_search():
        search_query = _search_query(query)
        vector = SearchVector("title", "text", config=SEARCH_CONFIG)
        return (
            documents.annotate(document_vector=vector)
            .filter(document_vector=search_query)
            .annotate(rank=SearchRank(F("document_vector"), search_query))
            .order_by("-rank", "-meeting__start_date")
        )
    return documents.filter(_contains_all(query, ["title", "text"])).order_by("-meeting__start_date", "title")


def search_actors(query: Query) -> QuerySet:
    """Countries, organisations and institutions of published meetings named by the query or one of its words."""
    whole = query.text.strip(_EDGE_PUNCTUATION)
    named = Q(name__icontains=whole) | Q(short_name__iexact=whole) | Q(other_names__icontains=whole)
    for word in query.words:
        named |= Q(name__iexact=word) | Q(short_name__iexact=word)
    kinds = [Actor.Kind.COUNTRY, Actor.Kind.ORGANISATION, Actor.Kind.INSTITUTION]
    # The actors public meetings show, as the filters read them: their ids kept once per change of the
    # content (visible_actors), not asked at each search (eleven EXISTS: 6 ms to plan on 10,000 meetings).
    actors = visible_actors(None)
    return actors.filter(named, kind__in=kinds).select_related("parent").order_by("kind", "name")


def spoken_positions() -> QuerySet:
    """Titles held by officials who spoke at a published meeting: a draft names nobody in public."""
    return MeetingReferences.public().positions()


def search_people(query: Query) -> QuerySet:
    """Officials named by the query who spoke at a published meeting, with `positions` to prefetch."""
    whole = query.text.strip(_EDGE_PUNCTUATION)
    every_word = Q()
    for word in query.words:
        every_word &= Q(name__icontains=word)
    return MeetingReferences.public().people().filter(Q(name__icontains=whole) | every_word).order_by("name")


def _mark(html: str, words: list[str], ending: str = "") -> str:
    for word in sorted(words, key=len, reverse=True):
        pattern = re.escape(escape(word)) + ending
        html = re.sub(pattern, lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", html, flags=re.I)
    return html


def snippet(passage, query: Query, width: int = 280) -> SafeString:
    """A short, escaped extract of a passage with the words searched for in <mark>."""
    own = getattr(passage, "translated_text", None)
    text = strip_markup(own or passage.text).replace(MARK_START, "").replace(MARK_END, "")
    headline = getattr(passage, "translated_headline", None) if own else getattr(passage, "headline", None)
    html: str  # escaped text; marked safe once whole
    if headline is not None:
        marked = strip_markup(headline).replace("**", "")
        extract = marked.replace(MARK_START, "").replace(MARK_END, "")
        html = escape(marked)
    else:
        lowered = text.lower()
        words = [stem(w) for w in query.words] if own else query.words
        found = [i for i in (lowered.find(w.lower()) for w in words) if i >= 0]
        start = max(0, min(found) - width // 3) if found else 0
        if start and (space := text.find(" ", start)) != -1:
            start = space + 1
        end = start + width
        if end < len(text) and (space := text.rfind(" ", start, end)) > start:
            end = space
        extract = text[start:end].strip()
        html = _mark(escape(extract), words, ending=r"\w*" if own else "")
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
    archive of 10,000 meetings); counting up to the cap stops there. The newest matches up to the cap are
    ranked (`_candidates`); pages beyond the cap are not offered: add words or filters to reach them.
    """

    cap = RANKED

    @cached_property
    def count(self) -> int:
        objects = self.object_list
        if isinstance(objects, QuerySet):
            found = objects.order_by().values("pk")[: self.cap + 1].count()
        else:  # RankedPassages, with the ids of its candidates: at most one more than RANKED
            found = len(objects)
        self.capped = found > self.cap
        return min(found, self.cap)

    capped = False
