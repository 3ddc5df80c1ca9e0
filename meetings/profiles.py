"""The counts behind profile pages: what an actor addressed, by goal and by year, and who addressed which goal.

Every function here runs one query whatever the size of the archive: the counting is done by the
database, and only the counts come back. Each is one pass over the rows it counts, grouped once:
a count per country is not a subquery per country, which reads the same rows once for every country.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear

from actors.models import Actor

from .models import Meeting, Participation, Passage, PriorityGoal

PassageSpeaker = Passage.speakers.through
PassageGoal = Passage.goals.through
GroupMember = Actor.members.through


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


def _voices_sql() -> str:
    """(speaker_id, actor_id) rows: an actor speaks as itself, through its institutions and its groups.

    The rule of ActorQuerySet.voices_of, for every actor at once (test_profiles checks they agree).
    """
    actors = connection.ops.quote_name(Actor._meta.db_table)
    members = connection.ops.quote_name(GroupMember._meta.db_table)
    return (
        f"SELECT id AS speaker_id, id AS actor_id FROM {actors}"
        f" UNION ALL SELECT id, parent_id FROM {actors} WHERE parent_id IS NOT NULL"
        f" UNION ALL SELECT from_actor_id, to_actor_id FROM {members}"
    )


def _counts_by_actor(passages: QuerySet, by_goal: bool = False) -> dict:
    """How many of these passages each actor spoke, through any of its voices, each passage once.

    {actor_id: count}; or with `by_goal`, {(actor_id, goal_id): count} for the passages naming that goal
    and {(actor_id, None): count} for those naming any goal. One grouped query either way.
    """
    quote = connection.ops.quote_name
    speakers, goals = quote(PassageSpeaker._meta.db_table), quote(PassageGoal._meta.db_table)
    chosen, params = passages.order_by().values("pk").query.sql_with_params()
    spoken = f"FROM {speakers} s JOIN ({_voices_sql()}) v ON v.speaker_id = s.actor_id"
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
