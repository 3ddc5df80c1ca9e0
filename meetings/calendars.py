"""iCalendar (RFC 5545) files of published meetings: all of them, one, or those a country or organisation attended."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from actors.languages import reading_language
from budapest.downloads import content_disposition

from .models import Meeting
from .publication import visible_actors
from .translations import title_in, with_translated_title

PRODUCT_ID = "-//Budapest Process//Meeting records//EN"


def meeting_event(meeting: Meeting, request: HttpRequest) -> Event:
    """One meeting as an all-day event (DTEND is the day after its last day, as RFC 5545 counts it)."""
    url = request.build_absolute_uri(meeting.get_absolute_url())
    last_day = meeting.end_date or meeting.start_date
    event = Event()
    # The primary key never changes, so a calendar that subscribed updates the event instead of adding one.
    event.add("uid", f"meeting-{meeting.pk}@budapest-process-records")
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.start_date)
    event.add("dtend", last_day + datetime.timedelta(days=1))
    title = title_in(meeting, reading_language())[0]  # in the calendar's language where a translation is public
    event.add("summary", _("Budapest Process: %(title)s") % {"title": title})
    if meeting.format == Meeting.Format.ONLINE:
        event.add("location", _("Online"))
    elif meeting.location:
        event.add("location", meeting.location)
    event.add(
        "description",
        _("%(series)s, %(date)s. The summary: %(url)s")
        % {"series": meeting.series.name, "date": date_format(meeting.start_date, "DATE_FORMAT"), "url": url},
    )
    event.add("url", url)
    event.add("categories", [meeting.series.name])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def calendar_response(request: HttpRequest, meetings, *, name: str, filename: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, request))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _published():
    meetings = Meeting.objects.published().select_related("series").order_by("start_date", "pk")
    return with_translated_title(meetings, reading_language())


def all_meetings(request: HttpRequest) -> HttpResponse:
    return calendar_response(
        request, _published(), name=_("Budapest Process meetings"), filename="budapest-process-meetings.ics"
    )


def meeting_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(_published(), slug=slug)
    return calendar_response(
        request,
        [meeting],
        name=_("Budapest Process: %(title)s") % {"title": title_in(meeting, reading_language())[0]},
        filename=f"{slug}.ics",
    )


def actor_calendar(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    actor = get_object_or_404(visible_actors(request), kind=kind, slug=slug)
    meetings = _published().filter(participations__actor=actor)
    return calendar_response(
        request,
        meetings,
        name=_("Budapest Process meetings of %(name)s") % {"name": actor.name_in()},
        filename=f"budapest-process-{slug}.ics",
    )
