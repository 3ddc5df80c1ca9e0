"""The counts behind profile pages: what an actor addressed, by goal and by year, and who addressed which goal.

Every function here runs one query whatever the size of the archive: the counting is done by the
database, and only the counts come back.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear

from actors.models import Actor

from .filters import spoken_by
from .models import Meeting, Passage, PriorityGoal


class SubqueryCount(Subquery):
    """The number of rows of a (correlated) subquery, as an integer column of the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def interventions_of(actor) -> QuerySet:
    """Published passages the actor spoke, through itself, its institutions or its groups (one row each)."""
    return Passage.objects.published().filter(pk__in=Passage.objects.filter(spoken_by(actor)).values("pk"))


def goal_counts(passages: QuerySet) -> list[PriorityGoal]:
    """Every priority goal with `count`: how many of these passages name it."""
    return list(
        PriorityGoal.objects.annotate(
            count=Count("passages", filter=Q(passages__in=passages.values("pk")), distinct=True)
        ).order_by("number")
    )


def year_counts(passages: QuerySet) -> list[dict]:
    """[{"year": 2020, "count": 24}, …] for these passages, oldest year first."""
    return list(
        Passage.objects.filter(pk__in=passages.values("pk"))
        .annotate(year=ExtractYear("paragraph__meeting__start_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )


def _count_spoken_by_outer_country(passages: QuerySet) -> SubqueryCount:
    """How many of these passages the country of the outer query spoke (each passage counted once)."""
    return SubqueryCount(passages.filter(spoken_by(OuterRef("pk"))).order_by().values("pk").distinct())


def countries_addressing(passages: QuerySet) -> list[Actor]:
    """Countries that spoke at least one of these passages, with `count`, most first."""
    return list(
        Actor.objects.countries()
        .annotate(count=_count_spoken_by_outer_country(passages))
        .filter(count__gt=0)
        .order_by("-count", "name")
    )


def goal_matrix(goals: list[PriorityGoal]) -> list[tuple[Actor, list[tuple[PriorityGoal, int]], int]]:
    """Every country that took part in a published meeting, with its number of interventions per goal.

    Returns (country, [(goal, count), …], total) rows, the goals in the order given.
    """
    published = Passage.objects.published()
    annotations = {f"goal_{goal.pk}": _count_spoken_by_outer_country(published.filter(goals=goal)) for goal in goals}
    annotations["total"] = _count_spoken_by_outer_country(published.filter(goals__isnull=False))
    attended = Meeting.objects.published().values("participations__actor")
    countries = Actor.objects.countries().filter(pk__in=attended).annotate(**annotations).order_by("name")
    return [
        (country, [(goal, getattr(country, f"goal_{goal.pk}")) for goal in goals], country.total)
        for country in countries
    ]
