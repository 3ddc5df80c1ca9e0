"""Phrasings of the summaries read as what they say: the Secretariat informing, the floor given to it, goals named
by their subjects in a list ("the goals on return and on integration"), the EU with its Member States, an
official of a department of an organisation ("DG HOME, European Commission").

Read against the archive after the 2020 meeting (fixtures/som-2020.json), as the corpus is.
"""

import pytest

from meetings.importer import summary_from_text
from meetings.importer.goals import goal_subjects
from meetings.kinds import propose_kind

pytestmark = pytest.mark.django_db

HEADER = "Budapest Process\n\nThematic Meeting on Return\n\nVienna, 3 March {year}\n\n"
FIRST = "1. The meeting gathered 40 participants from 3 countries (Austria, Hungary and Serbia).\n\n"


def passages(som_2020, paragraph: str, year: int = 2026):
    summary = summary_from_text(HEADER.format(year=year) + FIRST + "2. " + paragraph + "\n")
    return summary.paragraphs[1].passages


def codes(passage) -> list[str]:
    return [speaker.code or speaker.name for speaker in passage.speakers]


def test_the_secretariat_informing_participants_is_its_report(som_2020):
    [passage] = passages(som_2020, "The Secretariat informed participants that the next meeting would be in Baku.")
    assert codes(passage) == ["ICMPD"]
    assert propose_kind(passage.text, speakers=1)[0] == "report"


def test_the_floor_given_to_the_secretariat_opens_a_passage_though_the_secretariat_spoke_before(som_2020):
    first, second, third = passages(
        som_2020,
        "The Secretariat informed participants of the calendar. The floor was given to the Secretariat, which "
        "presented the study. Hungary welcomed it.",
    )
    assert first.text == "The Secretariat informed participants of the calendar."
    assert second.text == "The floor was given to the Secretariat, which presented the study."
    assert codes(second) == ["ICMPD"] and codes(third) == ["HU"]


def test_goals_named_by_their_subjects_in_a_list_are_each_the_goal_of_that_subject():
    assert goal_subjects("the goals on return and on integration") == ["return", "integration"]
    assert goal_subjects("the goals on legal migration and international protection.") == [
        "legal migration",
        "international protection",
    ]
    assert goal_subjects("the goals on X and Y") == []  # no subject in lower case: no goal


@pytest.mark.parametrize(
    ("year", "return_and_integration", "legal_migration_and_protection"),
    [
        (2026, [3, 6], [2, 5]),  # the Call for Action 2025–2030: 3 return, 6 integration, 5 international protection
        (2020, [3], [2, 6]),  # 2019's: 3 integration (no goal of return), 6 international protection
    ],
)
def test_goals_named_by_subject_are_those_of_the_call_for_action_in_force(
    som_2020, year, return_and_integration, legal_migration_and_protection
):
    serbia, hungary = passages(
        som_2020,
        "Serbia referred to the goals on return and on integration. Hungary spoke about the goals on legal "
        "migration and international protection.",
        year,
    )
    assert serbia.goals == return_and_integration
    assert hungary.goals == legal_migration_and_protection
