"""Actors named by their country's adjective, participants in a table inside a table, and "3.1." sub-paragraphs.

The summary is a fictional Workshop on Document Fraud in Yerevan, laid out as many Secretariats' Word
templates are: the participants in a table inside a layout table, sub-paragraphs numbered 3.1., 3.2, and
actors called "the Turkish delegation" or "the Georgian Ministry of Internal Affairs" instead of by name.
"""

import io

import docx
import pytest
from docx.oxml import parse_xml

from actors.models import Actor
from meetings.importer import SummaryError, summary_from_text, summary_from_upload
from meetings.importer.docx import docx_to_text
from meetings.importer.reference import demonyms
from meetings.importer.roles import HOST
from meetings.models import Passage
from meetings.services.importing import meeting_import
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
COUNTRIES = ["Austria", "Bulgaria", "Georgia", "Hungary", "Serbia", "Türkiye"]


@pytest.fixture
def actors():
    return make_actors()


def yerevan_workshop() -> bytes:
    document = docx.Document()
    document.add_paragraph("Budapest Process")
    document.add_paragraph("Workshop on Document Fraud")
    document.add_paragraph("Yerevan, 12 March 2024")
    document.add_paragraph(
        "1. The workshop, held with Armenia as host, brought together 40 experts from 6 countries as well as the ICMPD."
    )
    layout = document.add_table(rows=1, cols=1)
    cell = layout.cell(0, 0)
    cell.paragraphs[0].add_run("Participating States").bold = True
    inner = cell.add_table(rows=3, cols=2)
    for index, name in enumerate(COUNTRIES):
        inner.cell(index // 2, index % 2).text = name
    document.add_paragraph("2. The Hungarian Chair opened the workshop and recalled its aims.")
    document.add_paragraph("3. Three delegations presented their practice.")
    document.add_paragraph("3.1. The Turkish delegation presented its document examination centre under goal 1.")
    paragraph = document.add_paragraph("3.2 ")
    paragraph.add_run("Ms. Nino Beridze").bold = True
    paragraph.add_run(", Head of Division at the Georgian Ministry of Internal Affairs, described forged visas.")
    document.add_paragraph("3.3. The Serbian side spoke of training under goal 4.")
    document.add_paragraph("4. The Chair closed the workshop.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_table_inside_a_table_gives_the_participants(actors):
    text = docx_to_text(yerevan_workshop())
    assert "| Austria | Bulgaria |" in text and "| Serbia | Türkiye |" in text
    assert text.count("Austria") == 1  # the outer table does not repeat its inner table's text
    summary = summary_from_upload(name="yerevan.docx", data=yerevan_workshop())
    names = [match.name for match in summary.participants if match.kind == Actor.Kind.COUNTRY]
    assert sorted(names) == ["Austria", "Bulgaria", "Georgia", "Hungary", "Serbia", "Turkey"]
    assert summary.unrecognised == []


def test_adjectives_name_the_chair_a_delegation_and_an_institutions_country(actors):
    summary = summary_from_upload(name="yerevan.docx", data=yerevan_workshop())
    assert summary.chair is not None and summary.chair.name == "Hungary"
    assert [(role, match.name) for role, match in summary.roles] == [(HOST, "Armenia")]
    third = summary.paragraphs[2]
    assert [passage.text[:5] for passage in third.passages] == ["Three", "3.1. ", "3.2 *", "3.3. "]
    turkish, official, serbian = third.passages[1:]
    assert [match.name for match in turkish.speakers] == ["Turkey"] and turkish.goals == [1]
    assert [match.name for match in serbian.speakers] == ["Serbia"] and serbian.goals == [4]
    person = official.person
    assert person is not None and (person.name, person.title) == ("Nino Beridze", "Head of Division")
    assert person.affiliation is not None
    assert (person.affiliation.name, person.affiliation.parent.name) == ("Ministry of Internal Affairs", "Georgia")
    assert [match.name for match in official.speakers] == ["Georgia"]

    meeting = meeting_import(summary=summary)
    assert [p.number for p in meeting.paragraphs.all()] == [1, 2, 3, 4]  # "3.1" is kept in the text, as written
    passage = Passage.objects.get(paragraph__meeting=meeting, text__startswith="3.2 ")
    assert passage.official.actor.parent.name == "Georgia"
    assert list(passage.speakers.values_list("name", flat=True)) == ["Georgia"]


@pytest.mark.parametrize(
    ("written", "country"),
    [
        ("the Turkish delegation", "Turkey"),
        ("Slovak authorities", "Slovakia"),
        ("the Bosnian and Herzegovinian side", "Bosnia and Herzegovina"),
        ("the Kosovar delegation", "Kosovo"),
        ("Uzbek", "Uzbekistan"),
    ],
)
def test_a_countrys_adjective_with_a_word_for_its_government(actors, written, country):
    summary = summary_from_text(
        f"Budapest Process\n\nStudy Visit\n\nRiga, 1 April 2025\n\n1. Officials met.\n\n2. **{written.capitalize()}** "
        "described its work.\n"
    )
    speakers = summary.paragraphs[1].passages[0].speakers
    assert [match.name for match in speakers] == [country]


def test_an_adjective_before_other_words_is_not_a_country(actors):
    summary = summary_from_text(
        "Budapest Process\n\nStudy Visit\n\nRiga, 1 April 2025\n\n1. Officials met.\n\n"
        "2. **Turkish migrants** were the subject of a study.\n"
    )
    assert summary.paragraphs[1].passages[0].speakers == []
    assert "Turkish migrants" in summary.unrecognised


def test_the_adjectives_cover_the_dialogues_states():
    table = demonyms()
    assert len(set(table.values())) >= 55
    assert table["georgian"] == "GE" and table["kyrgyz"] == "KG" and table["north macedonian"] == "MK"


def test_tables_nested_without_end_are_refused_at_once():
    body = "<w:tbl><w:tr><w:tc>" * 40 + "<w:p><w:r><w:t>1. Deep</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 40
    document = docx.Document()
    document.element.body.append(parse_xml(f"<w:sdt {W}><w:sdtContent>{body}</w:sdtContent></w:sdt>"))
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(SummaryError, match="nested"):
        docx_to_text(buffer.getvalue())
