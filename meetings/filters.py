"""One FilterSet per list, shared by the HTML lists and the partner API.

The choices a filter offers come from what the request may read (meetings.publication): a country or
series that only a draft names is not among them.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actors.models import COUNTED_VOICES, Actor, Person, Region, VoiceKind
from budapest.filters import (
    CountryCodeFilter,
    DayFilter,
    NumberReferenceFilter,
    OrderingFilter,
    OrganisationReferenceFilter,
    SlugFilter,
    StrictBooleanFilter,
    WordsFilter,
    YearFilter,
)

from .goals import goals_named
from .models import CallForAction, Meeting, Participation, Passage, PassageGoal, PriorityGoal
from .publication import visible_countries, visible_meetings, visible_organisations, visible_series


def requested_goals(request):
    """The goals `?goal=N` chooses from: those of `?framework=` (a slug), by default the Call for Action 2019–2024."""
    return goals_named(getattr(request, "GET", {}).get("framework"))


FRAMEWORK_HELP = _("The Call for Action whose goal numbers `goal` means (a slug, e.g. 2025-2030); 2019-2024 if none.")


class MeetingFilter(django_filters.FilterSet):
    """Meetings by year, dates, series, participant, role held, priority goal discussed and words."""

    year = YearFilter(field_name="start_date")
    date_from = DayFilter(field_name="start_date", lookup_expr="gte", label=_("On or after"))
    date_to = DayFilter(field_name="start_date", lookup_expr="lte", label=_("On or before"))
    series = SlugFilter(queryset=visible_series, label=_("Series"), empty_label=_("All series"))
    country = CountryCodeFilter(queryset=visible_countries, field_name="participations__actor", distinct=True)
    organisation = OrganisationReferenceFilter(
        queryset=visible_organisations, field_name="participations__actor", distinct=True
    )
    role = django_filters.ChoiceFilter(
        choices=Participation.Role.choices, field_name="participations__role", label=_("Role held"), distinct=True
    )
    goal = NumberReferenceFilter(
        queryset=requested_goals,
        field_name="paragraphs__passages__goals",
        label=_("Priority goal"),
        distinct=True,
    )
    framework = SlugFilter(
        queryset=CallForAction.objects.all(),
        method="filter_framework",
        label=_("Call for Action"),
        help_text=FRAMEWORK_HELP,
    )
    search = WordsFilter(method="filter_search", label=_("Words in the title or summary"))
    ordering = OrderingFilter(fields=(("start_date", "date"), ("title", "title")), label=_("Order by"))

    class Meta:
        model = Meeting
        fields = [
            "year", "date_from", "date_to", "series", "country", "organisation", "role", "goal", "framework", "search"
        ]  # fmt: skip

    def filter_framework(self, queryset, name, value):
        # With a goal, the framework only says which goal the number means.
        if self.form.cleaned_data.get("goal"):
            return queryset
        return queryset.filter(paragraphs__passages__goals__framework=value).distinct()

    def filter_search(self, queryset, name, value):
        in_summary = Passage.objects.filter(text__icontains=value).values("paragraph__meeting")
        return queryset.filter(Q(title__icontains=value) | Q(location__icontains=value) | Q(pk__in=in_summary))

    def filter_queryset(self, queryset):
        # A participant and a role together mean the role that participant held, not any role at the
        # meeting; with a country and an organisation, each of them held it.
        data = self.form.cleaned_data
        role = data.get("role")
        queryset = super().filter_queryset(queryset)
        for participant in (data.get("country"), data.get("organisation")):
            if participant and role:
                held = Participation.objects.filter(actor=participant, role=role).values("meeting")
                queryset = queryset.filter(pk__in=held)
        return queryset


class InterventionFilter(django_filters.FilterSet):
    """Interventions by meeting, speaker and voice, priority goal and its provenance, kind, date and words."""

    meeting = SlugFilter(queryset=visible_meetings, field_name="paragraph__meeting", label=_("Meeting (slug)"))
    country = CountryCodeFilter(
        queryset=visible_countries, method="filter_speaker", label=_("Spoken by the country (ISO code)")
    )
    organisation = OrganisationReferenceFilter(
        queryset=visible_organisations,
        method="filter_speaker",
        label=_("Spoken by the organisation (acronym or slug)"),
    )
    voice = django_filters.MultipleChoiceFilter(
        choices=VoiceKind.choices,
        method="filter_nothing",
        label=_("Voice"),
        help_text=_(
            "With country or organisation: its own words (own), its institutions' (institution), its groups'"
            " (group, e.g. EU Member States). Repeat for several; own and institution if none."
        ),
    )
    goal = NumberReferenceFilter(queryset=requested_goals, method="filter_goal", label=_("Priority goal"))
    framework = SlugFilter(
        queryset=CallForAction.objects.all(),
        method="filter_framework",
        label=_("Call for Action"),
        help_text=FRAMEWORK_HELP,
    )
    named = StrictBooleanFilter(
        method="filter_nothing",
        label=_("Named goals only"),
        help_text=_("With goal or framework: only goals the summary names, not those the Secretariat tagged."),
    )
    kind = django_filters.ChoiceFilter(choices=Passage.Kind.choices, label=_("Kind of passage"))
    year = YearFilter(field_name="meeting_date")
    date_from = DayFilter(field_name="meeting_date", lookup_expr="gte", label=_("Meeting on or after"))
    date_to = DayFilter(field_name="meeting_date", lookup_expr="lte", label=_("Meeting on or before"))
    search = WordsFilter(field_name="text", lookup_expr="icontains", label=_("Words in the text"))
    ordering = OrderingFilter(fields=(("meeting_date", "date"),), label=_("Order by"))

    class Meta:
        model = Passage
        fields = [
            "meeting", "country", "organisation", "voice", "goal", "framework", "named", "kind",
            "year", "date_from", "date_to", "search",
        ]  # fmt: skip

    def filter_nothing(self, queryset, name, value):
        """Read by the filters it qualifies (`voice` by country and organisation, `named` by goal)."""
        return queryset

    def filter_speaker(self, queryset, name, value):
        return queryset.spoken_by(value, voices=self.form.cleaned_data.get("voice") or COUNTED_VOICES)

    def _goal_links(self, **condition):
        if self.form.cleaned_data.get("named"):
            condition["provenance"] = PassageGoal.Provenance.NAMED
        return PassageGoal.objects.filter(**condition).values("passage")

    def filter_goal(self, queryset, name, value):
        return queryset.filter(pk__in=self._goal_links(prioritygoal=value))

    def filter_framework(self, queryset, name, value):
        if self.form.cleaned_data.get("goal"):
            return queryset
        return queryset.filter(pk__in=self._goal_links(prioritygoal__framework=value))


class PriorityGoalFilter(django_filters.FilterSet):
    """The goals of one Call for Action: a slug that names none is a 404, a malformed one a 400, as on every list.

    Which goals a request reads without it (2019–2024's) is the view's `goals_named`; this only checks the slug.
    """

    framework = SlugFilter(
        queryset=CallForAction.objects.all(),
        method="filter_framework",
        label=_("Call for Action"),
        help_text=_("The Call for Action whose goals these are (a slug, e.g. 2025-2030); 2019-2024 if none."),
    )

    class Meta:
        model = PriorityGoal
        fields = ["framework"]

    def filter_framework(self, queryset, name, value):
        return queryset.filter(framework=value)


class ParticipationFilter(django_filters.FilterSet):
    """Participations by meeting, actor, role and year."""

    meeting = SlugFilter(queryset=visible_meetings, label=_("Meeting (slug)"))
    country = CountryCodeFilter(queryset=visible_countries, field_name="actor")
    organisation = OrganisationReferenceFilter(queryset=visible_organisations, field_name="actor")
    role = django_filters.ChoiceFilter(choices=Participation.Role.choices, label=_("Role held"))
    year = YearFilter(field_name="meeting_date")
    ordering = OrderingFilter(fields=(("meeting_date", "date"), ("actor__name", "actor")), label=_("Order by"))

    class Meta:
        model = Participation
        fields = ["meeting", "country", "organisation", "role", "year"]


class ActorFilter(django_filters.FilterSet):
    """Actors by meeting attended, region and name; the base of the country and organisation lists."""

    meeting = SlugFilter(queryset=visible_meetings, method="filter_meeting", label=_("Took part in the meeting (slug)"))
    region = SlugFilter(queryset=Region.objects.all(), field_name="regions", label=_("Region (slug)"))
    search = WordsFilter(method="filter_search", label=_("Name, other name or acronym contains"))

    class Meta:
        model = Actor
        fields = ["meeting", "region", "search"]

    def filter_meeting(self, queryset, name, value):
        return queryset.filter(pk__in=value.participations.values("actor"))

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(other_names__icontains=value)
        )


class CountryFilter(ActorFilter):
    """Countries by meeting attended, region and name."""

    ordering = OrderingFilter(fields=(("name", "name"), ("iso_code", "iso_code")), label=_("Order by"))


class OrganisationFilter(ActorFilter):
    """Organisations by meeting attended, type and name."""

    kind = django_filters.ChoiceFilter(
        field_name="organisation_kind", choices=Actor.OrganisationKind.choices, label=_("Type of organisation")
    )
    ordering = OrderingFilter(fields=(("name", "name"), ("short_name", "acronym")), label=_("Order by"))

    class Meta(ActorFilter.Meta):
        fields = ["meeting", "region", "kind", "search"]


class PersonFilter(django_filters.FilterSet):
    """People by name."""

    search = WordsFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))
    ordering = OrderingFilter(fields=(("name", "name"),), label=_("Order by"))

    class Meta:
        model = Person
        fields = ["search"]


# What the HTML lists offer a reader, in this order; the API takes every filter of the FilterSets.
READER_FIELDS = ("year", "date_from", "date_to", "series", "country", "organisation", "role", "goal")
_READER_LABELS = {
    "country": (_("Country"), _("Any country")),
    "organisation": (_("Organisation"), _("Any organisation")),
    "goal": (_("Priority goal"), _("Any goal")),
    "series": (_("Series"), _("Any series")),
    "role": (_("Role held"), _("Any role")),
}


def for_readers(
    filterset: django_filters.FilterSet, fields: tuple[str, ...] = READER_FIELDS, **labels: str
) -> django_filters.FilterSet:
    """A FilterSet's form as a reader's page shows it: plain labels with no colon, "Any country" rather
    than a row of dashes, dates picked from a calendar (YYYY-MM-DD), a year as a number. `labels`
    renames fields for one page ("Country that spoke"); `fields` are those the page offers."""
    form = filterset.form
    form.label_suffix = ""
    for name, field in form.fields.items():
        label, empty = _READER_LABELS.get(name, (None, None))
        if label:
            field.label = label
        if empty and hasattr(field, "empty_label"):
            field.empty_label = empty
        if name == "role":
            field.choices = [("", empty), *[(v, text) for v, text in field.choices if v]]
        if name in ("date_from", "date_to"):
            field.widget.input_type = "date"
            field.help_text = _("For example, 2020-12-02")
        if name == "year":
            field.widget.attrs.update(inputmode="numeric", min=1900, max=2200, placeholder=_("e.g. 2020"))
        if name in labels:
            field.label = labels[name]
    form.reader_fields = [form[name] for name in fields if name in form.fields]
    return filterset


def active_filters(filterset: django_filters.FilterSet) -> int:
    """How many of the reader's filters have a value."""
    data = filterset.data
    return sum(1 for name in READER_FIELDS if name in filterset.form.fields and data.get(name))
