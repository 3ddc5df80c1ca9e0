"""A Word summary in a style the other corpus files do not use (its records: tests/data/corpus/baku-2025.yaml).

Word's automatic numbering with "1)" as its text, speakers named by their delegation ("The representative of
the Republic of Moldova", "the delegation of Türkiye", "EU Delegation", "Mr. X (UNHCR)"), officials with
"H.E." before their name, goals as "Priority Goal 4", "PG 2", "goals 1 and 3", a date "on 5th of April 2025"
style, real footnotes, a table of participants, an "Annex" heading, smart quotes, non-breaking spaces, soft
hyphens and tabs.
"""

from pathlib import Path

import docx

from .corpus_docx import _numbered, _runs, add_footnotes, add_list, participants_table

LIST = "921"
NBSP, SHY = "\u00a0", "\u00ad"


def build(path: Path) -> Path:
    document = docx.Document()
    add_list(document, "92", LIST, [("decimal", "%1)")])
    document.add_paragraph("Budapest Process")
    document.add_heading("Thematic Meeting on Labour Migration and Skills Partnerships", level=1)
    document.add_paragraph(f"Baku, Azerbaijan, 8–9{NBSP}April{NBSP}2025")
    document.add_paragraph("Summary")

    def item(*pieces):
        return _runs(_numbered(document.add_paragraph(), LIST), *pieces)

    item(
        f"The Thematic Meeting gathered 44{NBSP}participants from 14 countries and six organisations in Baku"
        " on 8 and 9 April 2025, hosted by Azerbaijan",
        ("note", 2),
        ".",
    )
    item(
        ("bold", "H.E. Mr. Rashad Aliyev"),
        ", Deputy Minister of Labour and Social Protection of Azerbaijan, opened the meeting. ",
        ("bold", "Ms. Ayşe Demir"),
        ", Head of Department at the Presidency of Migration Management of Türkiye, spoke for the Chair and "
        "recalled the Call for Action 2025–2030",
        ("note", 1),
        ".",
    )
    item(
        "The representative of the Republic of Moldova presented the \u201cdiaspora skills\u201d pro"
        f"{SHY}gramme under Priority Goal 2. "
        "The delegation of Türkiye described its seasonal work scheme, in line with PG\u00a02. "
        "The Kyrgyz Republic shared its pre-departure training, serving goals 1 and 3. "
        "The EU Delegation stressed the Talent Partnerships under the second priority goal.\t"
    )
    item(
        "Mr. Jonas Berg (UNHCR) recalled that refugees, too, hold skills, under Priority Goal 5. "
        "The representative of Georgia noted its circular migration agreements with EU Member States. "
        "The representative of Zembla described its labour attaché network."
    )
    item("The Chair thanked Azerbaijan for hosting the meeting and closed it.")
    document.add_heading("Annex", level=2)
    document.add_paragraph("List of participants")
    rows = [
        ("Country", "Organisation"),
        ("Armenia", "European Commission"),
        ("Azerbaijan", "ICMPD"),
        ("Bulgaria", "IOM"),
        ("Georgia", "ILO"),
        ("Germany", "UNHCR"),
        ("Hungary", "European Training Foundation (ETF)"),
        ("Kyrgyz Republic", ""),
        ("Republic of Moldova", ""),
        ("Pakistan", ""),
        ("Serbia", ""),
        ("Tajikistan", ""),
        ("Türkiye", ""),
        ("Ukraine", ""),
        ("Uzbekistan", ""),
    ]
    participants_table(document, rows)
    add_footnotes(
        document,
        "The Call for Action 2025–2030, adopted at the 7th Ministerial Conference in Budapest on 12 November 2024.",
        "See the Annex for the list of participants.",
    )
    document.save(str(path))
    return path
