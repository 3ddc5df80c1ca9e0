"""A meeting's files: what an upload is (read from its content, never its name), its words, and attaching it.

Only kinds a browser will not run as a page are accepted: PDF, Word, Excel, PowerPoint and
OpenDocument files, and PNG, JPEG, GIF and WebP images. HTML, SVG, XML and anything unrecognised are
refused, whatever the file is called; public pages serve them as downloads (`meetings.views.document`).
"""

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .importer.docx import docx_to_text
from .markup import strip_markup
from .models import Document, Meeting

logger = logging.getLogger(__name__)

# The largest file accepted; DJANGO_DOCUMENT_MAX_BYTES changes it (settings.DOCUMENT_MAX_BYTES).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The words kept for search; a 300-page report's text beyond this is not searched.
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PowerPoint")
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text")
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument spreadsheet")
ODP = FileKind("application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument presentation")
OLE = FileKind("application/msword", "doc", "Word 97–2003")  # also old .xls/.ppt: a download either way
PNG = FileKind("image/png", "png", "PNG image")
JPEG = FileKind("image/jpeg", "jpg", "JPEG image")
GIF = FileKind("image/gif", "gif", "GIF image")
WEBP = FileKind("image/webp", "webp", "WebP image")
# Only as the original of an imported summary (the importer read it as UTF-8 text): a download, never a page.
TEXT = FileKind("text/plain; charset=utf-8", "txt", "Text")
MARKDOWN = FileKind("text/markdown; charset=utf-8", "md", "Markdown")

ALLOWED = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE, PNG, JPEG, GIF, WEBP)
_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_ODF = {kind.content_type: kind for kind in (ODT, ODS, ODP)}


def max_bytes() -> int:
    return getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _zip_kind(data: bytes) -> FileKind | None:
    """An Office Open XML or OpenDocument file, told by the parts inside the zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return None
    return None


def sniff(data: bytes) -> FileKind | None:
    """What the bytes are, among the kinds accepted; None for anything else (HTML, SVG, scripts, …)."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _summary_text_kind(data: bytes, name: str) -> FileKind | None:
    """A plain-text or Markdown summary, as the importer reads one (UTF-8, no NUL); None for anything else."""
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return MARKDOWN if (name or "").lower().endswith((".md", ".markdown")) else TEXT


def read_upload(uploaded: UploadedFile, *, summary_text: bool = False) -> tuple[bytes, FileKind]:
    """The upload's bytes and kind, or a ValidationError that says what is wrong, in words for an officer.

    `summary_text`: the file is an imported summary, so UTF-8 text (.txt, .md) is accepted too.
    """
    limit = max_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files up to %(limit)s can be attached.")
            % {"size": human_size(uploaded.size), "limit": human_size(limit)},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("Files up to %(limit)s can be attached.") % {"limit": human_size(limit)})
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(data)
    if kind is None and summary_text:
        kind = _summary_text_kind(data, uploaded.name or "")
    if kind is None:
        raise ValidationError(
            _(
                "This file is not one that can be attached: PDF, Word, Excel, PowerPoint, OpenDocument files"
                " and PNG, JPEG, GIF or WebP images are accepted (not web pages or SVG), whatever the file's name."
            ),
            code="kind",
        )
    return data, kind


def extract_text(data: bytes, kind: FileKind) -> str:
    """The words of a PDF or Word file, for search; empty for other kinds or a file that cannot be read."""
    try:
        if kind is DOCX:
            # The importer's own reader of Word files: linear in the file, bounded in time and size.
            text = strip_markup(docx_to_text(data))
        elif kind is PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            parts, length = [], 0
            for page in reader.pages:
                part = page.extract_text() or ""
                parts.append(part)
                length += len(part)
                if length > MAX_TEXT_CHARS:
                    break
            text = "\n".join(parts)
        elif kind in (TEXT, MARKDOWN):
            text = strip_markup(data.decode("utf-8-sig"))
        else:
            return ""
    except Exception:  # a damaged file is still attached; only its words are not searchable
        logger.warning("Could not read the text of an attached %s file", kind.label, exc_info=True)
        return ""
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def stored_name(name: str | None, kind: FileKind) -> str:
    """A safe file name with the extension of what the file is, not of what it was called."""
    stem = get_valid_filename((name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).rsplit(".", 1)[0]
    return f"{stem[:120] or 'document'}.{kind.extension}"


def document_fill(document: Document, uploaded: UploadedFile, *, summary_text: bool = False) -> None:
    """Check an upload and set the document's file, type, size and text from it (the admin's form calls this)."""
    data, kind = read_upload(uploaded, summary_text=summary_text)
    document.file = ContentFile(data, name=stored_name(uploaded.name, kind))
    document.content_type = kind.content_type
    document.size = len(data)
    document.text = extract_text(data, kind)


@transaction.atomic
def document_attach(*, meeting: Meeting, uploaded: UploadedFile, kind: str, title: str = "") -> Document:
    """Attach a file to a meeting; a ValidationError with a message when the file is refused."""
    document = Document(meeting=meeting, kind=kind, title=title or str(Document.Kind(kind).label))
    document_fill(document, uploaded)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_attach_source(*, meeting: Meeting, uploaded: UploadedFile) -> Document:
    """Keep the summary file a meeting was imported from as its source document, downloadable from its page
    once the meeting is public (`Document.objects.public()`). A summary imported again replaces the source
    it had: the meeting's text is the new file's. Give the meeting's editable draft (for a published meeting,
    its unpublished changes), so that the new source goes public when its text does."""
    document = Document(meeting=meeting, kind=Document.Kind.SUMMARY, title=str(Document.Kind.SUMMARY.label))
    document_fill(document, uploaded, summary_text=True)  # refused before the old source is removed
    meeting.documents.filter(kind=Document.Kind.SUMMARY).delete()
    document.full_clean()
    document.save()
    return document


# An upload waits here between the importer's review and its save (the session holds only its text).
STAGING = "imports/pending"


def source_stage(*, token: str, name: str, data: bytes) -> str:
    """Keep an uploaded summary until its review is saved; returns where it is kept."""
    storage = Document._meta.get_field("file").storage
    safe = get_valid_filename(Path(name).name or "summary")[:120] or "summary"
    return storage.save(f"{STAGING}/{get_valid_filename(token)}/{safe}", ContentFile(data))


def source_attach_staged(*, meeting: Meeting, staged: str) -> Document | None:
    """Attach a staged upload as the meeting's source document and forget the staged copy.

    None when there is none (a review older than this feature) or the file is refused (too large): the
    import stands either way, and the caller says so.
    """
    storage = Document._meta.get_field("file").storage
    if not staged or not staged.startswith(f"{STAGING}/") or not storage.exists(staged):
        return None
    with storage.open(staged, "rb") as handle:
        data = handle.read()
    try:
        document = document_attach_source(meeting=meeting, uploaded=SimpleUploadedFile(Path(staged).name, data))
    except ValidationError:
        logger.warning("The source of %s could not be kept", meeting.slug, exc_info=True)
        return None
    transaction.on_commit(lambda: source_forget(staged))
    return document


def source_forget(staged: str) -> None:
    """Delete a staged upload (saved, or its review abandoned)."""
    storage = Document._meta.get_field("file").storage
    if staged and staged.startswith(f"{STAGING}/") and storage.exists(staged):
        storage.delete(staged)
