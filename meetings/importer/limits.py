"""What the importer refuses and how long it may take: sizes, and a time budget per import.

Every loop of the importer over lines, paragraphs, passages or XML elements calls `check_time()`: an
import that runs past its budget stops with a message an officer can act on, instead of holding a
server worker until the server's own timeout drops the connection.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator


class SummaryError(ValueError):
    """A summary that cannot be imported; the message says why, in words for the person importing it."""


# A text file (.txt, .md) of a summary runs to 10-50 KB; 5 MB is far beyond any.
MAX_TEXT_FILE_BYTES = 5 * 1024 * 1024
# A Word file may carry photos: the file may be larger, the text in it may not.
MAX_DOCX_BYTES = 25 * 1024 * 1024
# The text the importer reads, whatever the file: 1 MB is some 150,000 words.
MAX_TEXT_CHARS = 1024 * 1024
# The XML parts of a .docx that are read (document, notes, numbering, styles), unpacked.
MAX_XML_BYTES = 30 * 1024 * 1024
# Enough for any summary (the 2020 one has 8); past this it is a list, not a summary.
MAX_PARAGRAPHS = 500
# A paragraph of a summary runs to 1-3 KB (the 2020 one's longest: 2.7 KB); past this it is unnumbered text.
MAX_PARAGRAPH_CHARS = 30_000
# Seconds an import may take, reading to recognising; an admin request stays far from gunicorn's 30 s.
DEFAULT_BUDGET = 10.0

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("import_deadline", default=None)


@contextlib.contextmanager
def time_budget(seconds: float = DEFAULT_BUDGET) -> Iterator[None]:
    """Run an import within `seconds`; an inner budget never extends an outer one."""
    now = time.monotonic()
    outer = _deadline.get()
    deadline = now + seconds if outer is None else min(outer[0], now + seconds)
    token = _deadline.set((deadline, seconds if outer is None else outer[1]))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Stop the import if its time is up."""
    budget = _deadline.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise SummaryError(
            f"Reading this file took longer than {budget[1]:g} seconds, so the import was stopped. "
            "A summary of a few dozen pages takes well under a second: is this really a meeting summary? "
            "If it is, split it or send it to the developers."
        )
