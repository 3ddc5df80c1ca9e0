"""Public pages of meetings and priority goals, and search; everything reads published meetings only."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from actors.models import Actor
from budapest.cache import cached_page

from . import profiles, search
from .charts import passages_chart
from .citations import annotate_meeting_page
from .filters import InterventionFilter, MeetingFilter, active_filters, for_readers
from .models import Meeting, Paragraph, Participation, Passage, PriorityGoal
from .speakers import first_interventions, speaker_index
from .structured_data import meeting_event

INTERVENTIONS_PER_PAGE = 50
SEARCH_RESULTS_PER_PAGE = 20
# The filters that the search page and the goal pages offer, read with the lists' own FilterSets.
SEARCH_FILTERS = ("year", "country", "goal")


def page_or_404(paginator: Paginator, number: str | None):
    """One rule for every list of the site: a page past the end, or a page number that is not one, is
    "Page not found" (404), as Django's own list views answer; no page number is the first page."""
    try:
        return paginator.page(number or 1)
    except InvalidPage:
        raise Http404(_("This list has no page %(number)s.") % {"number": number}) from None


def paginate_interventions(request, passages, count: int | None = None):
    """One page of a list of interventions (a page past the end is a 404, as on every list).

    `count`: how many there are, where the caller has counted them already (the pager need not again).
    """
    paginator = Paginator(passages, INTERVENTIONS_PER_PAGE)
    if count is not None:
        paginator.count = count
    return page_or_404(paginator, request.GET.get("page"))


class PublishedMeetingMixin:
    """Owns the queryset of every meeting page: published meetings only."""

    def get_queryset(self):
        return Meeting.objects.published().select_related("series")


@cached_page("meetings")
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


@cached_page("meetings", "actors")
class MeetingListView(PublishedMeetingMixin, FilterView):
    filterset_class = MeetingFilter
    template_name_suffix = "_list"
    paginate_by = 20
    strict = True

    def get_queryset(self):
        return super().get_queryset().with_country_count().order_by("-start_date", "title")

    def get_filterset(self, filterset_class):
        return for_readers(super().get_filterset(filterset_class))

    def get_context_data(self, **kwargs):
        return super().get_context_data(active_filters=active_filters(self.filterset), **kwargs)


@cached_page("meeting:{slug}")
class MeetingDetailView(PublishedMeetingMixin, DetailView):
    """A meeting's page. Staff preview drafts here; a withdrawn meeting's address says it was withdrawn."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            withdrawn = Meeting.objects.withdrawn().filter(slug=kwargs["slug"]).first()
            if withdrawn is None:
                raise
            return TemplateResponse(request, "meetings/meeting_withdrawn.html", {"meeting": withdrawn}, status=410)

    def get_queryset(self):
        passages = Passage.objects.select_related("official__person", "official__actor__parent").prefetch_related(
            Prefetch("speakers", queryset=Actor.objects.select_related("parent")), "goals"
        )
        return (
            Meeting.objects.visible_to(self.request.user)
            .with_publicity()
            .select_related("series")
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
        countries = [p for p in participations if p.actor.kind == Actor.Kind.COUNTRY]
        organisations = [p for p in participations if p.actor.kind == Actor.Kind.ORGANISATION]
        meeting = self.object
        page_url = self.request.build_absolute_uri(meeting.get_absolute_url())
        description = meeting_description(meeting, len(countries), len(organisations))
        meeting_citation = annotate_meeting_page(meeting, page_url)
        speakers = speaker_index(meeting)
        organisers = [
            p.actor
            for p in by_role[Participation.Role.CHAIR]
            + by_role[Participation.Role.CO_CHAIR]
            + by_role[Participation.Role.SECRETARIAT]
        ]
        return super().get_context_data(
            chairs=by_role[Participation.Role.CHAIR],
            co_chairs=by_role[Participation.Role.CO_CHAIR],
            secretariat=by_role[Participation.Role.SECRETARIAT],
            countries=countries,
            organisations=organisations,
            officials=list(officials.values()),
            speakers=speakers,
            meeting_citation=meeting_citation,
            publisher=meeting_citation["publisher"],
            corrected_at=corrected_at(meeting),
            spoke_at=first_interventions(speakers),
            is_public=meeting.public_now,
            page_url=page_url,
            description=description,
            event=meeting_event(
                meeting,
                url=page_url,
                description=description,
                organisers=organisers,
                absolute=self.request.build_absolute_uri,
            ),
            **kwargs,
        )


def corrected_at(meeting: Meeting):
    """When a published meeting was last changed, if on a later day than its publication; else None."""
    if meeting.published_at and meeting.updated_at.date() > meeting.published_at.date():
        return meeting.updated_at
    return None


def meeting_description(meeting: Meeting, country_count: int, organisation_count: int) -> str:
    """One sentence for search engines and link previews."""
    where = meeting.location if meeting.location else meeting.get_format_display().lower()
    return _(
        "Summary of the %(title)s of the Budapest Process, %(date)s, %(where)s: what %(countries)s and "
        "%(organisations)s said, paragraph by paragraph."
    ) % {
        "title": meeting.title,
        "date": date_format(meeting.start_date, "j F Y"),
        "where": where,
        "countries": ngettext("%(count)d country", "%(count)d countries", country_count) % {"count": country_count},
        "organisations": ngettext("%(count)d organisation", "%(count)d organisations", organisation_count)
        % {"count": organisation_count},
    }


def _filter_data(request) -> dict:
    """The search filters of a request, and nothing else, for the lists' FilterSets."""
    return {name: request.GET.get(name, "") for name in SEARCH_FILTERS}


@cached_page()
class AboutView(TemplateView):
    """About these records: who keeps them, how a summary becomes data, what the counts mean."""

    template_name = "about.html"


@cached_page("passages")
class PriorityGoalListView(ListView):
    model = PriorityGoal

    def get_queryset(self):
        return PriorityGoal.objects.with_intervention_count()


@cached_page("goal:{number}", "actors")
class PriorityGoalDetailView(DetailView):
    """A goal: the passages that name it, by country and by year, filterable by country and year."""

    model = PriorityGoal
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_context_data(self, **kwargs):
        goal_passages = Passage.objects.published().filter(goals=self.object)
        data = _filter_data(self.request)
        data.pop("goal")
        filterset = for_readers(
            InterventionFilter(data, queryset=goal_passages, request=self.request),
            fields=("country", "year"),
            country=_("Country that spoke"),
        )
        passages = filterset.qs.for_listing() if filterset.is_valid() else goal_passages.none()
        by_year = profiles.year_counts(goal_passages)
        filtered = any(data.values())
        # Unfiltered, the pager's count is the sum of the years' counts, not another query.
        count = None if filtered else sum(row["count"] for row in by_year)
        page = paginate_interventions(self.request, passages, count=count)
        return super().get_context_data(
            page_obj=page,
            passages=page.object_list,
            filter=filterset,
            filtered=filtered,
            active_filters=sum(1 for value in data.values() if value),
            by_country=profiles.countries_addressing(goal_passages),
            by_year=by_year,
            year_chart=passages_chart(
                _("Passages naming this goal, by year"), [(str(row["year"]), row["count"]) for row in by_year]
            ),
            **kwargs,
        )


@cached_page("passages", "meetings", "actors")
class GoalMatrixView(TemplateView):
    """Who addressed what: every country that took part, against the six priority goals."""

    template_name = "meetings/goal_matrix.html"

    def get_context_data(self, **kwargs):
        goals = list(PriorityGoal.objects.all())
        return super().get_context_data(goals=goals, rows=profiles.goal_matrix(goals), **kwargs)


@cached_page("passages", "meetings", "actors", "people")
class SearchView(TemplateView):
    """Search meetings, paragraphs, interventions, countries, organisations and people.

    Odd input (nothing, only punctuation, control characters, thousands of characters, filters that
    name nothing) gets a page that says what to do, never an error.
    """

    template_name = "meetings/search.html"

    def get_context_data(self, **kwargs):
        request = self.request
        query = search.parse_query(request.GET.get("q"))
        data = _filter_data(request)
        filtered = any(data.values())
        passage_filter = for_readers(
            InterventionFilter(data, queryset=Passage.objects.published(), request=request),
            fields=SEARCH_FILTERS,
            country=_("Country that spoke"),
        )
        meeting_filter = MeetingFilter(
            data,
            queryset=Meeting.objects.published().select_related("series").with_country_count(),
            request=request,
        )
        context = {
            "query": query,
            "filter": passage_filter,
            "filtered": filtered,
            "active_filters": sum(1 for value in data.values() if value),
            "clear_filters_url": reverse("meetings:search")
            + (f"?{urlencode({'q': query.text})}" if query.text else ""),
            "filters_valid": passage_filter.is_valid() and meeting_filter.is_valid(),
            "search_mode": query.has_words,
            "full_text": search.uses_full_text_search(),
        }
        if context["filters_valid"] and (query.has_words or filtered):
            passages = passage_filter.qs.for_listing()
            if query.has_words:
                passages = search.search_passages(passages, query)
                context["meetings"] = list(search.search_meetings(meeting_filter.qs, query)[:10])
                context["actors"] = list(search.search_actors(query)[:12])
                context["people"] = list(
                    search.search_people(query).prefetch_related(
                        Prefetch("positions", queryset=search.spoken_positions().select_related("actor__parent"))
                    )[:12]
                )
            page = page_or_404(search.CappedPaginator(passages, SEARCH_RESULTS_PER_PAGE), request.GET.get("page"))
            for passage in page.object_list:
                passage.snippet = search.snippet(passage, query) if query.has_words else None
            context.update(searched=True, page_obj=page, passages=page.object_list)
        return super().get_context_data(**context, **kwargs)
