"""A Word summary in a report's voice (its records: tests/data/corpus/sarajevo-2022.yaml).

Word's automatic numbering ("1.") going on past "Heading 2" headings, with a second level "(a)" for the points
of one paragraph; speakers as "The representative of Hungary said …", "H.E. Mr X, Deputy Minister of the
Interior of Serbia, …" (no bold anywhere), organisations by full name and acronym, the chair as "the Turkish
Chairmanship" and the co-chair as "the Hungarian Co-Chairmanship", goals as "priority goal no. 4", "PG1 and
PG2" and "the third priority goal" of the Call for Action of 2019, one real footnote.
"""

from pathlib import Path

import docx

from .corpus_docx import _numbered, _runs, add_footnotes, add_list

LIST = "931"


def build(path: Path) -> Path:
    document = docx.Document()
    add_list(document, "93", LIST, [("decimal", "%1."), ("lowerLetter", "(%2)")])
    document.add_paragraph("Budapest Process")
    document.add_heading("Regional Meeting on Migrant Smuggling in the Western Balkans", level=1)
    document.add_paragraph("Sarajevo, 6–7 October 2022")
    document.add_paragraph("Summary of the meeting")

    def item(*pieces, level: int = 0):
        return _runs(_numbered(document.add_paragraph(), LIST, level), *pieces)

    document.add_heading("Opening session", level=2)
    item(
        "The Regional Meeting was hosted by Bosnia and Herzegovina and brought together 46 participants from 12"
        " countries – Albania, Austria, Bosnia and Herzegovina, Bulgaria, Croatia, Germany, Hungary, Montenegro,"
        " North Macedonia, Serbia, Slovenia and Türkiye – as well as the European Commission, the European Border"
        " and Coast Guard Agency (Frontex), the European Union Agency for Asylum (EUAA), the United Nations Office"
        " on Drugs and Crime (UNODC), the International Organization for Migration (IOM) and the International"
        " Centre for Migration Policy Development (ICMPD) as the Budapest Process Secretariat."
    )
    item(
        "H.E. Mr Nenad Jovanović, Deputy Minister of the Interior of Serbia, underlined that migrant smuggling"
        " networks adapt faster than the laws written against them. Ms Amela Hodžić, Assistant Minister at the"
        " Ministry of Security of Bosnia and Herzegovina, welcomed the participants to Sarajevo on behalf of the"
        " host. The Turkish Chairmanship recalled the Call for Action",
        ("note", 1),
        " and its first priority goal. The Hungarian Co-Chairmanship stressed the importance of regional"
        " cooperation against smuggling.",
    )
    document.add_heading("Session I: Trends on the Western Balkans route", level=2)
    item(
        "Frontex presented its latest risk analysis for the region, which showed a shift of the smuggling routes"
        " towards the north. The European Union Agency for Asylum (EUAA) described its support to asylum"
        " authorities in the region under PG6."
    )
    item("The discussion that followed raised three points:")
    item(
        "The representative of Hungary said that the pressure on the southern border had doubled in a year, in"
        " line with PG1 and PG2.",
        level=1,
    )
    item(
        "The representative of North Macedonia said that joint patrols with Greece and Serbia had proven their worth.",
        level=1,
    )
    item(
        "The delegation of Montenegro noted that smugglers increasingly advertise their services online.",
        level=1,
    )
    item(
        "Participants agreed that the exchange of data between the countries of the route should go on,"
        " and that the Secretariat would map the existing channels."
    )
    document.add_heading("Session II: Prosecution and protection", level=2)
    item(
        "Ms Laura Bianchi, Crime Prevention Officer at UNODC, presented the findings of the Observatory on"
        " Smuggling of Migrants and called for more financial investigations. The representative of Austria"
        " said that its police had dismantled two networks with the help of Europol, and that victims of"
        " trafficking among smuggled migrants should be identified early, under priority goal no. 5."
    )
    item(
        "The representatives of Albania and Croatia described their cooperation on the prosecution of smugglers."
        " Slovenia announced a training course for border police in 2023."
    )
    item(
        "The International Organization for Migration (IOM) recalled that smuggled migrants are often in need of"
        " protection and of help to return, in line with the third priority goal and priority goal no. 4."
    )
    item(
        "The representative of the European Commission presented the EU Action Plan against Migrant Smuggling."
        " Germany said it would fund further projects in the region."
    )
    document.add_heading("Closing session", level=2)
    item(
        "The Budapest Process Secretariat summarised the main points of the discussion and presented the next"
        " meetings of the Budapest Process."
    )
    item("The representative of the Republic of Transcarpathia said that it would share its national action plan.")
    item("The Turkish Chairmanship thanked Bosnia and Herzegovina for its hospitality and closed the meeting.")
    add_footnotes(
        document,
        "The Call for Action – a five-year plan, adopted at the 6th Ministerial Conference in Istanbul"
        " on 20 February 2019.",
    )
    document.save(str(path))
    return path
