"""What a summary's goal numbers mean: the priority goals of the Call for Action in force on the meeting's date."""

from datetime import date

from .models import PriorityGoal


def goals_in_force(on: date | None) -> dict[int, PriorityGoal]:
    """The priority goals that a summary of that date cites, by their number.

    The one place where "priority goal 3" becomes a goal: the importer and every other reader of goal
    numbers ask here, so that a versioned Call for Action changes this function alone.
    """
    return {goal.number: goal for goal in PriorityGoal.objects.all()}
