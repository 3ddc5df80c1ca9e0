"""The public page of a meeting: every sentence of the 2020 summary, its facts, links and tags."""

import datetime

import pytest

from meetings.markup import strip_markup
from meetings.models import Meeting

from .factories import (
    MeetingFactory,
    PassageFactory,
)
from .scale import count_queries, large_meeting
from .source_text import page_text, sentences, source_footnotes, source_paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, som_2020):
    response = client.get(som_2020.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_source_has_eight_paragraphs():
    assert sorted(source_paragraphs()) == list(range(1, 9))


@pytest.mark.parametrize("number", range(1, 9))
def test_every_sentence_of_the_source_is_on_the_page(page, number):
    text = page_text(page)
    missing = [s for s in sentences(strip_markup(source_paragraphs()[number])) if s not in text]
    assert missing == []


def test_paragraphs_appear_in_their_order(page):
    text = page_text(page)
    starts = [text.index(sentences(strip_markup(source_paragraphs()[n]))[0]) for n in range(1, 9)]
    assert starts == sorted(starts)


def test_footnotes_are_on_the_page(page):
    text = page_text(page)
    for line in source_footnotes():
        # Drop the marker (¹) and the list number ("1."), which the page renders as list markup.
        words = strip_markup(line.lstrip("¹² ").split(". ", 1)[-1] if line[0].isdigit() else line.lstrip("¹² "))
        assert words in text


def test_facts_of_the_meeting(page):
    text = page_text(page)
    assert "Annual Senior Officials Meeting" in text
    assert "2 December 2020" in text
    assert "Online" in text
    assert "97 participants, 39 countries, 12 organisations" in text
    assert "through its Directorate General for Migration Management" in text


def test_participants_link_to_their_pages(page):
    assert 'href="/countries/afghanistan/"' in page
    assert 'href="/countries/turkey/"' in page
    assert 'href="/organisations/icmpd/"' in page


def test_interventions_carry_anchor_speakers_and_goals(page):
    assert 'id="p6-1"' in page  # Afghanistan, first intervention of paragraph 6
    assert 'href="/priority-goals/5/"' in page
    assert 'href="#fn1"' in page and 'id="fn1"' in page


def test_officials_with_titles(page):
    text = page_text(page)
    assert "Mr. Ramazan Seçilmiş, Deputy Director General" in text
    assert "Ms. Silvena Pesta, Deputy Head of Unit" in text


def test_staff_text_is_escaped(client):
    passage = PassageFactory(text="**Testland** said <script>alert('x')</script>")
    response = client.get(passage.paragraph.meeting.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>Testland</strong>" in html


def test_draft_meeting_is_not_found(client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_meeting_scheduled_for_later_is_not_found_yet(client):
    meeting = MeetingFactory(published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_unknown_meeting_gives_a_helpful_404(client):
    response = client.get("/meetings/no-such-meeting/")
    assert response.status_code == 404
    assert "Browse all meetings" in response.content.decode()


# The meeting, its participations, paragraphs, passages, speakers, goals, footnotes, documents and the
# Calls for Action it adopted or set the goals of: 10 (the budget has room for one more).
MEETING_PAGE_BUDGET = 11


def test_meeting_page_query_count_does_not_grow_with_the_archive(
    client, som_2020, django_assert_max_num_queries, rendered_afresh
):
    url = som_2020.get_absolute_url()
    before = count_queries(client, url)
    large = large_meeting(turkey=som_2020.participants.get(iso_code="TR"))
    with django_assert_max_num_queries(MEETING_PAGE_BUDGET):
        client.get(url)
    assert count_queries(client, url) == before
    # A page ten times larger costs the same number of queries.
    assert count_queries(client, large.get_absolute_url()) == before


def test_days_of_one_month_are_written_once(client, db):
    """'19–20 February 2019', not '19 February 2019–20 February 2019'; across two months both dates are whole;
    each day is still a <time>."""
    one_month = MeetingFactory(start_date=datetime.date(2019, 2, 19), end_date=datetime.date(2019, 2, 20))
    two_months = MeetingFactory(start_date=datetime.date(2019, 2, 28), end_date=datetime.date(2019, 3, 1))
    listing = client.get("/meetings/").content.decode()
    assert '<time datetime="2019-02-19">19</time>–<time datetime="2019-02-20">20 February 2019</time>' in listing
    assert "28 February 2019</time>–<time" in listing and ">1 March 2019</time>" in listing
    assert "19–20 February 2019" in page_text(client.get(one_month.get_absolute_url()).content.decode())
    assert "28 February 2019–1 March 2019" in page_text(client.get(two_months.get_absolute_url()).content.decode())
    assert "19–20 февраля 2019" in page_text(client.get(f"/ru{one_month.get_absolute_url()}").content.decode())
