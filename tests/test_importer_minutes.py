"""Minutes' ways of writing (tests/data/corpus/chisinau-2026.txt): participants with no count, decisions of the
meeting inside a paragraph, and a country's name that is a person's first name."""

import pytest

from meetings.importer.parse import participants, split_passages
from meetings.importer.recognise import iso_country, summary_of_text


def test_participants_who_came_from_a_list_with_from_repeated():
    text = (
        "The meeting was chaired by Moldova. Participants came from Albania, Bosnia and Herzegovina, and North "
        "Macedonia, from the Kyrgyz Republic and the Czech Republic, as well as from the International "
        "Organization for Migration (IOM)."
    )
    assert participants(text) == (
        None,
        None,
        ["Albania, Bosnia and Herzegovina, and North Macedonia, the Kyrgyz Republic and the Czech Republic",
         "the International Organization for Migration (IOM)"],
    )  # fmt: skip


def test_the_meetings_decisions_are_not_the_speakers_before_them():
    text = (
        "Serbia and Montenegro exchanged views on readmission. Decision 1: The meeting agreed that a compendium "
        "will be compiled. The Working Group decided to meet again in Istanbul."
    )
    passages = split_passages(text, is_speaker=lambda name: name in {"Serbia", "Montenegro", "Serbia and Montenegro"})
    assert [(passage.kind, passage.text.split(":")[0][:30]) for passage in passages] == [
        ("intervention", "Serbia and Montenegro exchange"),
        ("narration", "Decision 1"),
    ]


@pytest.mark.django_db
def test_a_country_that_is_a_persons_first_name_is_no_mention(som_2020):
    summary = summary_of_text(
        "Meeting\n\nVienna, 3 March 2026\n\n1. The meeting brought together 20 participants.\n\n"
        "2. Ms. Georgia Papadopoulou, Head of Unit at the Ministry of Interior of Greece, presented the "
        "programme. Georgia thanked Greece.\n"
    )
    official, georgia = summary.paragraphs[1].passages
    assert [match.code for match in official.speakers] == ["GR"] and official.mentions == []
    assert [match.code for match in georgia.speakers] == ["GE"]  # the country, where it is one


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("the Republic of Kosovo", "XK"),
        ("Kosovo*", "XK"),
        ("the Azerbaijan Republic", "AZ"),
        ("the Republic of Türkiye", "TR"),
        ("Republic of Turkiye", "TR"),
        ("the Slovak Republic", "SK"),
        ("the Kingdom of the Netherlands", "NL"),
        ("the Islamic Republic of Afghanistan", "AF"),
        ("the United Kingdom of Great Britain and Northern Ireland", "GB"),
        # A long form that is another state's, or a part of a state, is no country by its short name.
        ("the Republic of China", None),
        ("the Federation of Bosnia and Herzegovina", None),
        ("the Republic of Srpska", None),
    ],
)
def test_a_states_long_form_is_the_country_its_short_name_is(written, code):
    found = iso_country(written)
    assert (found.alpha_2 if found else None) == code
