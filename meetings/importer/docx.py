"""A Word summary (.docx) as the Markdown the parser reads, through mammoth."""

import io
import re
import zipfile

import mammoth

from .parse import SUPERSCRIPT_DIGITS, SummaryError, superscript

# A .docx is a zip of XML; past this much XML, it is not a summary but a trap (a "zip bomb").
MAX_UNCOMPRESSED = 50 * 1024 * 1024

_ANCHOR = re.compile(r'<a id="[^"]*"></a>')
_NOTE_REFERENCE = re.compile(r'<a id="(?:foot|end)note-ref-\d+"></a>\[\\\[(\d+)\\\]\]\(\\#(?:foot|end)note\\-\d+\)')
_NOTE_BODY = re.compile(r'^\d+\.\s+<a id="(?:foot|end)note-(\d+)"></a>\s*', re.MULTILINE)
_NOTE_BACKLINK = re.compile(r"\s*\[↑\]\(\\#(?:foot|end)note\\-ref\\-\d+\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_BOLD_OR_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!]|__")


def _unescape(markdown: str) -> str:
    """mammoth writes bold as __x__ and escapes punctuation (1\\. …); the parser wants **x** and plain text."""

    def replace(match: re.Match) -> str:
        token = match[0]
        return "**" if token == "__" else token[1]

    return _BOLD_OR_ESCAPE.sub(replace, markdown)


def docx_to_markdown(data: bytes) -> str:
    """The text of a Word document, bold as **x** and footnotes as ¹ markers with their notes at the end."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise SummaryError("This .docx file has no document in it: is it really a Word document?")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise SummaryError("This .docx file unpacks to more than 50 MB: it cannot be a summary.")
        result = mammoth.convert_to_markdown(io.BytesIO(data))
    except SummaryError:
        raise
    except zipfile.BadZipFile as error:
        raise SummaryError(
            "This .docx file is damaged and cannot be opened (it is not a valid zip archive)."
        ) from error
    except Exception as error:  # mammoth raises whatever its XML and zip readers raise on a broken file
        raise SummaryError(f"This .docx file could not be read: {error.__class__.__name__}: {error}.") from error
    markdown = result.value
    markdown = _NOTE_REFERENCE.sub(lambda match: superscript(int(match[1])), markdown)
    # A blank line before each note, so that the parser sees where one ends and the next starts.
    markdown = _NOTE_BODY.sub(lambda match: "\n" + superscript(int(match[1])) + " ", markdown)
    markdown = _NOTE_BACKLINK.sub("", markdown)
    notes = re.search(f"^[{SUPERSCRIPT_DIGITS}]+ ", markdown, re.MULTILINE)
    if notes:
        # mammoth puts every note at the end, its paragraphs apart; keep each note's paragraphs together so
        # that the parser does not take a note's second paragraph for more of the summary's last one.
        body, tail = markdown[: notes.start()], markdown[notes.start() :]
        tail = re.sub(r"\n\s*\n+", "\n", tail.strip())
        tail = re.sub(f"\n(?=[{SUPERSCRIPT_DIGITS}]+ )", "\n\n", tail)
        markdown = body + tail + "\n"
    markdown = _ANCHOR.sub("", markdown)
    markdown = _IMAGE.sub("", markdown)
    return _unescape(markdown)
