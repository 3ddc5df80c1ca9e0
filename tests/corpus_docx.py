"""The Word summary of the held-out corpus, built as Word writes one (its records: tests/data/corpus/tbilisi-2023.yaml).

Automatic numbering that goes on past unnumbered headings, a list inside a paragraph that restarts at 1,
real footnotes (one numbered with a list in it, two with custom marks "*" and "**"), participants in a
table, a tracked insertion and deletion, a comment, and a group photo larger than any text limit.
"""

import random
import struct
import zlib
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
MAIN, INNER, NOTE_LIST = "901", "902", "903"


def _numbering(document) -> None:
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NS} w:abstractNumId="90"><w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NS} w:abstractNumId="91"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {NS} w:numId="{MAIN}"><w:abstractNumId w:val="90"/></w:num>'))
    # Two lists of another kind, each restarting at 1 (Word's "Restart at 1").
    for num_id in (INNER, NOTE_LIST):
        numbering.append(
            parse_xml(
                f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="91"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )


def add_list(document, abstract_id: str, num_id: str, levels: list[tuple[str, str]]) -> None:
    """A list of Word's automatic numbering, each level as (number format, text): ("decimal", "%1.")."""
    kind = "singleLevel" if len(levels) == 1 else "hybridMultilevel"
    lvls = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for level, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NS} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="{kind}"/>{lvls}'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))


def add_footnotes(document, *texts: str) -> None:
    """Real footnotes, numbered 1, 2, … as Word numbers them, each one paragraph of text."""
    notes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}'
        "</w:t></w:r></w:p></w:footnote>"
        for number, text in enumerate(texts, start=1)
    )
    separator = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    _part(
        document,
        "footnotes.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        RELATIONSHIP_TYPE.FOOTNOTES,
        f"<w:footnotes {NS}>{separator}{notes}</w:footnotes>",
    )


def _numbered(paragraph, num_id: str, level: int = 0):
    properties = paragraph._p.get_or_add_pPr()
    properties.append(parse_xml(f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def _runs(paragraph, *pieces):
    """Pieces: "text", ("bold", "text"), ("note", id), ("mark", id, "*"), ("ins", "text"), ("del", "text"),
    ("comment", id, "text")."""
    for piece in pieces:
        if isinstance(piece, str):
            paragraph.add_run(piece)
        elif piece[0] == "bold":
            paragraph.add_run(piece[1]).bold = True
        elif piece[0] == "note":
            run = paragraph.add_run()
            run._r.append(parse_xml(f'<w:footnoteReference {NS} w:id="{piece[1]}"/>'))
        elif piece[0] == "mark":
            run = paragraph.add_run()
            run._r.append(parse_xml(f'<w:footnoteReference {NS} w:customMarkFollows="1" w:id="{piece[1]}"/>'))
            paragraph.add_run(piece[2])
        elif piece[0] in ("ins", "del"):
            tag, text_tag = ("ins", "t") if piece[0] == "ins" else ("del", "delText")
            bold = "<w:rPr><w:b/></w:rPr>" if len(piece) > 2 and piece[2] == "bold" else ""
            paragraph._p.append(
                parse_xml(
                    f'<w:{tag} {NS} w:id="{len(piece[1])}" w:author="Officer" w:date="2023-10-20T10:00:00Z">'
                    f'<w:r>{bold}<w:{text_tag} xml:space="preserve">{piece[1]}</w:{text_tag}></w:r></w:{tag}>'
                )
            )
        elif piece[0] == "comment":
            paragraph._p.append(parse_xml(f'<w:commentRangeStart {NS} w:id="{piece[1]}"/>'))
            paragraph.add_run(piece[2])
            paragraph._p.append(parse_xml(f'<w:commentRangeEnd {NS} w:id="{piece[1]}"/>'))
            run = paragraph.add_run()
            run._r.append(parse_xml(f'<w:commentReference {NS} w:id="{piece[1]}"/>'))
    return paragraph


def _photo(path: Path, size: int) -> Path:
    """A PNG of `size` bytes (a group photo, as far as the file's size goes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00\xff\xff\xff" * 1)
    filler = random.Random(2023).randbytes(size)  # does not compress away
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"zzZz", filler)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )
    return path


def participants_table(document, rows: list[tuple[str, str]]):
    """A table of two columns, a state and its organisation (or none), a row each."""
    table = document.add_table(rows=len(rows), cols=2)
    for row, (state, organisation) in zip(table.rows, rows, strict=True):
        row.cells[0].text = state
        row.cells[1].text = organisation
    return table


def _part(document, name: str, content_type: str, relationship: str, xml: str) -> None:
    part = Part(PackURI(f"/word/{name}"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, relationship)


FOOTNOTES = (
    f"<w:footnotes {NS}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="2"><w:p><w:r><w:t xml:space="preserve">*</w:t></w:r><w:r><w:t xml:space="preserve"> This '
    "designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 and the ICJ "
    "Opinion on the Kosovo declaration of independence.</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="3"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The Call for Action '
    "sets out six priority goals, among them:</w:t></w:r></w:p>"
    f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{NOTE_LIST}"/></w:numPr></w:pPr><w:r><w:t>'
    "Prevent and counteract irregular migration;</w:t></w:r></w:p>"
    f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{NOTE_LIST}"/></w:numPr></w:pPr><w:r><w:t>'
    "Better organise legal migration and mobility;</w:t></w:r></w:p>"
    f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{NOTE_LIST}"/></w:numPr></w:pPr><w:r><w:t>'
    "Promote integration and social cohesion.</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="4"><w:p><w:r><w:t>**</w:t></w:r><w:r><w:t xml:space="preserve"> The European Border '
    "and Coast Guard Agency.</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="5"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Adopted in Istanbul '
    "on 20 February 2019.</w:t></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)
COMMENTS = (
    f'<w:comments {NS}><w:comment w:id="7" w:author="Officer"><w:p><w:r><w:t>Check the spelling with the '
    "Albanian delegation; Armenia did not speak.</w:t></w:r></w:p></w:comment></w:comments>"
)


def build(path: Path, *, photo_bytes: int = 6 * 1024 * 1024) -> Path:
    document = docx.Document()
    _numbering(document)
    document.add_paragraph("Budapest Process")
    document.add_heading("Thematic Working Group on Return and Sustainable Reintegration", level=1)
    document.add_paragraph("Tbilisi and online, 18–19 October 2023")
    document.add_paragraph("Chair's summary")
    document.add_picture(str(_photo(path.with_suffix(".png"), photo_bytes)))

    def main(*pieces):
        return _runs(_numbered(document.add_paragraph(), MAIN), *pieces)

    main(
        "The Thematic Working Group met in Tbilisi and online with ",
        ("bold", "58 participants from 21 countries"),
        " and ten organisations, as listed below.",
    )
    rows = [
        ("Participating States", "Organisations"),
        ("Albania", "European Commission (DG HOME)"),
        ("Armenia", "European Union Agency for Asylum (EUAA)"),
        ("Austria", "FRONTEX"),
        ("Azerbaijan", "Europol"),
        ("Bulgaria", "International Centre for Migration Policy Development (ICMPD)"),
        ("Georgia", "International Organization for Migration (IOM)"),
        ("Germany", "Organization for Security and Co-operation in Europe (OSCE)"),
        ("Greece", "United Nations High Commissioner for Refugees (UNHCR)"),
        ("Hungary", "United Nations Office on Drugs and Crime (UNODC)"),
        ("Iraq", "Black Sea Mobility Observatory (BSMO)"),
        ("Kosovo", ""),
        ("Kyrgyz Republic", ""),
        ("Republic of Moldova", ""),
        ("The Netherlands", ""),
        ("Norway", ""),
        ("Pakistan", ""),
        ("Serbia", ""),
        ("Sweden", ""),
        ("Tajikistan", ""),
        ("Türkiye", ""),
        ("Uzbekistan", ""),
    ]
    table = participants_table(document, rows)
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {NS}/>"))
    kosovo = table.rows[11].cells[0].paragraphs[0]
    _runs(kosovo, ("mark", 2, "*"))

    main(
        ("bold", "Mr. Giorgi Kapanadze"),
        ", First Deputy Minister at the Ministry of Internal Affairs of Georgia, opened the meeting and welcomed "
        "participants to Tbilisi. ",
        ("bold", "Ms. Hatice Yılmaz"),
        ", Deputy Director General of the Presidency of Migration Management of Türkiye, spoke on behalf of "
        "the Chair, representing Türkiye as Chair, and recalled the Call for Action",
        ("note", 5),
        ". ",
        ("bold", "Mr. Lukas Brandt"),
        ", Director at the European Commission, presented the EU's approach to return under goals 3 to 5. ",
        ("bold", "Ms. Dilnoza Karimova"),
        ", Director of the Agency for External Labour Migration of Uzbekistan, explained how returning workers "
        "are helped to find jobs, in line with the second priority goal. ",
        ("bold", "Ms. Elena Moraru"),
        ", Head of the Return Unit at ICMPD, introduced the Secretariat's study on reintegration.",
    )
    document.add_heading("Session I – Cooperation on return", level=2)
    main(
        "The first session was devoted to cooperation on return and readmission. ",
        ("bold", "Albania"),
        ", ",
        ("bold", "Serbia"),
        " and ",
        ("bold", "Kosovo"),
        ("mark", 2, "*"),
        " presented their joint platform for readmission cases, which serves goals 2 and 4",
        ("note", 3),
        ". ",
        ("bold", "Germany"),
        " and ",
        ("del", "Armenia", "bold"),
        ("ins", "Norway", "bold"),
        " reported on assisted voluntary return programmes",
        ("ins", " for families"),
        ". ",
        ("bold", "FRONTEX"),
        ("mark", 4, "**"),
        " described its support to return operations under goal 3. ",
        ("bold", "Iraq"),
        " stressed the needs of returnees in the Kurdistan Region. ",
        ("comment", 7, "The six priority goals of the Call for Action were recalled by several delegations."),
    )
    main(
        "Participants agreed that the Working Group should, in 2024:",
    )
    for item in (
        "map the reintegration services of each participating state;",
        "hold a peer visit to a reception centre;",
        "report to the Senior Officials Meeting.",
    ):
        _runs(_numbered(document.add_paragraph(), INNER), item)
    document.add_heading("Session II – Sustainable reintegration", level=2)
    main(
        ("bold", "Pakistan"),
        " and ",
        ("bold", "Tajikistan"),
        " presented their reintegration schemes under priority goals 1, 2 and 5. ",
        ("bold", "The Netherlands"),
        " shared the results of its counselling programme. ",
        ("bold", "Sweden"),
        " and the ",
        ("bold", "EU Member States"),
        " called for a common approach to the six priority goals. ",
        ("bold", "Vestoria"),
        " described its island return centre. ",
        ("bold", "Hungary"),
        " as Co-Chair invited participants to share their data.",
    )
    main(
        "The organisations spoke next. The ",
        ("bold", "EUAA"),
        " offered training on goal 5. ",
        ("bold", "Europol"),
        " presented its work against migrant smuggling under goal 1. The ",
        ("bold", "OSCE"),
        " and the ",
        ("bold", "IOM"),
        " jointly presented a toolkit for reintegration counsellors, serving goals 3 and 4. ",
        ("bold", "UNHCR"),
        " recalled the principle of non-refoulement. The ",
        ("bold", "BSMO"),
        " shared its data on seasonal movements. ",
        ("bold", "UNODC"),
        " and ",
        ("bold", "ICMPD"),
        " reported on their joint training under the third priority goal.",
    )
    main(
        "The Chair thanked Georgia for hosting the meeting and closed it. The Secretariat (ICMPD) will circulate "
        "this summary.",
    )
    _part(
        document,
        "footnotes.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        RELATIONSHIP_TYPE.FOOTNOTES,
        FOOTNOTES,
    )
    _part(
        document,
        "comments.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        RELATIONSHIP_TYPE.COMMENTS,
        COMMENTS,
    )
    document.save(str(path))
    return path
