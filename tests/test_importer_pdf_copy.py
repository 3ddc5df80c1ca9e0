"""Text copied out of a PDF into a .txt: page numbers and running headers and footers left out (and said so),
words broken at a line's end joined again (and listed), paragraphs numbered "§ 4" or by section ("1.1") read
(the corpus's ankara-2026.txt is a whole summary of this kind)."""

from meetings.importer.parse import parse_summary
from meetings.importer.pdf_copy import pdf_copy_cleaned

HEADER = "Budapest Process\n\nThematic Meeting on Return\n\nVienna, 3 March 2026\n\n"
RUNNING = "Budapest Process – Summary"


def test_running_headers_and_page_numbers_between_paragraphs_are_left_out_and_the_review_says_so():
    text = (
        f"{RUNNING}\n\nThematic Meeting on Return\n\nVienna, 3 March 2026\n\n"
        "1. The meeting opened.\n\nPage 1 of 3\n\n"
        f"{RUNNING}\n\nSession II – Return\n\n2. Austria spoke.\n\n- 2 -\n\n{RUNNING}\n\n3. Hungary closed it.\n"
    )
    summary = parse_summary(text)
    assert [paragraph.text for paragraph in summary.paragraphs] == [
        "The meeting opened.",
        "Austria spoke.",
        "Hungary closed it.",
    ]
    # The running header is no heading of paragraph 2 or 3, and its copy above paragraph 1 is the title's line.
    assert [paragraph.heading for paragraph in summary.paragraphs] == ["", "Session II – Return", ""]
    assert summary.title == "Thematic Meeting on Return"
    [said] = [warning for warning in summary.warnings if "running headers" in warning]
    assert f"“{RUNNING}” (2 times)" in said


def test_a_running_line_with_its_page_number_is_one_line_however_the_number_changes():
    text = HEADER + "1. One.\n\nAnkara 2026 | 1\n\n2. Two.\n\nAnkara 2026 | 2\n\n3. Three.\n"
    cleaned, warnings = pdf_copy_cleaned(text)
    assert "Ankara 2026 |" not in cleaned
    assert "“Ankara 2026 | 1”" in warnings[0] and "“Ankara 2026 | 2”" in warnings[0]


def test_a_line_said_once_and_sentences_said_again_stay():
    text = HEADER + "1. Austria spoke.\n\nAustria spoke.\n\nKey messages\n\n2. Austria spoke.\n"
    cleaned, warnings = pdf_copy_cleaned(text)
    assert cleaned == text and warnings == []


def test_words_broken_at_a_line_end_are_joined_also_across_a_page_break_and_listed():
    text = (
        HEADER + "1. The meeting discussed migra-\ntion and the pre-\ndeparture training that pre-departure\n"
        "centres give, and the integra-\n\nPage 2 of 4\n\n"
        f"{RUNNING}\n\n{RUNNING}\n\ntion of returnees – with partners.\n"
    )
    summary = parse_summary(text)
    [paragraph] = summary.paragraphs
    assert paragraph.text == (
        "The meeting discussed migration and the pre-departure training that pre-departure centres give, and the "
        "integration of returnees – with partners."
    )
    [said] = [warning for warning in summary.warnings if "broken at the end of a line" in warning]
    assert "migra- tion → migration" in said and "pre- departure → pre-departure" in said


def test_paragraphs_numbered_with_a_section_sign_are_numbered_paragraphs():
    text = HEADER + "§ 1 The meeting opened.\n§ 2. Austria spoke.\n§3: Hungary closed it, under § 4 of the rules.\n"
    summary = parse_summary(text)
    assert [(paragraph.number, paragraph.text) for paragraph in summary.paragraphs] == [
        (1, "The meeting opened."),
        (2, "Austria spoke."),
        (3, "Hungary closed it, under § 4 of the rules."),
    ]


def test_paragraphs_numbered_by_section_are_read_as_paragraphs_with_sub_paragraphs_and_the_review_says_so():
    text = HEADER + "1.1 The meeting opened.\n1.2 The Secretariat reported.\n2.1 Austria spoke.\n2.2 Hungary replied.\n"
    summary = parse_summary(text)
    assert [paragraph.number for paragraph in summary.paragraphs] == [1, 2]
    assert [passage.text for passage in summary.paragraphs[0].passages] == [
        "1.1 The meeting opened.",
        "1.2 The Secretariat reported.",
    ]
    [said] = [warning for warning in summary.warnings if "sub-paragraph" in warning]
    assert "2 paragraph(s) have no number of their own" in said and "(1.1, 2.1)" in said


def test_a_sub_paragraph_opens_a_passage_of_its_own_though_the_same_speaker_goes_on():
    text = HEADER + "1. The Secretariat presented its report.\n1.1 The Secretariat reported on goal 2.\n"
    [paragraph] = parse_summary(text).paragraphs
    assert [passage.kind for passage in paragraph.passages] == ["secretariat", "secretariat"]


def test_a_header_line_below_the_date_that_runs_on_every_page_keeps_its_first_copy():
    # "2 December 2026" is no paragraph's number: the lines below it are still the header's.
    text = "Budapest Process\n\n2 December 2026\n\nSenior Officials Meeting\n\n1. Opened.\n\nSenior Officials Meeting\n"
    cleaned, _warnings = pdf_copy_cleaned(text)
    assert cleaned.count("Senior Officials Meeting") == 1
    assert cleaned.index("Senior Officials Meeting") < cleaned.index("1. Opened.")


NOTES = "\n\n1 The Call for Action of 2019.\n2 See the annex.\n"


def test_note_numbers_glued_to_words_are_the_notes_at_the_end_and_the_review_says_so():
    text = (
        HEADER + "1. The Call for Action on migration1 was recalled, with PG2 and COVID19.\n\n"
        "2. Austria spoke on return2. It had 5 centres3 in 2020." + NOTES
    )
    summary = parse_summary(text)
    assert [paragraph.text for paragraph in summary.paragraphs] == [
        "The Call for Action on migration¹ was recalled, with PG2 and COVID19.",
        "Austria spoke on return². It had 5 centres3 in 2020.",  # no third note: "centres3" stays
    ]
    assert [(note.number, note.text) for note in summary.footnotes] == [
        (1, "The Call for Action of 2019."),
        (2, "See the annex."),
    ]
    [said] = [warning for warning in summary.warnings if "glued" in warning]
    assert "migration1 → migration¹" in said and "return2 → return²" in said


def test_numbers_after_words_stay_without_notes_numbered_in_order_at_the_end():
    for end in ("", "\n\n2 See the annex.\n", "\n\n1 One.\n3 Three.\n"):
        text = HEADER + "1. The Call for Action on migration1 was recalled." + end
        assert "migration1" in parse_summary(text).paragraphs[0].text


def test_a_line_wrapped_before_a_number_starts_no_paragraph():
    text = HEADER + "1. The meeting discussed priority goals 1 and\n2. It agreed on a plan.\n\n2. Hungary closed it.\n"
    summary = parse_summary(text)
    assert [(paragraph.number, paragraph.text) for paragraph in summary.paragraphs] == [
        (1, "The meeting discussed priority goals 1 and 2. It agreed on a plan."),
        (2, "Hungary closed it."),
    ]
    assert summary.warnings == []
    # A list's last item ("…; and") ends there: the next number is a paragraph.
    text = HEADER + "1. It agreed to (a) meet; and\n2. Hungary closed it.\n"
    assert [paragraph.number for paragraph in parse_summary(text).paragraphs] == [1, 2]


def test_a_wrapped_line_of_the_last_paragraph_that_starts_with_1_is_no_note():
    text = HEADER + "1. It opened.\n\n2. The meeting gathered delegates from\n1 country only on goal1.\n"
    summary = parse_summary(text)
    assert summary.paragraphs[1].text == "The meeting gathered delegates from 1 country only on goal1."
    assert summary.footnotes == []


def test_a_number_alone_on_a_line_inside_a_sentence_is_kept_and_a_page_number_is_not():
    text = (
        HEADER + "1. The meeting brought together 41 participants of\n12\ncountries and the floor was given to\n"
        "Austria.\n\n3\n\n2. Austria spoke of a share of\n40\nper cent of returnees, and of the\n4\nsituation.\n"
    )
    summary = parse_summary(text)
    assert [paragraph.text for paragraph in summary.paragraphs] == [
        "The meeting brought together 41 participants of 12 countries and the floor was given to Austria.",
        # "of the" / "4" / "situation": no count of anything, a page's number at a page break.
        "Austria spoke of a share of 40 per cent of returnees, and of the situation.",
    ]
