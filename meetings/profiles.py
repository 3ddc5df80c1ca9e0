"""What profile pages show: an actor's meetings and roles, its voices, what it addressed by goal and by year,
and who addressed which goal. The pages and the API read the same functions.

Every function here runs a fixed number of queries whatever the size of the archive: the counting is
done by the database, and only the counts come back. Each is one pass over the rows it counts, grouped
once: a count per country is not a subquery per country, which reads the same rows once for every country.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import ExtractYear, RowNumber
from django.urls import reverse
from django.utils.http import urlencode

from actors.languages import reading_language
from actors.models import COUNTED_VOICES, Actor, Region, Voice, VoiceKind

from .models import CallForAction, Participation, Passage, PassageGoal, PassageQuerySet, PriorityGoal
from .translations import with_translated_meeting_title

PassageSpeaker = Passage.speakers.through
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
    newest_first = [F("meeting_date").desc(), F("meeting_id").desc()]
    attended = with_translated_meeting_title(
        Participation.objects.published()
        .filter(actor=actor)
        .select_related("meeting", "represented_by")
        .order_by(*newest_first),
        reading_language(),
        meeting="meeting",
    )
    # The count in one subquery from the participations' index: a window over the rows counted joined
    # every participation to its meeting before the LIMIT (Turkey's 5,000 meetings: 44 ms → 2 ms).
    counted = Participation.objects.published().filter(actor=actor).order_by().values("actor").annotate(n=Count("*"))
    latest = list(attended.annotate(total=Subquery(counted.values("n")))[:LATEST_MEETINGS])
    in_roles = (
        attended.exclude(role=Participation.Role.PARTICIPANT)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("role"), order_by=newest_first),
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


def interventions_of(actor, voices: list[Actor] | None = None, *, voice_kinds=COUNTED_VOICES) -> PassageQuerySet:
    """Published statements the actor made (one row each): by default its own and its institutions'.

    `voices`, where the caller has them already: the actors to count (the actor, its institutions…);
    else `voice_kinds` says which (`actors.models.Voice`): a group's line is not the member's by default.
    """
    if voices is None:
        ids = Actor.objects.voices_of(actor, voices=voice_kinds).values("pk")
    else:
        ids = [voice.pk for voice in voices]
    return Passage.objects.published().statements(voices=ids)


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
    if goals is None:
        goals = list(PriorityGoal.objects.select_related("framework").order_by("framework__start_date", "number"))
    return _counted(goals, {(goal, provenance): count for goal, provenance, count in rows})


def _counted(goals: list[PriorityGoal], counts: dict[tuple[int, str], int]) -> list[PriorityGoal]:
    """The goals with `named`, `tagged` and `count` from {(goal_id, provenance): count}."""
    for goal in goals:
        goal.named = counts.get((goal.pk, PassageGoal.Provenance.NAMED), 0)
        goal.tagged = counts.get((goal.pk, PassageGoal.Provenance.TAGGED), 0)
        goal.count = goal.named + goal.tagged
    return goals


def goal_counts_by_framework(counts: dict[tuple[int, str], int]) -> list[tuple[CallForAction, list[PriorityGoal]]]:
    """Every goal counted (`goal_counts`; `counts` from `spoken_counts`), by Call for Action, oldest first.

    Each goal comes with the goals it corresponds to: a reader follows a subject across frameworks
    through `carried_over_from` / `carried_over_to` (2013 goal 5, trafficking → 2025 goal 1), prefetched
    here; one query and one per framework list.
    """
    goals = list(
        PriorityGoal.objects.select_related("framework")
        .prefetch_related("carried_over_from__framework", "carried_over_to__framework")
        .order_by("framework__start_date", "number")
    )
    _counted(goals, counts)
    frameworks: dict[int, tuple[CallForAction, list[PriorityGoal]]] = {}
    for goal in goals:
        frameworks.setdefault(goal.framework_id, (goal.framework, []))[1].append(goal)
    return list(frameworks.values())


def spoken_counts(voices: list[Actor]) -> dict:
    """What a profile counts of the published passages spoken through these voices, in one pass over them.

    {"years": [{"year": 2020, "count": 24}, …] and "goals": {(goal_id, provenance): count} of its
    interventions (`interventions_of`: its statements), "procedure": how many of its passages are
    procedure (`procedure_of`)}. The passages are found once and counted three ways: three queries
    found the same few thousand rows three times (Turkey, 10,000 meetings: 68,000 pages read → 35,000).
    """
    statement, procedure = Passage.Kind.STATEMENT, Passage.Kind.PROCEDURE
    spoken = (
        Passage.objects.published()
        .filter(kind__in=[statement, procedure])
        .spoken_through([voice.pk for voice in voices])
        .order_by()
        .values("pk", "kind", year=ExtractYear("meeting_date"))
    )
    chosen, params = spoken.query.sql_with_params()
    quote = connection.ops.quote_name
    goal_table = quote(PassageGoal._meta.db_table)
    sql = (
        f"WITH spoken AS ({chosen})"
        " SELECT kind, year, NULL, NULL, COUNT(*) FROM spoken GROUP BY kind, year"
        " UNION ALL SELECT NULL, NULL, g.prioritygoal_id, g.provenance, COUNT(*)"
        f" FROM spoken JOIN {goal_table} g ON g.passage_id = spoken.pk WHERE spoken.kind = %s"
        " GROUP BY g.prioritygoal_id, g.provenance"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, statement.value))
        rows = cursor.fetchall()
    years = sorted((int(year), count) for kind, year, _, _, count in rows if kind == statement)
    return {
        "years": [{"year": year, "count": count} for year, count in years],
        "goals": {(goal, provenance): count for kind, _, goal, provenance, count in rows if kind is None},
        "procedure": sum(count for kind, _, _, _, count in rows if kind == procedure),
    }


def year_counts(passages: QuerySet) -> list[dict]:
    """[{"year": 2020, "count": 24}, …] for these passages, oldest year first."""
    return list(
        passages.order_by()
        .annotate(year=ExtractYear("meeting_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )


def _counts_by_actor(
    passages: QuerySet,
    by_goal: bool = False,
    goals: list[PriorityGoal] | None = None,
    named_only: bool = False,
    voices=COUNTED_VOICES,
) -> dict:
    """How many of these passages each actor spoke, in its counted voices (`voices`), each passage once.

    {actor_id: count}; or with `by_goal`, {(actor_id, goal_id): count} for the passages about that goal
    (of `goals`; named by the summary only, with `named_only`) and {(actor_id, None): count} for those
    about any of them. One grouped query either way.
    """
    quote = connection.ops.quote_name
    speakers, goal_table = quote(PassageSpeaker._meta.db_table), quote(PassageGoal._meta.db_table)
    # The rule of an actor's voices, as a database view (actors.models.Voice); its kinds are ours, never a request's.
    kinds = ", ".join(f"'{VoiceKind(kind).value}'" for kind in voices) or "NULL"
    voices_table = quote(Voice._meta.db_table)
    chosen, params = passages.order_by().values("pk").query.sql_with_params()
    spoken = f"FROM {speakers} s JOIN {voices_table} v ON v.speaker_id = s.actor_id AND v.kind IN ({kinds})"
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
    attended = Participation.objects.published().filter(actor=OuterRef("pk"))
    countries = Actor.objects.countries().filter(Exists(attended)).order_by("name")
    return [
        (country, [(goal, counts[country.pk, goal.pk]) for goal in goals], counts[country.pk, None])
        for country in countries
    ]
