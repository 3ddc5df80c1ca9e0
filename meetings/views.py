"""Public pages of meetings and priority goals, and search; everything reads published meetings only."""

import copy
import hashlib
import re

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from actors.languages import reading_language
from actors.models import Actor
from budapest.downloads import content_disposition
from budapest.filters import whole_number
from budapest.fragments import per_generation, stored_parts

from . import profiles, search
from .charts import counts_chart
from .citations import annotate_meeting_page
from .filters import InterventionFilter, MeetingFilter, active_filters, for_readers
from .goals import framework_named, legacy_framework
from .markup import footnote_references
from .models import (
    CallForAction,
    Document,
    GoalCorrespondence,
    Meeting,
    MeetingSeries,
    Paragraph,
    Participation,
    Passage,
    PassageGoal,
    PriorityGoal,
    can_preview,
    published_meeting,
)
from .publication import visible_adoption, withdrawn_from_public
from .speakers import first_interventions, speaker_index
from .structured_data import meeting_event
from .translations import page_translation, with_translated_title

INTERVENTIONS_PER_PAGE = 50
SEARCH_RESULTS_PER_PAGE = 20
# The filters that the search page and the goal pages offer, read with the lists' own FilterSets.
SEARCH_FILTERS = ("year", "country", "goal")


def page_or_404(paginator: Paginator, number: str | None):
    """One rule for every list of the site: a page past the end, or a page number that is not one, is
    "Page not found" (404), as Django's own list views answer; no page number is the first page.

    A page number is a whole number in ASCII digits (``whole_number``, as the API's): not "last", and not
    "١٢" or " +1", which Django's paginator reads with int() as 12 and 1.
    """
    page = whole_number(number) if number else 1
    try:
        if page is None:
            raise InvalidPage
        return paginator.page(page)
    except InvalidPage:
        raise Http404(_("This list has no page %(number)s.") % {"number": (number or "")[:20]}) from None


class PageOr404Mixin:
    """A list view (ListView, FilterView) whose pages follow page_or_404, the one rule of every list."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = page_or_404(paginator, self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


# A query string a stored part may be kept for: each parameter once, in its one spelling ("3", not "03").
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
ONE = re.compile("1")  # ?named=1, the spelling of the goals' own links


def storable(request: HttpRequest, **spellings: re.Pattern) -> bool:
    """Whether a page's stored parts may serve this request: a reader who may not preview (staff who may are
    shown what the public may not), and no query parameter but `page` and those of `spellings`, each once
    and spelt as its pattern says. The pager's links carry the whole query string, so any other spelling
    is rendered afresh rather than stored as a part of its own."""
    patterns = {"page": PAGE_NUMBER, **spellings}
    if can_preview(request.user) or not set(request.GET) <= set(patterns):
        return False
    return all(len(values) == 1 and patterns[name].fullmatch(values[0]) for name, values in request.GET.lists())


def paginate_interventions(request, passages, count: int | None = None):
    """One page of a list of interventions (a page past the end is a 404, as on every list).

    `count`: how many there are, where the caller has counted them already (the pager need not again).
    """
    paginator = Paginator(passages, INTERVENTIONS_PER_PAGE)
    if count is not None:
        paginator.count = count
    return page_or_404(paginator, request.GET.get("page"))


class KeptPerChangeMixin:
    """A detail page's record, for the public, read once per change of the content as the page's stored parts
    are (`per_generation`): a page from stored parts asks the database nothing. Staff who preview read it at
    each request (a draft's too). An address that names no public record is kept nowhere (a 404 each time)."""

    def get_object(self, queryset=None):
        if can_preview(self.request.user):
            return super().get_object(queryset)
        # The view and its address's values (a slug: as long as a client makes it), as a cache key may be.
        address = repr((type(self).__name__, sorted(self.kwargs.items()))).encode()
        name = f"page-record:{hashlib.blake2b(address, digest_size=16).hexdigest()}"
        found = per_generation(name, lambda: self._public_or_none(queryset))
        if found is None:
            raise Http404("No public record at this address.")
        # Each request its own copy, onto which the page's parts prefetch and annotate. A shallow one (Django
        # gives it its own fields and cache of related rows): the kept row must be read without prefetches.
        return copy.copy(found)

    def _public_or_none(self, queryset):
        try:
            return super().get_object(queryset)
        except Http404:
            return None


class PublishedMeetingMixin:
    """Owns the queryset of every meeting page: published meetings only."""

    def get_queryset(self):
        return Meeting.objects.published().select_related("series")


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        published = with_translated_title(
            Meeting.objects.published().select_related("series").with_country_count().order_by("-start_date"),
            reading_language(),
        )
        return super().get_context_data(
            latest_meetings=published.past()[:5],
            upcoming_meetings=published.upcoming().order_by("start_date")[:5],
            goals=PriorityGoal.objects.filter(framework=legacy_framework()).select_related("framework"),
            frameworks=CallForAction.objects.prefetch_related("goals__framework"),
            **kwargs,
        )


class MeetingListView(PageOr404Mixin, PublishedMeetingMixin, FilterView):
    filterset_class = MeetingFilter
    template_name_suffix = "_list"
    paginate_by = 20
    strict = True

    def get_queryset(self):
        meetings = super().get_queryset().with_country_count().order_by("-start_date", "title")
        return with_translated_title(meetings, reading_language())

    def get_filterset(self, filterset_class):
        return for_readers(super().get_filterset(filterset_class))

    def get_context_data(self, **kwargs):
        return super().get_context_data(active_filters=active_filters(self.filterset), **kwargs)


class MeetingDetailView(KeptPerChangeMixin, PublishedMeetingMixin, DetailView):
    """A meeting's page. Staff preview drafts here; a withdrawn meeting's address says it was withdrawn."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            withdrawn = withdrawn_from_public().filter(slug=kwargs["slug"]).first()
            if withdrawn is None:
                raise
            return TemplateResponse(request, "meetings/meeting_withdrawn.html", {"meeting": withdrawn}, status=410)

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).with_publicity().select_related("series")

    def get_context_data(self, **kwargs):
        meeting = self.object
        page_url = self.request.build_absolute_uri(meeting.get_absolute_url())
        preview = can_preview(self.request.user) and self.request.GET.get("translation") == "draft"
        # The page's costly parts are rendered once per change (budapest.fragments); a draft, a scheduled
        # meeting and a draft translation's preview are rendered afresh at every request, and never stored.
        return super().get_context_data(
            is_public=meeting.public_now,
            page_url=page_url,
            **stored_parts(
                lambda: self.parts(meeting, page_url, preview=preview), storable=meeting.public_now and not preview
            ),
            **kwargs,
        )

    def parts(self, meeting: Meeting, page_url: str, *, preview: bool) -> dict:
        """What the page's parts show: the meeting's summary, participants and documents, prefetched."""
        passages = Passage.objects.select_related("official__person", "official__actor__parent").prefetch_related(
            Prefetch("speakers", queryset=Actor.objects.select_related("parent")),
            Prefetch("goal_links", queryset=PassageGoal.objects.select_related("prioritygoal__framework")),
        )
        prefetch_related_objects(
            [meeting],
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor", "represented_by").order_by("actor__name"),
            ),
            Prefetch(
                "paragraphs", queryset=Paragraph.objects.prefetch_related(Prefetch("passages", queryset=passages))
            ),
            "footnotes",
            Prefetch("documents", queryset=Document.objects.order_by("kind", "title")),
        )
        absolute = self.request.build_absolute_uri
        by_role = meeting.participations_by_role()
        description = meeting.description()
        meeting_citation = annotate_meeting_page(meeting, page_url)
        speakers = speaker_index(meeting)
        translated = page_translation(meeting, reading_language(), draft=preview)
        _link_footnotes_back(meeting)
        frameworks_adopted, frameworks_goals_set = meeting.calls_for_action()
        return {
            "frameworks_adopted": frameworks_adopted,
            "frameworks_goals_set": frameworks_goals_set,
            "translated": translated,
            "chairs": by_role[Participation.Role.CHAIR],
            "co_chairs": by_role[Participation.Role.CO_CHAIR],
            "secretariat": by_role[Participation.Role.SECRETARIAT],
            "other_roles": meeting.participations_in_other_roles(),
            "documents": list(meeting.documents.all()),
            "countries": meeting.participations_of(Actor.Kind.COUNTRY),
            "organisations": meeting.participations_of(Actor.Kind.ORGANISATION),
            "officials": meeting.officials(),
            "speakers": speakers,
            "meeting_citation": meeting_citation,
            "publisher": meeting_citation["publisher"],
            "corrected_at": corrected_at(meeting),
            "spoke_at": first_interventions(speakers),
            "description": description,
            "event": meeting_event(
                meeting, url=page_url, description=description, organisers=meeting.organisers(), absolute=absolute
            ),
        }


def corrected_at(meeting: Meeting):
    """When a published meeting was last changed, if on a later day than its publication; else None."""
    if meeting.published_at and meeting.updated_at.date() > meeting.published_at.date():
        return meeting.updated_at
    return None


def _filter_data(request) -> dict:
    """The search filters of a request, and nothing else, for the lists' FilterSets."""
    return {name: request.GET.get(name, "") for name in SEARCH_FILTERS}


class AboutView(TemplateView):
    """About these records: who keeps them, how a summary becomes data, what the counts mean."""

    template_name = "about.html"


def _framework_or_404(kwargs) -> CallForAction:
    """The Call for Action an address names (`/priority-goals/2025-2030/…`), or 2019–2024's without one."""
    framework = framework_named(kwargs.get("framework"))
    if framework is None:
        raise Http404(_("No such Call for Action."))
    return framework


class PriorityGoalListView(ListView):
    """Every Call for Action with its goals, how many published passages are about each, and what carries over."""

    model = PriorityGoal

    def get_queryset(self):
        return (
            PriorityGoal.objects.with_intervention_count()
            .select_related("framework")
            .prefetch_related(
                visible_adoption(self.request, "framework__adopted_at"),
                "carried_over_from__framework",
                "carried_over_to__framework",
            )
            .order_by("framework__start_date", "number")
        )

    def get_context_data(self, **kwargs):
        # Its content a stored part, as a goal's page: counting each goal's passages reads every tag of it.
        return super().get_context_data(**stored_parts(self.parts, storable=storable(self.request)), **kwargs)

    def parts(self) -> dict:
        frameworks: dict[int, tuple[CallForAction, list[PriorityGoal]]] = {}
        for goal in self.object_list:
            frameworks.setdefault(goal.framework_id, (goal.framework, []))[1].append(goal)
        return {"frameworks": list(frameworks.values())}


def _named_only(request: HttpRequest) -> bool:
    """`?named=1` on a goal's page or the matrix: count the goals a summary names, not those tagged too."""
    return request.GET.get("named") in ("1", "true", "on")


def _correspondences():
    return GoalCorrespondence.objects.select_related("earlier__framework", "later__framework")


class PriorityGoalDetailView(DetailView):
    """A goal: the passages about it (named or tagged, or named only), by country and by year.

    Below its title, a stored part (budapest.fragments), as a country's profile is: built only when it is
    rendered (`parts`), kept per page of passages and `?named=1`.
    """

    model = PriorityGoal

    def get_object(self, queryset=None):
        framework = _framework_or_404(self.kwargs)
        return get_object_or_404(
            PriorityGoal.objects.select_related("framework").prefetch_related(
                Prefetch("correspondences_back", queryset=_correspondences()),
                Prefetch("correspondences_on", queryset=_correspondences()),
            ),
            framework=framework,
            number=self.kwargs["number"],
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.object.framework.is_legacy and "framework" in kwargs:
            # One address per goal: /priority-goals/2019-2024/3/ is /priority-goals/3/.
            query = request.META.get("QUERY_STRING", "")
            return redirect(self.object.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
        return response

    def get_context_data(self, **kwargs):
        named_only = _named_only(self.request)
        return super().get_context_data(
            page_number=self.request.GET.get("page"),
            named_only=named_only,
            # Stored for the goal's own address, a page of it and `?named=1`; with filters, rendered afresh.
            **stored_parts(lambda: self.parts(named_only), storable=storable(self.request, named=ONE)),
            **kwargs,
        )

    def parts(self, named_only: bool) -> dict:
        """What the goal's page shows below its title: its counts, by country and by year, and its passages."""
        about = {"goal_links__prioritygoal": self.object}
        if named_only:
            about["goal_links__provenance"] = PassageGoal.Provenance.NAMED
        goal_passages = Passage.objects.published().filter(**about)
        data = _filter_data(self.request)
        data.pop("goal")
        filterset = for_readers(
            InterventionFilter(data, queryset=goal_passages, request=self.request),
            fields=("country", "year"),
            country=_("Country that spoke"),
        )
        passages = filterset.qs.for_listing() if filterset.is_valid() else goal_passages.none()
        # The goal's counts are the same for every reader and every filter of the list below them: counted
        # once per change of the content (a goal of 2025–2030 at 10,000 meetings: 280 ms of queries).
        counted = f"goal-counts:{self.object.pk}:{int(named_only)}"
        by_year = per_generation(f"{counted}:years", lambda: profiles.year_counts(goal_passages))
        by_country = per_generation(
            f"{counted}:countries", lambda: profiles.countries_addressing(goal_passages.statements())
        )
        filtered = any(data.values())
        # Unfiltered, the pager's count is the sum of the years' counts, not another query.
        count = None if filtered else sum(row["count"] for row in by_year)
        page = paginate_interventions(self.request, passages, count=count)
        return {
            "page_obj": page,
            "passages": page.object_list,
            "filter": filterset,
            "filtered": filtered,
            "active_filters": sum(1 for value in data.values() if value),
            "by_country": by_country,
            "by_year": by_year,
            "year_chart": counts_chart(
                _("Passages about this goal, by year"),
                [(str(row["year"]), row["count"]) for row in by_year],
                counting="passages",
            ),
        }


class GoalMatrixView(TemplateView):
    """Who addressed what: every country that took part, against the goals of one Call for Action."""

    template_name = "meetings/goal_matrix.html"

    def get_context_data(self, **kwargs):
        framework = _framework_or_404(self.kwargs)
        named_only = _named_only(self.request)
        kwargs.pop("framework", None)  # the URL's slug; the context holds the record
        return super().get_context_data(
            framework=framework,
            named_only=named_only,
            # Its content a stored part, as a goal's page: each cell counts a country's passages about a goal.
            **stored_parts(lambda: self.parts(framework, named_only), storable=storable(self.request, named=ONE)),
            **kwargs,
        )

    def parts(self, framework: CallForAction, named_only: bool) -> dict:
        goals = list(framework.goals.select_related("framework").order_by("number"))
        return {
            "frameworks": list(CallForAction.objects.all()),
            "goals": goals,
            "rows": profiles.goal_matrix(goals, named_only=named_only),
        }


class SeriesListView(ListView):
    """The kinds of meeting of the dialogue that a public meeting belongs to, each with its number of them."""

    model = MeetingSeries

    def get_queryset(self):
        return (
            Meeting.objects.published()
            .series()
            .annotate(meeting_count=Count("meetings", filter=published_meeting("meetings__")))
            .order_by("name")
        )


class SeriesDetailView(DetailView):
    """A series: its published meetings, numbered where the dialogue numbers them, newest first."""

    model = MeetingSeries

    def get_queryset(self):
        # A series that only drafts belong to is not public (the one publication rule).
        return MeetingSeries.objects.all() if can_preview(self.request.user) else Meeting.objects.published().series()

    def get_context_data(self, **kwargs):
        meetings = (
            Meeting.objects.published()
            .filter(series=self.object)
            .select_related("series")
            .with_country_count()
            .prefetch_related("adopted_frameworks")
            .order_by("-start_date", "title")
        )
        page = page_or_404(Paginator(meetings, 50), self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, meetings=page.object_list, **kwargs)


def document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A meeting's document, as a download that no browser runs as a page of this site.

    Public only while its meeting is (`Document.objects.public()`); staff who preview drafts see drafts'.
    Never cached by the page cache: the file is not a page, and it leaves with its meeting.
    """
    documents = Document.objects.all() if can_preview(request.user) else Document.objects.public()
    doc = get_object_or_404(documents.select_related("meeting"), pk=pk, meeting__slug=slug)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing.")) from missing
    response = FileResponse(handle, content_type=doc.content_type)
    response["Content-Disposition"] = content_disposition(doc.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if not doc.meeting.is_public else "public, max-age=3600"
    return response


def _link_footnotes_back(meeting: Meeting) -> None:
    """Each footnote's `backlink`: the anchor of the first passage that refers to it, for a link back to the text."""
    first: dict[str, str] = {}
    for paragraph in meeting.paragraphs.all():
        for passage in paragraph.passages.all():
            for anchor in footnote_references(passage.text):
                first.setdefault(anchor, passage.anchor)
    for footnote in meeting.footnotes.all():
        footnote.backlink = first.get(footnote.anchor, "")  # type: ignore[attr-defined]  # for the template


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
        meetings = Meeting.objects.published().select_related("series").with_country_count()
        meetings_valid = True
        # Without a filter set, the meetings' FilterSet would filter nothing: its form (choices of countries,
        # organisations, series and goals) is not built.
        if filtered:
            meeting_filter = MeetingFilter(data, queryset=meetings, request=request)
            meetings_valid, meetings = meeting_filter.is_valid(), meeting_filter.qs
        context = {
            "query": query,
            "filter": passage_filter,
            "filtered": filtered,
            "active_filters": sum(1 for value in data.values() if value),
            "clear_filters_url": reverse("meetings:search")
            + (f"?{urlencode({'q': query.text})}" if query.text else ""),
            "filters_valid": passage_filter.is_valid() and meetings_valid,
            "search_mode": query.has_words,
            "full_text": search.uses_full_text_search(),
        }
        if context["filters_valid"] and (query.has_words or filtered):
            passages = passage_filter.qs.for_listing()
            language = reading_language()
            if query.has_words:
                passages = search.search_passages(passages, query, language)
                meetings = with_translated_title(meetings, language)
                context["meetings"] = list(search.search_meetings(meetings, query, language)[:10])
                context["actors"] = list(search.search_actors(query)[:12])
                context["documents"] = list(
                    search.search_documents(Document.objects.public().select_related("meeting"), query)[:10]
                )
                context["people"] = list(
                    search.search_people(query).prefetch_related(
                        Prefetch("positions", queryset=search.spoken_positions().select_related("actor__parent"))
                    )[:12]
                )
            page = page_or_404(search.CappedPaginator(passages, SEARCH_RESULTS_PER_PAGE), request.GET.get("page"))
            for passage in page.object_list:
                passage.snippet = search.snippet(passage, query) if query.has_words else None
                # English words on a page in another language say so (lang="en"): never passed off as translated.
                passage.snippet_lang = (
                    settings.LANGUAGE_CODE
                    if language != settings.LANGUAGE_CODE and not getattr(passage, "translated_text", None)
                    else None
                )
            context.update(searched=True, page_obj=page, passages=page.object_list)
        return super().get_context_data(**context, **kwargs)
