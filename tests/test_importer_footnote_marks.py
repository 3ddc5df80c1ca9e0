"""Word footnotes with marks of their own (w:customMarkFollows: "*" for the Kosovo designation, "**") keep the mark
as written, linked from the text to the note and back, and no numbered note shifts.

The summary is a fictional Expert Meeting on Visa Policy in Skopje, with two numbered notes between the marked ones
(the corpus's Word summary puts its marked notes after all numbered ones).
"""

import io
import re

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE

from meetings.importer import summary_from_upload
from meetings.importer.docx import docx_to_text
from meetings.markup import render_inline, strip_markup
from meetings.services.importing import meeting_import
from meetings.services.publishing import meeting_publish
from tests.corpus_docx import NS, _part, _runs
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db

NOTES = (
    f"<w:footnotes {NS}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> In person and online.'
    "</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="2"><w:p><w:r><w:t>*</w:t></w:r><w:r><w:t xml:space="preserve"> This designation is without '
    "prejudice to positions on status, and is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo "
    "declaration of independence.</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="3"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The regime of 2023.'
    "</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="4"><w:p><w:r><w:t>**</w:t></w:r><w:r><w:t xml:space="preserve"> As amended in May.'
    "</w:t></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


@pytest.fixture
def actors():
    return make_actors()


def skopje_meeting() -> bytes:
    document = docx.Document()
    document.add_paragraph("Budapest Process")
    document.add_paragraph("Expert Meeting on Visa Policy")
    document.add_paragraph("Skopje, 3 June 2024")
    _runs(
        document.add_paragraph(),
        "1. The meeting gathered 30 participants from 4 countries (Austria, Hungary, Kosovo",
        ("mark", "2", "*"),
        " and Serbia)",
        ("note", "1"),
        ".",
    )
    _runs(
        document.add_paragraph(),
        "2. ",
        ("bold", "Serbia"),
        " presented its visa regime",
        ("note", "3"),
        ". ",
        ("bold", "Hungary"),
        " described its seasonal visas",
        ("mark", "4", "**"),
        ".",
    )
    _part(
        document,
        "footnotes.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        RELATIONSHIP_TYPE.FOOTNOTES,
        NOTES,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_marks_are_kept_as_written_and_the_numbers_do_not_shift():
    text = docx_to_text(skopje_meeting())
    assert "Kosovo[^*] and Serbia)¹." in text
    assert "visa regime². **Hungary** described its seasonal visas[^**]." in text
    assert "\n[^*]: This designation is without prejudice" in text and "\n[^**]: As amended in May." in text
    assert "¹ In person and online." in text and "² The regime of 2023." in text


def test_the_saved_meeting_links_each_mark_to_its_note_and_back(actors, client):
    summary = summary_from_upload(name="skopje.docx", data=skopje_meeting())
    assert "Kosovo" in [match.name for match in summary.participants]
    meeting = meeting_import(summary=summary)
    notes = [(note.number, note.mark, note.text[:14]) for note in meeting.footnotes.all()]
    assert notes == [
        (1, "", "In person and "),
        (2, "", "The regime of "),
        (3, "*", "This designati"),
        (4, "**", "As amended in "),
    ]
    meeting_publish(meeting=meeting)
    page = client.get(meeting.get_absolute_url()).content.decode()
    # Text → note: the mark as written, linked to the note's id.
    assert '<a class="fnref" href="#fn-2a" aria-label="Footnote *">*</a>' in page
    assert '<a class="fnref" href="#fn-2a-2a" aria-label="Footnote **">**</a>' in page
    assert '<a class="fnref" href="#fn2" aria-label="Footnote 2">²</a>' in page
    for anchor in ("fn1", "fn2", "fn-2a", "fn-2a-2a"):
        assert f'id="{anchor}"' in page
    # Note → text: each note links back to the passage that refers to it.
    back = dict(re.findall(r'<li id="(fn[-\w]+)"[^>]*>.*?<a class="fnback" href="#([\w-]+)"', page, re.S))
    assert back == {"fn1": "p1-1", "fn2": "p2-1", "fn-2a": "p1-1", "fn-2a-2a": "p2-2"}
    for passage in set(back.values()):
        assert f'id="{passage}"' in page
    assert '<span class="fnmark">*</span>' in page


def test_a_mark_in_plain_words_and_in_markup():
    assert strip_markup("**Kosovo**[^*] and Serbia") == "Kosovo* and Serbia"
    assert str(render_inline("**x**[^**]")) == (
        '<strong>x</strong><a class="fnref" href="#fn-2a-2a" aria-label="Footnote **">**</a>'
    )
    assert "<script" not in str(render_inline("[^<script>]"))
