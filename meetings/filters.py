"""One FilterSet per list, shared by the HTML lists and the partner API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actors.models import Actor

from .models import Meeting, MeetingSeries, Participation, PriorityGoal


class MeetingFilter(django_filters.FilterSet):
    """Meetings by year, series, participant, role held and priority goal discussed."""

    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", label=_("Year"), min_value=1900, max_value=2200
    )
    series = django_filters.ModelChoiceFilter(
        queryset=MeetingSeries.objects.all(), to_field_name="slug", label=_("Series"), empty_label=_("All series")
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.countries(),
        to_field_name="iso_code",
        field_name="participations__actor",
        label=_("Country (ISO code)"),
        distinct=True,
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.organisations(),
        to_field_name="slug",
        field_name="participations__actor",
        label=_("Organisation"),
        distinct=True,
    )
    role = django_filters.ChoiceFilter(
        choices=Participation.Role.choices, field_name="participations__role", label=_("Role held"), distinct=True
    )
    goal = django_filters.ModelChoiceFilter(
        queryset=PriorityGoal.objects.all(),
        to_field_name="number",
        field_name="paragraphs__passages__goals",
        label=_("Priority goal"),
        distinct=True,
    )

    class Meta:
        model = Meeting
        fields = ["year", "series", "country", "organisation", "role", "goal"]
