"""An imported summary keeps its file as the meeting's source document: public with the meeting, never before.

The summary is a fictional Preparatory Meeting in Chișinău, written as a short Word report with
typed-in numbers and a heading per session (the corpus's Word summary uses Word's own numbering).
"""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Document, Meeting
from meetings.services.publishing import meeting_publish
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors():
    return make_actors()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def preparatory_meeting(closing: str = "The Chair closed the meeting.") -> bytes:
    document = docx.Document()
    document.add_paragraph("Budapest Process")
    document.add_paragraph("Preparatory Meeting on Labour Pathways")
    document.add_paragraph("Chișinău, 21 March 2025")
    document.add_heading("Session I – Opening", level=2)
    document.add_paragraph(
        "1. Officials of Austria, Bulgaria, Hungary and Serbia met with the ICMPD to prepare the ministerial year."
    )
    paragraph = document.add_paragraph("2. ")
    paragraph.add_run("Hungary").bold = True
    paragraph.add_run(" set out the seasonal work schemes it runs under goal 2.")
    document.add_heading("Session II – Next steps", level=2)
    document.add_paragraph(f"3. {closing}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def import_in_admin(admin_client, data: bytes) -> Meeting:
    review = admin_client.post(
        reverse("admin:meetings_meeting_import"), {"file": SimpleUploadedFile("chisinau-2025.docx", data)}
    )
    assert review.status_code == 200, review.content[:300]
    saved = admin_client.post(reverse("admin:meetings_meeting_import_save"), {"token": review.context["token"]})
    assert saved.status_code == 302, saved.content[:300]
    return Meeting.objects.get(title="Preparatory Meeting on Labour Pathways", changes_of=None)


def test_the_admin_keeps_the_uploaded_file_as_the_source_public_only_with_its_meeting(admin_client, client, actors):
    data = preparatory_meeting()
    meeting = import_in_admin(admin_client, data)
    source = meeting.documents.get()
    assert source.kind == Document.Kind.SUMMARY
    assert source.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert source.file.read() == data
    assert "seasonal work schemes" in source.text  # found by search once public

    # A draft's source is not public: neither its address nor the page (which is not public either).
    assert client.get(source.get_absolute_url()).status_code == 404
    assert not Document.objects.public().filter(pk=source.pk).exists()
    meeting_publish(meeting=meeting)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert source.get_absolute_url() in page and "Original summary" in page
    download = client.get(source.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="chisinau-2025.docx"'
    assert b"".join(download.streaming_content) == data


def test_importing_again_keeps_the_new_source_in_the_unpublished_changes(admin_client, client, actors):
    original = preparatory_meeting()
    meeting = import_in_admin(admin_client, original)
    meeting_publish(meeting=meeting)
    first = meeting.documents.get()
    newer = preparatory_meeting("The Chair thanked the hosts and closed the meeting.")
    import_in_admin(admin_client, newer)
    copy = Meeting.objects.get(changes_of=meeting)
    assert copy.documents.get(kind=Document.Kind.SUMMARY).file.read() == newer  # waits for a Publisher
    assert list(meeting.documents.all()) == [first]  # readers still get the published text's source
    assert b"".join(client.get(first.get_absolute_url()).streaming_content) == original


def test_the_command_keeps_the_file_and_a_reimport_replaces_it(actors, tmp_path, client):
    path = tmp_path / "chisinau.md"
    path.write_text(
        "Budapest Process\n\nPreparatory Meeting on Labour Pathways\n\nChișinău, 21 March 2025\n\n"
        "1. Officials of Austria, Bulgaria and Serbia met.\n\n2. **Serbia** spoke of goal 2.\n",
        encoding="utf-8",
    )
    call_command("import_summary", str(path), stdout=io.StringIO())
    meeting = Meeting.objects.get()
    assert meeting.documents.get().content_type == "text/markdown; charset=utf-8"
    path.write_text(path.read_text(encoding="utf-8") + "\n3. The Chair closed the meeting.\n", encoding="utf-8")
    call_command("import_summary", str(path), "--publish", stdout=io.StringIO())
    source = Meeting.objects.get().documents.get()
    assert source.file.read() == path.read_bytes()
    download = client.get(source.get_absolute_url())
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
