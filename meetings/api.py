"""The partner API for meetings, their participations and interventions, and the priority goals.

Everything reads through ``Meeting.objects.published()`` and ``Passage.objects.published()``; only staff
who may view meetings also see drafts (``meetings.models.can_preview``).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from actors.models import Actor, Position
from budapest.api.schema import operations
from budapest.api.serializers import APIURLField, FullCleanMixin, PageURLField, api_address
from budapest.api.viewsets import ResourceMixin, WritableMixin

from .actor_api import ActorSummarySerializer
from .filters import InterventionFilter, MeetingFilter, ParticipationFilter
from .models import Footnote, Meeting, MeetingSeries, Paragraph, Participation, Passage, PriorityGoal
from .publication import visible_meetings

SPEAKERS = Actor.objects.select_related("parent")


def visible_passages(request):
    return Passage.objects.visible_to(request.user)


# Records as other records name them.


class GoalSummarySerializer(serializers.ModelSerializer):
    api_url = APIURLField("priority-goal-detail", number="number")

    class Meta:
        model = PriorityGoal
        fields = ["number", "title", "api_url"]


class SeriesSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingSeries
        fields = ["name", "slug"]


class MeetingSummarySerializer(serializers.ModelSerializer):
    api_url = APIURLField("meeting-detail", slug="slug")
    url = PageURLField()

    class Meta:
        model = Meeting
        fields = ["slug", "title", "start_date", "api_url", "url"]


class OfficialSerializer(serializers.ModelSerializer):
    """A named official who spoke, with the title they held then."""

    name = serializers.CharField(source="person.name")
    honorific = serializers.CharField(source="person.honorific")
    slug = serializers.CharField(source="person.slug")
    api_url = APIURLField("person-detail", slug="person.slug")
    actor = ActorSummarySerializer()

    class Meta:
        model = Position
        fields = ["name", "honorific", "slug", "title", "actor", "api_url"]


class RegionSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class PassageSerializer(serializers.ModelSerializer):
    """A run of text of a paragraph; with speakers it is an intervention."""

    url = PageURLField()
    api_url = serializers.SerializerMethodField(help_text="The intervention in the API; null for narration.")
    speakers = ActorSummarySerializer(many=True)
    official = OfficialSerializer(allow_null=True)
    goals = GoalSummarySerializer(many=True)
    mentions = ActorSummarySerializer(many=True)
    regions = RegionSummarySerializer(many=True)

    class Meta:
        model = Passage
        fields = ["order", "url", "api_url", "text", "speakers", "official", "goals", "mentions", "regions"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_api_url(self, passage):
        if not passage.speakers.all():
            return None
        return api_address(self.context.get("request"), "intervention-detail", pk=passage.pk)


class ParagraphSerializer(serializers.ModelSerializer):
    url = PageURLField()
    passages = PassageSerializer(many=True)

    class Meta:
        model = Paragraph
        fields = ["number", "subject", "url", "passages"]


class FootnoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Footnote
        fields = ["number", "text"]


class MeetingParticipationSerializer(serializers.ModelSerializer):
    api_url = APIURLField("participation-detail")
    actor = ActorSummarySerializer()
    represented_by = ActorSummarySerializer(allow_null=True)

    class Meta:
        model = Participation
        fields = ["actor", "role", "represented_by", "api_url"]


class InterventionSummarySerializer(serializers.ModelSerializer):
    api_url = APIURLField("intervention-detail")
    url = PageURLField()
    paragraph = serializers.IntegerField(source="paragraph.number")
    speakers = ActorSummarySerializer(many=True)
    goals = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Passage
        fields = ["paragraph", "order", "speakers", "goals", "url", "api_url"]


# Resources.


class MeetingListSerializer(serializers.ModelSerializer):
    """A meeting of the dialogue."""

    api_url = APIURLField("meeting-detail", slug="slug")
    url = PageURLField()
    series = SeriesSerializer()
    country_count = serializers.IntegerField(read_only=True, help_text="Countries that took part.")

    class Meta:
        model = Meeting
        fields = [
            "api_url",
            "url",
            "slug",
            "title",
            "series",
            "start_date",
            "end_date",
            "format",
            "location",
            "participant_count",
            "country_count",
            "status",
            "published_at",
            "updated_at",
        ]


class MeetingDetailSerializer(MeetingListSerializer):
    """A meeting with its whole summary: participations, paragraphs and their passages, interventions, footnotes."""

    participations = MeetingParticipationSerializer(many=True)
    paragraphs = ParagraphSerializer(many=True)
    interventions = serializers.SerializerMethodField(help_text="The passages with speakers, in the summary's order.")
    footnotes = FootnoteSerializer(many=True)

    class Meta(MeetingListSerializer.Meta):
        fields = [*MeetingListSerializer.Meta.fields, "participations", "paragraphs", "interventions", "footnotes"]

    @extend_schema_field(InterventionSummarySerializer(many=True))
    def get_interventions(self, meeting):
        passages = [
            passage
            for paragraph in meeting.paragraphs.all()
            for passage in paragraph.passages.all()
            if passage.speakers.all()
        ]
        return InterventionSummarySerializer(passages, many=True, context=self.context).data


class MeetingWriteSerializer(FullCleanMixin, serializers.ModelSerializer):
    """A new meeting starts as a draft; staff publish it in the admin, after a preview."""

    series = serializers.SlugRelatedField(slug_field="slug", queryset=MeetingSeries.objects.all())

    class Meta:
        model = Meeting
        fields = ["series", "title", "slug", "start_date", "end_date", "format", "location", "participant_count"]

    def model_defaults(self):
        return {} if self.instance is not None else {"status": Meeting.Status.DRAFT}

    def update(self, instance, validated_data):
        instance.version += 1  # an editor's admin form opened before this change is now stale
        return super().update(instance, validated_data)


class InterventionSerializer(serializers.ModelSerializer):
    """A passage of a summary attributed to one or more speakers."""

    api_url = APIURLField("intervention-detail")
    url = PageURLField()
    meeting = MeetingSummarySerializer(source="paragraph.meeting")
    paragraph = serializers.IntegerField(source="paragraph.number", help_text="The paragraph's number.")
    speakers = ActorSummarySerializer(many=True)
    official = OfficialSerializer(allow_null=True)
    goals = GoalSummarySerializer(many=True)
    mentions = ActorSummarySerializer(many=True)
    regions = RegionSummarySerializer(many=True)

    class Meta:
        model = Passage
        fields = [
            "api_url",
            "url",
            "id",
            "meeting",
            "paragraph",
            "order",
            "text",
            "speakers",
            "official",
            "goals",
            "mentions",
            "regions",
        ]


class ParticipationSerializer(serializers.ModelSerializer):
    """A country's or organisation's part in a meeting."""

    api_url = APIURLField("participation-detail")
    meeting = MeetingSummarySerializer()
    actor = ActorSummarySerializer()
    represented_by = ActorSummarySerializer(allow_null=True)

    class Meta:
        model = Participation
        fields = ["api_url", "id", "meeting", "actor", "role", "represented_by"]


class ParticipationWriteSerializer(FullCleanMixin, serializers.ModelSerializer):
    meeting = serializers.SlugRelatedField(slug_field="slug", queryset=Meeting.objects.all())
    actor = serializers.SlugRelatedField(
        slug_field="slug", queryset=Actor.objects.with_public_page(), help_text="A country's or organisation's slug."
    )
    represented_by = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.institutions(),
        allow_null=True,
        required=False,
        help_text="The slug of the institution that held the role for the country, if any.",
    )

    class Meta:
        model = Participation
        fields = ["meeting", "actor", "role", "represented_by"]


class PriorityGoalSerializer(serializers.ModelSerializer):
    """One of the six priority goals of the Call for Action."""

    api_url = APIURLField("priority-goal-detail", number="number")
    url = PageURLField()
    intervention_count = serializers.IntegerField(read_only=True, help_text="Published passages that name it.")

    class Meta:
        model = PriorityGoal
        fields = ["api_url", "url", "number", "title", "text", "intervention_count"]


def passages_with_related(queryset):
    official = ("official__person", "official__actor__parent")
    return queryset.select_related(*official).prefetch_related(
        Prefetch("speakers", queryset=SPEAKERS),
        Prefetch("mentions", queryset=SPEAKERS),
        "goals",
        "regions",
    )


@operations(
    list=(
        "List meetings",
        (
            "Published meetings, newest first, 20 to a page (`page_size` up to 100), filterable by year, "
            "dates, series, participant, role held, priority goal and words. Staff who may preview also "
            "get drafts."
        ),
    ),
    retrieve=(
        "Read one meeting",
        (
            "A meeting by its slug, with its participations, paragraphs, passages, officials and "
            "footnotes: the whole summary as data."
        ),
    ),
    create=(
        "Add a meeting",
        (
            "Staff with a token and the permission to add meetings only. A new meeting is a draft until "
            "it is published in the admin."
        ),
    ),
    update=(
        "Replace a meeting's fields",
        (
            "Staff with the permission to change meetings only. Send `If-Match` with the ETag of your "
            "last read: if someone changed the meeting since, the answer is 412 and nothing is lost."
        ),
    ),
    partial_update=("Change some fields of a meeting", "As `PUT`, with only the fields to change."),
)
class MeetingViewSet(WritableMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings with their summaries, by slug. New meetings start as drafts."""

    serializer_classes = {"list": MeetingListSerializer, "retrieve": MeetingDetailSerializer}
    write_serializer_class = MeetingWriteSerializer
    filterset_class = MeetingFilter
    lookup_field = "slug"
    lookup_example = "2020-12-02-annual-senior-officials-meeting"

    def base_queryset(self):
        return visible_meetings(self.request)

    def with_related(self, queryset):
        queryset = queryset.select_related("series").with_country_count().order_by("-start_date", "title", "pk")
        if self.action == "list":
            return queryset
        participations = Participation.objects.select_related("actor__parent", "represented_by__parent")
        paragraphs = Paragraph.objects.prefetch_related(
            Prefetch("passages", queryset=passages_with_related(Passage.objects.order_by("order")))
        )
        return queryset.prefetch_related(
            Prefetch("participations", queryset=participations.order_by("actor__name", "pk")),
            Prefetch("paragraphs", queryset=paragraphs.order_by("number")),
            "footnotes",
        )


@operations(
    list=(
        "List interventions",
        (
            "Passages with speakers in published meetings, newest meeting first, filterable by meeting, "
            "speaker (a country by ISO code, an organisation by acronym or slug: its own words, its "
            "institutions' and its groups'), priority goal, year, dates and words."
        ),
    ),
    retrieve=(
        "Read one intervention",
        (
            "One passage with its speakers, the official who spoke, the priority goals it names, and its "
            "address on the meeting's page."
        ),
    ),
)
class InterventionViewSet(ResourceMixin, viewsets.ReadOnlyModelViewSet):
    """Interventions: passages with speakers, newest meeting first."""

    serializer_classes = {"retrieve": InterventionSerializer}
    filterset_class = InterventionFilter
    lookup_example = 615  # Spain's intervention in the 2020 meeting (fixtures/som-2020.json)

    def base_queryset(self):
        return visible_passages(self.request).interventions()

    def with_related(self, queryset):
        return queryset.for_listing().prefetch_related(Prefetch("mentions", queryset=SPEAKERS), "regions")


@operations(
    list=(
        "List participations",
        (
            "Who took part in which published meeting, in which role (chair, co-chair, Secretariat, "
            "participant), filterable by meeting, country, organisation, role and year."
        ),
    ),
    retrieve=(
        "Read one participation",
        "One actor's participation in one meeting, with its role and the institution that represented it.",
    ),
    create=(
        "Add a participation",
        "Staff with the permission to change meetings only: add a country or organisation to a meeting.",
    ),
    update=("Replace a participation", "Staff only; send `If-Match` with the ETag of your last read."),
    partial_update=("Change a participation", "As `PUT`, with only the fields to change (such as `role`)."),
)
class ParticipationViewSet(
    WritableMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Who took part in which meeting, in which role."""

    serializer_classes = {"retrieve": ParticipationSerializer}
    write_serializer_class = ParticipationWriteSerializer
    filterset_class = ParticipationFilter
    lookup_example = 38  # Turkey, chair of the 2020 meeting (fixtures/som-2020.json)

    def base_queryset(self):
        return Participation.objects.filter(meeting__in=visible_meetings(self.request))

    def with_related(self, queryset):
        return queryset.select_related("meeting", "actor__parent", "represented_by__parent").order_by(
            "-meeting__start_date", "meeting_id", "actor__name", "pk"
        )


@operations(
    list=(
        "List priority goals",
        "The six priority goals of the Call for Action, with how many interventions in published meetings name each.",
    ),
    retrieve=("Read one priority goal", "A goal by its number, with its short title and its full text."),
)
class PriorityGoalViewSet(ResourceMixin, viewsets.ReadOnlyModelViewSet):
    """The six priority goals of the Call for Action, by number."""

    serializer_classes = {"retrieve": PriorityGoalSerializer}
    lookup_field = "number"
    lookup_example = 5
    lookup_value_regex = "[0-9]+"

    def base_queryset(self):
        return PriorityGoal.objects.all()

    def with_related(self, queryset):
        return queryset.with_intervention_count().order_by("number")
