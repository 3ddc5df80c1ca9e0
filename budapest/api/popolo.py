"""The whole published record as one Popolo JSON document: persons, organizations, memberships, events, speeches.

Popolo (popoloproject.com) is the common shape of open data on people, organisations and what they said.
It has no class for a country taking part in a meeting, so each event carries ``participations``, and each
speech names its speaking countries and organisations in ``organization_ids`` and its priority goals in
``priority_goals``: additions a Popolo reader can ignore.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from actors.models import Actor
from budapest.exports import ExportBusy, stored_export
from meetings.models import Meeting, Participation, Passage, PassageGoal

from .serializers import absolute
from .viewsets import PartnerAPIMixin


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties}


def _array(properties: dict) -> dict:
    return {"type": "array", "items": _object(properties)}


STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
LINKS = _array({"url": STRING, "note": STRING})
POPOLO_SCHEMA = _object(
    {
        "persons": _array({"id": STRING, "name": STRING, "honorific_prefix": STRING}),
        "organizations": _array(
            {
                "id": STRING,
                "name": STRING,
                "classification": STRING,
                "parent_id": NULLABLE_STRING,
                "identifiers": _array({"scheme": STRING, "identifier": STRING}),
                "other_names": _array({"name": STRING, "note": STRING}),
                "links": LINKS,
                "sources": LINKS,
            }
        ),
        "memberships": _array(
            {
                "id": STRING,
                "person_id": STRING,
                "member": _object({"@type": STRING, "id": STRING}),
                "organization_id": STRING,
                "role": STRING,
                "start_date": NULLABLE_STRING,
                "end_date": NULLABLE_STRING,
            }
        ),
        "events": _array(
            {
                "id": STRING,
                "name": STRING,
                "classification": STRING,
                "start_date": STRING,
                "end_date": NULLABLE_STRING,
                "location": STRING,
                "participations": _array(
                    {"organization_id": STRING, "role": STRING, "represented_by_id": NULLABLE_STRING}
                ),
                "sources": LINKS,
            }
        ),
        "speeches": _array(
            {
                "id": STRING,
                "event_id": STRING,
                "type": STRING,
                "title": STRING,
                "position": {"type": "integer"},
                "text": STRING,
                "attribution_text": STRING,
                "creator_id": NULLABLE_STRING,
                "role": NULLABLE_STRING,
                "organization_ids": {"type": "array", "items": STRING},
                "priority_goals": {"type": "array", "items": {"type": "integer"}},
                "sources": LINKS,
            }
        ),
    }
)


def person_id(slug: str) -> str:
    return f"person/{slug}"


def organization_id(slug: str) -> str:
    return f"organization/{slug}"


def event_id(slug: str) -> str:
    return f"event/{slug}"


def _date(value):
    return value.isoformat() if value else None


def popolo_document(request) -> dict:
    """Published meetings and their speeches, with the people and actors they refer to, in a fixed number of queries.

    A person, title or actor that only a draft (or a meeting published for later) names is left out.
    """
    published = Meeting.objects.published()
    # The meetings first: a meeting that comes due during the export then brings its records along.
    meetings = list(published.select_related("series").order_by("start_date", "pk"))
    actors = list(published.actors().prefetch_related(Prefetch("members", queryset=published.actors().only("slug"))))
    actor_slugs = {actor.pk: actor.slug for actor in actors}
    people = list(published.people())
    person_slugs = {person.pk: person.slug for person in people}
    meetings_by_pk = {meeting.pk: meeting for meeting in meetings}

    organizations = []
    memberships = []
    for actor in actors:
        other_names = [{"name": actor.short_name, "note": "acronym"}] if actor.short_name else []
        other_names += [{"name": name.strip(), "note": "other name"} for name in actor.other_names.splitlines()]
        organizations.append(
            {
                "id": organization_id(actor.slug),
                "name": actor.name,
                "classification": actor.organisation_kind or actor.kind,
                "parent_id": organization_id(actor_slugs[actor.parent_id]) if actor.parent_id else None,
                "identifiers": (
                    [{"scheme": "ISO 3166-1 alpha-2", "identifier": actor.iso_code}] if actor.iso_code else []
                ),
                "other_names": [name for name in other_names if name["name"]],
                "links": [{"url": actor.website, "note": "website"}] if actor.website else [],
                "sources": [{"url": absolute(request, actor.get_absolute_url()), "note": "public page"}]
                if actor.has_page
                else [],
            }
        )
        for member in actor.members.all():
            memberships.append(
                {
                    "id": f"membership/{actor.slug}/{member.slug}",
                    "member": {"@type": "Organization", "id": organization_id(member.slug)},
                    "organization_id": organization_id(actor.slug),
                    "role": "member",
                }
            )
    for position in published.positions().order_by("pk"):
        memberships.append(
            {
                "id": f"membership/position-{position.pk}",
                "person_id": person_id(person_slugs[position.person_id]),
                "organization_id": organization_id(actor_slugs[position.actor_id]),
                "role": position.title,
                "start_date": _date(position.start_date),
                "end_date": _date(position.end_date),
            }
        )

    participations: dict = {}
    for participation in Participation.objects.filter(meeting__in=meetings).order_by("pk"):
        participations.setdefault(participation.meeting_id, []).append(
            {
                "organization_id": organization_id(actor_slugs[participation.actor_id]),
                "role": participation.role,
                "represented_by_id": organization_id(actor_slugs[participation.represented_by_id])
                if participation.represented_by_id
                else None,
            }
        )
    events = [
        {
            "id": event_id(meeting.slug),
            "name": meeting.title,
            "classification": meeting.series.name,
            "start_date": _date(meeting.start_date),
            "end_date": _date(meeting.end_date),
            "location": meeting.location or meeting.get_format_display(),
            "participations": participations.get(meeting.pk, []),
            "sources": [{"url": absolute(request, meeting.get_absolute_url()), "note": "public page"}],
        }
        for meeting in meetings
    ]

    passages = (
        Passage.objects.published()
        .select_related("paragraph", "official")
        .prefetch_related(
            Prefetch("speakers", queryset=Actor.objects.only("slug", "name")),
            Prefetch("goal_links", queryset=PassageGoal.objects.select_related("prioritygoal")),
        )
        .order_by("meeting_date", "paragraph__meeting_id", "paragraph__number", "order")
    )
    speeches = []
    positions_in_meeting: dict = {}
    for passage in passages:
        meeting = meetings_by_pk.get(passage.paragraph.meeting_id)
        if meeting is None:  # published between the two queries: it comes with the next export
            continue
        position = positions_in_meeting[meeting.pk] = positions_in_meeting.get(meeting.pk, 0) + 1
        speakers = list(passage.speakers.all())
        official = passage.official
        page = f"{absolute(request, meeting.get_absolute_url())}#{passage.anchor}"
        speeches.append(
            {
                "id": f"speech/{passage.pk}",
                "event_id": event_id(meeting.slug),
                "type": "speech" if speakers else "narrative",
                "title": f"¶{passage.paragraph.number}.{passage.order}",
                "position": position,
                "text": passage.text,
                "attribution_text": ", ".join(speaker.name for speaker in speakers),
                "creator_id": person_id(person_slugs[official.person_id]) if official else None,
                "role": official.title if official else None,
                "organization_ids": [organization_id(speaker.slug) for speaker in speakers],
                # The goals the summary names, as before there were subjects the Secretariat tagged.
                "priority_goals": [link.prioritygoal.number for link in passage.goal_links.all() if link.is_named],
                "sources": [{"url": page, "note": "public page"}],
            }
        )

    return {
        "persons": [
            {"id": person_id(person.slug), "name": person.name, "honorific_prefix": person.honorific}
            for person in people
        ],
        "organizations": organizations,
        "memberships": memberships,
        "events": events,
        "speeches": speeches,
    }


class ExportBeingBuilt(APIException):
    status_code = 503
    default_detail = "The export is being rebuilt after a change: try again in a minute."
    default_code = "export_being_built"
    wait = 30  # DRF sends it as Retry-After


class PopoloExportView(PartnerAPIMixin, APIView):
    """Every published meeting, with who took part and what was said, as one Popolo JSON document."""

    renderer_classes = [JSONRenderer]
    permission_classes = [AllowAny]
    # The whole record in one answer: it counts as this many requests against the client's rate.
    throttle_cost = 10

    @extend_schema(
        operation_id="export_popolo",
        tags=["export"],
        summary="Export everything as Popolo JSON",
        responses={200: POPOLO_SCHEMA},
        description=(
            "Published meetings (as events), their passages (as speeches, interventions with "
            "`type` speech and narration with `type` narrative), every country, organisation, institution "
            "and group (as organizations), every named official (as persons) and the titles they held and "
            "the groups' members (as memberships)."
        ),
    )
    def get(self, request):
        # Built once per change of the record and kept as a file (budapest.exports): seconds of work at
        # archive scale, which no reader may start again and again.
        try:
            return stored_export(
                request,
                "popolo",
                lambda: JSONRenderer().render(popolo_document(request)),
                content_type="application/json",
                filename="budapest-process-popolo.json",
            )
        except ExportBusy:
            raise ExportBeingBuilt() from None
