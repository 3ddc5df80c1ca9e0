"""A Word report of a working group (its records: tests/data/corpus/yerevan-2026.yaml).

The participants in a two-column table "Country | Delegation" with a header row, statements in a table
"Speaker | Statement" inside a paragraph, countries by their adjectives ("the Hungarian delegation", "the Uzbek
side", "Azerbaijani colleagues"), organisations spelled out once with their acronym and then by it, and
references back: "The same delegation …", "The latter …".
"""

from pathlib import Path

import docx
from docx.oxml import parse_xml

from .corpus_docx import NS, _numbered, _runs, add_list

LIST = "941"


def _table(document, rows: list[tuple[str, str]], *, header: bool = True):
    table = document.add_table(rows=len(rows), cols=2)
    for row, (first, second) in zip(table.rows, rows, strict=True):
        row.cells[0].text = first
        row.cells[1].text = second
    if header:
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {NS}/>"))
    return table


def build(path: Path) -> Path:
    document = docx.Document()
    add_list(document, "94", LIST, [("decimal", "%1.")])
    document.add_paragraph("Budapest Process")
    document.add_heading("Silk Routes Working Group on Labour Migration", level=1)
    document.add_paragraph("Yerevan, 12–13 March 2026")
    document.add_paragraph("Meeting report")

    def item(*pieces):
        return _runs(_numbered(document.add_paragraph(), LIST), *pieces)

    item(
        "The Working Group met in Yerevan at the invitation of Armenia, chaired by Türkiye and co-chaired by "
        "Uzbekistan. It brought together 31 participants from the delegations listed below, as well as the "
        "International Organization for Migration (IOM), the European Commission and the International Centre "
        "for Migration Policy Development (ICMPD), which holds the Secretariat."
    )
    _table(
        document,
        [
            ("Country", "Delegation"),
            ("Armenia", "Migration and Citizenship Service"),
            ("Azerbaijan", "State Migration Service"),
            ("Georgia", "Ministry of Internal Affairs"),
            ("Hungary", "Ministry of Interior"),
            ("Kyrgyzstan", "Ministry of Labour, Social Security and Migration"),
            ("Tajikistan", "Migration Service"),
            ("Türkiye", "Presidency of Migration Management"),
            ("Uzbekistan", "Agency for External Labour Migration"),
        ],
    )
    item(
        "The Turkish Chair opened the meeting and thanked the Armenian hosts. Ms. Anahit Sargsyan, Head of the "
        "Migration and Citizenship Service of Armenia, welcomed the participants to Yerevan. IOM presented its "
        "study on the pre-departure orientation of workers."
    )
    document.add_heading("Labour mobility schemes", level=2)
    item(
        "The Hungarian delegation presented the results of its seasonal work programme under priority goal 2. "
        "The same delegation proposed a peer review of the programme in 2027. The Uzbek side described the "
        "training of its workers going abroad and thanked Azerbaijani colleagues for their support. Azerbaijani "
        "colleagues presented the new electronic permit for seasonal workers."
    )
    item("The statements of the delegations on circular migration are summarised below.")
    _table(
        document,
        [
            ("Speaker", "Statement"),
            ("Georgia", "Presented its circular migration scheme with Germany, in line with priority goals 2 and 4."),
            (
                "Kyrgyzstan and Tajikistan",
                "Presented a joint study on remittances. The latter announced that it would host the next meeting.",
            ),
            ("IOM", "Offered technical support to the Working Group."),
        ],
    )
    document.add_heading("Work plan and closing", level=2)
    item("The Secretariat presented the draft work plan for 2026–2027, which the Working Group endorsed.")
    item("The Co-Chair thanked the participants and closed the meeting. The Secretariat will circulate this report.")
    document.save(str(path))
    return path
