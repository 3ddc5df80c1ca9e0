"""Citations of a meeting's summary, one of its paragraphs or one intervention.

One `Reference` describes what is cited; it is written out in two styles a reader pastes (Chicago
author-date and APA 7, as plain text) and in three formats a reference manager imports (RIS, BibTeX,
CSL-JSON). The corporate author is the Budapest Process; the publisher is the meeting's Secretariat
(ICMPD), which keeps the records.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from budapest.downloads import content_disposition

from .models import Meeting, Paragraph, Participation, Passage

AUTHOR = "Budapest Process"
DEFAULT_PUBLISHER = "Budapest Process Secretariat"

FORMATS = {
    # extension: (content type, what a reader is told it is)
    "ris": ("application/x-research-info-systems; charset=utf-8", "RIS"),
    "bib": ("application/x-bibtex; charset=utf-8", "BibTeX"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON"),
}


@dataclass(frozen=True)
class Reference:
    """What is cited: the summary of a meeting, or a paragraph of it, or what a speaker said in one."""

    meeting_title: str
    date: datetime.date
    url: str
    accessed: datetime.date
    publisher: str
    paragraph: int | None = None
    speakers: str = ""
    key: str = ""

    @property
    def title(self) -> str:
        return _("%(meeting)s: Summary") % {"meeting": self.meeting_title}

    @property
    def part(self) -> str:
        return _("paragraph %(number)d") % {"number": self.paragraph} if self.paragraph else ""


def meeting_publisher(meeting: Meeting) -> str:
    """The Secretariat of the meeting (from its participations, when they are loaded), else a plain name."""
    for participation in meeting.participations.all():
        if participation.role == Participation.Role.SECRETARIAT:
            return participation.actor.name
    return DEFAULT_PUBLISHER


def reference(
    meeting: Meeting,
    *,
    url: str,
    publisher: str,
    paragraph: Paragraph | None = None,
    passage: Passage | None = None,
    speakers: str = "",
    accessed: datetime.date | None = None,
) -> Reference:
    number = paragraph.number if paragraph is not None else None
    key = f"budapest{meeting.start_date:%Y%m%d}" + (f"p{number}" if number else "")
    if passage is not None:
        key += f"-{passage.order}"
    return Reference(
        meeting_title=meeting.title,
        date=meeting.start_date,
        url=url,
        accessed=accessed or datetime.date.today(),
        publisher=publisher,
        paragraph=number,
        speakers=speakers,
        key=key,
    )


def chicago(ref: Reference) -> str:
    """Chicago (17th edition), author-date reference list entry."""
    day = date_format(ref.date, "DATE_FORMAT")
    where = f", {ref.part}" if ref.part else ""
    if ref.speakers:
        where += " " + _("(intervention of %(speakers)s)") % {"speakers": ref.speakers}
    return _(
        "%(author)s. %(year)s. “%(title)s%(where)s.” Meeting held %(day)s. %(publisher)s. "
        "Accessed %(accessed)s. %(url)s."
    ) % {
        "author": AUTHOR,
        "year": ref.date.year,
        "title": ref.title,
        "where": where,
        "day": day,
        "publisher": ref.publisher,
        "accessed": date_format(ref.accessed, "DATE_FORMAT"),
        "url": ref.url,
    }


def apa(ref: Reference) -> str:
    """APA (7th edition) reference list entry; a paragraph is named as APA names one (para. 6)."""
    part = (
        pgettext("a paragraph in an APA citation", "para. %(number)s") % {"number": ref.paragraph}
        if ref.paragraph
        else ""
    )
    if ref.speakers:
        part += (", " if part else "") + _("intervention of %(speakers)s") % {"speakers": ref.speakers}
    part = f" ({part})" if part else ""
    return _(
        "%(author)s. (%(date)s). %(title)s%(part)s [Meeting summary]. %(publisher)s. "
        "Retrieved %(accessed)s, from %(url)s"
    ) % {
        "author": AUTHOR,
        # A date format of its own (Django's date format letters): APA's "2020, December 2" is no DATE_FORMAT.
        "date": date_format(ref.date, pgettext("date format of an APA citation", "Y, F j")),
        "title": ref.title,
        "part": part,
        "publisher": ref.publisher,
        "accessed": date_format(ref.accessed, "DATE_FORMAT"),
        "url": ref.url,
    }


def _full_title(ref: Reference) -> str:
    title = ref.title
    if ref.part:
        title = f"{title}, {ref.part}"
    if ref.speakers:
        title = _("%(speakers)s: intervention, %(title)s") % {"speakers": ref.speakers, "title": title}
    return title


def to_ris(ref: Reference) -> str:
    """RIS, as EndNote, Zotero and Mendeley import it (CRLF line ends, "ER" closes the record)."""
    lines = [
        ("TY", "GOVDOC"),
        ("AU", f"{AUTHOR},"),  # a corporate author: the comma keeps it whole, not "Process, Budapest"
        ("TI", _full_title(ref)),
        ("T2", ref.meeting_title),
        ("PY", str(ref.date.year)),
        ("DA", ref.date.strftime("%Y/%m/%d")),
        ("PB", ref.publisher),
        ("UR", ref.url),
        ("Y2", ref.accessed.strftime("%Y/%m/%d")),
        ("ID", ref.key),
        ("LA", "en"),
    ]
    if ref.paragraph:
        lines.append(("SE", ref.part))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines) + "ER  - \r\n"


_BIBTEX_SPECIAL = re.compile(r"([{}\\&%$#_^~])")


def _bibtex_text(value: str) -> str:
    # Braces and backslashes escaped; everything else stays UTF-8, which biber and bibtexparser read.
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def to_bibtex(ref: Reference) -> str:
    """A BibTeX @misc entry (biblatex reads it too); the corporate author in double braces."""
    fields = [
        ("author", "{" + _bibtex_text(AUTHOR) + "}"),
        ("title", _bibtex_text(_full_title(ref))),
        ("howpublished", _bibtex_text(_("Meeting summary"))),
        ("organization", _bibtex_text(ref.publisher)),
        ("year", str(ref.date.year)),
        ("month", ref.date.strftime("%b").lower()),
        ("date", ref.date.isoformat()),
        ("url", ref.url),
        ("urldate", ref.accessed.isoformat()),
    ]
    if ref.paragraph:
        fields.append(("note", _bibtex_text(ref.part)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{ref.key},\n{body}\n}}\n"


def to_csl(ref: Reference) -> list[dict]:
    """CSL-JSON (the Citation Style Language's data), a list of one item, as Zotero and pandoc read it."""
    item = {
        "id": ref.key,
        "type": "report",
        "genre": _("Meeting summary"),
        "title": _full_title(ref),
        "container-title": ref.meeting_title,
        "author": [{"literal": AUTHOR}],
        "publisher": ref.publisher,
        "issued": {"date-parts": [[ref.date.year, ref.date.month, ref.date.day]]},
        "accessed": {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]},
        "URL": ref.url,
        "language": "en",
    }
    if ref.paragraph:
        item["section"] = ref.part
    return [item]


def render(ref: Reference, extension: str) -> str:
    if extension == "ris":
        return to_ris(ref)
    if extension == "bib":
        return to_bibtex(ref)
    return json.dumps(to_csl(ref), ensure_ascii=False, indent=2) + "\n"


def annotate_meeting_page(meeting: Meeting, page_url: str) -> dict:
    """The citations of a loaded meeting page: the summary's (returned), each paragraph's and intervention's
    (set as `.citation` on them), in Chicago and APA styles."""
    publisher = meeting_publisher(meeting)
    today = datetime.date.today()
    ref = reference(meeting, url=page_url, publisher=publisher, accessed=today)
    whole = {"chicago": chicago(ref), "apa": apa(ref), "publisher": publisher}
    for paragraph in meeting.paragraphs.all():
        ref = reference(meeting, url=f"{page_url}#{paragraph.anchor}", publisher=publisher, paragraph=paragraph,
                        accessed=today)  # fmt: skip
        paragraph.citation = {"chicago": chicago(ref), "apa": apa(ref)}
        for passage in paragraph.passages.all():
            speakers = ", ".join(speaker.name for speaker in passage.speakers.all())
            if not speakers:
                continue
            ref = reference(meeting, url=f"{page_url}#{passage.anchor}", publisher=publisher, paragraph=paragraph,
                            passage=passage, speakers=speakers, accessed=today)  # fmt: skip
            passage.citation = {"chicago": chicago(ref), "apa": apa(ref)}
    return whole


def download(request: HttpRequest, slug: str, extension: str, number: int | None = None) -> HttpResponse:
    """The citation of a published meeting, or of one of its paragraphs, as RIS, BibTeX or CSL-JSON."""
    if extension not in FORMATS:
        raise Http404(_("No such citation format."))
    meeting = get_object_or_404(
        Meeting.objects.published().prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("actor"))
        ),
        slug=slug,
    )
    url = request.build_absolute_uri(meeting.get_absolute_url())
    paragraph = None
    if number is not None:
        paragraph = get_object_or_404(Paragraph, meeting=meeting, number=number)
        url = f"{url}#{paragraph.anchor}"
    ref = reference(meeting, url=url, publisher=meeting_publisher(meeting), paragraph=paragraph)
    content_type, _label = FORMATS[extension]
    response = HttpResponse(render(ref, extension), content_type=content_type)
    filename = f"{meeting.slug}{f'-paragraph-{number}' if number else ''}.{extension}"
    response["Content-Disposition"] = content_disposition(filename)
    return response
