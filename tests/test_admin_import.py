"""“Import a summary” in the admin: upload a summary, review what was recognised, save it as a draft."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError
from django.test.html import parse_html
from django.urls import reverse

from budapest.downloads import content_disposition
from meetings.admin import importer
from meetings.models import Document, Meeting, Passage
from meetings.services.importing import meeting_import

from . import factories as f
from .test_importer_command import build_docx

pytestmark = pytest.mark.django_db

SOURCE_2020 = Path(settings.BASE_DIR) / "fixtures" / "sources" / "2020-12-02-annual-som.txt"
ISTANBUL_2022 = Path(settings.BASE_DIR) / "tests" / "data" / "2022-03-14-thematic-meeting-istanbul.txt"
IMPORTED_SLUG = "2020-12-02-annual-som-imported"  # the fixture's meeting has the 2020 slug

IMPORT_URL = "admin:meetings_meeting_import"
SAVE_URL = "admin:meetings_meeting_import_save"
FORM_TEMPLATE = "admin/meetings/meeting/import_form.html"
REVIEW_TEMPLATE = "admin/meetings/meeting/import_review.html"

SMALL_SUMMARY = """Budapest Process

Thematic Meeting on Return

Vienna, 5 May 2023

1. The Thematic Meeting on Return gathered **20 participants**.
2. The participants discussed return and reintegration.
"""


def _upload(client, name, data, slug=""):
    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data), "slug": slug})


def _upload_2020(client):
    return _upload(client, SOURCE_2020.name, SOURCE_2020.read_bytes(), slug=IMPORTED_SLUG)


@pytest.fixture
def actors_2020(som_2020):
    """The archive's actors of the 2020 fixture without its meeting: the 2020 summary is then a new meeting."""
    som_2020.delete()


def _save(client, review):
    return client.post(reverse(SAVE_URL), {"token": review.context["token"]})


def _change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


# --- Reading the page: the elements a person sees, by id or class --------------------------------------------


def _elements(root):
    for child in getattr(root, "children", []):
        if not isinstance(child, str):
            yield child
            yield from _elements(child)


def _classes(element):
    return dict(element.attributes).get("class", "").split()


def _by_id(response, element_id):
    for element in _elements(parse_html(response.content.decode())):
        if dict(element.attributes).get("id") == element_id:
            return element
    raise AssertionError(f"No element #{element_id} on the page")


def _by_class(root, class_name):
    return [element for element in _elements(root) if class_name in _classes(element)]


def _text(element):
    words = (" ".join(part.split()) if isinstance(part, str) else _text(part) for part in element.children)
    return " ".join(word for word in words if word)


def _messages(client, response):
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


# --- Users ---------------------------------------------------------------------------------------------------


def _staff(name, *codenames):
    user = User.objects.create_user(name, f"{name}@example.org", "a-long-password", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="meetings", codename__in=codenames))
    return user


@pytest.fixture
def viewer_client(client):
    """A member of staff who may look at meetings but not add them."""
    client.force_login(_staff("viewer", "view_meeting"))
    return client


@pytest.fixture
def editor_client(client):
    """A member of the Editors group, as the migration makes it."""
    editor = _staff("editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


# --- The button and who may use it ---------------------------------------------------------------------------


def test_the_meeting_list_has_the_import_button(admin_client):
    page = admin_client.get(reverse("admin:meetings_meeting_changelist"))
    button = parse_html(f'<a href="{reverse(IMPORT_URL)}" class="importlink">Import a summary</a>')
    assert button in parse_html(page.content.decode())
    assert reverse(IMPORT_URL) == "/admin/meetings/meeting/import/"


def test_staff_without_add_permission_see_no_button_and_get_403(viewer_client):
    page = viewer_client.get(reverse("admin:meetings_meeting_changelist"))
    assert page.status_code == 200
    assert "Import a summary" not in page.content.decode()
    assert reverse(IMPORT_URL) not in page.content.decode()

    assert viewer_client.get(reverse(IMPORT_URL)).status_code == 403
    assert _upload(viewer_client, "summary.txt", SMALL_SUMMARY.encode()).status_code == 403
    assert viewer_client.post(reverse(SAVE_URL), {"token": "anything"}).status_code == 403
    assert not Meeting.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_upload_form_has_the_admin_look(admin_client):
    page = admin_client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    assert page.templates[0].name == FORM_TEMPLATE
    assert "admin/base_site.html" in [template.name for template in page.templates]
    (breadcrumbs,) = _by_class(parse_html(page.content.decode()), "breadcrumbs")
    assert [_text(item) for item in breadcrumbs.children] == [
        "Home",
        "Meetings and summaries",
        "Meetings",
        "Import a summary",
    ]
    form = _by_id(page, "import_form")
    assert dict(form.attributes)["enctype"] == "multipart/form-data"
    assert "csrfmiddlewaretoken" in page.content.decode()


# --- Step 2: the review --------------------------------------------------------------------------------------


def test_the_review_of_the_2020_summary_shows_the_meeting_and_saves_nothing(admin_client, som_2020):
    meetings, passages = Meeting.objects.count(), Passage.objects.count()
    review = _upload_2020(admin_client)

    assert review.status_code == 200
    assert review.templates[0].name == REVIEW_TEMPLATE
    assert (Meeting.objects.count(), Passage.objects.count()) == (meetings, passages)

    facts = _by_id(review, "import-meeting")
    for fact in ("2 December 2020", "Online", "97", IMPORTED_SLUG):
        assert fact in _text(facts)
    assert (
        parse_html(
            '<input type="text" id="meeting-title" name="meeting-title" value="Annual Senior Officials Meeting" '
            'class="vTextField">'
        )
        in facts
    )

    paragraphs = _by_id(review, "import-paragraphs")
    headings = [_text(section.children[0]) for section in _by_class(paragraphs, "import-paragraph")]
    assert [heading.split(".")[0] for heading in headings] == [str(n) for n in range(1, 9)]
    assert len(_by_class(paragraphs, "import-passage")) == 36

    participants = _by_id(review, "import-participants")
    rows = [[_text(cell) for cell in row.children] for row in _elements(participants) if row.name == "tr"][1:]
    assert len(rows) == 51
    dgmm = "Directorate General for Migration Management (DGMM), of Turkey"
    assert rows[:3] == [
        ["Turkey (TR)", "Country", f"Chair, represented by {dgmm}"],
        ["Hungary (HU)", "Country", "Co-chair"],
        ["International Centre for Migration Policy Development (ICMPD)", "Organisation", "Secretariat"],
    ]
    assert ["International Organization for Migration (IOM)", "Organisation", "Participant"] in rows

    officials = _text(_by_id(review, "import-officials"))
    assert "Mr. Ramazan Seçilmiş Deputy Director General Directorate General for Migration Management" in officials

    footnotes = _text(_by_id(review, "import-footnotes"))
    assert review.context["summary"].footnotes[0][1][:40] in footnotes


def test_the_review_shows_the_joint_intervention_with_its_four_speakers_and_goal_tags(admin_client, som_2020):
    review = _upload_2020(admin_client)

    passages = _by_class(_by_id(review, "import-paragraph-5"), "import-passage")
    (joint,) = [passage for passage in passages if "highlighted their support to activities" in _text(passage)]
    (speakers,) = _by_class(joint, "import-speakers")
    assert _text(speakers) == "Austria (AT); Bulgaria (BG); Germany (DE); Norway (NO)"
    assert "Austria, Bulgaria, Germany and Norway highlighted" in _text(joint)  # the text, without the stars

    tags = [_text(tag) for tag in _by_class(_by_id(review, "import-paragraphs"), "import-goal")]
    summary = review.context["summary"]
    goals = [number for paragraph in summary.paragraphs for entry in paragraph.passages for number in entry.goals]
    assert goals, "the 2020 summary names priority goals"
    assert tags == [str(number) for number in goals]


def test_unrecognised_names_and_new_countries_are_highlighted(admin_client, som_2020):
    review = _upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    assert review.status_code == 200

    assert "import-attention" in _classes(_by_id(review, "import-attention"))  # the warning colour
    unrecognised = _by_id(review, "import-unrecognised")
    assert _text(unrecognised).startswith("Not recognised Atlantis")
    assert parse_html('<input type="hidden" name="name-0-written" value="Atlantis">') in unrecognised
    new = _by_id(review, "import-new-actors")
    assert parse_html('<li><span class="import-flag">New country</span> Uzbekistan (UZ)</li>') in new

    participants = _by_id(review, "import-participants")
    assert parse_html('<td>Uzbekistan (UZ) <span class="import-flag">New</span></td>') in participants
    assert "Atlantis" not in _text(participants)
    passages = _by_class(_by_id(review, "import-paragraphs"), "import-passage")
    (atlantis,) = [passage for passage in passages if "Atlantis described" in _text(passage)]
    assert parse_html('<span class="import-flag">Speaker not recognised</span>') in atlantis
    assert not Meeting.objects.filter(title="Thematic Meeting on Labour Migration").exists()


def test_a_word_file_is_reviewed_with_its_footnote(admin_client, tmp_path):
    data = build_docx(tmp_path / "summary.docx").read_bytes()
    review = _upload(admin_client, "Summary of Sarajevo.DOCX", data)
    assert review.status_code == 200
    facts = _by_id(review, "import-meeting")
    assert 'value="Regional Meeting on Return"' in str(facts) and "14 March 2022 – 15 March 2022" in _text(facts)
    assert "The Call for Action's goals." in _text(_by_id(review, "import-footnotes"))
    speakers = _by_class(_by_id(review, "import-paragraph-2"), "import-speakers")
    # From the ISO list and the importer's reference list of organisations: this database holds no actors.
    assert [_text(element) for element in speakers] == [
        "Bosnia and Herzegovina (BA) New",
        "International Organization for Migration (IOM) New",
    ]
    assert "International Organization for Migration (IOM)" in _text(_by_id(review, "import-new-actors"))


def test_the_2020_summary_needs_no_warnings(admin_client, som_2020):
    review = _upload_2020(admin_client)
    summary = review.context["summary"]
    assert (summary.unrecognised, summary.warnings, summary.new_actors) == ([], [], [])
    assert b'id="import-attention"' not in review.content


def test_text_from_the_file_is_escaped(admin_client):
    text = SMALL_SUMMARY.replace(
        "discussed return and reintegration.",
        "discussed <script>alert('x')</script>.\n3. **<b>Evil</b> Land** presented its work.",
    ).replace("Thematic Meeting on Return\n", 'Thematic Meeting <img src=x onerror="alert(1)">\n')
    review = _upload(admin_client, "summary.md", text.encode())
    assert review.status_code == 200
    html = review.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>Evil</b>" not in html
    # Read as text, not as a <b> element: it was escaped.
    assert "<b>Evil</b> Land presented its work." in _text(_by_id(review, "import-paragraph-3"))
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_the_review_reads_the_database_a_few_times_only(admin_client, som_2020, django_assert_max_num_queries):
    admin_client.get(reverse(IMPORT_URL))
    with django_assert_max_num_queries(16):
        assert _upload_2020(admin_client).status_code == 200


def test_a_summary_without_a_date_is_given_one_on_the_review_and_saved(admin_client):
    """A date the file does not give surely ("2/12/2020": December or February?) is the officer's to give."""
    undated = b"Budapest Process\n\nThematic Meeting on Return\n\nSkopje, 2/12/2020\n\n1. Something was said.\n"
    review = _upload(admin_client, "undated.txt", undated)
    assert review.status_code == 200
    assert "Cannot be saved" in _text(_by_id(review, "import-cannot-save"))
    assert "may be 2 December 2020 or 12 February 2020" in review.content.decode()
    assert b'name="_save"' not in review.content and b'name="_apply"' in review.content
    token = review.context["token"]
    assert admin_client.session[importer.SESSION_KEY][token]["slug"] == ""  # no date, no slug yet
    saving = {"token": token, "meeting-start_date": "2020-12-02", "meeting-start_date-shown": ""}
    applied = admin_client.post(reverse(SAVE_URL), {**saving, "_apply": "1"})
    assert applied.status_code == 200 and b'name="_save"' in applied.content
    slug = admin_client.session[importer.SESSION_KEY][token]["slug"]
    assert slug == "2020-12-02-thematic-meeting-on-return"
    assert not Meeting.objects.filter(slug=slug).exists()  # applied, not saved
    response = admin_client.post(reverse(SAVE_URL), {**saving, "_save": "1"})
    meeting = Meeting.objects.get(slug=slug)
    assert response.status_code == 302 and response["Location"] == _change_url(meeting)
    assert (meeting.start_date.isoformat(), meeting.status) == ("2020-12-02", Meeting.Status.DRAFT)


# --- Step 3: saving -------------------------------------------------------------------------------------------


def test_saving_creates_one_draft_meeting_and_opens_it(admin_client, actors_2020):
    before = Meeting.objects.count()
    review = _upload_2020(admin_client)
    response = _save(admin_client, review)

    assert Meeting.objects.count() == before + 1
    meeting = Meeting.objects.get(slug=IMPORTED_SLUG)
    assert response.status_code == 302
    assert response["Location"] == _change_url(meeting)
    assert (meeting.status, meeting.published_at) == (Meeting.Status.DRAFT, None)
    assert meeting.paragraphs.count() == 8
    assert Passage.objects.filter(paragraph__meeting=meeting).count() == 36
    assert meeting.participations.get(actor__name="Turkey").role == "chair"
    assert LogEntry.objects.get(object_id=str(meeting.pk)).is_addition()

    assert any("was saved as a draft with 8 paragraphs" in message for message in _messages(admin_client, response))
    assert "text" not in admin_client.session[importer.SESSION_KEY][review.context["token"]]


def test_a_second_save_of_the_same_review_makes_no_second_meeting(admin_client, actors_2020):
    review = _upload_2020(admin_client)
    # The session as a second click's request would load it, before the first click's save writes it back.
    session_before_saving = dict(admin_client.session[importer.SESSION_KEY])
    first = _save(admin_client, review)
    count = Meeting.objects.count()

    second = _save(admin_client, review)
    assert Meeting.objects.count() == count
    assert second["Location"] == first["Location"]
    assert any("was already saved" in message for message in _messages(admin_client, second))

    session = admin_client.session
    session[importer.SESSION_KEY] = session_before_saving
    session.save()
    third = _save(admin_client, review)
    assert Meeting.objects.count() == count
    assert third["Location"] == first["Location"]


def test_two_saves_at_the_same_moment_make_one_meeting(admin_client, actors_2020, monkeypatch):
    """The other click's save commits while this one runs: the slug is taken, and this one opens that meeting."""
    review = _upload_2020(admin_client)

    def other_click_first(**kwargs):
        other = meeting_import(**kwargs)
        monkeypatch.setattr(importer, "meeting_import", meeting_import)
        raise IntegrityError(f"duplicate key value violates unique constraint on slug {other.slug}")

    monkeypatch.setattr(importer, "meeting_import", other_click_first)
    response = _save(admin_client, review)
    meeting = Meeting.objects.get(slug=IMPORTED_SLUG)
    assert response["Location"] == _change_url(meeting)
    assert Meeting.objects.filter(title="Annual Senior Officials Meeting").count() == 1


def test_a_busy_database_shows_the_review_again(admin_client, monkeypatch):
    review = _upload(admin_client, "return.txt", SMALL_SUMMARY.encode())

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(importer, "meeting_import", locked)
    busy = _save(admin_client, review)
    assert busy.status_code == 200
    assert busy.templates[0].name == REVIEW_TEMPLATE
    assert "database was busy" in _text(_by_id(busy, "import-error"))
    assert not Meeting.objects.exists()

    monkeypatch.setattr(importer, "meeting_import", meeting_import)
    again = _save(admin_client, busy)
    assert again["Location"] == _change_url(Meeting.objects.get())


def test_saving_without_an_upload_saves_nothing(admin_client):
    response = admin_client.post(reverse(SAVE_URL), {"token": "not-a-token"})
    assert response["Location"] == reverse(IMPORT_URL)
    assert any("There is no uploaded summary to save" in message for message in _messages(admin_client, response))
    assert admin_client.get(reverse(SAVE_URL))["Location"] == reverse(IMPORT_URL)
    assert not Meeting.objects.exists()


def test_an_editor_can_import(editor_client):
    review = _upload(editor_client, "return.txt", SMALL_SUMMARY.encode())
    assert review.status_code == 200
    response = _save(editor_client, review)
    meeting = Meeting.objects.get()
    assert response["Location"] == _change_url(meeting)
    assert (meeting.title, meeting.slug, meeting.status) == (
        "Thematic Meeting on Return",
        "2023-05-05-thematic-meeting-on-return",
        Meeting.Status.DRAFT,
    )


def test_the_made_up_slug_does_not_take_an_existing_one(admin_client):
    f.MeetingFactory(slug="2023-05-05-thematic-meeting-on-return")
    review = _upload(admin_client, "return.txt", SMALL_SUMMARY.encode())
    assert review.context["slug"] == "2023-05-05-thematic-meeting-on-return-2"
    _save(admin_client, review)
    assert Meeting.objects.filter(slug="2023-05-05-thematic-meeting-on-return-2").exists()


# --- Bad files ------------------------------------------------------------------------------------------------


def _broken_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><not-closed>")
    return buffer.getvalue()


def _zip_of(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "empty": ("summary.txt", b"", "The file is empty."),
    "blank": ("summary.txt", b"  \n\n ", "The file is empty."),
    "binary": ("summary.txt", bytes(range(256)) * 4, "This file is binary, not text."),
    "over 5 MB": ("summary.txt", b"1. " + b"x" * (5 * 1024 * 1024), "a summary may be at most 5 MB"),
    "not a zip": ("summary.docx", b"PK\x03\x04 this is not really a zip", "This .docx file is damaged"),
    "broken docx": ("summary.docx", _broken_docx(), "This .docx file could not be read"),
    "no numbered paragraphs": ("summary.txt", b"Budapest Process\n\nNotes.\n", "No numbered paragraphs"),
    "pdf": ("summary.pdf", b"%PDF-1.7 something", "is not a summary file: import a .txt, .md or .docx file"),
    "no extension": ("summary", SMALL_SUMMARY.encode(), "is not a summary file"),
    "latin-1": ("summary.txt", "1. Tóthi".encode("latin-1"), "This file is not UTF-8 text"),
    # A byte order mark of UTF-16 and then an odd byte or half a character: it was said not to be UTF-8.
    "broken UTF-16": ("summary.txt", b"\xff\xfe" + "1. Tóthi".encode("utf-16-le") + b"\x00", "not UTF-16 text"),
    "3 MB of Markdown": ("summary.md", SMALL_SUMMARY.encode() + b"word " * (600 * 1024), "longer than 1 MB"),
    "junk in a zip": ("summary.docx", _zip_of({"junk.bin": bytes(range(256)), "a/b.txt": "x"}), "no document in it"),
}


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES.values(), ids=BAD_FILES)
def test_a_bad_file_is_refused_with_a_message(admin_client, name, data, message):
    response = _upload(admin_client, name, data)
    assert response.status_code == 200
    assert response.templates[0].name == FORM_TEMPLATE
    (errors,) = _by_class(_by_id(response, "import_form"), "errorlist")
    assert message in _text(errors)
    assert not Meeting.objects.exists()
    assert importer.SESSION_KEY not in admin_client.session


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/summary.txt",
        "a\\b\\..\\summary.txt",
        "sum\x00mary.txt",
        "sum\nmary.txt",
        '"summary".txt',
        "é" * 250 + ".txt",
    ],
)
def test_a_file_name_with_paths_nul_newlines_or_quotes_is_stored_and_served_under_a_safe_name(admin_client, name):
    """The upload is read, saved as the meeting's source under a name of one part, and downloaded as such."""
    review = _upload(admin_client, name, SMALL_SUMMARY.encode())
    assert review.templates[0].name == REVIEW_TEMPLATE
    assert _save(admin_client, review).status_code == 302
    (document,) = Document.objects.all()
    stored = document.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".txt") and not re.search(r'[\x00-\x1f"\\/]|\.\.', stored), stored
    download = admin_client.get(f"/meetings/{document.meeting.slug}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == content_disposition(stored)


def test_the_content_type_a_browser_gives_is_not_what_decides(admin_client):
    """A .txt sent as application/x-msdownload is read as text; a .exe sent as text/plain is refused by name."""
    review = admin_client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile("summary.txt", SMALL_SUMMARY.encode(), content_type="application/x-msdownload")},
    )
    assert review.templates[0].name == REVIEW_TEMPLATE
    refused = admin_client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile("summary.exe", SMALL_SUMMARY.encode(), content_type="text/plain")},
    )
    assert "is not a summary file" in refused.context["form"].errors["file"][0]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf_16_text_with_its_byte_order_mark_is_read(editor_client, encoding):
    review = _upload(editor_client, "summary.txt", ("\ufeff" + SMALL_SUMMARY).encode(encoding))
    assert review.templates[0].name == REVIEW_TEMPLATE
    assert review.context["summary"].title == "Thematic Meeting on Return"


def test_a_missing_file_or_a_taken_slug_is_refused(admin_client):
    taken = f.MeetingFactory(slug="taken")
    response = admin_client.post(reverse(IMPORT_URL), {"slug": ""})
    assert response.context["form"].errors["file"] == ["This field is required."]
    response = _upload(admin_client, "return.txt", SMALL_SUMMARY.encode(), slug="taken")
    assert "There is already a meeting with this slug" in response.context["form"].errors["slug"][0]
    assert list(Meeting.objects.all()) == [taken]


def test_an_importer_failure_is_a_form_error_not_a_server_error(admin_client, monkeypatch):
    def broken(text):
        raise RuntimeError("a bug in the importer")

    monkeypatch.setattr(importer, "summary_from_text", broken)
    response = _upload(admin_client, "return.txt", SMALL_SUMMARY.encode())
    assert response.status_code == 200
    assert "The importer could not read this file (RuntimeError)" in response.context["form"].errors["file"][0]
