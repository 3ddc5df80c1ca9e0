"""Public pages of countries and organisations: who attended what, in which role, and said what."""

import csv
from collections import defaultdict

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView

from budapest.cache import cached_page
from meetings import profiles
from meetings.charts import bar_chart
from meetings.markup import strip_markup
from meetings.models import Meeting, Participation
from meetings.views import paginate_interventions

from .models import Actor, Region


def _published_participations_filter():
    return Q(
        participations__meeting__status=Meeting.Status.PUBLISHED,
        participations__meeting__published_at__lte=timezone.now(),
    )


class ActorKindMixin:
    """Owns the queryset of a page kind: countries or organisations."""

    kind: str

    def get_queryset(self):
        return Actor.objects.filter(kind=self.kind)


class ActorListMixin(ActorKindMixin):
    """A list of countries or organisations, each with its number of published meetings."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            # An actor takes part in a meeting once (a unique constraint): no DISTINCT needed.
            .annotate(meeting_count=Count("participations", filter=_published_participations_filter()))
        )


# What a profile lists of an actor's meetings; the rest is one link away, in the meetings list.
LATEST_MEETINGS = 10
LATEST_PER_ROLE = 5


def _meetings_link(actor: Actor, role: str = "") -> str:
    """The meetings list, filtered to this actor's meetings (in this role)."""
    query = {"country": actor.iso_code} if actor.kind == Actor.Kind.COUNTRY else {"organisation": actor.slug}
    if role:
        query["role"] = role
    return f"{reverse('meetings:list')}?{urlencode(query)}"


def _attendance(actor: Actor) -> dict:
    """The actor's published meetings as a profile shows them, in two queries whatever their number.

    The latest meetings of any role, and how many in all; for each role other than participant, the
    latest meetings in that role and how many. Each list links to the meetings list for the rest.
    """
    attended = (
        Participation.objects.filter(actor=actor, meeting__in=Meeting.objects.published())
        .select_related("meeting", "represented_by")
        .order_by(F("meeting__start_date").desc(), F("meeting_id").desc())
    )
    latest = list(attended.annotate(total=Window(Count("pk")))[:LATEST_MEETINGS])
    in_roles = (
        attended.exclude(role=Participation.Role.PARTICIPANT)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("role"), order_by=attended.query.order_by),
            in_role=Window(Count("pk"), partition_by=F("role")),
        )
        .filter(rank__lte=LATEST_PER_ROLE)
    )
    by_role = defaultdict(list)
    for participation in in_roles:
        by_role[participation.role].append(participation)
    roles_held = [
        {"label": label, "latest": held, "count": held[0].in_role, "url": _meetings_link(actor, role)}
        for role, label in Participation.Role.choices
        if (held := by_role.get(role))
    ]
    total = latest[0].total if latest else 0
    return {
        "participations": latest,
        "meetings_total": total,
        "more_meetings_url": _meetings_link(actor) if total > len(latest) else "",
        "roles_held": roles_held,
    }


@cached_page("actor:{slug}")
class ActorDetailView(ActorKindMixin, DetailView):
    """A profile: attendance, roles held, interventions over time and by priority goal, and every intervention."""

    context_object_name = "actor"

    def get_context_data(self, **kwargs):
        actor = self.object
        # An actor speaks through itself, its institutions (a ministry) and the groups it belongs to.
        related = list(
            Actor.objects.voices_of(actor).exclude(pk=actor.pk).select_related("parent").distinct().order_by("name")
        )
        institutions = [a for a in related if a.parent_id == actor.pk]
        groups = [a for a in related if a.parent_id != actor.pk]
        # Its interventions: statements in its own voice or its institutions'. A group's line is shown
        # and counted apart; the Chair's procedure is not an intervention.
        interventions = profiles.interventions_of(actor, voices=[actor, *institutions])
        group_statements = profiles.interventions_of(actor, voices=groups) if groups else None
        years = profiles.year_counts(interventions)
        frameworks = profiles.goal_counts_by_framework(interventions)
        goals = next((goals for framework, goals in frameworks if framework.is_legacy), [])
        # Every intervention has a year: the pager's count is the sum of the years', not another query.
        total = sum(row["count"] for row in years)
        page = paginate_interventions(self.request, interventions.for_listing(), count=total)
        return super().get_context_data(
            **_attendance(actor),
            page_obj=page,
            interventions=page.object_list,
            institutions=institutions,
            groups=groups,
            group_interventions=list(group_statements.for_listing()[:20]) if group_statements is not None else [],
            group_intervention_count=group_statements.count() if group_statements is not None else 0,
            procedure_count=profiles.procedure_of(actor, voices=[actor, *institutions]).count(),
            goal_counts=goals,
            goal_frameworks=frameworks,
            goal_chart=bar_chart(
                _("Interventions of %(name)s by priority goal") % {"name": actor.name},
                [(_("Goal %(number)d") % {"number": goal.number}, goal.count) for goal in goals],
                lambda label, count: (
                    ngettext("%(label)s: %(count)d intervention", "%(label)s: %(count)d interventions", count)
                    % {"label": label, "count": count}
                ),
            ),
            year_counts=years,
            year_chart=bar_chart(
                _("Interventions of %(name)s by year") % {"name": actor.name},
                [(str(row["year"]), row["count"]) for row in years],
                lambda label, count: (
                    ngettext("%(label)s: %(count)d intervention", "%(label)s: %(count)d interventions", count)
                    % {"label": label, "count": count}
                ),
            ),
            url_prefix="country" if actor.kind == Actor.Kind.COUNTRY else "organisation",
            **kwargs,
        )


@cached_page("actors", "meetings")
class CountryListView(ActorListMixin, ListView):
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


@cached_page("actors", "meetings")
class OrganisationListView(ActorListMixin, ListView):
    kind = Actor.Kind.ORGANISATION
    template_name = "actors/organisation_list.html"


class OrganisationDetailView(ActorDetailView):
    kind = Actor.Kind.ORGANISATION
    template_name = "actors/organisation_detail.html"


CSV_COLUMNS = [
    "meeting_date",
    "meeting",
    "paragraph",
    "url",
    "speakers",
    "official",
    "priority_goals",
    "text",
]


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ could otherwise run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@cached_page("actor:{slug}")
def interventions_csv(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Every published intervention of a country or organisation, one row each, for spreadsheets and scripts."""
    actor = get_object_or_404(Actor, kind=kind, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interventions-{actor.slug}.csv"'
    # A byte order mark, so that spreadsheet programs read the file as UTF-8 (Türkiye, Seçilmiş).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for passage in profiles.interventions_of(actor).for_listing():
        meeting = passage.paragraph.meeting
        official = passage.official
        row = [
            meeting.start_date.isoformat(),
            meeting.title,
            str(passage.paragraph.number),
            request.build_absolute_uri(passage.get_absolute_url()),
            "; ".join(str(speaker) for speaker in passage.speakers.all()),
            f"{official.person}, {official.title}" if official else "",
            "; ".join(f"{link.prioritygoal.number} ({link.provenance})" for link in passage.goal_links.all()),
            strip_markup(passage.text),
        ]
        writer.writerow([_spreadsheet_safe(cell) for cell in row])
    return response
