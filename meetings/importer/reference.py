"""Names the importer knows without the database: the dialogue's usual organisations, and the countries
its summaries name that ISO 3166 does not list.

A name found here and not in the database comes back as a new actor *to be created* (the officer sees it
on the review and can map it to an existing actor instead); a name found nowhere is reported, never guessed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class KnownOrganisation:
    name: str
    acronym: str
    kind: str  # Actor.OrganisationKind value
    other_names: tuple[str, ...] = ()


DATA = Path(__file__).parent / "data"

EU, UN, INTERNATIONAL, REGIONAL, DIALOGUE = "eu_body", "un_agency", "international", "regional", "dialogue"

ORGANISATIONS = (
    KnownOrganisation("European Commission", "EC", EU, ("DG HOME", "European Commission (DG HOME)")),
    KnownOrganisation("Council of the European Union", "Council of the EU", EU),
    KnownOrganisation("European External Action Service", "EEAS", EU),
    KnownOrganisation("European Parliament", "EP", EU),
    KnownOrganisation("European Union Agency for Asylum", "EUAA", EU),
    KnownOrganisation("European Asylum Support Office", "EASO", EU),
    KnownOrganisation("European Border and Coast Guard Agency", "Frontex", EU),
    KnownOrganisation("European Union Agency for Law Enforcement Cooperation", "Europol", EU, ("Europol",)),
    KnownOrganisation("European Union Agency for Criminal Justice Cooperation", "Eurojust", EU),
    KnownOrganisation("European Union Agency for Fundamental Rights", "FRA", EU),
    KnownOrganisation("European Training Foundation", "ETF", EU),
    KnownOrganisation("International Centre for Migration Policy Development", "ICMPD", INTERNATIONAL),
    KnownOrganisation("International Organization for Migration", "IOM", UN),
    KnownOrganisation("International Labour Organization", "ILO", UN),
    KnownOrganisation("United Nations High Commissioner for Refugees", "UNHCR", UN, ("UN Refugee Agency",)),
    KnownOrganisation("United Nations Office on Drugs and Crime", "UNODC", UN),
    KnownOrganisation("United Nations Development Programme", "UNDP", UN),
    KnownOrganisation("United Nations Children's Fund", "UNICEF", UN),
    KnownOrganisation("Office of the United Nations High Commissioner for Human Rights", "OHCHR", UN),
    KnownOrganisation("Organization for Security and Co-operation in Europe", "OSCE", INTERNATIONAL),
    KnownOrganisation("Council of Europe", "CoE", INTERNATIONAL),
    KnownOrganisation("International Criminal Police Organization", "INTERPOL", INTERNATIONAL, ("Interpol",)),
    KnownOrganisation("World Bank", "", INTERNATIONAL),
    KnownOrganisation("Organisation for Economic Co-operation and Development", "OECD", INTERNATIONAL),
    KnownOrganisation("Migration, Asylum, Refugees Regional Initiative", "MARRI", REGIONAL),
    KnownOrganisation("Regional Cooperation Council", "RCC", REGIONAL),
    KnownOrganisation("Black Sea Economic Cooperation", "BSEC", REGIONAL),
    KnownOrganisation("Commonwealth of Independent States", "CIS", REGIONAL),
    KnownOrganisation("Prague Process", "", DIALOGUE),
    KnownOrganisation("Rabat Process", "", DIALOGUE),
    KnownOrganisation("Khartoum Process", "", DIALOGUE),
    KnownOrganisation("Bali Process", "", DIALOGUE),
    KnownOrganisation("Almaty Process", "", DIALOGUE),
    KnownOrganisation("Colombo Process", "", DIALOGUE),
    KnownOrganisation("Regional Support Office to the Bali Process", "RSO", DIALOGUE),
)

# Countries ISO 3166 does not list; "XK" is the code the EU and others use for Kosovo.
EXTRA_COUNTRIES = {
    "kosovo": ("XK", "Kosovo"),
}

# The footnote the dialogue's summaries carry on Kosovo (UNSCR 1244/1999).
KOSOVO_DESIGNATION = (
    "This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 "
    "and the ICJ Opinion on the Kosovo declaration of independence."
)


@cache
def demonyms() -> dict[str, str]:
    """The adjective of a country as English writes it before a noun, lower case → ISO 3166 code ("georgian" → "GE").

    From data/demonyms.csv: the dialogue's participating states and the states its summaries name most.
    """
    table: dict[str, str] = {}
    lines = (DATA / "demonyms.csv").read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(line for line in lines if line.strip() and not line.startswith("#")):
        for adjective in row["adjectives"].split(";"):
            table.setdefault(" ".join(adjective.split()).casefold(), row["code"].strip().upper())
    return table
