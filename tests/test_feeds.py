"""Atom feeds: published meetings, and a country's interventions, read as a feed reader reads them."""

import datetime

import feedparser
import pytest

from meetings.models import Meeting

from .factories import CountryFactory, MeetingFactory, ParagraphFactory, ParticipationFactory, PassageFactory
from .scale import count_queries, large_meeting

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_meetings_feed_lists_published_meetings(client, som_2020):
    feed = parse(client, "/meetings/feed.atom")
    assert feed.version == "atom10"
    assert feed.feed.title == "Budapest Process: meeting records"
    [entry] = feed.entries
    assert entry.title == "Annual Senior Officials Meeting, 2 December 2020"
    assert entry.link == f"http://testserver{som_2020.get_absolute_url()}"
    assert "39 countries took part" in entry.summary
    assert entry.published_parsed is not None and entry.updated_parsed is not None
    assert [tag.term for tag in entry.tags] == ["Senior Officials Meetings"]


def test_meetings_feed_leaves_out_drafts_and_meetings_scheduled_for_later(client, db):
    MeetingFactory(title="Public meeting")
    MeetingFactory(title="Draft meeting", status=Meeting.Status.DRAFT, published_at=None)
    MeetingFactory(title="Later meeting", published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    titles = [entry.title for entry in parse(client, "/meetings/feed.atom").entries]
    assert len(titles) == 1 and titles[0].startswith("Public meeting")


def test_country_feed_lists_its_interventions(client, som_2020):
    feed = parse(client, "/countries/spain/feed.atom")
    assert feed.feed.title == "Spain in the Budapest Process: interventions"
    links = [entry.link for entry in feed.entries]
    assert f"http://testserver{som_2020.get_absolute_url()}#p6-15" in links
    spain = next(entry for entry in feed.entries if entry.link.endswith("#p6-15"))
    assert spain.title == "Spain at the Annual Senior Officials Meeting, 2 December 2020, paragraph 6"
    assert "Canary Islands" in spain.summary and "**" not in spain.summary


def test_country_feed_includes_its_groups_and_goals(client, som_2020):
    feed = parse(client, "/countries/turkey/feed.atom")
    tags = {tag.term for entry in feed.entries for tag in entry.get("tags", [])}
    assert "1. Irregular migration" in tags and "5. Trafficking in persons" in tags
    # A group's line is now shown and counted apart from a country's interventions (the profile page,
    # its CSV and the API's default voices: own and institution); the feed lists the interventions, so
    # Austria's are its own and the joint statement it made with three states, not the EU Member States'.
    austria = parse(client, "/countries/austria/feed.atom")
    titles = [entry.title for entry in austria.entries]
    assert len(titles) == 2, titles
    assert any(title.startswith("Austria, Bulgaria, Germany, Norway at the ") for title in titles), titles
    assert any(title.startswith("Austria at the ") for title in titles), titles
    assert not any("EU Member States" in title for title in titles), titles


def test_feed_text_is_escaped(client, db):
    country = CountryFactory(slug="testland")
    PassageFactory(text="Testland said <script>alert('x')</script> & more.", speakers=[country])
    response = client.get("/countries/testland/feed.atom")
    assert b"<script>" not in response.content
    entry = feedparser.parse(response.content).entries[0]
    # The summary is HTML: the reader shows the words, it does not run them.
    assert "&lt;script&gt;" in entry.summary


def test_feed_leaves_out_draft_interventions(client, db):
    country = CountryFactory(slug="testland")
    ParticipationFactory(actor=country)  # a published meeting makes the country public
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), text="Unpublished words.", speakers=[country])
    assert parse(client, "/countries/testland/feed.atom").entries == []


@pytest.mark.parametrize("url", ["/countries/atlantis/feed.atom", "/countries/icmpd/feed.atom"])
def test_unknown_country_feed_is_404(client, som_2020, url):
    assert client.get(url).status_code == 404


def test_organisation_feed(client, som_2020):
    feed = parse(client, "/organisations/icmpd/feed.atom")
    assert feed.entries and all(entry.link.startswith("http://testserver/meetings/") for entry in feed.entries)


FEED_BUDGET = 5


def test_feed_query_count_does_not_grow_with_the_archive(client, som_2020, django_assert_max_num_queries):
    urls = ["/meetings/feed.atom", "/countries/turkey/feed.atom"]
    # The first read after a change also works out what is kept per change (budapest.fragments.per_generation).
    before = [count_queries(client, url) for url in urls for _ in range(2)][1::2]
    turkey = som_2020.participants.get(iso_code="TR")
    large_meeting(turkey=turkey)
    for number in range(5):
        ParticipationFactory(meeting=MeetingFactory(), actor=turkey)
        MeetingFactory(slug=f"another-{number}")
    for url, count in zip(urls, before, strict=True):
        with django_assert_max_num_queries(FEED_BUDGET):
            client.get(url)
        assert count_queries(client, url) == count, url
