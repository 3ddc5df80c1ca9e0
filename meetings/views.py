"""Public pages of meetings and priority goals; everything reads through Meeting.objects.published()."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from actors.models import Actor

from .filters import MeetingFilter
from .models import Meeting, Paragraph, Participation, Passage, PriorityGoal

INTERVENTIONS_PER_PAGE = 50


def paginate_interventions(request, passages):
    """One page of a list of interventions; a page number out of range gives the last page, never an error."""
    return Paginator(passages, INTERVENTIONS_PER_PAGE).get_page(request.GET.get("page"))


class PublishedMeetingMixin:
    """Owns the queryset of every meeting page: published meetings only."""

    def get_queryset(self):
        return Meeting.objects.published().select_related("series")


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        published = Meeting.objects.published().select_related("series").with_country_count().order_by("-start_date")
        return super().get_context_data(
            latest_meetings=published.past()[:5],
            upcoming_meetings=published.upcoming().order_by("start_date")[:5],
            goals=PriorityGoal.objects.all(),
            **kwargs,
        )


class MeetingListView(PublishedMeetingMixin, FilterView):
    filterset_class = MeetingFilter
    template_name_suffix = "_list"
    paginate_by = 20
    strict = True

    def get_queryset(self):
        return super().get_queryset().with_country_count().order_by("-start_date", "title")


class MeetingDetailView(PublishedMeetingMixin, DetailView):
    def get_queryset(self):
        passages = Passage.objects.select_related("official__person", "official__actor__parent").prefetch_related(
            Prefetch("speakers", queryset=Actor.objects.select_related("parent")), "goals"
        )
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("actor", "represented_by").order_by("actor__name"),
                ),
                Prefetch(
                    "paragraphs", queryset=Paragraph.objects.prefetch_related(Prefetch("passages", queryset=passages))
                ),
                "footnotes",
            )
        )

    def get_context_data(self, **kwargs):
        participations = list(self.object.participations.all())
        by_role = {role: [p for p in participations if p.role == role] for role in Participation.Role.values}
        officials = {}
        for paragraph in self.object.paragraphs.all():
            for passage in paragraph.passages.all():
                if passage.official_id:
                    officials.setdefault(passage.official_id, passage.official)
        return super().get_context_data(
            chairs=by_role[Participation.Role.CHAIR],
            co_chairs=by_role[Participation.Role.CO_CHAIR],
            secretariat=by_role[Participation.Role.SECRETARIAT],
            countries=[p for p in participations if p.actor.kind == Actor.Kind.COUNTRY],
            organisations=[p for p in participations if p.actor.kind == Actor.Kind.ORGANISATION],
            officials=list(officials.values()),
            **kwargs,
        )


class PriorityGoalListView(ListView):
    model = PriorityGoal

    def get_queryset(self):
        published = Q(
            passages__paragraph__meeting__status=Meeting.Status.PUBLISHED,
            passages__paragraph__meeting__published_at__lte=timezone.now(),
        )
        return PriorityGoal.objects.annotate(intervention_count=Count("passages", filter=published, distinct=True))


class PriorityGoalDetailView(DetailView):
    model = PriorityGoal
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_context_data(self, **kwargs):
        page = paginate_interventions(self.request, Passage.objects.published().filter(goals=self.object).for_listing())
        return super().get_context_data(page_obj=page, passages=page.object_list, **kwargs)
