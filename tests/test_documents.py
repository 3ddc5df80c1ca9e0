"""A meeting's documents: checked by content, size-limited, text extracted and searched, served as downloads only."""

import io
import tarfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from meetings.documents import document_attach, document_attach_source, sniff
from meetings.models import Document, Meeting

from .admin_forms import change_form_data
from .conftest import SOM_2020_SLUG
from .factories import MeetingFactory
from .source_text import page_text

pytestmark = pytest.mark.django_db


def pdf_with_text(text: str) -> bytes:
    """A small, valid PDF (with its cross-reference table) whose one page shows `text`."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def word_with_text(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


REFUSED = [
    ("agenda.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),  # HTML named as a PDF
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),  # SVG named as an image
    ("notes.docx", b"PK\x03\x04 not really a zip"),
    ("archive.zip", b"PK\x05\x06" + b"\x00" * 18),  # an empty zip: no Office parts
    ("page.txt", b"Plain words."),
]


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_uploads_are_judged_by_their_content_not_their_name(name, data):
    assert sniff(data) is None
    with pytest.raises(Exception, match="not one that can be attached"):
        document_attach(meeting=MeetingFactory(), uploaded=upload(name, data), kind="agenda")
    assert not Document.objects.exists()


def test_a_file_too_large_is_refused_with_its_size(settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(Exception, match=r"The file is \d KB; files up to 1 KB can be attached"):
        document_attach(meeting=MeetingFactory(), uploaded=upload("big.pdf", pdf_with_text("x" * 2048)), kind="other")


def test_text_is_extracted_from_pdf_and_word_and_found_by_search(client, som_2020):
    pdf = document_attach(meeting=som_2020, uploaded=upload("Agenda 2020.PDF", pdf_with_text("Heliotrope border")),
                          kind="agenda")  # fmt: skip
    word = document_attach_source(meeting=som_2020, uploaded=upload("summary", word_with_text("Marigold returns")))
    assert (pdf.content_type, pdf.filename) == ("application/pdf", "Agenda_2020.pdf")
    assert "Heliotrope border" in pdf.text
    assert word.kind == "summary" and word.filename == "summary.docx" and "Marigold returns" in word.text
    assert word.title == "Original summary"
    found = page_text(client.get("/search/?q=heliotrope").content.decode())
    assert "Documents Agenda" in found
    meeting_page = page_text(client.get(f"/meetings/{SOM_2020_SLUG}/").content.decode())
    assert "Documents Agenda (Agenda, " in meeting_page and "Original summary (Original summary, " in meeting_page


def test_a_document_is_a_download_that_cannot_run_as_a_page(client, som_2020):
    document = document_attach(meeting=som_2020, uploaded=upload("slides.pdf", pdf_with_text("Slides")),
                               kind="presentation")  # fmt: skip
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="slides.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert int(response["Content-Length"]) == document.size
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_drafts_documents_are_not_public(client, admin_client, som_2020):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    document = document_attach(
        meeting=draft, uploaded=upload("a.pdf", pdf_with_text("Zanzibarian words")), kind="other"
    )
    assert client.get(document.get_absolute_url()).status_code == 404
    assert "Zanzibarian" not in client.get("/search/?q=zanzibarian").content.decode()
    assert admin_client.get(document.get_absolute_url()).status_code == 200  # staff who preview drafts
    assert client.get(f"/meetings/{SOM_2020_SLUG}/documents/{document.pk}/").status_code == 404  # wrong meeting


def test_an_editor_attaches_a_file_in_the_admin_and_a_bad_one_gets_a_message(admin_client, som_2020, settings):
    url = f"/admin/meetings/meeting/{som_2020.pk}/change/"
    page = admin_client.get(url)
    data = change_form_data(page)
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is Document)
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-kind": "agenda", f"{prefix}-0-title": "Agenda"})
    data[f"{prefix}-0-file"] = upload("agenda.pdf", b"<html><script>alert(1)</script></html>")
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "This file is not one that can be attached" in refused.content.decode()
    data[f"{prefix}-0-file"] = upload("agenda.pdf", pdf_with_text("Agenda of the day"))
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    # The meeting is published: the attachment is an unpublished change until a Publisher publishes it.
    from meetings.revisions import meeting_changes_publish, working_copy_of

    assert not som_2020.documents.exists()
    meeting_changes_publish(working_copy_of(som_2020))
    document = som_2020.documents.get()
    assert (document.kind, document.content_type, "Agenda of the day" in document.text) == (
        "agenda",
        "application/pdf",
        True,
    )


def test_backup_carries_the_files_and_restore_brings_them_back(som_2020, tmp_path, media):
    document = document_attach(meeting=som_2020, uploaded=upload("a.pdf", pdf_with_text("Kept")), kind="other")
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=io.StringIO())
    [archive] = (tmp_path / "backups").glob("budapest-*.tar.gz")
    with tarfile.open(archive) as tar:
        assert f"media/{document.file.name}" in tar.getnames()
    (media / document.file.name).unlink()
    call_command("restore", str(archive), force=True, stdout=io.StringIO(), stderr=io.StringIO())
    restored = Document.objects.get()
    assert restored.file.read().startswith(b"%PDF-")
