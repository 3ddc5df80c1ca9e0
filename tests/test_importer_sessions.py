"""Thematic sessions as some offices write them: a Moderator who is not the Chair, a panel of experts each with
an affiliation in brackets after a colon, a role before a colon ("Rapporteur: Sweden, …"), speakers alone on
a line above what they said (tests/data/corpus/ohrid-2026.md is a whole summary in this style).

Read against the archive after the 2020 meeting (fixtures/som-2020.json), as the corpus is.
"""

import pytest

from meetings.importer import summary_from_text
from meetings.importer.parse import parse_summary
from meetings.importer.sentences import split_sentences
from meetings.kinds import propose_kind

pytestmark = pytest.mark.django_db

HEADER = "Budapest Process\n\nThematic Meeting on Legal Pathways\n\nVienna, 3 March 2026\n\n"
FIRST = "1. The meeting gathered 40 participants from 3 countries (Austria, Hungary and Serbia) and IOM.\n\n"


def paragraphs(*texts: str):
    body = "".join(f"{number}. {text}\n\n" for number, text in enumerate(texts, start=2))
    return summary_from_text(HEADER + FIRST + body)


def read(passage) -> tuple[list[str], str]:
    return [speaker.code or speaker.name for speaker in passage.speakers], propose_kind(
        passage.text, speakers=len(passage.speakers)
    )[0]


def test_the_moderator_is_the_official_who_moderates_and_runs_the_session(som_2020):
    summary = paragraphs(
        "The session was moderated by Ms. Laura Bianchi (IOM), who asked how pathways could be widened.",
        "Austria presented its scheme. The Moderator thanked the speakers and closed the session.",
    )
    moderated = summary.paragraphs[1].passages[0]
    austria, thanks = summary.paragraphs[2].passages
    assert read(moderated) == (["IOM"], "procedure")
    assert read(austria) == (["AT"], "statement")
    assert read(thanks) == (["IOM"], "procedure")  # the Moderator is IOM's official, no name to report
    assert "Moderator" not in summary.unrecognised


def test_a_moderator_the_summary_does_not_name_is_no_speaker_and_no_name_to_report(som_2020):
    summary = paragraphs("Austria presented its scheme. The Moderator thanked the speakers.")
    austria, thanks = summary.paragraphs[1].passages
    assert read(thanks) == ([], "narrative") and summary.unrecognised == []


def test_a_country_moderating_speaks_as_the_moderator(som_2020):
    summary = paragraphs("The panel was moderated by Hungary. Serbia presented its study. The Moderator closed it.")
    assert read(summary.paragraphs[1].passages[-1]) == (["HU"], "procedure")


def test_an_expert_named_after_a_colon_opens_a_passage_and_an_unknown_affiliation_is_reported(som_2020):
    assert split_sentences("The experts spoke first: Dr. Ana Petrović (University of Belgrade) presented.") == [
        "The experts spoke first:",
        "Dr. Ana Petrović (University of Belgrade) presented.",
    ]
    # A list after a colon stays one sentence.
    assert len(split_sentences("Germany outlined its programmes: counselling; Support on arrival.")) == 1
    summary = paragraphs("The experts spoke first: Dr. Ana Petrović (University of Belgrade) presented a study.")
    assert [passage.text[:3] for passage in summary.paragraphs[1].passages] == ["The", "Dr."]
    assert "University of Belgrade" in summary.unrecognised


def test_a_role_before_a_colon_names_no_one_the_speaker_after_it_does(som_2020):
    summary = paragraphs("Rapporteur: Hungary, as Rapporteur of the meeting, summarised the discussions.")
    [passage] = summary.paragraphs[1].passages
    assert read(passage) == (["HU"], "statement")
    assert "Rapporteur" not in summary.unrecognised


def test_a_paragraph_of_the_moderators_procedure_is_no_paragraph_of_interventions(som_2020):
    summary = paragraphs(
        "The session was moderated by Ms. Laura Bianchi (IOM), who asked how pathways could be widened.",
        "The Moderator thanked the speakers and closed the session.",
        "Austria and Serbia presented their schemes.",
        "The meeting ended.",
    )
    assert [paragraph.subject for paragraph in summary.paragraphs[1:4]] == ["", "", "Interventions of states"]


@pytest.mark.parametrize(
    ("paragraph", "title"),
    [
        ("2. The session was moderated by Ms. Anna Weber (IOM). The Moderator gave the floor to Austria.", "Moderator"),
        ("2. Moderator: Ms. Anna Weber (IOM). The Moderator opened the session.", "Moderator"),
        ("2. Ms. Anna Weber (IOM), the Moderator, opened the session.", "Moderator"),
        ("2. The panel was facilitated by Ms. Anna Weber of IOM, who gave the floor to Austria.", "Facilitator"),
        # A post the text gives stays the post.
        ("2. Moderator: Ms. Anna Weber, Senior Policy Officer, IOM, opened the session.", "Senior Policy Officer"),
        ("2. Ms. Anna Weber (IOM) presented the study.", ""),
    ],
)
def test_a_moderator_without_a_post_has_the_moderators_post(paragraph, title):
    text = "Thematic Meeting\n\nVienna, 3 March 2026\n\n1. The meeting brought together 30 participants.\n\n"
    [person] = parse_summary(text + paragraph + "\n").people
    assert (person.name, person.title) == ("Anna Weber", title)


def test_a_label_before_a_colon_is_no_passage_of_its_own():
    text = "Thematic Meeting\n\nVienna, 3 March 2026\n\n1. The meeting brought together 30 participants.\n\n"
    summary = parse_summary(text + "2. Moderator: Ms. Anna Weber (IOM). The Moderator opened the session.\n")
    assert [(passage.kind, passage.text) for passage in summary.paragraphs[1].passages] == [
        ("person", "Moderator: Ms. Anna Weber (IOM)."),
        ("intervention", "The Moderator opened the session."),
    ]


def test_the_moderator_named_after_the_post_opens_the_passage_with_that_post():
    text = "Thematic Meeting\n\nVienna, 3 March 2026\n\n1. The meeting brought together 30 participants.\n\n"
    summary = parse_summary(text + "2. The Moderator, Ms. Anna Weber (IOM), opened the session.\n")
    [passage] = summary.paragraphs[1].passages
    assert passage.kind == "person" and passage.person is not None
    assert (passage.person.name, passage.person.title, passage.person.affiliation) == ("Anna Weber", "Moderator", "IOM")
