"""Public pages of countries and organisations: who attended what, in which role, and said what."""

from django.db.models import Count, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView

from meetings.models import Meeting, Participation, Passage
from meetings.views import paginate_interventions

from .models import Actor, Region


def _published_participations_filter():
    return Q(
        participations__meeting__status=Meeting.Status.PUBLISHED,
        participations__meeting__published_at__lte=timezone.now(),
    )


class ActorKindMixin:
    """Owns the queryset of a page kind: countries or organisations, with their published meeting count."""

    kind: str

    def get_queryset(self):
        return Actor.objects.filter(kind=self.kind).annotate(
            meeting_count=Count("participations", filter=_published_participations_filter(), distinct=True)
        )


class ActorDetailView(ActorKindMixin, DetailView):
    context_object_name = "actor"

    def get_context_data(self, **kwargs):
        actor = self.object
        participations = (
            Participation.objects.filter(actor=actor, meeting__in=Meeting.objects.published())
            .select_related("meeting", "represented_by")
            .order_by("-meeting__start_date")
        )
        # An actor speaks through itself, its institutions (a ministry) and the groups it belongs to.
        voices = Q(speakers=actor) | Q(speakers__parent=actor) | Q(speakers__members=actor)
        interventions = Passage.objects.published().filter(voices).distinct().for_listing()
        page = paginate_interventions(self.request, interventions)
        return super().get_context_data(
            participations=participations,
            page_obj=page,
            interventions=page.object_list,
            institutions=actor.institutions.all(),
            groups=actor.member_of.all(),
            **kwargs,
        )


class CountryListView(ActorKindMixin, ListView):
    kind = Actor.Kind.COUNTRY
    template_name = "actors/country_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("regions")

    def get_context_data(self, **kwargs):
        countries = list(self.object_list)
        regions = [
            (region, [c for c in countries if region in c.regions.all()])
            for region in Region.objects.filter(actors__kind=Actor.Kind.COUNTRY).distinct()
        ]
        others = [c for c in countries if not c.regions.all()]
        return super().get_context_data(regions=regions, other_countries=others, **kwargs)


class CountryDetailView(ActorDetailView):
    kind = Actor.Kind.COUNTRY
    template_name = "actors/country_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("regions")


class OrganisationListView(ActorKindMixin, ListView):
    kind = Actor.Kind.ORGANISATION
    template_name = "actors/organisation_list.html"


class OrganisationDetailView(ActorDetailView):
    kind = Actor.Kind.ORGANISATION
    template_name = "actors/organisation_detail.html"
