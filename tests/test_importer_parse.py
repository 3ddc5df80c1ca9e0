"""Reading a summary's text: header, numbered paragraphs, page breaks, footnotes, passages and goals."""

import datetime
from pathlib import Path

import docx
import pytest
from django.conf import settings

from meetings.importer.docx import docx_to_text
from meetings.importer.parse import (
    SummaryError,
    affiliation_run,
    find_dates,
    goal_numbers,
    goal_subjects,
    normalise,
    parse_summary,
    place_and_format,
    split_passages,
    split_sentences,
)

from .corpus_docx import _numbered, add_list

SOURCE = Path(settings.BASE_DIR) / "fixtures" / "sources" / "2020-12-02-annual-som.txt"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def som_2020():
    return parse_summary(SOURCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Online, 2 December 2020", "2020-12-02", None),
        ("Istanbul, 14–15 March 2022", "2022-03-14", "2022-03-15"),
        ("Istanbul, 14-15 March 2022", "2022-03-14", "2022-03-15"),
        ("3 to 4 May 2021", "2021-05-03", "2021-05-04"),
        ("Vienna, 30 November – 1 December 2021", "2021-11-30", "2021-12-01"),
        ("Baku, 30 December 2021 – 2 January 2022", "2021-12-30", "2022-01-02"),
        ("Budapest, March 14–15, 2022", "2022-03-14", "2022-03-15"),
        ("Wednesday, 2nd December 2020", "2020-12-02", None),
        ("The meeting took place on 5th of April 2024.", "2024-04-05", None),
        ("Tirana, 12th–13th of October 2021", "2021-10-12", "2021-10-13"),
    ],
)
def test_dates(text, start, end):
    found = find_dates(text)
    assert found.start == datetime.date.fromisoformat(start)
    assert found.end == (datetime.date.fromisoformat(end) if end else None)


def test_no_date_and_impossible_dates():
    assert find_dates("Annual Senior Officials Meeting") is None
    with pytest.raises(SummaryError, match="not a date"):
        find_dates("31 February 2021")
    with pytest.raises(SummaryError, match="before the first day"):
        find_dates("15 to 14 March 2022")


@pytest.mark.parametrize(
    ("place", "location", "meeting_format"),
    [
        ("Online", "", "online"),
        ("Virtual meeting", "", "online"),
        ("Istanbul", "Istanbul", "in_person"),
        ("Istanbul, Türkiye", "Istanbul, Türkiye", "in_person"),
        ("Budapest and online", "Budapest", "hybrid"),
        ("Hybrid, Budapest", "Budapest", "hybrid"),
        ("Budapest (hybrid)", "Budapest", "hybrid"),
    ],
)
def test_place_and_format(place, location, meeting_format):
    assert place_and_format(place) == (location, meeting_format)


def test_header_of_2020(som_2020):
    assert som_2020.title == "Annual Senior Officials Meeting"
    assert som_2020.start_date == datetime.date(2020, 12, 2)
    assert som_2020.end_date is None
    assert (som_2020.location, som_2020.format) == ("", "online")
    assert (som_2020.participant_count, som_2020.country_count) == (97, 39)
    assert (som_2020.chair, som_2020.co_chair, som_2020.secretariat) == ("Turkey", "Hungary", "ICMPD")
    assert som_2020.warnings == []


def test_paragraphs_continue_across_the_page_breaks(som_2020):
    assert [paragraph.number for paragraph in som_2020.paragraphs] == list(range(1, 9))
    third, sixth = som_2020.paragraphs[2].text, som_2020.paragraphs[5].text
    assert "The link between the projects' and the BP Call for Action" in third
    assert "a study visit for the Western Balkans on border management in 2021;" in sixth
    # The footnote's own list (1. … 6.) is no paragraph, and none of it leaks into the text.
    assert not any("Prevent and counteract" in paragraph.text for paragraph in som_2020.paragraphs)
    assert not any("see above" in paragraph.text for paragraph in som_2020.paragraphs)


def test_passages_join_to_their_paragraph(som_2020):
    for paragraph in som_2020.paragraphs:
        assert " ".join(passage.text for passage in paragraph.passages) == paragraph.text
        for passage in paragraph.passages:
            assert passage.text == passage.text.strip() and "  " not in passage.text


def test_footnotes_of_2020(som_2020):
    first, second = som_2020.footnotes
    assert first.number == 1
    lines = first.text.split("\n")
    assert lines[0].startswith('The "Call for Action - a five year plan" lists actions')
    assert [line[:3] for line in lines[1:]] == ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "]
    assert lines[6].endswith("in line with international standards")
    assert (second.number, second.text) == (2, "see above")


def test_officials_of_paragraph_2(som_2020):
    people = [(p.honorific, p.name, p.title, p.affiliation, p.represents) for p in som_2020.people]
    assert people == [
        (
            "Mr.",
            "Ramazan Seçilmiş",
            "Deputy Director General",
            "Turkey's Directorate General for Migration Management (DGMM)",
            "chair",
        ),
        ("Mr.", "Gábor Tóthi", "Head of Department for European Cooperation", "Ministry of Interior of Hungary", ""),
        ("Ms.", "Silvena Pesta", "Deputy Head of Unit", "European Commission", ""),
        ("Mr.", "Martijn Pluim", "Director for Migration Dialogues and Cooperation", "ICMPD", ""),
    ]


def test_passage_kinds_of_2020(som_2020):
    kinds = {paragraph.number: [p.kind for p in paragraph.passages] for paragraph in som_2020.paragraphs}
    assert kinds[1] == ["narration"]
    assert kinds[2] == ["person"] * 4
    assert kinds[3] == ["chair", "secretariat"]
    assert kinds[4] == ["secretariat", "chair"]
    assert kinds[5] == ["chair", "narration", "intervention", "intervention", "intervention"]
    assert kinds[6] == ["intervention"] * 16
    assert kinds[7] == ["chair"] + ["intervention"] * 4
    assert kinds[8] == ["chair"]
    fifth = som_2020.paragraphs[4].passages
    assert fifth[3].speakers == ["Austria, Bulgaria, Germany and Norway"]
    assert [p.goals for p in fifth] == [[], [1, 2, 6], [], [], []]


def test_sentences_keep_abbreviations_and_bold_names_whole():
    text = (
        "Finally, **Mr. Martijn Pluim**, Director at ICMPD spoke. The Glo.Act project, e.g. in Iraq, was named. Done."
    )
    assert split_sentences(text) == [
        "Finally, **Mr. Martijn Pluim**, Director at ICMPD spoke.",
        "The Glo.Act project, e.g. in Iraq, was named.",
        "Done.",
    ]


def test_a_new_passage_starts_at_each_speaker_and_keeps_following_sentences():
    text = (
        "The Chair opened the session. Turkey welcomed everyone. **Austria** and **Serbia** spoke on return. "
        "They agreed on more. Overall, countries saw progress. The **Czech Republic** thanked the Chair."
    )
    passages = split_passages(text, chair="Turkey")
    assert [p.text for p in passages] == [
        "The Chair opened the session. Turkey welcomed everyone.",
        "**Austria** and **Serbia** spoke on return. They agreed on more.",
        "Overall, countries saw progress.",
        "The **Czech Republic** thanked the Chair.",
    ]
    assert [p.speakers for p in passages] == [[], ["Austria", "Serbia"], [], ["Czech Republic"]]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("priority goals 1 and 2 of the Call for Action", [1, 2]),
        ("action points under priority goals 1, 2, 4 and 5¹.", [1, 2, 4, 5]),
        ("priority goals 2, 3 and 4, in particular", [2, 3, 4]),
        ("named priority goal 6 as a concern", [6]),
        ("Most notably, priority goals 1, 2 and 6² were mentioned", [1, 2, 6]),
        ("covers priority goals 1 to 3.", [1, 2, 3]),
        ("priority goal 1 in 2020 and priority goal 5", [1, 5]),
        ("the six priority areas", []),
        ("in line with PG 2 and PGs 4 and 5", [2, 4, 5]),
        ("see pg 2 of the report", []),
        ("focused on the first and the third priority goals.", [1, 3]),
        ("under PG1–PG3 and PG 5", [1, 2, 3, 5]),
        ("priority goals one and two, and priority goal five", [1, 2, 5]),
        ("the goals two countries share", []),
        ("highlighted goals 1 (irregular migration) and 3 (return) as priorities", [1, 3]),
        ("goal 2 (legal migration), goal 4 (development)", [2, 4]),
        ("funding under goals #1 and #2", [1, 2]),
    ],
)
def test_goal_numbers(text, numbers):
    assert goal_numbers(text) == numbers


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        ("the goal on return, readmission and reintegration", ["return"]),
        ("gave weight to the goal on legal migration and the goal on migration and development.",
         ["legal migration", "migration and development"]),
        ("Türkiye underlined the return goal.", ["return"]),
        ("the priority goal on international protection", ["international protection"]),
        ("the first goal, the six goals, the main goal of the meeting", []),
    ],
)  # fmt: skip
def test_goals_named_by_their_subject(text, subjects):
    assert goal_subjects(text) == subjects


def test_affiliation_run():
    assert (
        affiliation_run("Turkey's Directorate General for Migration Management (DGMM) opened the meeting")
        == "Turkey's Directorate General for Migration Management (DGMM)"
    )
    assert (
        affiliation_run("the Ministry of Interior of Hungary reminded countries") == "Ministry of Interior of Hungary"
    )
    assert affiliation_run("ICMPD in charge of the Budapest Process Secretariat") == "ICMPD"
    assert (
        affiliation_run("the Agency for External Labour Migration under the Ministry of Employment of Uzbekistan, said")
        == "Agency for External Labour Migration under the Ministry of Employment of Uzbekistan"
    )


def test_markdown_and_word_conventions_are_normalised():
    assert normalise("__Austria__ said[^1].\n[^1]: A note.") == "**Austria** said¹.\n¹ A note."
    assert normalise("**Austria **said") == "**Austria** said"


def test_sample_in_person_with_a_date_range():
    parsed = parse_summary((DATA / "2022-03-14-thematic-meeting-istanbul.txt").read_text(encoding="utf-8"))
    assert parsed.title == "Thematic Meeting on Labour Migration"
    assert (parsed.start_date, parsed.end_date) == (datetime.date(2022, 3, 14), datetime.date(2022, 3, 15))
    assert (parsed.location, parsed.format) == ("Istanbul", "in_person")
    assert (parsed.chair, parsed.co_chair) == ("Türkiye", "Hungary")
    third = parsed.paragraphs[2]
    assert third.text.endswith("under priority goals 2 and 4² and recalled its global guidance on ethical recruitment.")
    assert [f.number for f in parsed.footnotes] == [1, 2]
    assert parsed.footnotes[0].text.splitlines()[1] == "1. Prevent and counteract irregular migration,"
    assert [p.number for p in parsed.paragraphs] == [1, 2, 3, 4]


def test_sample_in_markdown():
    parsed = parse_summary((DATA / "2021-05-03-ministerial-conference.md").read_text(encoding="utf-8"))
    assert parsed.title == "Sixth Ministerial Conference"
    assert (parsed.start_date, parsed.end_date) == (datetime.date(2021, 5, 3), datetime.date(2021, 5, 4))
    assert (parsed.location, parsed.format) == ("Budapest", "hybrid")
    assert parsed.chair == "Türkiye"
    assert [(f.number, f.text) for f in parsed.footnotes] == [(1, "Adopted in Istanbul in 2019.")]
    assert (
        parsed.paragraphs[1].text
        == "Hungary as Co-Chair opened the conference. Participants recalled the Call for Action¹."
    )


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Budapest Process\n\nA title\n\nSome text without numbers."])
def test_text_without_numbered_paragraphs_is_refused(text):
    with pytest.raises(SummaryError):
        parse_summary(text)


def test_a_list_inside_a_paragraph_is_not_taken_for_paragraphs():
    parsed = parse_summary("Title\n\n2 May 2021\n\n1. Goals are:\n1. first,\n2. second.\n2. The next paragraph.")
    assert [(p.number, p.text) for p in parsed.paragraphs] == [
        (1, "Goals are: 1. first, 2. second."),
        (2, "The next paragraph."),
    ]


@pytest.mark.parametrize(
    ("sentence", "chair", "secretariat"),
    [
        (
            "Türkiye, as the Chair of the Budapest Process, thanked the Budapest Process Secretariat.",
            "Türkiye",
            "ICMPD",
        ),
        ("Türkiye as Chair thanked the ICMPD Secretariat.", "Türkiye", "ICMPD"),
        ("The meeting was chaired by Azerbaijan and the Secretariat (ICMPD) reported.", "Azerbaijan", "ICMPD"),
        ("The Czech Republic as Chair of the Prague Process spoke.", "", ""),
    ],
)
def test_chair_and_secretariat(sentence, chair, secretariat):
    parsed = parse_summary(f"A Meeting\n\n2 May 2021\n\n1. {sentence}")
    assert (parsed.chair, parsed.secretariat) == (chair, secretariat)


def test_a_meeting_opened_by_the_chair_is_the_chairs_passage():
    passages = split_passages(
        "The meeting was opened by the Turkish Chairmanship. Austria spoke.", is_speaker=lambda name: True
    )
    assert [(p.kind, p.speakers) for p in passages] == [("chair", []), ("intervention", ["Austria"])]


def test_a_group_of_countries_named_by_its_region_is_one_speaker():
    passages = split_passages(
        "Silk Routes countries shared their experience. Western Balkan states met twice.",
        is_speaker=lambda name: False,
    )
    # "shared" gives the floor: the group speaks (and is reported when no actor is it); "met" does not.
    assert [(p.kind, p.speakers) for p in passages] == [("intervention", ["Silk Routes countries"])]


def test_title_below_the_date_and_a_count_of_countries_only():
    parsed = parse_summary(
        "Budapest Process\n\nOnline, 2 May 2021\n\n**Regional Meeting**\n\n"
        "1. Representatives **from 3 countries** – Austria, Serbia and Türkiye – met."
    )
    assert parsed.title == "Regional Meeting"
    assert (parsed.participant_count, parsed.country_count) == (None, 3)
    assert parsed.participant_lists == ["Austria, Serbia and Türkiye"]


def test_a_count_then_a_labelled_list_of_participants():
    parsed = parse_summary(
        "A Meeting\n\n2 May 2021\n\n1. The meeting brought together 70 representatives of 3 countries and 1 "
        "organisation. Participants: Austria, Serbia and Türkiye; IOM.\n"
    )
    assert (parsed.participant_count, parsed.country_count) == (70, 3)
    assert parsed.participant_lists == ["Austria, Serbia and Türkiye; IOM"]


@pytest.mark.parametrize("joined", [") and", "), and", ") as well as", ") plus"])
def test_organisations_after_the_bracketed_list_of_countries(joined):
    parsed = parse_summary(
        f"A Meeting\n\n2 May 2021\n\n1. The meeting gathered 20 participants from 3 countries (Austria, Serbia"
        f" and Türkiye{joined} the European Union Agency for Asylum (EUAA) and ICMPD."
    )
    assert parsed.participant_lists == [
        "Austria, Serbia and Türkiye",
        "the European Union Agency for Asylum (EUAA) and ICMPD",
    ]


def test_a_session_heading_of_plain_text_is_the_next_paragraphs_subject():
    parsed = parse_summary(
        "A Meeting\n\n2 May 2021\n\nSession I – Opening\n\n(1) The meeting opened.\n\n"
        "**Session II – Return and readmission**\n\n(2) Austria spoke on return.\n\n(3) The page goes on\n\n"
        "Later in the text\n\nand the sentence ends here.\n\n(4) It closed."
    )
    assert [(p.heading, p.text) for p in parsed.paragraphs] == [
        ("Session I – Opening", "The meeting opened."),
        ("Session II – Return and readmission", "Austria spoke on return."),
        ("", "The page goes on Later in the text and the sentence ends here."),
        ("", "It closed."),
    ]


def test_a_lettered_session_heading_is_a_heading():
    parsed = parse_summary(
        "A Meeting\n\n2 May 2021\n\nA. Opening of the meeting\n\n1. The meeting opened.\n\n"
        "B. Interventions\n\n2. Austria spoke on return.\n\nIV. Conclusions\n\n3. It closed."
    )
    assert [(p.heading, p.text) for p in parsed.paragraphs] == [
        ("A. Opening of the meeting", "The meeting opened."),
        ("B. Interventions", "Austria spoke on return."),
        ("IV. Conclusions", "It closed."),
    ]


def test_a_column_of_who_represented_each_participant_names_no_participant():
    parsed = parse_summary(
        "A Meeting\n\n2 May 2021\n\n1. The meeting brought together 9 participants:\n\n"
        "| Participant | Represented by |\n|---|---|\n| Albania | Ministry of Interior |\n| IOM | Regional Office |\n\n"
        "2. It closed."
    )
    assert parsed.participant_lists == ["Albania", "IOM"]
    assert "Represented by: Ministry of Interior; Regional Office." in parsed.paragraphs[0].text


@pytest.mark.parametrize("number", ["1)", "(1)"])
def test_paragraphs_numbered_with_brackets(number):
    second = number.replace("1", "2")
    parsed = parse_summary(f"A Meeting\n\n2 May 2021\n\n{number} The meeting opened.\n\n{second} It closed.")
    assert [(p.number, p.text) for p in parsed.paragraphs] == [(1, "The meeting opened."), (2, "It closed.")]


ANNEX = """Budapest Process

Thematic Meeting

Baku, 8–9 April 2025

1. The meeting gathered 30 participants from 3 countries in Baku on 8 April 2025, hosted by Azerbaijan.

2. The Chair closed the meeting.

## Annex I: List of participants

| Country | Organisation |
| Armenia | ICMPD |
| Azerbaijan | |
| Georgia | |
"""


def test_an_annex_of_participants_is_their_list_and_no_paragraph():
    parsed = parse_summary(ANNEX)
    assert [(p.number, p.text) for p in parsed.paragraphs][-1] == (2, "The Chair closed the meeting.")
    assert parsed.participant_lists == ["Armenia", "Azerbaijan", "Georgia", "ICMPD"]
    assert parsed.warnings == [
        "“Annex I: List of participants” follows the last paragraph: its table or list was read as the list of "
        "participants."
    ]


def test_an_annex_of_another_kind_is_said_to_be_left_out():
    parsed = parse_summary(
        ANNEX.replace("List of participants", "Agenda").replace("Country | Organisation", "Day | Session")
    )
    assert parsed.paragraphs[-1].text == "The Chair closed the meeting."
    assert parsed.participant_lists == []  # not "in Baku on 8 April 2025, hosted by Azerbaijan" either
    assert parsed.warnings[0].startswith("“Annex I: Agenda” follows the last paragraph: it is not part of any")
    assert "left out (“Day; Armenia; Azerbaijan; Georgia; Session; ICMPD”)" in parsed.warnings[0]


def test_a_summary_pasted_from_an_e_mail():
    """Hard-wrapped lines, a number alone on its line or "Para 5:", "[1]" notes, the mail's own header lines."""
    text = (
        "Subject: FW: Summary\n-----Original Message-----\nThematic Meeting\nSkopje, 25.11.2020\n\n1.\n"
        "The meeting took place in Skopje. It was opened by\nthe Chair (Turkey) and the Co-Chair (Hungary)[1].\n\n"
        "Para 2: The Chair closed the meeting [2].\n\n[1] The first note, broken\nin two.\n[2] The second note.\n"
    )
    parsed = parse_summary(text)
    assert (parsed.title, parsed.location, parsed.start_date) == (
        "Thematic Meeting",
        "Skopje",
        datetime.date(2020, 11, 25),
    )
    assert [paragraph.number for paragraph in parsed.paragraphs] == [1, 2]
    assert parsed.paragraphs[0].text == (
        "The meeting took place in Skopje. It was opened by the Chair (Turkey) and the Co-Chair (Hungary)¹."
    )
    assert parsed.paragraphs[1].text == "The Chair closed the meeting²."
    assert [(note.number, note.text) for note in parsed.footnotes] == [
        (1, "The first note, broken in two."),
        (2, "The second note."),
    ]
    assert (parsed.chair, parsed.co_chair) == ("Turkey", "Hungary")
    assert not parsed.warnings


@pytest.mark.parametrize(
    ("written", "start", "said"),
    [
        ("2/12/2020", None, "may be 2 December 2020 or 12 February 2020"),
        ("12/2/2020", None, "may be 12 February 2020 or 2 December 2020"),
        ("25/11/2025", datetime.date(2025, 11, 25), ""),
        ("11/25/2025", datetime.date(2025, 11, 25), ""),
        ("3.3.2021", datetime.date(2021, 3, 3), ""),
        ("31/31/2021", None, "not a date in the calendar"),
        ("2/12/0000", None, "not a date in the calendar"),  # no year 0: a ValueError out of the importer before
        ("30/2/2021", None, "not a date in the calendar"),
    ],
)
def test_a_date_in_figures_is_read_only_when_day_and_month_cannot_be_mistaken(written, start, said):
    parsed = parse_summary(f"Thematic Meeting\nVienna, {written}\n\n1. The meeting took place.\n")
    assert parsed.start_date == start and parsed.location == "Vienna"
    assert [warning for warning in parsed.warnings if "date" in warning.lower()] == (
        [next(warning for warning in parsed.warnings if said in warning)] if said else []
    )


def test_bracketed_numbers_without_notes_stay_as_written():
    parsed = parse_summary("Meeting\nVienna, 2 December 2020\n\n1. See the list [3] of the agenda.\n")
    assert parsed.paragraphs[0].text == "See the list [3] of the agenda." and not parsed.footnotes


def test_markdown_of_another_office_bold_numbers_lists_in_place_and_links():
    text = (
        "# Budapest Process – Thematic Meeting\n\n*Belgrade, 14–15 May 2025*\n\n## Session 1: Opening\n\n"
        "**1.** The meeting took place.\n\n"
        "**2.** **Germany** outlined its [programmes](https://example.org/p):\n\n- counselling;\n- support.\n\n"
        "**Pakistan** described its centres. **IOM and UNHCR jointly** presented a study.\n"
    )
    parsed = parse_summary(text)
    assert parsed.title == "Thematic Meeting" and [paragraph.number for paragraph in parsed.paragraphs] == [1, 2]
    assert parsed.paragraphs[0].heading == "Session 1: Opening"  # below the date: paragraph 1's, not the title's
    second = parsed.paragraphs[1]
    assert [(passage.speakers, passage.text) for passage in second.passages] == [
        (["Germany"], "**Germany** outlined its programmes: counselling; support."),
        (["Pakistan"], "**Pakistan** described its centres."),
        (["IOM and UNHCR"], "**IOM and UNHCR jointly** presented a study."),
    ]
    assert parsed.warnings == [
        "Links are not kept, only their words: “programmes” (https://example.org/p). "
        "Attach what they point to as a document if readers need it."
    ]


def test_the_points_of_a_list_inside_a_paragraph_each_name_their_speaker():
    passages = split_passages(
        "The discussion raised three points: (a) The representative of Hungary said that pressure grew. "
        "(b) more data is needed; (ii) Serbia stressed training. c) The delegation of Montenegro noted it.",
        is_speaker=lambda name: True,
    )
    assert [(p.text, p.speakers) for p in passages] == [
        ("The discussion raised three points:", []),
        ("(a) The representative of Hungary said that pressure grew. (b) more data is needed;", ["Hungary"]),
        ("(ii) Serbia stressed training.", ["Serbia"]),
        ("c) The delegation of Montenegro noted it.", ["Montenegro"]),
    ]


def test_a_speaker_after_an_opening_clause_both_or_representatives_without_the():
    passages = split_passages(
        "On behalf of the EU Member States, Germany stressed legal pathways. Both Georgia and Serbia stressed data. "
        "Representatives of Albania and Kosovo described their schemes. In 2024, the talks went on. "
        "Afterwards, Türkiye thanked all. Norlandia, Serbia and Montenegro presented a plan.",
        is_speaker=lambda name: name in {"Türkiye", "Serbia and Montenegro"},
    )
    assert [(p.kind, p.speakers) for p in passages] == [
        ("intervention", ["Germany"]),
        ("intervention", ["Georgia and Serbia"]),
        ("intervention", ["Albania and Kosovo"]),
        ("intervention", ["Türkiye"]),
        ("intervention", ["Norlandia, Serbia and Montenegro"]),  # the made-up name is reported, not dropped
    ]


def test_the_one_given_the_floor_speaks():
    passages = split_passages(
        "The floor was then given to Uzbekistan, which described its centres. The floor was given to the Secretariat.",
        is_speaker=lambda name: True,
    )
    # The Secretariat given the floor opens its own passage, and is no name to report.
    assert [(p.kind, p.speakers) for p in passages] == [("intervention", ["Uzbekistan"]), ("secretariat", [])]


def test_the_floor_given_to_the_secretariat_or_the_chair_opens_their_passage():
    passages = split_passages(
        "Serbia noted its plan. The floor was then given to the Secretariat (ICMPD), which presented its survey. "
        "The floor was passed to the Chair. The Chair then gave the floor to the Secretariat, which presented the "
        "roadmap. The Chair gave the floor to Germany, which described its scheme. The Chair gave the floor to "
        "organisations.",
        is_speaker=lambda name: name == "Germany",
    )
    assert [(p.kind, p.speakers, p.text) for p in passages] == [
        ("intervention", ["Serbia"], "Serbia noted its plan."),
        ("secretariat", [], "The floor was then given to the Secretariat (ICMPD), which presented its survey."),
        ("chair", [], "The floor was passed to the Chair. The Chair then gave the floor to"),
        ("secretariat", [], "the Secretariat, which presented the roadmap."),
        ("chair", [], "The Chair gave the floor to"),
        ("intervention", ["Germany"], "Germany, which described its scheme."),
        ("chair", [], "The Chair gave the floor to organisations."),
    ]


def test_the_co_chairs_and_a_chair_and_co_chair_named_with_their_roles_speak_together():
    passages = split_passages(
        "The co-chairs opened the meeting. Serbia noted its plan. The Republic of Uzbekistan, as Chair, and Hungary, "
        "as Co-Chair, thanked the delegations. The Co-Chair closed.",
        is_speaker=lambda name: True,
    )
    assert [p.kind for p in passages] == ["chairs", "intervention", "chairs", "co_chair"]


def test_participants_from_a_country_and_one_who_opened_speak():
    passages = split_passages(
        "Participants from Georgia and Armenia presented a study. The second day was opened by Germany, which "
        "described its network. Participants agreed on the calendar. The study was funded by donors.",
        is_speaker=lambda name: name in {"Georgia and Armenia", "Germany"},
    )
    assert [(p.kind, p.speakers) for p in passages] == [
        ("intervention", ["Georgia and Armenia"]),
        ("intervention", ["Germany"]),
        ("narration", []),
    ]


def test_a_speaker_together_with_another_names_both():
    passages = split_passages(
        "Germany, together with the International Organization for Migration (IOM), presented a scheme. "
        "Austria, together with its partners, described a project.",
        is_speaker=lambda name: name in {"Germany", "Austria", "International Organization for Migration (IOM)"},
    )
    assert [(p.kind, p.speakers) for p in passages] == [
        ("intervention", ["Germany", "International Organization for Migration (IOM)"]),
        ("intervention", ["Austria"]),  # "its partners" are no actor
    ]


def test_a_speaker_by_post_needs_a_post_word():
    passages = split_passages(
        "The Permanent Representative of Pakistan to the United Nations Office at Geneva highlighted returns. "
        "The Republic of Tajikistan noted its strategy. The Minister of Labour and Social Protection of Azerbaijan "
        "stressed training. The Head of Unit stressed data.",
        is_speaker=lambda name: name in {"Pakistan", "Republic of Tajikistan", "Azerbaijan"},
    )
    assert [(p.kind, p.speakers) for p in passages] == [
        ("intervention", ["Pakistan"]),
        ("intervention", ["Republic of Tajikistan"]),
        ("intervention", ["Azerbaijan"]),
    ]


def test_an_official_with_country_and_ministry_in_brackets():
    (passage,) = split_passages("Ms. Katalin Szép (Hungary, Ministry of Interior) underlined the return goal.")
    assert passage.kind == "person"
    assert (passage.person.name, passage.person.title, passage.person.affiliation) == (
        "Katalin Szép",
        "",
        "Ministry of Interior of Hungary",
    )


def test_a_role_in_bold_opens_its_passage_and_names_no_speaker():
    passages = split_passages(
        "**Secretariat** outlined the calendar. **Serbia** noted it. **The Budapest Process Secretariat** added a "
        "date. **Co-Chair** closed."
    )
    assert [(p.kind, p.speakers) for p in passages] == [
        ("secretariat", []),
        ("intervention", ["Serbia"]),
        ("secretariat", []),
        ("co_chair", ["Co-Chair"]),
    ]


@pytest.mark.parametrize("labels", [("a.", "b.", "c."), ("a)", "b)", "c)"), ("(a)", "(b)", "(c)"), ("A.", "B.", "C."),
                                    ("**a.**", "**b.**", "**c.**")])  # fmt: skip
def test_lettered_paragraphs_are_numbered_and_the_review_says_so(labels):
    first, second, third = labels
    parsed = parse_summary(
        f"A Meeting\n\n2 May 2021\n\n{first} The meeting opened.\n\nB. Interventions\n\n{second} Austria spoke on "
        f"return. It listed:\n\n1. returns;\n2. readmission.\n\n{third} It closed."
    )
    assert [(p.number, p.heading, p.text) for p in parsed.paragraphs] == [
        (1, "", "The meeting opened."),
        (2, "B. Interventions", "Austria spoke on return. It listed: 1. returns; 2. readmission."),
        (3, "", "It closed."),
    ]
    letters = "".join(label.strip("*.()") for label in (first, third))
    assert f"The paragraphs are lettered ({letters[0]} to {letters[1]}), not numbered" in parsed.warnings[0]


def test_points_lettered_inside_numbered_paragraphs_stay_points():
    parsed = parse_summary(
        "A Meeting\n\n2 May 2021\n\n1. The meeting agreed:\na) a plan;\nb) a date.\n\n2. Austria spoke.\n\n"
        "3. It closed."
    )
    assert [p.number for p in parsed.paragraphs] == [1, 2, 3]
    assert parsed.paragraphs[0].text == "The meeting agreed: a) a plan; b) a date."
    assert not any("lettered" in warning for warning in parsed.warnings)


def test_paragraphs_of_a_word_list_lettered_by_word_are_numbered(tmp_path):
    document = docx.Document()
    add_list(document, "701", "71", [("lowerLetter", "%1)")])
    document.add_paragraph("A Meeting")
    document.add_paragraph("Vienna, 2 May 2021")
    for text in ("The meeting opened.", "Austria spoke on return.", "It closed."):
        _numbered(document.add_paragraph(text), "71")
    document.save(tmp_path / "lettered.docx")
    parsed = parse_summary(docx_to_text((tmp_path / "lettered.docx").read_bytes()))
    assert [(p.number, p.text) for p in parsed.paragraphs] == [
        (1, "The meeting opened."),
        (2, "Austria spoke on return."),
        (3, "It closed."),
    ]
    assert "The paragraphs are lettered (a to c)" in parsed.warnings[0]


def test_more_speakers_after_words_not_theirs():
    passages = split_passages(
        "Serbia noted the need for data. Speaking on behalf of the European Union, the European Commission noted "
        "new funding. The representative of IOM and the representative of ICMPD presented a project. Closing "
        "remarks were delivered by Hungary.",
        is_speaker=lambda name: True,
    )
    assert [(p.kind, p.speakers) for p in passages] == [
        ("intervention", ["Serbia"]),
        ("intervention", ["European Commission"]),
        ("intervention", ["IOM and ICMPD"]),
        ("intervention", ["Hungary"]),
    ]


def test_an_official_from_an_institution_without_a_title():
    (passage,) = split_passages("Ms. Leyla Mammadova from the State Migration Service of Azerbaijan stated it.")
    assert passage.kind == "person"
    assert (passage.person.name, passage.person.affiliation) == (
        "Leyla Mammadova",
        "State Migration Service of Azerbaijan",
    )


def test_a_role_in_brackets_after_its_holder_declares_it():
    parsed = parse_summary(
        "A Meeting\n\n2 May 2025\n\n1. **Türkiye (Chair)** opened the meeting. **Hungary (Co-Chair)** spoke. "
        "**Mr. Marko Petrović (Serbia)** said it. The Co-Chairs thanked the hosts."
    )
    assert (parsed.chair, parsed.co_chair) == ("Türkiye", "Hungary")
    assert [passage.kind for passage in parsed.paragraphs[0].passages] == ["chair", "co_chair", "person", "chairs"]
    person = parsed.paragraphs[0].passages[2].person
    assert (person.name, person.affiliation) == ("Marko Petrović", "Serbia")


def test_a_post_then_its_holder_between_commas():
    passages = split_passages(
        "The Chair of the Reference Group, Sweden, reported on its work. IOM's Regional Director, Mr. Ahmed Saleh, "
        "noted the rise of departures. The Chair of the meeting, Türkiye, closed it.",
        chair="Türkiye",
        is_speaker=lambda name: name in {"Sweden", "IOM", "Türkiye"},
    )
    assert [(p.kind, p.speakers) for p in passages] == [("intervention", ["Sweden"]), ("person", []), ("chair", [])]
    person = passages[1].person
    assert (person.honorific, person.name, person.title, person.affiliation) == (
        "Mr.",
        "Ahmed Saleh",
        "Regional Director",
        "IOM",
    )
