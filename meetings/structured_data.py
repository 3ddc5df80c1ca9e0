"""schema.org descriptions of public pages, for search engines and other machines (rendered as JSON-LD)."""

import datetime

from .models import Meeting

ATTENDANCE_MODE: dict[str, str] = {
    Meeting.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Meeting.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Meeting.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _organisation(actor, absolute) -> dict:
    # A country that chairs a meeting does so as a government: schema.org's organizer is an Organization.
    kind = "GovernmentOrganization" if actor.kind in (actor.Kind.COUNTRY, actor.Kind.INSTITUTION) else "Organization"
    data = {"@type": kind, "name": actor.name}
    if actor.short_name:
        data["alternateName"] = actor.short_name
    if actor.get_absolute_url():
        data["url"] = absolute(actor.get_absolute_url())
    return data


def meeting_event(meeting: Meeting, *, url: str, description: str, organisers: list, absolute) -> dict:
    """A schema.org Event for a meeting.

    `organisers` are the actors who ran it (chair, co-chair, Secretariat); `absolute` makes a path a URL.
    """
    places = []
    if meeting.format in (Meeting.Format.ONLINE, Meeting.Format.HYBRID):
        places.append({"@type": "VirtualLocation", "url": url})
    if meeting.format in (Meeting.Format.IN_PERSON, Meeting.Format.HYBRID):
        places.append({"@type": "Place", "name": meeting.location or meeting.title, "address": meeting.location})
    end_date: datetime.date = meeting.end_date or meeting.start_date
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": meeting.title,
        "description": description,
        "startDate": meeting.start_date.isoformat(),
        "endDate": end_date.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODE.get(meeting.format, ATTENDANCE_MODE[Meeting.Format.IN_PERSON]),
        "location": places[0] if len(places) == 1 else places,
        "organizer": [_organisation(actor, absolute) for actor in organisers]
        or [{"@type": "Organization", "name": "Budapest Process"}],
        "inLanguage": "en",
    }
    if meeting.series_id:
        data["superEvent"] = {"@type": "EventSeries", "name": meeting.series.name}
    return data
