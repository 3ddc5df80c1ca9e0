"""Tables of a working group's report and references back (tests/data/corpus/yerevan-2026.yaml is a whole Word
report in this style): participants as "Country | Delegation" with organisations named in the words above, a
table "Speaker | Statement" read row by row in its place, "The latter …" and "The former …".

Read against the archive after the 2020 meeting (fixtures/som-2020.json), as the corpus is.
"""

import pytest

from meetings.importer import summary_from_text
from meetings.importer.parse import parse_summary

pytestmark = pytest.mark.django_db

HEADER = "Budapest Process\n\nWorking Group on Labour Migration\n\nMeeting report\n\nYerevan, 12 March 2026\n\n"


def codes(passage) -> list[str]:
    return [speaker.code or speaker.name for speaker in passage.speakers]


def test_a_delegation_column_beside_the_countries_names_no_participant_and_the_words_add_organisations(som_2020):
    parsed = parse_summary(
        HEADER + "1. It brought together 31 participants from the delegations listed below, as well as the "
        "International Organization for Migration (IOM) and ICMPD, which holds the Secretariat.\n\n"
        "| Country | Delegation |\n|---|---|\n| Armenia | Migration Service |\n| Hungary | Ministry of Interior |\n\n"
        "2. It closed.\n"
    )
    assert parsed.participant_lists == [
        "Armenia",
        "Hungary",
        "the International Organization for Migration (IOM) and ICMPD",
    ]
    assert parsed.paragraphs[0].heading == ""  # "Meeting report" is the document's kind, no paragraph's subject


def test_a_table_of_statements_is_read_row_by_row_in_its_place(som_2020):
    summary = summary_from_text(
        HEADER + "1. The meeting gathered 20 participants from 3 countries (Georgia, Kyrgyzstan and Tajikistan).\n\n"
        "2. The statements are summarised below.\n\n| Speaker | Statement |\n|---|---|\n"
        "| Georgia | Presented its scheme under priority goal 2. |\n"
        "| Kyrgyzstan and Tajikistan | Presented a joint study. The latter announced that it would host. |\n\n"
        "The Chair thanked the delegations.\n"
    )
    passages = summary.paragraphs[1].passages
    assert [passage.text for passage in passages] == [
        "The statements are summarised below.",
        "Georgia: Presented its scheme under priority goal 2.",
        "Kyrgyzstan and Tajikistan: Presented a joint study.",
        "The latter announced that it would host.",
        "The Chair thanked the delegations.",
    ]
    assert [codes(passage) for passage in passages[1:4]] == [["GE"], ["KG", "TJ"], ["TJ"]]
    assert passages[1].goals == [2]


def test_the_former_is_the_first_speaker_and_the_latter_of_one_speaker_goes_on_with_it(som_2020):
    summary = summary_from_text(
        HEADER + "1. The meeting gathered 20 participants from 3 countries (Georgia, Hungary and Serbia).\n\n"
        "2. Georgia and Serbia presented a study. The former announced a visit. Hungary spoke. The latter added "
        "figures. Bosnia and Herzegovina noted it. The latter thanked all.\n"
    )
    passages = summary.paragraphs[1].passages
    assert [(codes(passage), passage.text[:12]) for passage in passages] == [
        (["GE", "RS"], "Georgia and "),
        (["GE"], "The former a"),
        (["HU"], "Hungary spok"),
        (["BA"], "Bosnia and H"),
    ]


def test_a_table_of_statements_without_a_rule_under_its_header_is_read_so_too_and_one_of_posts_is_not(som_2020):
    summary = summary_from_text(
        HEADER + "1. The meeting gathered 20 participants from 2 countries (Georgia and Serbia).\n\n"
        "2. They spoke.\n\n| Delegation | Intervention |\n| Serbia | Presented its study. |\n\n"
        "3. The officials came.\n\n| Name | Position |\n| Ms. X | Director |\n"
    )
    assert [passage.text for passage in summary.paragraphs[1].passages] == [
        "They spoke.",
        "Serbia: Presented its study.",
    ]
    assert codes(summary.paragraphs[1].passages[1]) == ["RS"]
    assert "Ms. X: Director" not in summary.paragraphs[2].text
