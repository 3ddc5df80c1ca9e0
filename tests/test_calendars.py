"""iCalendar files (RFC 5545): all meetings, one meeting, a country's meetings; read with the icalendar package."""

import datetime

import pytest
from icalendar import Calendar

from meetings.models import Meeting

from .factories import MeetingFactory, ParticipationFactory
from .scale import count_queries, large_meeting

pytestmark = pytest.mark.django_db


def parse(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return calendar


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_meeting_calendar(client, som_2020):
    calendar = parse(client, f"{som_2020.get_absolute_url()}calendar.ics")
    [event] = events(calendar)
    assert str(event["SUMMARY"]) == "Budapest Process: Annual Senior Officials Meeting"
    # An all-day event: DTEND is the day after, as RFC 5545 counts it.
    assert event.decoded("DTSTART") == datetime.date(2020, 12, 2)
    assert event.decoded("DTEND") == datetime.date(2020, 12, 3)
    assert str(event["LOCATION"]) == "Online"
    assert str(event["URL"]) == f"http://testserver{som_2020.get_absolute_url()}"
    assert str(event["UID"]) == f"meeting-{som_2020.pk}@budapest-process-records"
    assert event.decoded("DTSTAMP").tzinfo is not None


def test_all_meetings_calendar_has_published_meetings_only(client, db):
    upcoming = MeetingFactory(
        title="Ministerial Conference",
        start_date=datetime.date.today() + datetime.timedelta(days=30),
        end_date=datetime.date.today() + datetime.timedelta(days=31),
        location="Istanbul, Turkey",
    )
    MeetingFactory(title="Draft meeting", status=Meeting.Status.DRAFT, published_at=None)
    MeetingFactory(title="Later meeting", published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    [event] = events(parse(client, "/meetings/calendar.ics"))
    assert str(event["SUMMARY"]) == "Budapest Process: Ministerial Conference"
    assert event.decoded("DTEND") == upcoming.end_date + datetime.timedelta(days=1)
    assert str(event["LOCATION"]) == "Istanbul, Turkey"


def test_country_calendar_has_the_meetings_it_attended(client, som_2020):
    other = MeetingFactory(title="Meeting without Spain")
    ParticipationFactory(meeting=other)
    calendar = parse(client, "/countries/spain/calendar.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Budapest Process meetings of Spain"
    assert [str(event["URL"]) for event in events(calendar)] == [f"http://testserver{som_2020.get_absolute_url()}"]


@pytest.mark.parametrize(
    "url",
    ["/meetings/no-such-meeting/calendar.ics", "/countries/atlantis/calendar.ics", "/countries/icmpd/calendar.ics"],
)
def test_unknown_calendars_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_draft_meeting_calendar_is_404(client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert client.get(f"{draft.get_absolute_url()}calendar.ics").status_code == 404


def test_pages_link_their_calendars(client, som_2020):
    for url, ics in [
        ("/", "/meetings/calendar.ics"),
        ("/meetings/", "/meetings/calendar.ics"),
        (som_2020.get_absolute_url(), f"{som_2020.get_absolute_url()}calendar.ics"),
        ("/countries/spain/", "/countries/spain/calendar.ics"),
    ]:
        html = client.get(url).content.decode()
        assert f'<link rel="alternate" type="text/calendar" href="{ics}"' in html, url
    assert '<link rel="alternate" type="application/atom+xml" href="/countries/spain/feed.atom"' in (
        client.get("/countries/spain/").content.decode()
    )


CALENDAR_BUDGET = 2


def test_calendar_query_count_does_not_grow_with_the_archive(client, som_2020, django_assert_max_num_queries):
    urls = ["/meetings/calendar.ics", f"{som_2020.get_absolute_url()}calendar.ics", "/countries/turkey/calendar.ics"]
    # The first read after a change also works out what is kept per change (budapest.fragments.per_generation).
    before = [count_queries(client, url) for url in urls for _ in range(2)][1::2]
    turkey = som_2020.participants.get(iso_code="TR")
    large_meeting(turkey=turkey)
    for _ in range(10):
        ParticipationFactory(meeting=MeetingFactory(), actor=turkey)
    for url, count in zip(urls, before, strict=True):
        with django_assert_max_num_queries(CALENDAR_BUDGET):
            client.get(url)
        assert count_queries(client, url) == count, url
