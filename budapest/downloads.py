"""The one Content-Disposition of every download (spreadsheets, calendars, citations, exports, documents).

A file name is made of a record's slug or title; whatever it holds, the header stays one valid header: path
separators, control characters (a newline would end the header, and Django refuses one with an error) and
quotes never reach it, and a name outside ASCII is given as RFC 5987's ``filename*=utf-8''…`` (Django's
``content_disposition_header``), so that a browser saves Türkiye.csv as it is called.
"""

import re

from django.utils.http import content_disposition_header

# Control characters, the separators of paths on any system, and the quote that ends filename="…".
UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\"]+')
MAX_LENGTH = 150  # characters: far within any file system's limit, whatever the name's encoding


def safe_filename(name: str, default: str = "download") -> str:
    """A file name that is one name, on one line: unsafe characters become "-", leading dots go."""
    name = UNSAFE.sub("-", name).strip(" .-") or default
    if len(name) > MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        name = stem[: MAX_LENGTH - len(extension) - 1] + dot + extension if dot and len(extension) < 10 else name
        name = name[:MAX_LENGTH]
    return name


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header's value: ``attachment; filename="…"`` (or ``inline``), RFC 5987's form outside ASCII."""
    header = content_disposition_header(not inline, safe_filename(filename))
    assert header is not None  # only None for inline without a name
    return header
