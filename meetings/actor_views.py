"""Public pages of countries and organisations: who attended what, in which role, and said what.

One set of views serves both kinds; the URLs give the kind (``actor_urls``). What a page shows comes
from ``profiles`` (attendance, voices, counts) and ``charts``; a view selects and hands over.
"""

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from actors.models import Actor
from budapest.fragments import stored_parts
from budapest.spreadsheets import csv_response

from . import profiles
from .charts import counts_chart
from .markup import strip_markup
from .publication import published_meeting_counts, visible_actors
from .views import KeptPerChangeMixin, paginate_interventions, storable

# The list a page of each kind belongs to, for its breadcrumbs.
LISTS = {
    Actor.Kind.COUNTRY: ("actors:country-list", gettext_lazy("Countries")),
    Actor.Kind.ORGANISATION: ("actors:organisation-list", gettext_lazy("Organisations")),
}


class ActorKindMixin:
    """Owns the queryset of a page kind, given by the URL: the countries or organisations a reader may see."""

    def get_queryset(self):
        return visible_actors(self.request).filter(kind=self.kwargs["kind"])


class ActorListMixin(ActorKindMixin):
    """A list of countries or organisations, each with its number of published meetings (`meeting_count`)."""

    def get_context_data(self, **kwargs):
        counts = published_meeting_counts()
        for actor in self.object_list:  # the list the page shows: its queryset's own results
            actor.meeting_count = counts.get(actor.pk, 0)
        return super().get_context_data(**kwargs)


class ActorDetailView(KeptPerChangeMixin, ActorKindMixin, DetailView):
    """A profile: attendance, roles held, interventions over time and by priority goal, and every intervention.

    Its content is a stored part (budapest.fragments), kept per page address and page of interventions
    (`?page=`); what it shows is built only when it is rendered (`parts`). A page past the end is a 404
    raised there: never stored, so a stored part is always a page that exists in its generation.
    """

    context_object_name = "actor"
    template_name = "actors/actor_detail.html"

    def get_context_data(self, **kwargs):
        actor = self.object
        page_url = self.request.build_absolute_uri(actor.get_absolute_url())
        list_url, list_label = LISTS[actor.kind]
        return super().get_context_data(
            page_url=page_url,
            page_number=self.request.GET.get("page"),
            # Staff who preview may read a profile only drafts name: rendered afresh, stored nowhere. The
            # pager's links carry the whole query string: a page with any other parameter is not stored.
            **stored_parts(lambda: self.parts(actor), storable=storable(self.request)),
            list_url=reverse(list_url),
            list_label=list_label,
            **kwargs,
        )

    def parts(self, actor: Actor) -> dict:
        """What the profile's content shows: its voices, meetings, counts, charts and page of interventions."""
        prefetch_related_objects([actor], "regions")
        institutions, groups = profiles.voices(actor)
        # Its interventions: statements in its own voice or its institutions'. A group's line is shown
        # and counted apart; the Chair's procedure is not an intervention.
        interventions = profiles.interventions_of(actor, voices=[actor, *institutions])
        group_statements = profiles.interventions_of(actor, voices=groups) if groups else None
        counted = profiles.spoken_counts([actor, *institutions])
        years = counted["years"]
        frameworks = profiles.goal_counts_by_framework(counted["goals"])
        goals = next((goals for framework, goals in frameworks if framework.is_legacy), [])
        # Every intervention has a year: the pager's count is the sum of the years', not another query.
        page = paginate_interventions(self.request, interventions.for_listing(), count=sum(r["count"] for r in years))
        return {
            **profiles.attendance(actor),
            "page_obj": page,
            "interventions": page.object_list,
            "institutions": institutions,
            "groups": groups,
            "group_interventions": list(group_statements.for_listing()[:20]) if group_statements is not None else [],
            "group_intervention_count": group_statements.count() if group_statements is not None else 0,
            "procedure_count": counted["procedure"],
            "goal_counts": goals,
            # Only the Calls for Action it addressed: with none, the profile says so rather than leaving the
            # heading and its explanation over nothing.
            "goal_frameworks": [
                (framework, addressed) for framework, rows in frameworks if (addressed := [g for g in rows if g.count])
            ],
            "goal_chart": counts_chart(
                _("Interventions of %(name)s by priority goal") % {"name": actor.name},
                [(_("Goal %(number)d") % {"number": goal.number}, goal.count) for goal in goals],
            ),
            "year_counts": years,
            "year_chart": counts_chart(
                _("Interventions of %(name)s by year") % {"name": actor.name},
                [(str(row["year"]), row["count"]) for row in years],
            ),
        }


class CountryListView(ActorListMixin, ListView):
    template_name = "actors/country_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("regions")

    def get_context_data(self, **kwargs):
        countries = list(self.object_list)
        return super().get_context_data(**profiles.by_region(countries), **kwargs)


class OrganisationListView(ActorListMixin, ListView):
    template_name = "actors/organisation_list.html"


CSV_COLUMNS = ["meeting_date", "meeting", "paragraph", "url", "speakers", "official", "priority_goals", "text"]


def interventions_csv(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Every published intervention of a country or organisation, one row each, for spreadsheets and scripts."""
    actor = get_object_or_404(visible_actors(request), kind=kind, slug=slug)
    rows = (
        [
            passage.paragraph.meeting.start_date.isoformat(),
            passage.paragraph.meeting.title,
            str(passage.paragraph.number),
            request.build_absolute_uri(passage.get_absolute_url()),
            "; ".join(str(speaker) for speaker in passage.speakers.all()),
            f"{passage.official.person}, {passage.official.title}" if passage.official else "",
            "; ".join(f"{link.prioritygoal.number} ({link.provenance})" for link in passage.goal_links.all()),
            strip_markup(passage.text),
        ]
        for passage in profiles.interventions_of(actor).for_listing()
    )
    return csv_response(CSV_COLUMNS, rows, filename=f"interventions-{actor.slug}.csv")
