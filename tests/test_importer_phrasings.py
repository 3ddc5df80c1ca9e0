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


@pytest.mark.parametrize(
    "sentence",
    [
        "The EU and its Member States stressed the need for cooperation.",
        "The European Union and its 27 Member States stressed the need for cooperation.",
        "**The EU and its Member States** stressed the need for cooperation.",
    ],
)
def test_the_eu_and_its_member_states_are_one_speaker_the_group_of_its_members(som_2020, sentence):
    summary = summary_from_text(HEADER.format(year=2026) + FIRST + "2. Austria spoke. " + sentence + "\n")
    austria, eu = summary.paragraphs[1].passages
    # The archive knows no actor "European Union" as a speaker: the group speaks, and nothing is reported.
    assert codes(eu) == ["EU Member States"] and codes(austria) == ["AT"]
    assert summary.unrecognised == []


def test_the_eu_speaks_with_its_member_states_where_the_archive_knows_it(som_2020):
    from actors.models import Actor

    Actor.objects.create(kind="organisation", name="European Union", short_name="EU", slug="european-union")
    [eu] = passages(som_2020, "The EU and its Member States stressed the need for cooperation.")
    assert codes(eu) == ["EU", "EU Member States"]


@pytest.mark.parametrize("bold", [False, True])
def test_an_official_of_a_department_of_the_european_commission_is_the_commissions(som_2020, bold):
    weber = "**Ms. Anna Weber**" if bold else "Ms. Anna Weber"
    summary = summary_from_text(
        HEADER.format(year=2026)
        + FIRST
        + f"2. {weber}, DG HOME, European Commission, presented the new pact. Mr. Jan Novak, Policy Officer, DG "
        "HOME, European Commission, added details. Ms. Eva Lind, Director, Directorate-General for Migration and "
        "Home Affairs, European Commission, closed.\n"
    )
    people = {person.name: person for person in summary.people}
    assert {name: (person.title, person.affiliation.name) for name, person in people.items()} == {
        "Anna Weber": ("", "European Commission"),  # a department is no post: the review asks for it
        "Jan Novak": ("Policy Officer, DG HOME", "European Commission"),
        "Eva Lind": ("Director, Directorate-General for Migration and Home Affairs", "European Commission"),
    }
    assert all(person.affiliation.kind == "organisation" for person in people.values())
    assert [codes(passage) for passage in summary.paragraphs[1].passages] == [["EC"], ["EC"], ["EC"]]
