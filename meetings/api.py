"""The partner API for meetings, their participations and interventions, and the priority goals.

Everything reads through ``Meeting.objects.published()`` and ``Passage.objects.published()``; only staff
who may view meetings also see drafts (``meetings.models.can_preview``).
"""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import APIException

from actors.models import Actor, Position
from budapest.api.schema import operations
from budapest.api.serializers import APIURLField, FullCleanMixin, PageURLField, api_address
from budapest.api.viewsets import ResourceMixin, WritableMixin
from budapest.filters import SLUG_SCHEMA_PATTERN

from .actor_api import ActorSummarySerializer
from .filters import InterventionFilter, MeetingFilter, ParticipationFilter, PriorityGoalFilter
from .goals import goals_named
from .models import (
    CallForAction,
    Document,
    Footnote,
    GoalCorrespondence,
    Meeting,
    MeetingSeries,
    Paragraph,
    Participation,
    Passage,
    PassageGoal,
    PriorityGoal,
    published_meeting,
)
from .publication import visible_adoption, visible_meetings
from .translations import ENGLISH, with_translated_title, with_translated_words, words_in

SPEAKERS = Actor.objects.select_related("parent")


class PublishedMeetingConflict(APIException):
    status_code = 409
    default_detail = (
        "This meeting is published: change it in the admin, where changes wait for a Publisher before the public "
        "sees them."
    )
    default_code = "published"


def refuse_published(meeting: Meeting) -> None:
    """A published meeting is changed only as unpublished changes (meetings.revisions), which the API does not make."""
    if meeting.status == Meeting.Status.PUBLISHED or meeting.changes_of_id is not None:
        raise PublishedMeetingConflict()


def visible_passages(request):
    return Passage.objects.visible_to(request.user)


# Records as other records name them.


def goal_api_url(request, goal: PriorityGoal) -> str:
    """A goal in the API: /priority-goals/3/ for the 2019–2024 goals, with ?framework=<slug> for the others."""
    address = api_address(request, "priority-goal-detail", number=goal.number)
    return address if goal.framework.is_legacy else f"{address}?framework={goal.framework.slug}"


class GoalSummarySerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.slug", help_text="The Call for Action's slug, e.g. 2025-2030.")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = PriorityGoal
        fields = ["number", "title", "framework", "api_url"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, goal):
        return goal_api_url(self.context.get("request"), goal)


class PassageGoalSerializer(serializers.Serializer):
    """A goal a passage is about, and who says so: the summary (named) or the Secretariat (tagged)."""

    number = serializers.IntegerField(source="prioritygoal.number")
    title = serializers.CharField(source="prioritygoal.title")
    framework = serializers.CharField(source="prioritygoal.framework.slug")
    provenance = serializers.ChoiceField(choices=PassageGoal.Provenance.choices)
    api_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, link):
        return goal_api_url(self.context.get("request"), link.prioritygoal)


class DocumentSerializer(serializers.ModelSerializer):
    """A file of the meeting, served as a download."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["kind", "title", "content_type", "size", "url"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, document):
        request = self.context.get("request")
        url = document.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


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


class InLanguageMixin(serializers.Serializer):
    """A record in the language asked for (`?lang=ru`, else Accept-Language): its translation's words where public.

    `language` says which language the record's words are in: English where no translation is public.
    """

    translated_field = "text"
    translated_attribute = "translated"
    language = serializers.SerializerMethodField(
        help_text="The language of the record's words: the one asked for where its translation is published, else en."
    )

    def _asked(self) -> str:
        return self.context.get("language", ENGLISH)

    def get_language(self, row) -> str:
        return words_in(row, "", self._asked(), self.translated_attribute)[1]

    def to_representation(self, row):
        data = super().to_representation(row)
        data[self.translated_field] = words_in(
            row, data[self.translated_field], self._asked(), self.translated_attribute
        )[0]
        return data


class PassageFieldsMixin(serializers.Serializer):
    """What a passage shows wherever it is shown: its page, who spoke, the goals, mentions and regions."""

    url = PageURLField()
    speakers = ActorSummarySerializer(many=True)
    official = OfficialSerializer(allow_null=True)
    goals = PassageGoalSerializer(source="named_links", many=True, help_text="The goals the summary names.")
    tagged_goals = PassageGoalSerializer(
        source="tagged_links", many=True, help_text="Subjects the Secretariat tagged: goals the passage is about."
    )
    mentions = ActorSummarySerializer(many=True)
    regions = RegionSummarySerializer(many=True)


class PassageSerializer(InLanguageMixin, PassageFieldsMixin, serializers.ModelSerializer):
    """A run of text of a paragraph; with speakers it is an intervention."""

    api_url = serializers.SerializerMethodField(help_text="The intervention in the API; null for narration.")

    class Meta:
        model = Passage
        fields = [
            "order",
            "url",
            "api_url",
            "kind",
            "text",
            "language",
            "speakers",
            "official",
            "goals",
            "tagged_goals",
            "mentions",
            "regions",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_api_url(self, passage):
        if not passage.speakers.all():
            return None
        return api_address(self.context.get("request"), "intervention-detail", pk=passage.pk)


class ParagraphSerializer(InLanguageMixin, serializers.ModelSerializer):
    translated_field = "subject"
    url = PageURLField()
    passages = PassageSerializer(many=True)

    class Meta:
        model = Paragraph
        fields = ["number", "subject", "language", "url", "passages"]


class FootnoteSerializer(InLanguageMixin, serializers.ModelSerializer):
    class Meta:
        model = Footnote
        fields = ["number", "mark", "text", "language"]


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
    goals = serializers.SerializerMethodField(help_text="The numbers of the goals the summary names.")
    tagged_goals = serializers.SerializerMethodField(help_text="The numbers of the subjects the Secretariat tagged.")

    class Meta:
        model = Passage
        fields = ["paragraph", "order", "speakers", "goals", "tagged_goals", "url", "api_url"]

    def get_goals(self, passage) -> list[int]:
        return [link.prioritygoal.number for link in passage.named_links]

    def get_tagged_goals(self, passage) -> list[int]:
        return [link.prioritygoal.number for link in passage.tagged_links]


# Resources.


class MeetingListSerializer(InLanguageMixin, serializers.ModelSerializer):
    """A meeting of the dialogue."""

    translated_field = "title"
    translated_attribute = "translated_title"
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
            "language",
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
            "number",
        ]


class MeetingDetailSerializer(MeetingListSerializer):
    """A meeting with its whole summary: participations, paragraphs and their passages, interventions, footnotes."""

    participations = MeetingParticipationSerializer(many=True)
    paragraphs = ParagraphSerializer(many=True)
    interventions = serializers.SerializerMethodField(
        help_text="The statements (passages of kind statement with speakers), in the summary's order."
    )
    footnotes = FootnoteSerializer(many=True)
    documents = DocumentSerializer(many=True)

    class Meta(MeetingListSerializer.Meta):
        fields = [
            *MeetingListSerializer.Meta.fields,
            "outcome",
            "participations",
            "paragraphs",
            "interventions",
            "footnotes",
            "documents",
        ]

    @extend_schema_field(InterventionSummarySerializer(many=True))
    def get_interventions(self, meeting):
        passages = [p for p in meeting.passages_in_order() if p.is_intervention and p.speakers.all()]
        return InterventionSummarySerializer(passages, many=True, context=self.context).data


class MeetingWriteSerializer(FullCleanMixin, serializers.ModelSerializer):
    """A new meeting starts as a draft; staff publish it in the admin, after a preview."""

    series = serializers.SlugRelatedField(slug_field="slug", queryset=MeetingSeries.objects.all())

    class Meta:
        model = Meeting
        fields = ["series", "title", "slug", "start_date", "end_date", "format", "location", "participant_count"]

    def model_defaults(self):
        return {} if self.instance is not None else {"status": Meeting.Status.DRAFT}


class InterventionSerializer(InLanguageMixin, PassageFieldsMixin, serializers.ModelSerializer):
    """A passage of a summary attributed to one or more speakers."""

    api_url = APIURLField("intervention-detail")
    meeting = MeetingSummarySerializer(source="paragraph.meeting")
    paragraph = serializers.IntegerField(source="paragraph.number", help_text="The paragraph's number.")

    class Meta:
        model = Passage
        fields = [
            "api_url",
            "url",
            "id",
            "meeting",
            "paragraph",
            "order",
            "kind",
            "text",
            "language",
            "speakers",
            "official",
            "goals",
            "tagged_goals",
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
    """A country's or organisation's part in a draft meeting: the meeting and the actor by slug, and the role."""

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


class CorrespondenceSerializer(serializers.Serializer):
    goal = GoalSummarySerializer()
    note = serializers.CharField(help_text="What carries over.")


class PriorityGoalSerializer(serializers.ModelSerializer):
    """A numbered priority goal of a Call for Action, its subject words and what it corresponds to."""

    api_url = serializers.SerializerMethodField()
    url = PageURLField()
    framework = serializers.CharField(source="framework.slug", help_text="The Call for Action's slug.")
    vocabulary = serializers.ListField(
        source="terms", child=serializers.CharField(), help_text="Subject words that suggest tags (* any ending)."
    )
    carries_over = serializers.SerializerMethodField(help_text="Earlier goals whose subject this goal carries over.")
    carried_over_by = serializers.SerializerMethodField(help_text="Later goals that carry this goal's subject over.")
    intervention_count = serializers.IntegerField(
        read_only=True, help_text="Published passages about it, named by the summary or tagged by the Secretariat."
    )
    named_count = serializers.IntegerField(read_only=True, help_text="Published passages that name it.")

    class Meta:
        model = PriorityGoal
        fields = [
            "api_url",
            "url",
            "framework",
            "number",
            "title",
            "text",
            "vocabulary",
            "carries_over",
            "carried_over_by",
            "intervention_count",
            "named_count",
        ]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, goal):
        return goal_api_url(self.context.get("request"), goal)

    @extend_schema_field(CorrespondenceSerializer(many=True))
    def get_carries_over(self, goal):
        rows = [{"goal": c.earlier, "note": c.note} for c in goal.correspondences_back.all()]
        return CorrespondenceSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(CorrespondenceSerializer(many=True))
    def get_carried_over_by(self, goal):
        rows = [{"goal": c.later, "note": c.note} for c in goal.correspondences_on.all()]
        return CorrespondenceSerializer(rows, many=True, context=self.context).data


class CallForActionSerializer(serializers.ModelSerializer):
    """A versioned set of priority goals, the period its numbers are in force and where it was adopted."""

    adopted_at = MeetingSummarySerializer(allow_null=True)
    goals = GoalSummarySerializer(many=True)

    class Meta:
        model = CallForAction
        fields = ["slug", "name", "period", "start_date", "end_date", "text", "adopted_at", "goals"]


GOAL_LINKS = Prefetch("goal_links", queryset=PassageGoal.objects.select_related("prioritygoal__framework"))


def passages_with_related(queryset):
    official = ("official__person", "official__actor__parent")
    return queryset.select_related(*official).prefetch_related(
        Prefetch("speakers", queryset=SPEAKERS),
        Prefetch("mentions", queryset=SPEAKERS),
        GOAL_LINKS,
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

    def check_writable(self, instance):
        refuse_published(instance)

    def with_related(self, queryset):
        language = getattr(self, "language", ENGLISH)
        queryset = queryset.select_related("series").with_country_count().order_by("-start_date", "title", "pk")
        queryset = with_translated_title(queryset, language)
        if self.action == "list":
            return queryset
        participations = Participation.objects.select_related("actor__parent", "represented_by__parent")
        passages = with_translated_words(passages_with_related(Passage.objects.order_by("order")), "passage", language)
        paragraphs = with_translated_words(Paragraph.objects.all(), "paragraph", language)
        return queryset.prefetch_related(
            Prefetch("participations", queryset=participations.order_by("actor__name", "pk")),
            Prefetch(
                "paragraphs",
                queryset=paragraphs.prefetch_related(Prefetch("passages", queryset=passages)).order_by("number"),
            ),
            Prefetch("footnotes", queryset=with_translated_words(Footnote.objects.all(), "footnote", language)),
            Prefetch("documents", queryset=Document.objects.order_by("kind", "title")),
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
    """Interventions: statements with speakers, newest meeting first; `?kind=procedure` or `report` for the rest."""

    serializer_classes = {"retrieve": InterventionSerializer}
    filterset_class = InterventionFilter
    lookup_example = 615  # Spain's intervention in the 2020 meeting (fixtures/som-2020.json)

    def base_queryset(self):
        passages = visible_passages(self.request)
        if self.action == "list" and not self.request.query_params.get("kind"):
            return passages.statements()  # with a speaker: not joined with the speakers a second time
        return passages.with_speakers()

    def with_related(self, queryset):
        # for_listing carries each passage's translation into the language asked (activated by ?lang=).
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
        return Participation.objects.visible_to(self.request.user)

    def check_writable(self, instance):
        refuse_published(instance.meeting)

    def check_writable_data(self, data):
        if "meeting" in data:  # added to a published meeting, or moved into one: as a change of that meeting
            refuse_published(data["meeting"])

    def versioned(self, instance):
        return instance.meeting  # the meeting's version counts the saves of its parts

    def with_related(self, queryset):
        return queryset.select_related("meeting", "actor__parent", "represented_by__parent").order_by(
            "-meeting_date", "meeting_id", "actor__name", "pk"
        )


FRAMEWORK_PARAMETER = OpenApiParameter(
    "framework",
    str,
    description="The Call for Action whose goals these are (a slug, e.g. 2025-2030); 2019-2024 if none.",
    pattern=SLUG_SCHEMA_PATTERN,  # anything else is its filter's 400, as on the list
)


@operations(
    list=(
        "List priority goals",
        "The six priority goals of a Call for Action, with how many interventions in published meetings name each.",
    ),
    retrieve=("Read one priority goal", "A goal by its number, with its short title and its full text."),
)
@extend_schema_view(retrieve=extend_schema(parameters=[FRAMEWORK_PARAMETER]))  # the list's is its filter's
class PriorityGoalViewSet(ResourceMixin, viewsets.ReadOnlyModelViewSet):
    """The priority goals of one Call for Action (`?framework=`, by default 2019–2024), by number."""

    serializer_classes = {"retrieve": PriorityGoalSerializer}
    filterset_class = PriorityGoalFilter
    lookup_field = "number"
    lookup_example = 5
    lookup_value_regex = "[1-9][0-9]{0,8}"  # 1, never 01: one address for each goal, as its page's

    def base_queryset(self):
        # Without ?framework=, the 2019–2024 goals; a slug that names no Call for Action is its filter's 404.
        return goals_named(self.request.query_params.get("framework"))

    def with_related(self, queryset):
        published = published_meeting("passages__")
        named = published & Q(passage_links__provenance=PassageGoal.Provenance.NAMED)
        correspondences = GoalCorrespondence.objects.select_related("earlier__framework", "later__framework")
        return (
            queryset.annotate(
                intervention_count=Count("passages", filter=published, distinct=True),
                named_count=Count("passage_links", filter=named, distinct=True),
            )
            .prefetch_related(
                Prefetch("correspondences_back", queryset=correspondences),
                Prefetch("correspondences_on", queryset=correspondences),
            )
            .order_by("number")
        )


@operations(
    list=(
        "List Calls for Action",
        (
            "The Calls for Action, oldest first: the years each is in force, the meeting that adopted it and "
            "its priority goals by number (goal numbers are read in the Call for Action in force)."
        ),
    ),
    retrieve=(
        "Get a Call for Action",
        "One Call for Action by its slug (2019-2024, 2025-2030): its years, where it was adopted, its goals.",
    ),
)
class CallForActionViewSet(ResourceMixin, viewsets.ReadOnlyModelViewSet):
    """The Calls for Action: which goal numbers are in force when, and where each was adopted."""

    serializer_classes = {"retrieve": CallForActionSerializer}
    lookup_field = "slug"
    lookup_example = "2025-2030"

    def base_queryset(self):
        return CallForAction.objects.all()

    def with_related(self, queryset):
        return queryset.prefetch_related(
            visible_adoption(self.request),
            Prefetch("goals", queryset=PriorityGoal.objects.select_related("framework").order_by("number")),
        )
