"""Word's shapes that hold text: text boxes (DrawingML's wps:txbx and VML's v:textbox, each also inside
mc:AlternateContent, which carries the same box twice), symbols (w:sym) and fields (HYPERLINK, PAGE): their
words are read once, in their place, and a field's instructions never reach a paragraph.

The summary is a fictional Thematic Meeting on Labour Mobility in Chisinau, 2024, built as Word writes one.
"""

import io

import docx
import docx.opc.constants
import pytest
from docx.oxml import parse_xml

from meetings.importer import summary_from_upload
from meetings.importer.docx import docx_to_text
from meetings.importer.symbols import symbol
from tests.corpus_docx import NS
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db

WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
WP = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _box_paragraphs(*texts: str) -> str:
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>' for text in texts)


def drawing_box(*texts: str) -> str:
    """A DrawingML text box (wps:txbx), as Word 2010 and later anchor one in a run."""
    return (
        f'<w:drawing {NS} {WP} {A} {WPS}><wp:anchor><wp:docPr id="1" name="Text Box 1"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{_box_paragraphs(*texts)}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>"
        "</a:graphic></wp:anchor></w:drawing>"
    )


def vml_box(*texts: str) -> str:
    """The same box in VML (w:pict, v:textbox), as older Word writes it and as a Fallback."""
    content = f"<w:txbxContent>{_box_paragraphs(*texts)}</w:txbxContent>"
    return f"<w:pict {NS} {V}><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"


def alternate_box(*texts: str) -> str:
    """The box twice, as Word saves it: the DrawingML copy as the Choice, the VML one as the Fallback."""
    return (
        f'<mc:AlternateContent {MC} {NS}><mc:Choice Requires="wps">{drawing_box(*texts)}</mc:Choice>'
        f"<mc:Fallback>{vml_box(*texts)}</mc:Fallback></mc:AlternateContent>"
    )


def _document(*paragraphs: str) -> bytes:
    """A .docx of paragraphs of raw run XML (each a string of w:r elements), after a header."""
    document = docx.Document()
    for line in ("Budapest Process", "Thematic Meeting on Labour Mobility", "Chisinau, 14 March 2024"):
        document.add_paragraph(line)
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for run in parse_xml(f"<w:p {NS} {MC}>{runs}</w:p>"):
            paragraph._p.append(run)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def run(text: str = "", inner: str = "", bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    words = f'<w:t xml:space="preserve">{text}</w:t>' if text else ""
    return f"<w:r>{properties}{words}{inner}</w:r>"


def test_a_text_box_saved_twice_is_read_once_after_its_paragraph_and_the_review_says_so():
    make_actors()
    data = _document(
        run("1. The meeting gathered 40 participants from 12 countries (Austria, Hungary and Serbia).")
        + run(inner=alternate_box("Key messages: labour mobility needs partners.")),
        run("2. ") + run("Hungary", bold=True) + run(" presented its programme."),
    )
    text = docx_to_text(data)
    assert text.count("Key messages") == 1  # the Choice, not its Fallback too
    summary = summary_from_upload(name="chisinau.docx", data=data)
    first, second = summary.paragraphs
    assert first.text.endswith("(Austria, Hungary and Serbia). Key messages: labour mobility needs partners.")
    assert [speaker.name for speaker in second.passages[0].speakers] == ["Hungary"]
    [said] = [warning for warning in summary.warnings if "text box" in warning]
    assert "paragraph 1, after its own words" in said
    assert not any("<!--" in paragraph.text for paragraph in summary.paragraphs)


@pytest.mark.parametrize("box", [drawing_box, vml_box], ids=["drawingml", "vml"])
def test_a_text_box_alone_of_either_kind_is_read(box):
    data = _document(run("1. The meeting opened.") + run(inner=box("Box one.", "Box two.")), run("2. It closed."))
    text = docx_to_text(data)
    assert text.index("1. The meeting opened.") < text.index("Box one.") < text.index("Box two.") < text.index("2.")


def test_a_group_of_text_boxes_is_read_in_document_order():
    second = f"<wps:wsp><wps:txbx><w:txbxContent>{_box_paragraphs('Second box.')}</w:txbxContent></wps:txbx></wps:wsp>"
    group = drawing_box("First box.").replace("</wps:wsp>", "</wps:wsp>" + second)
    text = docx_to_text(_document(run("1. Opened.") + run(inner=group)))
    assert text.index("First box.") < text.index("Second box.")
    assert text.count("First box.") == text.count("Second box.") == 1


def test_symbols_are_their_characters_and_no_text_is_lost():
    bullet = f'<w:sym {NS} w:font="Symbol" w:char="F0B7"/>'
    tick = f'<w:sym {NS} w:font="Wingdings" w:char="F0FC"/>'
    other = f'<w:sym {NS} w:font="Wingdings" w:char="F0E9"/>'  # none the table names: the character Word stores
    text = docx_to_text(
        _document(
            run("1. The meeting agreed on:"),
            run(inner=bullet) + run(" a calendar ") + run(inner=tick) + run(inner=other),
        )
    )
    assert "• a calendar ✓\uf0e9" in text
    assert symbol("Arial", "F041") == "A"  # an ordinary font's letter, shifted as symbol fonts are
    assert symbol("Symbol", "zz") == ""


def field(code: str, result: str) -> str:
    """A complex field as Word writes it: begin, its code in w:instrText, separate, its result, end."""
    return (
        run(inner=f'<w:fldChar {NS} w:fldCharType="begin"/>')
        + run(inner=f'<w:instrText {NS} xml:space="preserve"> {code} </w:instrText>')
        + run(inner=f'<w:fldChar {NS} w:fldCharType="separate"/>')
        + run(result)
        + run(inner=f'<w:fldChar {NS} w:fldCharType="end"/>')
    )


def test_a_hyperlink_field_keeps_its_words_and_never_its_code():
    data = _document(
        run("1. The Secretariat presented ")
        + field('HYPERLINK "https://www.budapestprocess.org/report"', "the annual report")
        + run(" on page ")
        + field("PAGE", "3")
        + run("."),
        # A converter that writes the code as text (w:t) between begin and separate: still code, never text.
        run("2. See ")
        + run(inner=f'<w:fldChar {NS} w:fldCharType="begin"/>')
        + run('HYPERLINK "https://example.org" \\o "tip"')
        + run(inner=f'<w:fldChar {NS} w:fldCharType="separate"/>')
        + run("the calendar")
        + run(inner=f'<w:fldChar {NS} w:fldCharType="end"/>')
        + run("."),
        # A field left open (no separate, no end) ends with its paragraph: the next one is read.
        run("3. Closed ") + run(inner=f'<w:fldChar {NS} w:fldCharType="begin"/>') + run("TOC \\o"),
        run("4. The Chair closed the meeting."),
    )
    text = docx_to_text(data)
    # A link's words as a Markdown link, so that the review lists its address (the page keeps the words only).
    assert "1. The Secretariat presented [the annual report](https://www.budapestprocess.org/report) on page 3." in text
    assert "2. See [the calendar](https://example.org)." in text
    assert "4. The Chair closed the meeting." in text
    assert "HYPERLINK" not in text and "TOC" not in text and "tip" not in text
    summary = summary_from_upload(name="fields.docx", data=data)
    assert summary.paragraphs[0].text == "The Secretariat presented the annual report on page 3."
    [said] = [warning for warning in summary.warnings if warning.startswith("Links are not kept")]
    assert "“the calendar” (https://example.org)" in said


def test_paragraphs_written_twice_as_alternate_content_are_read_once():
    document = docx.Document()
    for line in ("Thematic Meeting on Labour Mobility", "Chisinau, 14 March 2024"):
        document.add_paragraph(line)
    twice = (
        f'<mc:AlternateContent {MC} {NS}><mc:Choice Requires="w14"><w:p><w:r><w:t>1. The meeting opened.</w:t></w:r>'
        "</w:p></mc:Choice><mc:Fallback><w:p><w:r><w:t>1. The meeting opened.</w:t></w:r></w:p></mc:Fallback>"
        "</mc:AlternateContent>"
    )
    document.element.body.insert(len(document.element.body) - 1, parse_xml(twice))
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_to_text(buffer.getvalue()).count("The meeting opened.") == 1


def test_a_links_address_is_listed_on_the_review_and_its_words_stay():
    document = docx.Document()
    for line in ("Budapest Process", "Thematic Meeting on Labour Mobility", "Chisinau, 14 March 2024"):
        document.add_paragraph(line)
    outside = document.part.relate_to(
        "https://www.budapestprocess.org/report", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    links = [
        f'<w:hyperlink {NS} {R} r:id="{outside}"><w:r><w:t>the annual report</w:t></w:r></w:hyperlink>',
        f'<w:hyperlink {NS} w:anchor="annex"><w:r><w:t>the annex</w:t></w:r></w:hyperlink>',  # inside the document
    ]
    paragraph = document.add_paragraph("1. The Secretariat presented ")
    paragraph._p.append(parse_xml(links[0]))
    paragraph.add_run(", listed in ")
    paragraph._p.append(parse_xml(links[1]))
    paragraph.add_run(".")
    document.add_paragraph("2. The Chair closed the meeting.")
    buffer = io.BytesIO()
    document.save(buffer)
    summary = summary_from_upload(name="links.docx", data=buffer.getvalue())
    assert summary.paragraphs[0].text == "The Secretariat presented the annual report, listed in the annex."
    [said] = [warning for warning in summary.warnings if warning.startswith("Links are not kept")]
    assert "“the annual report” (https://www.budapestprocess.org/report)" in said and "annex" not in said
