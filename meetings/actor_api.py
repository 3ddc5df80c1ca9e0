"""The partner API for countries, organisations and people."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from actors.models import Actor, Person, Position, Region
from budapest.api.schema import record_operations
from budapest.api.serializers import URL_OR_NULL, APIURLField, FullCleanMixin, PageURLField, api_address
from budapest.api.viewsets import WritableMixin

from .filters import CountryFilter, OrganisationFilter, PersonFilter
from .publication import published_meeting_counts, visible_actors, visible_people, visible_positions


def actor_api_url(actor: Actor, request) -> str | None:
    """The API address of a country or organisation; institutions and groups have none of their own."""
    field = Actor.REFERENCE_FIELD.get(actor.kind)
    return api_address(request, f"{actor.kind}-detail", **{field: getattr(actor, field)}) if field else None


@extend_schema_field(URL_OR_NULL)
class ActorAPIURLField(serializers.ReadOnlyField):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "This record in the API, or null for institutions and groups.")
        super().__init__(**kwargs)

    def to_representation(self, actor):
        return actor_api_url(actor, self.context.get("request"))


class LinesField(serializers.ListField):
    """A text field holding one value per line, shown as a list."""

    child = serializers.CharField(max_length=200)

    def to_representation(self, data):
        return [line.strip() for line in data.splitlines() if line.strip()]

    def to_internal_value(self, data):
        return "\n".join(value.strip() for value in super().to_internal_value(data) if value.strip())


class ActorSummarySerializer(serializers.ModelSerializer):
    """A country, organisation, institution or group, as other records name it."""

    acronym = serializers.CharField(source="short_name", read_only=True)
    url = PageURLField()
    api_url = ActorAPIURLField()
    belongs_to = serializers.SerializerMethodField(help_text="For an institution: its country or organisation.")

    class Meta:
        model = Actor
        fields = ["name", "kind", "slug", "iso_code", "acronym", "url", "api_url", "belongs_to"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_belongs_to(self, actor) -> str | None:
        return actor.parent.name if actor.parent_id else None


@extend_schema_field(OpenApiTypes.INT)
class MeetingCountField(serializers.ReadOnlyField):
    """How many published meetings the actor took part in: from the counts the view read once for all."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Published meetings it took part in.")
        super().__init__(source="pk", **kwargs)

    def to_representation(self, pk) -> int:
        return self.context["meeting_counts"].get(pk, 0)


class ActorSerializer(FullCleanMixin, serializers.ModelSerializer):
    api_url = ActorAPIURLField()
    url = PageURLField()
    other_names = LinesField(required=False, help_text="Other spellings, e.g. Czechia or Türkiye.")
    regions = serializers.SlugRelatedField(
        slug_field="slug", many=True, required=False, queryset=Region.objects.all(), help_text="Slugs of regions."
    )
    meeting_count = MeetingCountField()

    kind: str

    def model_defaults(self):
        return {"kind": self.kind}


class CountrySerializer(ActorSerializer):
    """A country, with its ISO 3166-1 alpha-2 code."""

    kind = Actor.Kind.COUNTRY
    iso_code = serializers.RegexField(
        r"^[A-Za-z]{2}$", max_length=2, help_text="The two-letter ISO 3166-1 code, e.g. TR (stored in capitals)."
    )

    class Meta:
        model = Actor
        fields = ["api_url", "url", "iso_code", "name", "slug", "other_names", "regions", "website", "meeting_count"]

    def validate_iso_code(self, value):
        value = value.upper()
        others = Actor.objects.exclude(pk=self.instance.pk) if self.instance else Actor.objects.all()
        if others.filter(iso_code=value).exists():
            raise serializers.ValidationError(f"A country with the ISO code {value} already exists.")
        return value


class OrganisationSerializer(ActorSerializer):
    """An organisation or EU body, with its acronym."""

    kind = Actor.Kind.ORGANISATION
    acronym = serializers.CharField(source="short_name", max_length=50, required=False, allow_blank=True)

    class Meta:
        model = Actor
        fields = [
            "api_url",
            "url",
            "acronym",
            "name",
            "slug",
            "organisation_kind",
            "other_names",
            "regions",
            "website",
            "meeting_count",
        ]
        extra_kwargs = {"organisation_kind": {"required": True, "allow_blank": False}}


class PositionSerializer(serializers.ModelSerializer):
    """A title a person held, and where."""

    actor = ActorSummarySerializer(read_only=True)

    class Meta:
        model = Position
        fields = ["title", "actor", "start_date", "end_date"]
        read_only_fields = fields


class PersonSerializer(FullCleanMixin, serializers.ModelSerializer):
    """A named official, with the titles they held."""

    api_url = APIURLField("person-detail", slug="slug")
    url = PageURLField()
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["api_url", "url", "slug", "honorific", "name", "positions"]


class ActorViewSet(WritableMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The countries or the organisations (`kind`) a request may read, with their regions and meeting counts."""

    kind: str

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.lookup_field = Actor.REFERENCE_FIELD[cls.kind]  # what its API address names it by (actor_api_url)

    def base_queryset(self):
        return visible_actors(self.request).filter(kind=self.kind)

    def with_related(self, queryset):
        return queryset.prefetch_related("regions").order_by("name", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "meeting_counts": published_meeting_counts()}


@record_operations(
    "a country",
    "countries",
    listed="Countries of the dialogue with their ISO codes, regions and number of published meetings attended, "
    "filterable by meeting, region and name.",
    read="A country by its ISO 3166-1 alpha-2 code, in capitals or not (`TR`, `tr`).",
)
class CountryViewSet(ActorViewSet):
    """Countries of the dialogue, by ISO 3166-1 alpha-2 code (in capitals or not)."""

    kind = Actor.Kind.COUNTRY
    serializer_classes = {"retrieve": CountrySerializer}
    filterset_class = CountryFilter
    lookup_example = "TR"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


@record_operations(
    "an organisation",
    "organisations",
    listed="International organisations, EU bodies and other dialogues, with acronyms, kinds and number of "
    "published meetings attended, filterable by meeting, region, kind and name or acronym.",
    read="An organisation by its slug (as in its address on the site).",
)
class OrganisationViewSet(ActorViewSet):
    """International organisations, EU bodies and other migration dialogues, by slug."""

    kind = Actor.Kind.ORGANISATION
    serializer_classes = {"retrieve": OrganisationSerializer}
    filterset_class = OrganisationFilter
    lookup_example = "icmpd"


@record_operations(
    "a person",
    "people",
    listed="Named officials who spoke at published meetings, with the titles they held, filterable by name.",
    read="An official by slug, with each position held (title and institution).",
)
class PersonViewSet(WritableMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Named officials who spoke at meetings, by slug."""

    serializer_classes = {"retrieve": PersonSerializer}
    filterset_class = PersonFilter
    lookup_field = "slug"
    lookup_example = "martijn-pluim"

    def base_queryset(self):
        return visible_people(self.request)

    def with_related(self, queryset):
        positions = visible_positions(self.request).select_related("actor__parent").order_by("-start_date", "pk")
        return queryset.prefetch_related(Prefetch("positions", queryset=positions)).order_by("name", "pk")
