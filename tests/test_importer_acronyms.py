"""An actor the archive does not know, named once in full with its acronym and then by the acronym alone: one
name to decide on the review, and the answer (or the country it belongs to) speaks for both forms."""

import pytest

from meetings.importer.recognise import summary_of_text
from meetings.importer.review import split_written

pytestmark = pytest.mark.django_db

HEADER = (
    "Budapest Process\n\nThematic Meeting on Diaspora\n\nVienna, 3 March 2026\n\n"
    "1. The meeting brought together 30 participants.\n\n"
)


def speakers(summary):
    return [[match.code for match in passage.speakers] for passage in summary.paragraphs[1].passages]


def test_a_new_institution_of_a_country_speaks_for_it_under_its_acronym_too(som_2020):
    summary = summary_of_text(
        HEADER + "2. The Diaspora Migration Office (DMO) of Moldova presented its survey. The DMO added that a report "
        "would follow.\n"
    )
    assert speakers(summary) == [["MD"], ["MD"]] and summary.unrecognised == []


def test_hereinafter_gives_the_acronym_and_one_answer_covers_both_forms(som_2020):
    text = (
        HEADER + "2. The Diaspora Migration Office (hereinafter DMO) presented its survey. The DMO added that "
        "a report would follow.\n"
    )
    summary = summary_of_text(text)
    assert summary.unrecognised == ["Diaspora Migration Office (hereinafter DMO)"]
    assert split_written(summary.unrecognised[0]) == ("Diaspora Migration Office", "DMO")
    answered = summary_of_text(text, {summary.unrecognised[0]: ["organisation", "Diaspora Migration Office", "DMO"]})
    assert speakers(answered) == [["DMO"], ["DMO"]] and answered.unrecognised == []
