"""Citations: Chicago and APA on the meeting page, and the downloads a reference manager imports, read back
with the parsers reference managers and pandoc-like tools use (rispy, bibtexparser, citeproc-py)."""

import datetime
import json
import re

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from meetings.models import Meeting

from .conftest import SOM_2020_SLUG
from .factories import MeetingFactory
from .source_text import page_text

pytestmark = pytest.mark.django_db

PAGE = f"http://testserver/meetings/{SOM_2020_SLUG}/"
TODAY = datetime.date.today()
ACCESSED = f"{TODAY.day} {TODAY:%B %Y}"


def download(client, path: str, extension: str):
    response = client.get(f"/meetings/{SOM_2020_SLUG}/{path}citation.{extension}")
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response


def test_each_intervention_is_cited_in_chicago_and_apa(client, som_2020):
    html = client.get(som_2020.get_absolute_url()).content.decode()
    spain = re.search(r'<div class="passage has-speakers" id="p6-15">.*?</details>', html, re.S).group(0)
    chicago = re.search(r'id="cite-p6-15-chicago">(.*?)</p>', spain).group(1)
    apa = re.search(r'id="cite-p6-15-apa">(.*?)</p>', spain).group(1)
    assert chicago == (
        "Budapest Process. 2020. “Annual Senior Officials Meeting: Summary, paragraph 6 (intervention of Spain).” "
        "Meeting held 2 December 2020. International Centre for Migration Policy Development. "
        f"Accessed {ACCESSED}. {PAGE}#p6-15."
    )
    assert apa == (
        "Budapest Process. (2020, December 2). Annual Senior Officials Meeting: Summary (para. 6, intervention of "
        "Spain) [Meeting summary]. International Centre for Migration Policy Development. "
        f"Retrieved {ACCESSED}, from {PAGE}#p6-15"
    )
    # One Cite per passage, readable without JavaScript; the copy buttons wait for the script.
    assert spain.count("<summary>Cite") == 1
    assert len(re.findall(r'<button type="button" class="copy-citation"[^>]* hidden>', spain)) == 2


def test_every_paragraph_and_intervention_has_both_styles(client, som_2020):
    html = client.get(som_2020.get_absolute_url()).content.decode()
    interventions = som_2020.paragraphs.filter(passages__speakers__isnull=False).values("passages").distinct().count()
    paragraphs = som_2020.paragraphs.count()
    # Each paragraph, each intervention and the whole summary.
    assert html.count('-chicago">') == html.count('-apa">') == paragraphs + interventions + 1
    assert re.search(r'id="cite-p6-chicago">[^<]*paragraph 6\.” ', html)


def test_meeting_downloads_read_back_with_real_parsers(client, som_2020):
    ris = download(client, "", "ris")
    assert ris["Content-Type"].startswith("application/x-research-info-systems")
    (entry,) = rispy.loads(ris.content.decode())
    assert entry["type_of_reference"] == "GOVDOC"
    assert entry["authors"] == ["Budapest Process,"]
    assert entry["title"] == "Annual Senior Officials Meeting: Summary"
    assert entry["publisher"] == "International Centre for Migration Policy Development"
    assert entry["urls"] == [PAGE]
    assert entry["date"] == "2020/12/02"

    bib = download(client, "", "bib")
    library = bibtexparser.parse_string(bib.content.decode())
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry["author"] == "{Budapest Process}"
    assert entry["year"] == "2020" and entry["url"] == PAGE
    assert entry["urldate"] == TODAY.isoformat()

    csl = download(client, "", "json")
    assert csl["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    (item,) = json.loads(csl.content)
    assert item["issued"] == {"date-parts": [[2020, 12, 2]]}
    assert item["author"] == [{"literal": "Budapest Process"}]


def test_a_paragraph_download_renders_in_a_citation_style(client, som_2020):
    data = json.loads(download(client, "paragraphs/6/", "json").content)
    assert data[0]["section"] == "paragraph 6" and data[0]["URL"] == f"{PAGE}#p6"
    # citeproc-py reads the CSL-JSON and formats it with a real CSL style, as a reference manager would.
    source = CiteProcJSON(data)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(data[0]["id"])]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]
    assert "Budapest Process" in rendered and "2020" in rendered
    assert "Annual Senior Officials Meeting: Summary, paragraph 6" in rendered

    (entry,) = rispy.loads(download(client, "paragraphs/6/", "ris").content.decode())
    assert entry["urls"] == [f"{PAGE}#p6"] and entry["section"] == "paragraph 6"
    (entry,) = bibtexparser.parse_string(download(client, "paragraphs/6/", "bib").content.decode()).entries
    assert entry["note"] == "paragraph 6"


def test_braces_and_specials_in_a_title_stay_one_bibtex_entry(client, db):
    meeting = MeetingFactory(title="Meeting {on} 100% & more_\\", slug="odd-title")
    response = client.get(f"/meetings/{meeting.slug}/citation.bib")
    library = bibtexparser.parse_string(response.content.decode())
    assert library.failed_blocks == [] and len(library.entries) == 1
    assert "100\\%" in library.entries[0]["title"]


def test_no_citation_of_what_is_not_public(client, som_2020):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, slug="draft-meeting")
    assert client.get(f"/meetings/{draft.slug}/citation.ris").status_code == 404
    assert client.get(f"/meetings/{SOM_2020_SLUG}/citation.doc").status_code == 404
    assert client.get(f"/meetings/{SOM_2020_SLUG}/paragraphs/99/citation.ris").status_code == 404


def test_the_meeting_page_offers_the_downloads(client, som_2020):
    text = page_text(client.get(som_2020.get_absolute_url()).content.decode())
    assert "Cite this summary" in text
    assert "For a reference manager: RIS, BibTeX, CSL-JSON" in text
