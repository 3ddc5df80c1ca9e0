"""Search at /search/: full-text on PostgreSQL, icontains on SQLite, the same page and filters on both."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from meetings import search as searching
from meetings.models import SEARCH_CONFIG, Meeting, Passage
from meetings.search import MAX_QUERY_LENGTH, CappedPaginator, parse_query

from .factories import CountryFactory, MeetingFactory, ParagraphFactory, PassageFactory, PersonFactory
from .scale import count_queries, large_meeting
from .source_text import page_text

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the icontains fallback is SQLite's")

SPAIN = "#p6-15"  # Spain's intervention in the 2020 meeting: paragraph 6, passage 15


@pytest.fixture
def spain_on_the_canaries(db):
    """A small published meeting in which Spain speaks of the Canary Islands (for tests that need no 2020 data)."""
    spain = CountryFactory(name="Spain", slug="spain", iso_code="ES")
    return PassageFactory(text="**Spain** shared the case of the Canary Islands.", speakers=[spain])


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_canary_islands_lands_on_spains_intervention(client, som_2020):
    html = search(client, q="Canary Islands")
    assert f'href="{som_2020.get_absolute_url()}{SPAIN}"' in html
    assert "<mark>Canary Islands</mark>" in html
    assert "1 passage found" in page_text(html)


def test_websearch_syntax_on_both_databases(client, som_2020):
    # A phrase in quotes must appear as written.
    assert SPAIN in search(client, q='"Canary Islands"')
    assert SPAIN not in search(client, q='"Islands Canary"')
    # A minus excludes a word.
    assert SPAIN in search(client, q="Canary")
    assert SPAIN not in search(client, q="Canary -Covid")
    # "or" between alternatives.
    html = search(client, q="Canary or Bangladesh")
    assert SPAIN in html
    assert "Migrant Resource Centres in" in page_text(html)  # the joint intervention naming Bangladesh


@on_postgresql
def test_postgresql_matches_word_forms_and_ranks_the_best_first(client, db):
    once = PassageFactory(text="Cooperation on borders was mentioned, among many other subjects of the meeting.")
    often = PassageFactory(text="Borders, borders and borders again: border management.")
    html = search(client, q="border")  # the English stemmer finds "borders" from "border"
    assert html.index(f'href="{often.get_absolute_url()}"') < html.index(f'href="{once.get_absolute_url()}"')


@on_postgresql
def test_the_candidates_ranked_alone_come_in_the_order_of_the_whole_listing_ranked(db, monkeypatch):
    """Ranking the passages' ids, then reading the page's rows, pages what one query of the list ranked gave."""
    monkeypatch.setattr(searching, "RANKED", 19)  # the newest 20 of the 24 matches are ranked
    texts = ["Borders.", "Borders and borders.", "Cooperation on borders, among other things.", "Borders, borders."]
    for day in (1, 1, 2):  # two meetings on one day: the same rank, date, paragraph and order in both
        meeting = MeetingFactory(start_date=datetime.date(2021, 3, day))
        for number in (2, 1):
            paragraph = ParagraphFactory(meeting=meeting, number=number)
            for order, text in enumerate(texts, start=1):
                PassageFactory(paragraph=paragraph, order=order, text=text)
    PassageFactory(text="Nothing to find here.")
    words = SearchQuery("borders", search_type="websearch", config=SEARCH_CONFIG)
    newest = Passage.objects.published().filter(search_vector=words).order_by("-meeting_date", "-pk")[:20]
    expected = list(
        Passage.objects.filter(pk__in=newest.values("pk"))
        .annotate(rank=SearchRank(F("search_vector"), words))
        .order_by("-rank", "-meeting_date", "paragraph__number", "order", "pk")
        .values_list("pk", flat=True)
    )
    found = searching.search_passages(Passage.objects.published().for_listing(), parse_query("borders"))
    pages = CappedPaginator(found, 4)
    shown = [passage for number in pages.page_range for passage in pages.page(number).object_list]
    assert [passage.pk for passage in shown] == expected and pages.count == 20 and not pages.capped
    assert all("\x02" in passage.headline for passage in shown)


@on_postgresql
def test_a_passage_deleted_after_the_ranking_is_left_out_of_its_page(db):
    kept, deleted = PassageFactory(text="Borders kept."), PassageFactory(text="Borders deleted.")
    found = searching.search_passages(Passage.objects.published().for_listing(), parse_query("borders"))
    assert len(found) == 2  # ranked: the ids are read
    deleted.delete()
    assert [passage.pk for passage in found[0:20]] == [kept.pk]


@on_postgresql
def test_postgresql_keeps_a_stored_vector_with_a_gin_index(som_2020):
    passage = Passage.objects.get(paragraph__meeting=som_2020, paragraph__number=6, order=15)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM meetings_passage WHERE id = %s", [passage.pk])
        assert "'canari'" in cursor.fetchone()[0]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename IN ('meetings_passage', 'meetings_meeting')")
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "USING gin (search_vector)" in definitions
    assert definitions.count("USING gin") == 2
    # The database keeps the vector up to date: no code has to.
    passage.text = "Spain spoke of the Strait of Gibraltar."
    passage.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM meetings_passage WHERE id = %s", [passage.pk])
        vector = cursor.fetchone()[0]
    assert "'gibraltar'" in vector and "'canari'" not in vector


@on_sqlite
def test_sqlite_falls_back_to_contains(client, som_2020):
    assert Passage.objects.filter(search_vector__isnull=False).count() == 0
    html = search(client, q="canary islands")  # any case
    assert SPAIN in html and "<mark>Canary Islands</mark>" in html


def test_meetings_countries_organisations_and_people_are_found(client, som_2020):
    assert f'href="{som_2020.get_absolute_url()}"' in search(client, q="Senior Officials")
    assert 'href="/countries/turkey/"' in search(client, q="Turkey")
    assert 'href="/organisations/icmpd/"' in search(client, q="ICMPD")
    assert "Ramazan Seçilmiş" in page_text(search(client, q="Seçilmiş"))
    # An institution leads to its country's page.
    html = search(client, q="Directorate General for Migration Management")
    assert "institution of Turkey" in page_text(html)
    assert 'href="/countries/turkey/"' in html


def test_filters_are_those_of_the_lists(client, som_2020):
    assert SPAIN in search(client, q="Canary", country="ES", year="2020")
    assert SPAIN not in search(client, q="Canary", country="TR")
    assert SPAIN not in search(client, q="Canary", year="2019")
    assert SPAIN not in search(client, q="Canary", goal="5")  # Spain named no goal
    assert "Austria" in page_text(search(client, q="campaigns", country="AT", goal="5"))
    # Filters alone list what was said.
    html = search(client, country="ES")
    assert SPAIN in html
    assert "Canary Islands" in page_text(html)
    assert "Turkey voiced" not in page_text(html)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 5000},
        {"q": "Canary " * 1000},
        {"q": "!!! ??? ..."},
        {"q": '"'},
        {"q": "-"},
        {"q": "or"},
        {"q": "%_%"},
        {"q": "'; DROP TABLE meetings_passage; --"},
        {"q": "<script>alert(1)</script>"},
        {"q": "Canary", "country": "XX1"},
        {"q": "Canary", "country": "ZZ"},
        {"q": "Canary", "year": "abc"},
        {"q": "Canary", "year": "99999999999999999999"},
        {"q": "Canary", "goal": "99"},
        {"q": ["Canary", "Spain"]},
    ],
)
def test_odd_input_gets_a_helpful_page(client, spain_on_the_canaries, params):
    html = search(client, **params)
    text = page_text(html)
    assert "<script>alert(1)</script>" not in html
    helpful = (
        "Type a word",
        "no words to search for",
        "could not be understood",
        "passage found",
        "passages found",
        "Nothing in the published summaries matches",
    )
    assert any(words in text for words in helpful), text[:500]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        # The one page rule of every list (meetings.views.page_or_404): a page number that is not one,
        # or a page past the end, is "Page not found", not a page of results.
        ({"q": "Canary", "page": "abc"}, 404),
        ({"q": "Canary", "page": "99999"}, 404),
        # A control character (NUL among them) is refused with a 400 before any view
        # (budapest/security.py; tests/test_exact_input.py).
        ({"q": "Canary", "goal": "\x00"}, 400),
    ],
)
def test_odd_input_the_site_refuses_gets_its_error_page(client, spain_on_the_canaries, params, status):
    response = client.get("/search/", params)
    assert response.status_code == status
    assert "<script>" not in response.content.decode()


def test_empty_search_explains_what_to_do(client, db):
    assert "Type a word or a name" in page_text(search(client))


def test_punctuation_only_is_answered_as_such(client, spain_on_the_canaries):
    assert "has no words to search for" in page_text(search(client, q="!!!"))


def test_a_very_long_query_is_shortened(client, spain_on_the_canaries):
    html = search(client, q="Canary " + "x" * 5000)
    assert f"only its first {MAX_QUERY_LENGTH} characters were used" in page_text(html)


def test_bad_filters_say_so(client, spain_on_the_canaries):
    assert "could not be understood" in page_text(search(client, q="Canary", country="XX1"))


def test_snippets_escape_what_staff_typed(client, db):
    PassageFactory(text="**Testland** wrote <script>alert('x')</script> about borders & <b>bold</b> plans.")
    html = search(client, q="borders")
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "<mark>borders</mark>" in html
    if connection.vendor == "sqlite":
        assert "&lt;script&gt;" in html


def test_drafts_and_scheduled_meetings_are_not_searched(client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, title="Zanzibarian draft")
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), text="Zanzibarian words.")
    later = MeetingFactory(published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    PassageFactory(paragraph=ParagraphFactory(meeting=later), text="Zanzibarian plans.")
    html = search(client, q="Zanzibarian")
    assert "Zanzibarian words" not in html and "Zanzibarian plans" not in html and "Zanzibarian draft" not in html
    assert "Nothing in the published summaries matches" in page_text(html)


def test_results_are_paginated(client, db):
    country = CountryFactory(name="Pagination Land")
    paragraph = ParagraphFactory()
    for order in range(1, 26):
        PassageFactory(paragraph=paragraph, order=order, text=f"Cooperation item {order}.", speakers=[country])
    first = page_text(search(client, q="cooperation"))
    assert "25 passages found" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in page_text(search(client, q="cooperation", page="2"))


def test_a_common_word_counts_up_to_the_cap_and_says_so(client, db):
    """Counting stops at 1,000 ("more than 1,000"); the results are still paged, best first."""
    country = CountryFactory(name="Common Land")
    paragraph = ParagraphFactory()
    passages = Passage.objects.bulk_create(
        Passage(paragraph=paragraph, order=order, text=f"Cooperation item {order}.") for order in range(1, 1002)
    )
    Passage.speakers.through.objects.bulk_create(
        Passage.speakers.through(passage=passage, actor=country) for passage in passages
    )
    text = page_text(search(client, q="cooperation"))
    assert "More than 1,000 passages found: the latest 1,000 are shown, best first." in text and "Page 1 of 50" in text
    assert "passages found" not in text.replace("More than 1,000 passages found", "")
    # A search with filters only lists the latest, not the best.
    text = page_text(search(client, country=country.iso_code))
    assert "More than 1,000 passages found: the latest 1,000 are shown." in text


def test_under_the_cap_the_count_is_exact(client, db, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 25)
    paragraph = ParagraphFactory()
    for order in range(1, 26):
        PassageFactory(paragraph=paragraph, order=order, text=f"Cooperation item {order}.")
    assert "25 passages found" in page_text(search(client, q="cooperation"))
    monkeypatch.setattr(CappedPaginator, "cap", 24)
    assert "More than 24 passages found" in page_text(search(client, q="cooperation"))


def test_people_are_found_once_they_spoke_in_public(client, db):
    ministry = CountryFactory().institutions.create(kind="institution", name="Ministry of Testing", slug="ministry-t")
    speaker = PersonFactory(name="Ada Quillfeather")
    PassageFactory(official=speaker.positions.create(title="Director", actor=ministry), text="Opening words.")
    text = page_text(search(client, q="Quillfeather"))
    assert "Ms. Ada Quillfeather" in text and "Director" in text and "Ministry of Testing" in text
    # Someone named only in a draft stays unnamed in public.
    hidden = PersonFactory(name="Bea Quillfeather")
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    PassageFactory(
        paragraph=ParagraphFactory(meeting=draft),
        official=hidden.positions.create(title="Envoy", actor=ministry),
        text="Draft words.",
    )
    assert "Bea Quillfeather" not in search(client, q="Quillfeather")


def test_parse_query_reads_websearch_syntax():
    query = parse_query('  "labour migration" -Covid or return!  ')
    assert query.groups == [[("labour migration", False), ("Covid", True)], [("return", False)]]
    assert parse_query("\x00\x01Canary\x7f").text == "Canary"
    assert not parse_query("!!! -- ...").has_words
    assert len(parse_query("y" * 5000).text) == MAX_QUERY_LENGTH and parse_query("y" * 5000).truncated


SEARCH_BUDGET = 14


def test_search_query_count_does_not_grow_with_the_archive(
    client, som_2020, django_assert_max_num_queries, rendered_afresh
):
    urls = [
        "/search/?q=trafficking+or+number",
        "/search/?q=trafficking+or+number&country=TR&year=2020&goal=1",
        "/search/?country=TR",
    ]
    # The first read after a change also works out what is kept per change (budapest.fragments.per_generation).
    before = [count_queries(client, url) for url in urls for _ in range(2)][1::2]
    large = large_meeting(turkey=som_2020.participants.get(iso_code="TR"))
    large.start_date = datetime.date(2020, 6, 1)
    large.save()
    for url, count in zip(urls, before, strict=True):
        with django_assert_max_num_queries(SEARCH_BUDGET):
            client.get(url)
        assert count_queries(client, url) == count, url


def test_snippet_marks_cuts_only_where_the_text_goes_on(client, db):
    short = PassageFactory(text="Spain spoke of the Canary Islands.")
    long = PassageFactory(text="Opening words. " * 40 + "The Canary Islands came up. " + "Closing words. " * 40)
    html = search(client, q="Canary")
    short_hit = html[html.index(f'href="{short.get_absolute_url()}"') :]
    short_snippet = short_hit[short_hit.index('<p class="snippet">') : short_hit.index("</p>")]
    assert "…" not in short_snippet
    long_hit = html[html.index(f'href="{long.get_absolute_url()}"') :]
    long_snippet = long_hit[long_hit.index('<p class="snippet">') : long_hit.index("</p>")]
    assert long_snippet.startswith('<p class="snippet">… ') and long_snippet.endswith(" …")
    assert "<mark>Canary</mark>" in long_snippet
