"""Hostile files: each is read or refused with a message, whatever it holds; the time budget stops the rest.

How long each takes is printed by bench/importer.py (no timing asserts here: they flake on a busy machine).
"""

import pytest

from meetings.importer import SummaryError, summary_from_upload, time_budget
from meetings.importer.parse import parse_summary, split_sentences
from tests import hostile_summaries as shapes
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db


def test_a_docx_of_a_megabyte_of_spaces_reads_as_one_paragraph_with_single_spaces():
    summary = summary_from_upload(name="spaces.docx", data=shapes.docx_of_spaces())
    [paragraph] = summary.paragraphs
    assert paragraph.text == "Austria spoke."


def test_stars_that_never_close_are_text_not_bold():
    summary = summary_from_upload(name="stars.md", data=shapes.stars(20 * 1024))
    [paragraph] = summary.paragraphs
    assert paragraph.passages[0].speakers == []
    assert len(paragraph.text) > 20_000


def test_a_paragraph_longer_than_any_summary_has_is_refused():
    for data in (shapes.stars(), shapes.numbered_list()):
        with pytest.raises(SummaryError, match=r"Paragraph 1 is [\d,]+ characters long.*Are its paragraphs numbered"):
            summary_from_upload(name="long.md", data=data)


def test_thousands_of_numbered_paragraphs_are_refused_as_a_list():
    with pytest.raises(SummaryError, match="more than 500 numbered paragraphs: it is a list"):
        summary_from_upload(name="numbered.txt", data=shapes.numbered_lines())


def test_a_numbered_list_in_one_paragraph_is_split_into_its_sentences():
    summary = summary_from_upload(name="list.txt", data=shapes.numbered_list(25 * 1024))
    [paragraph] = summary.paragraphs
    sentences = split_sentences(paragraph.text)
    # "Dr. Smith" and "e.g. Ministry" do not end a sentence; "spoke. Hungary" does.
    assert sentences[:3] == [
        "The meeting discussed: 1.",
        "Dr. Smith of the e.g. Ministry spoke.",
        "Hungary replied. 2.",
    ]
    assert len(sentences) == 2 * paragraph.text.count("Hungary replied.") + 1


def test_a_megabyte_of_spaces_and_tabs_becomes_single_spaces():
    make_actors()
    summary = summary_from_upload(name="spaces.txt", data=shapes.spaces_in_text())
    first = summary.paragraphs[0].passages[0]
    assert first.text.startswith("**Austria** and . . .")
    assert [speaker.name for speaker in first.speakers] == ["Austria"]


def test_text_past_a_megabyte_is_refused():
    with pytest.raises(SummaryError, match="longer than 1 MB"):
        summary_from_upload(name="big.txt", data=shapes.spaces_in_text(1100 * 1000))


def test_more_paragraphs_than_any_summary_has_are_refused():
    text = shapes.HEADER + "".join(f"{n}. Text.\n\n" for n in range(1, 400)) * 2
    # Numbers start again at 1: the second run is text of paragraph 399, not more paragraphs.
    assert len(parse_summary(text).paragraphs) == 399
    many = shapes.HEADER + "".join(f"{n}. Text.\n\n" for n in range(1, 503))
    with pytest.raises(SummaryError, match="more than 500 numbered paragraphs"):
        parse_summary(many)


def test_an_import_past_its_time_budget_stops_with_a_message():
    with time_budget(-1), pytest.raises(SummaryError, match="took longer than"):
        summary_from_upload(name="numbered.txt", data=shapes.numbered_lines(2000))


def test_an_inner_budget_never_extends_an_outer_one():
    with time_budget(-1), time_budget(60), pytest.raises(SummaryError, match="took longer than"):
        parse_summary(shapes.stars(100).decode())


def test_role_words_adjectives_and_sub_numbers_everywhere_are_read_within_the_limits():
    summary = summary_from_upload(name="roles.txt", data=shapes.roles_and_sub_numbers())
    assert len(summary.paragraphs) == 27
    assert len(summary.roles) <= 2  # each name once, however often the words stand


def test_lettered_paragraphs_of_every_lead_are_read_within_the_limits():
    make_actors()
    summary = summary_from_upload(name="lettered.txt", data=shapes.lettered_leads_and_subjects())
    assert [paragraph.number for paragraph in summary.paragraphs] == list(range(1, 27))
    assert "The paragraphs are lettered (a to z)" in summary.warnings[0]


def test_tables_nested_thousands_deep_are_refused_with_a_message():
    with pytest.raises(SummaryError, match="nested"):
        summary_from_upload(name="nested.docx", data=shapes.nested_tables())


def test_a_sentence_said_again_in_a_paragraph_is_read_once_and_its_passages_stay_apart():
    asked: list[str] = []

    def is_speaker(name: str) -> bool:
        asked.append(name)
        return name in {"Austria", "Hungary"}

    said = "The Minister of the Interior of Austria said the same. "  # a post: its holder is asked for
    once = shapes.HEADER + "1. " + said + "The delegate of Hungary added more.\n"
    [paragraph] = parse_summary(once, is_speaker=is_speaker).paragraphs
    questions = len(asked)
    asked.clear()
    again = shapes.HEADER + "1. " + said * 3 + "The delegate of Hungary added more.\n\n2. " + said + "\n"
    first, second = parse_summary(again, is_speaker=is_speaker).paragraphs
    assert len(asked) == questions  # the same sentence, in this paragraph or the next, is read once
    assert [passage.text for passage in first.passages] == [said.strip()] * 3 + ["The delegate of Hungary added more."]
    assert [passage.speakers for passage in first.passages] == [["Austria"]] * 3 + [["Hungary"]]
    assert first.passages[0].speakers is not first.passages[1].speakers  # each passage its own, to correct
    assert [passage.text for passage in second.passages] == [said.strip()]


def test_role_words_said_again_over_800_kb_are_read_within_the_limits():
    make_actors()
    summary = summary_from_upload(name="said-again.txt", data=shapes.role_sentences_said_again())
    assert len(summary.paragraphs) == 27
    first = summary.paragraphs[0].passages
    assert [speaker.name for speaker in first[0].speakers] == ["Austria"]
    assert [speaker.name for speaker in first[1].speakers] == ["Hungary"]
    # Every sentence names its speaker: each is a passage of its own, the forty said again too.
    assert len(first) == len(split_sentences(summary.paragraphs[0].text)) > 200


def test_words_broken_at_every_line_end_and_running_headers_everywhere_are_read_within_the_limits():
    summary = summary_from_upload(name="broken.txt", data=shapes.broken_words_and_running_lines())
    assert [paragraph.number for paragraph in summary.paragraphs] == list(range(1, 28))
    assert "migration and integration matter." in summary.paragraphs[0].text
    assert "Page 3" not in summary.paragraphs[0].text and "Budapest Process – X" not in summary.paragraphs[0].text
