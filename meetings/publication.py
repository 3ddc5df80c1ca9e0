"""What a request may read: the one publication rule, applied per reader.

The rule itself lives in the models: a meeting is public when published and due
(``models.published_meeting``, read through ``Meeting.objects.published()``), and a country,
organisation, institution, group, person, title or series is public when a public meeting refers to
it (``MeetingReferences.public()``'s ``actors()``, ``people()``, ``positions()``, read from the rows' copy
of the rule; ``MeetingQuerySet.series()``). Staff who preview
(``models.can_preview``) read everything, drafts and the records only drafts name included.

Every public read starts here or at ``published()``: pages, feeds, calendars, the sitemap, search,
the API, the Popolo export and the choices the filters offer.
"""

from django.db.models import QuerySet
from django.http import HttpRequest

from actors.models import Actor, ActorQuerySet, Person, Position

from .models import Meeting, MeetingReferences, MeetingSeries, can_preview


def _user(request: HttpRequest | None):
    return getattr(request, "user", None)


def visible_meetings(request: HttpRequest | None) -> QuerySet[Meeting]:
    """The meetings a request may read and filter by."""
    return Meeting.objects.visible_to(_user(request))


def visible_actors(request: HttpRequest | None, model: type[Actor] = Actor) -> ActorQuerySet:
    """The actors a request may read: those a public meeting refers to, or every one for staff who preview."""
    if can_preview(_user(request)):
        return model.objects.all()
    return MeetingReferences.public().actors(model)


def visible_countries(request: HttpRequest | None) -> QuerySet[Actor]:
    return visible_actors(request).countries()


def visible_organisations(request: HttpRequest | None) -> QuerySet[Actor]:
    return visible_actors(request).organisations()


def visible_people(request: HttpRequest | None) -> QuerySet[Person]:
    """The officials a request may read: those who spoke at a public meeting, or every one for staff."""
    return Person.objects.all() if can_preview(_user(request)) else MeetingReferences.public().people()


def visible_positions(request: HttpRequest | None) -> QuerySet[Position]:
    """The titles a request may read: those held when speaking at a public meeting, or every one for staff."""
    return Position.objects.all() if can_preview(_user(request)) else MeetingReferences.public().positions()


def visible_series(request: HttpRequest | None) -> QuerySet[MeetingSeries]:
    """The series a request may read and filter by: those of the meetings it may read."""
    return MeetingSeries.objects.all() if can_preview(_user(request)) else MeetingSeries.objects.published()
