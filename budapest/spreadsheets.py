"""The one CSV writer: the pages' spreadsheets and the API's CSV format, with the spreadsheet-formula guard."""

import csv
from collections.abc import Iterable
from typing import Protocol

from django.http import HttpResponse

from .downloads import content_disposition

# A cell starting with one of these is a formula to a spreadsheet (OWASP's list: = + - @, tab, carriage return),
# and the full-width forms, which a spreadsheet in an East Asian locale may read as their ASCII ones; a leading
# apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or their full-width forms, a tab or a
    carriage return) could otherwise run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def write_csv(stream: _Writable, header: list[str], rows: Iterable[list[str]]) -> None:
    """A header and rows of text cells, each made safe, with the line ends RFC 4180 asks for."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])


def csv_response(header: list[str], rows: Iterable[list[str]], *, filename: str) -> HttpResponse:
    """A CSV download for spreadsheet programs: UTF-8 with a byte order mark, so that they read Türkiye right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response.write("\ufeff")
    write_csv(response, header, rows)
    return response
