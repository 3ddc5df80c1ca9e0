"""The summary importer: a summary file (.txt, .md or .docx) in, a recognised `Summary` out.

    summary = summary_from_file(path)      # or summary_from_upload(name=…, data=…) in a form
    summary.to_dict(), summary.unrecognised  # what to show before saving
    meetings.services.importing.meeting_import(summary=summary)

`parse` reads the text without the database; `recognise` matches its names to actors; neither saves.
"""

import re
from pathlib import Path

from .docx import docx_to_text
from .limits import MAX_DOCX_BYTES, MAX_TEXT_CHARS, MAX_TEXT_FILE_BYTES, SummaryError, time_budget
from .parse import ParsedSummary, parse_summary
from .recognise import ActorMatch, Summary, recognise_summary, summary_of_text

__all__ = [
    "MAX_BYTES",
    "MAX_DOCX_BYTES",
    "max_bytes_for",
    "ActorMatch",
    "ParsedSummary",
    "Summary",
    "SummaryError",
    "parse_summary",
    "read_text",
    "recognise_summary",
    "summary_from_file",
    "summary_from_text",
    "summary_from_upload",
    "time_budget",
]

MAX_BYTES = MAX_TEXT_FILE_BYTES


def max_bytes_for(name: str) -> int:
    """The largest file of that name that is read: a Word file may carry pictures, a text file not."""
    return MAX_DOCX_BYTES if Path(name).suffix.lower() == ".docx" else MAX_TEXT_FILE_BYTES


def _too_large(size: int, limit: int) -> SummaryError:
    return SummaryError(
        f"The file is {size / 1024 / 1024:.1f} MB; a summary may be at most {limit // 1024 // 1024} MB."
    )


# The control characters no text file holds (a text's newlines, carriage returns, tabs and page breaks aside).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise SummaryError("This file is binary, not text. Import a .txt, .md or .docx summary.")
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        said = "UTF-16 text, as its first bytes say," if encoding == "utf-16" else "UTF-8 text"
        raise SummaryError(
            f"This file is not {said} (is it a binary file?). Save the summary as UTF-8 text or as .docx."
        ) from error
    controls = len(_CONTROLS.findall(text))
    if controls > max(3, len(text) // 1000):
        raise SummaryError("This file is binary, not text. Import a .txt, .md or .docx summary.")
    return text


def read_text(*, name: str, data: bytes) -> str:
    """The summary's text from a file's name and bytes; SummaryError for what cannot be a summary."""
    if len(data) > max_bytes_for(name):
        raise _too_large(len(data), max_bytes_for(name))
    if not data.strip():
        raise SummaryError("The file is empty.")
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        raise SummaryError(
            "PDF files cannot be imported: save the summary as .docx, or copy its text into a .txt file."
        )
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SummaryError("Old Word files (.doc) cannot be imported: save the summary as .docx.")
    if data.startswith(b"PK\x03\x04"):
        return docx_to_text(data)
    if suffix == ".docx":
        raise SummaryError("This .docx file is damaged and cannot be opened (it is not a valid zip archive).")
    text = _decode(data)
    if len(text) > MAX_TEXT_CHARS:
        raise SummaryError("The text of this file is longer than 1 MB: it cannot be a single summary.")
    return text


def summary_from_text(text: str) -> Summary:
    """Parse and recognise a summary's text within the import's time budget."""
    with time_budget():
        return summary_of_text(text)


def summary_from_upload(*, name: str, data: bytes) -> Summary:
    with time_budget():
        return summary_from_text(read_text(name=name, data=data))


def summary_from_file(path: str | Path) -> Summary:
    """Read, parse and recognise a summary file; nothing is saved."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes_for(path.name):
            raise _too_large(size, max_bytes_for(path.name))
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise SummaryError(f"There is no file {path}.") from error
    except IsADirectoryError as error:
        raise SummaryError(f"{path} is a folder, not a file.") from error
    except PermissionError as error:
        raise SummaryError(f"{path} cannot be read: permission denied.") from error
    return summary_from_upload(name=path.name, data=data)
