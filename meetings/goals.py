"""What a summary's goal numbers mean: the priority goals of the Call for Action in force on the meeting's date."""

from datetime import date

from django.db.models import Subquery

from .models import LEGACY_FRAMEWORK_SLUG, CallForAction, PriorityGoal


def framework_in_force(on: date | None) -> CallForAction | None:
    """The Call for Action whose numbers a summary of that date cites; for no date, the latest."""
    return CallForAction.objects.in_force(on).first()


def goals_in_force(on: date | None) -> dict[int, PriorityGoal]:
    """The priority goals that a summary of that date cites, by their number.

    The one place where "priority goal 3" becomes a goal: integration in a summary of 2020 (the 2013
    Istanbul goals, carried by the Call for Action 2019–2024), return in one of 2025 (the Call for
    Action 2025–2030). A date no Call for Action covers resolves no number.
    """
    # One query: the framework in force is a subquery of the goals' (each goal carries it).
    in_force = CallForAction.objects.in_force(on).values("pk")[:1]
    goals = PriorityGoal.objects.filter(framework=Subquery(in_force)).select_related("framework")
    return {goal.number: goal for goal in goals}


def legacy_framework() -> CallForAction | None:
    """The Call for Action that addresses without one mean (`/priority-goals/3/`, `?goal=3`): 2019–2024.

    Those addresses were made when the 2013 goals were the only ones, so they keep meaning those.
    """
    return CallForAction.objects.filter(slug=LEGACY_FRAMEWORK_SLUG).first()


def framework_named(slug: str | None) -> CallForAction | None:
    """The Call for Action a request names by slug, or the legacy one when it names none."""
    return CallForAction.objects.filter(slug=slug or LEGACY_FRAMEWORK_SLUG).first()


def goals_named(slug: str | None):
    """The goals of the Call for Action a request names (`?framework=2025-2030`), by default 2019–2024's."""
    return PriorityGoal.objects.filter(framework__slug=slug or LEGACY_FRAMEWORK_SLUG).select_related("framework")
