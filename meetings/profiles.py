"""The counts behind profile pages: what an actor addressed, by goal and by year, and who addressed which goal.

Every function here runs one query whatever the size of the archive: the counting is done by the
database, and only the counts come back. Each is one pass over the rows it counts, grouped once:
a count per country is not a subquery per country, which reads the same rows once for every country.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear

from actors.models import COUNTED_VOICES, Actor, Voice

from .models import CallForAction, Meeting, Participation, Passage, PassageGoal, PriorityGoal

PassageSpeaker = Passage.speakers.through
GroupMember = Actor.members.through


def interventions_of(actor, voices: list[Actor] | None = None, *, voice_kinds=COUNTED_VOICES) -> QuerySet:
    """Published statements the actor made (one row each): by default its own and its institutions'.

    `voices`, where the caller has them already: the actors to count (the actor, its institutions…);
    else `voice_kinds` says which (`actors.models.Voice`): a group's line is not the member's by default.
    """
    published = Passage.objects.published().statements()
    if voices is None:
        return published.spoken_by(actor, voices=voice_kinds)
    return published.spoken_through([voice.pk for voice in voices])


def procedure_of(actor, voices: list[Actor]) -> QuerySet:
    """Published passages of procedure (the Chair giving the floor…) spoken through these voices: not interventions."""
    return Passage.objects.published().filter(kind=Passage.Kind.PROCEDURE).spoken_through([v.pk for v in voices])


def goal_counts(passages: QuerySet, goals: list[PriorityGoal] | None = None) -> list[PriorityGoal]:
    """The goals (all, by default) with `count`, `named` and `tagged`: how many of these passages are about it.

    `named`: the summary names the goal; `tagged`: the Secretariat tagged it; `count` is their sum (a
    passage has a goal once, either way).
    """
    rows = (
        PassageGoal.objects.filter(passage__in=passages.order_by().values("pk"))
        .values_list("prioritygoal", "provenance")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(goal, provenance): count for goal, provenance, count in rows}
    if goals is None:
        goals = list(PriorityGoal.objects.select_related("framework").order_by("framework__start_date", "number"))
    for goal in goals:
        goal.named = counts.get((goal.pk, PassageGoal.Provenance.NAMED), 0)
        goal.tagged = counts.get((goal.pk, PassageGoal.Provenance.TAGGED), 0)
        goal.count = goal.named + goal.tagged
    return goals


def goal_counts_by_framework(passages: QuerySet) -> list[tuple[CallForAction, list[PriorityGoal]]]:
    """`goal_counts` for every Call for Action, oldest first, each goal with the goals it corresponds to.

    A reader follows a subject across frameworks through `carried_over_from` / `carried_over_to`
    (2013 goal 5, trafficking → 2025 goal 1), prefetched here; two queries and one per framework list.
    """
    goals = list(
        PriorityGoal.objects.select_related("framework")
        .prefetch_related("carried_over_from__framework", "carried_over_to__framework")
        .order_by("framework__start_date", "number")
    )
    goal_counts(passages, goals)
    frameworks: dict[int, tuple[CallForAction, list[PriorityGoal]]] = {}
    for goal in goals:
        frameworks.setdefault(goal.framework_id, (goal.framework, []))[1].append(goal)
    return list(frameworks.values())


def year_counts(passages: QuerySet) -> list[dict]:
    """[{"year": 2020, "count": 24}, …] for these passages, oldest year first."""
    return list(
        passages.order_by()
        .annotate(year=ExtractYear("paragraph__meeting__start_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )


def _voices_sql(voices=COUNTED_VOICES) -> str:
    """(speaker_id, actor_id) rows: an actor speaks as itself, through its institutions and its groups.

    The rule of ActorQuerySet.voices_of, for every actor at once (test_profiles checks they agree);
    `voices` chooses which (`actors.models.Voice`), by default its own and its institutions'.
    """
    actors = connection.ops.quote_name(Actor._meta.db_table)
    members = connection.ops.quote_name(GroupMember._meta.db_table)
    branches = {
        Voice.OWN: f"SELECT id AS speaker_id, id AS actor_id FROM {actors}",
        Voice.INSTITUTION: f"SELECT id AS speaker_id, parent_id AS actor_id FROM {actors} WHERE parent_id IS NOT NULL",
        Voice.GROUP: f"SELECT from_actor_id AS speaker_id, to_actor_id AS actor_id FROM {members}",
    }
    return " UNION ALL ".join(branches[voice] for voice in voices)


def _counts_by_actor(
    passages: QuerySet, by_goal: bool = False, goals: list[PriorityGoal] | None = None, named_only: bool = False
) -> dict:
    """How many of these passages each actor spoke, in its counted voices, each passage once.

    {actor_id: count}; or with `by_goal`, {(actor_id, goal_id): count} for the passages about that goal
    (of `goals`; named by the summary only, with `named_only`) and {(actor_id, None): count} for those
    about any of them. One grouped query either way.
    """
    quote = connection.ops.quote_name
    speakers, goal_table = quote(PassageSpeaker._meta.db_table), quote(PassageGoal._meta.db_table)
    chosen, params = passages.order_by().values("pk").query.sql_with_params()
    spoken = f"FROM {speakers} s JOIN ({_voices_sql()}) v ON v.speaker_id = s.actor_id"
    chosen = f"s.passage_id IN ({chosen})"
    if not by_goal:
        sql = f"SELECT v.actor_id, COUNT(DISTINCT s.passage_id) {spoken} WHERE {chosen} GROUP BY v.actor_id"
    else:
        spoken += f" JOIN {goal_table} g ON g.passage_id = s.passage_id"
        if goals is not None:
            # Primary keys from the database, never from a request: safe to write into the query.
            chosen += f" AND g.prioritygoal_id IN ({', '.join(str(int(goal.pk)) for goal in goals) or 'NULL'})"
        if named_only:
            chosen += f" AND g.provenance = '{PassageGoal.Provenance.NAMED.value}'"
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
    """Countries that spoke at least one of these passages (own or institutions' voice), with `count`, most first."""
    counts = _counts_by_actor(passages)
    # In the database's order of names, then (a stable sort) most first.
    countries = list(
        Actor.objects.countries().filter(pk__in=[pk for pk, count in counts.items() if count]).order_by("name")
    )
    for country in countries:
        country.count = counts[country.pk]
    return sorted(countries, key=lambda country: -country.count)


def goal_matrix(
    goals: list[PriorityGoal], named_only: bool = False
) -> list[tuple[Actor, list[tuple[PriorityGoal, int]], int]]:
    """Every country that took part in a published meeting, with its number of interventions per goal.

    Returns (country, [(goal, count), …], total) rows, the goals in the order given; an intervention
    is a statement in the country's own voice or its institutions'; it counts for a goal the summary
    names or the Secretariat tagged (named only, with `named_only`); the total counts each
    intervention about any of these goals once.
    """
    statements = Passage.objects.published().statements()
    counts = defaultdict(int, _counts_by_actor(statements, by_goal=True, goals=goals, named_only=named_only))
    # EXISTS stops at a country's first published meeting; IN would read every participation.
    attended = Participation.objects.filter(actor=OuterRef("pk"), meeting__in=Meeting.objects.published())
    countries = Actor.objects.countries().filter(Exists(attended)).order_by("name")
    return [
        (country, [(goal, counts[country.pk, goal.pk]) for goal in goals], counts[country.pk, None])
        for country in countries
    ]
