"""A passage's subjects: the goals its summary names, those the Secretariat tags, and the suggestions between.

The vocabulary of a goal (`PriorityGoal.vocabulary`, published on the goal's page and in the API)
suggests subjects from a passage's words; an editor confirms them, and only then are they tagged.
"""

import re
from collections.abc import Iterable

from django.db import transaction

from .models import GoalSuggestion, Passage, PassageGoal, PriorityGoal


def _term_pattern(term: str) -> str:
    """A subject word as a whole-word pattern; a trailing * stands for any ending."""
    if term.endswith("*"):
        return rf"\b{re.escape(term[:-1])}\w*"
    return rf"\b{re.escape(term)}\b"


def suggest_goals(text: str, goals: Iterable[PriorityGoal]) -> list[tuple[PriorityGoal, list[str]]]:
    """The goals whose subject words the text contains, each with the words found (a pure function)."""
    plain = text.replace("**", "")
    found = []
    for goal in goals:
        words: list[str] = []
        for term in goal.terms:
            for match in re.finditer(_term_pattern(term), plain, re.IGNORECASE):
                word = match.group(0).lower()
                if word not in words:
                    words.append(word)
        if words:
            found.append((goal, words))
    return found


def suggestions_for(
    passage: Passage, goals: Iterable[PriorityGoal], *, named: Iterable[PriorityGoal] = ()
) -> list[GoalSuggestion]:
    """Unsaved suggestions for a passage: the goals its words suggest, but for those it names (for bulk_create)."""
    named_pks = {goal.pk for goal in named}
    return [
        GoalSuggestion(passage=passage, goal=goal, words=", ".join(words)[:300])
        for goal, words in suggest_goals(passage.text, goals)
        if goal.pk not in named_pks
    ]


@transaction.atomic
def passage_set_subjects(*, passage: Passage, named: Iterable[PriorityGoal], tagged: Iterable[PriorityGoal]) -> None:
    """The passage's subjects become these: named by the summary, tagged by the Secretariat.

    Written through the relation's manager, so that the passage's history records every change.
    """
    wanted = {goal.pk: PassageGoal.Provenance.NAMED for goal in named}
    wanted.update({goal.pk: PassageGoal.Provenance.TAGGED for goal in tagged if goal.pk not in wanted})
    current = dict(passage.goal_links.values_list("prioritygoal_id", "provenance"))
    stale = [pk for pk, provenance in current.items() if wanted.get(pk) != provenance]
    if stale:
        passage.goals.remove(*stale)
    for provenance in PassageGoal.Provenance.values:
        new = [pk for pk, wanted_provenance in wanted.items() if wanted_provenance == provenance]
        new = [pk for pk in new if current.get(pk) != provenance]
        if new:
            passage.goals.add(*new, through_defaults={"provenance": provenance})
    passage.goal_suggestions.filter(goal_id__in=wanted).delete()


@transaction.atomic
def passage_confirm_suggestions(*, passage: Passage) -> int:
    """Tag the passage with every subject suggested for it (the editor's one click); how many were tagged."""
    goals = [suggestion.goal_id for suggestion in passage.goal_suggestions.all()]
    has = set(passage.goal_links.values_list("prioritygoal_id", flat=True))
    new = [pk for pk in goals if pk not in has]
    if new:
        passage.goals.add(*new, through_defaults={"provenance": PassageGoal.Provenance.TAGGED})
    passage.goal_suggestions.all().delete()
    return len(new)
