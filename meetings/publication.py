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

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest

from actors.models import Actor, ActorQuerySet, Person, Position
from budapest.fragments import per_generation

from .models import Meeting, MeetingReferences, MeetingSeries, Participation, can_preview


def _user(request: HttpRequest | None):
    return getattr(request, "user", None)


def visible_meetings(request: HttpRequest | None) -> QuerySet[Meeting]:
    """The meetings a request may read and filter by."""
    return Meeting.objects.visible_to(_user(request))


def visible_adoption(request: HttpRequest | None, path: str = "adopted_at") -> Prefetch:
    """A Call for Action's ``adopted_at`` (at ``path``) as a request may read it: None unless it may read that meeting.

    Prefetched through ``visible_meetings``, so that no date, title or address of a draft (nor of a meeting
    published for later or withdrawn) reaches a page or the API through the Call for Action it adopted.
    """
    return Prefetch(path, queryset=visible_meetings(request))


def withdrawn_from_public() -> QuerySet[Meeting]:
    """Meetings withdrawn after being public: their address says they were withdrawn (410).

    One withdrawn before it was ever public (a draft, or a meeting published for later) keeps no publication
    time (``Meeting.clean``), and its address answers 404 like any that never was: a 410 would tell that it exists.
    """
    return Meeting.objects.withdrawn().filter(published_at__isnull=False)


def visible_actors(request: HttpRequest | None, model: type[Actor] = Actor) -> ActorQuerySet:
    """The actors a request may read: those a public meeting refers to, or every one for staff who preview.

    Which those are is read once per change of the content (``per_generation``): the rule asks, for each
    actor, a dozen ways of being referred to (its planning alone took 8 ms a list on 10,000 meetings).
    """
    if can_preview(_user(request)):
        return model.objects.all()
    return model.objects.filter(pk__in=per_generation("public-actors", _public_actor_ids, _public_actors))


def _public_actors() -> QuerySet:
    return MeetingReferences.public().actors().values("pk")


def _public_actor_ids() -> list[int]:
    return list(_public_actors().values_list("pk", flat=True))


def published_meeting_counts() -> dict[int, int]:
    """How many published meetings each actor took part in (once each: a unique constraint), by actor id.

    Counted for every actor at once, once per change of the content (``per_generation``): counted for the
    actors of a page at each request, it read some 5,000 participations of each (30 ms a page of twenty).
    """
    return per_generation("published-meeting-counts", _published_meeting_counts)


def _published_meeting_counts() -> dict[int, int]:
    counts = Participation.objects.published().order_by().values("actor").annotate(count=Count("*"))
    return {row["actor"]: row["count"] for row in counts}


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
