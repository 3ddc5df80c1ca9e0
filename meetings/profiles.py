"""What profile pages show: an actor's meetings and roles, its voices, what it addressed by goal and by year,
and who addressed which goal. The pages and the API read the same functions.

Every function here runs a fixed number of queries whatever the size of the archive: the counting is
done by the database, and only the counts come back. Each is one pass over the rows it counts, grouped
once: a count per country is not a subquery per country, which reads the same rows once for every country.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import ExtractYear, RowNumber
from django.urls import reverse
from django.utils.http import urlencode

from actors.models import Actor, Region, Voice

from .models import Meeting, Participation, Passage, PriorityGoal

PassageSpeaker = Passage.speakers.through
PassageGoal = Passage.goals.through


# What a profile lists of an actor's meetings; the rest is one link away, in the meetings list.
LATEST_MEETINGS = 10
LATEST_PER_ROLE = 5


def meetings_link(actor: Actor, role: str = "") -> str:
    """The meetings list, filtered to this actor's meetings (in this role)."""
    query = actor.reference
    if role:
        query["role"] = role
    return f"{reverse('meetings:list')}?{urlencode(query)}"


def attendance(actor: Actor) -> dict:
    """The actor's published meetings as a profile shows them, in two queries whatever their number.

    The latest meetings of any role, and how many in all; for each role other than participant, the
    latest meetings in that role and how many. Each list links to the meetings list for the rest.
    """
    attended = (
        Participation.objects.published()
        .filter(actor=actor)
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
        {"label": label, "latest": held, "count": held[0].in_role, "url": meetings_link(actor, role)}
        for role, label in Participation.Role.choices
        if (held := by_role.get(role))
    ]
    total = latest[0].total if latest else 0
    return {
        "participations": latest,
        "meetings_total": total,
        "more_meetings_url": meetings_link(actor) if total > len(latest) else "",
        "roles_held": roles_held,
    }


def voices(actor: Actor) -> tuple[list[Actor], list[Actor]]:
    """The institutions (a ministry) and the groups through which the actor also speaks, by name."""
    others = Actor.objects.voices_of(actor).exclude(pk=actor.pk).select_related("parent").distinct().order_by("name")
    others = list(others)
    return [a for a in others if a.parent_id == actor.pk], [a for a in others if a.parent_id != actor.pk]


def by_region(countries: list[Actor]) -> dict:
    """Countries (their regions prefetched) grouped by region, by name; those in no region apart."""
    regions: set[Region] = {region for country in countries for region in country.regions.all()}
    return {
        "regions": [
            (region, [c for c in countries if region in c.regions.all()])
            for region in sorted(regions, key=lambda region: region.name)
        ],
        "other_countries": [c for c in countries if not c.regions.all()],
    }


def interventions_of(actor, voices: list[Actor] | None = None) -> QuerySet:
    """Published passages the actor spoke, through itself, its institutions or its groups (one row each).

    `voices`, where the caller has them already: the actor, its institutions and its groups.
    """
    published = Passage.objects.published()
    if voices is None:
        return published.spoken_by(actor)
    return published.spoken_through([voice.pk for voice in voices])


def goal_counts(passages: QuerySet) -> list[PriorityGoal]:
    """Every priority goal with `count`: how many of these passages name it."""
    counts = dict(
        PassageGoal.objects.filter(passage__in=passages.order_by().values("pk"))
        .values_list("prioritygoal")
        .annotate(count=Count("pk"))
        .order_by()
    )
    goals = list(PriorityGoal.objects.order_by("number"))
    for goal in goals:
        goal.count = counts.get(goal.pk, 0)
    return goals


def year_counts(passages: QuerySet) -> list[dict]:
    """[{"year": 2020, "count": 24}, …] for these passages, oldest year first."""
    return list(
        passages.order_by()
        .annotate(year=ExtractYear("paragraph__meeting__start_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )


def _counts_by_actor(passages: QuerySet, by_goal: bool = False) -> dict:
    """How many of these passages each actor spoke, through any of its voices, each passage once.

    {actor_id: count}; or with `by_goal`, {(actor_id, goal_id): count} for the passages naming that goal
    and {(actor_id, None): count} for those naming any goal. One grouped query either way.
    """
    quote = connection.ops.quote_name
    speakers, goals = quote(PassageSpeaker._meta.db_table), quote(PassageGoal._meta.db_table)
    voices = quote(Voice._meta.db_table)  # the rule of an actor's voices, as a database view
    chosen, params = passages.order_by().values("pk").query.sql_with_params()
    spoken = f"FROM {speakers} s JOIN {voices} v ON v.speaker_id = s.actor_id"
    chosen = f"s.passage_id IN ({chosen})"
    if not by_goal:
        sql = f"SELECT v.actor_id, COUNT(DISTINCT s.passage_id) {spoken} WHERE {chosen} GROUP BY v.actor_id"
    else:
        spoken += f" JOIN {goals} g ON g.passage_id = s.passage_id"
        sql = (
            f"SELECT v.actor_id, g.prioritygoal_id, COUNT(DISTINCT s.passage_id) {spoken}"
            f" WHERE {chosen} GROUP BY v.actor_id, g.prioritygoal_id"
            f" UNION ALL SELECT v.actor_id, NULL, COUNT(DISTINCT s.passage_id) {spoken}"
            f" WHERE {chosen} GROUP BY v.actor_id"
        )
        params = (*params, *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {tuple(row[:-1]): row[-1] for row in rows} if by_goal else dict(rows)


def countries_addressing(passages: QuerySet) -> list[Actor]:
    """Countries that spoke at least one of these passages, with `count`, most first."""
    counts = _counts_by_actor(passages)
    # In the database's order of names, then (a stable sort) most first.
    countries = list(
        Actor.objects.countries().filter(pk__in=[pk for pk, count in counts.items() if count]).order_by("name")
    )
    for country in countries:
        country.count = counts[country.pk]
    return sorted(countries, key=lambda country: -country.count)


def goal_matrix(goals: list[PriorityGoal]) -> list[tuple[Actor, list[tuple[PriorityGoal, int]], int]]:
    """Every country that took part in a published meeting, with its number of interventions per goal.

    Returns (country, [(goal, count), …], total) rows, the goals in the order given; the total counts
    each intervention naming any goal once.
    """
    counts = defaultdict(int, _counts_by_actor(Passage.objects.published(), by_goal=True))
    # EXISTS stops at a country's first published meeting; IN would read every participation.
    attended = Participation.objects.filter(actor=OuterRef("pk"), meeting__in=Meeting.objects.published())
    countries = Actor.objects.countries().filter(Exists(attended)).order_by("name")
    return [
        (country, [(goal, counts[country.pk, goal.pk]) for goal in goals], counts[country.pk, None])
        for country in countries
    ]
