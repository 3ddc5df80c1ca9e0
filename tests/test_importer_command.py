"""`manage.py import_summary`: samples in other words, Word files, bad files, drafts, publishing, one transaction."""

import datetime
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from actors.models import Actor, Person, Position
from meetings.models import Footnote, Meeting, MeetingSeries, Participation, Passage
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ISTANBUL = DATA / "2022-03-14-thematic-meeting-istanbul.txt"
MINISTERIAL = DATA / "2021-05-03-ministerial-conference.md"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture
def actors():
    return make_actors()


def run(path, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_summary", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def row_counts() -> dict[str, int]:
    models = [
        model
        for label in ("actors", "meetings")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return {model._meta.db_table: model._default_manager.count() for model in models}


def speakers(passage) -> list[str]:
    return sorted(passage.speakers.values_list("name", flat=True))


def goals(passage) -> list[int]:
    return sorted(passage.goals.values_list("number", flat=True))


# ---------------------------------------------------------------------------------------------
# A sample in other words: Türkiye, Czechia, Kyrgyz Republic, a new country, an unknown one


def test_sample_is_saved_as_a_draft(actors):
    out, _err = run(ISTANBUL)
    meeting = Meeting.objects.get()
    assert meeting.slug == "2022-03-14-thematic-meeting-on-labour-migration"
    assert meeting.series.name == "Thematic Meetings"
    assert (meeting.start_date, meeting.end_date) == (datetime.date(2022, 3, 14), datetime.date(2022, 3, 15))
    assert (meeting.location, meeting.format, meeting.participant_count) == ("Istanbul", "in_person", 64)
    assert (meeting.status, meeting.published_at) == (Meeting.Status.DRAFT, None)
    assert "saved as a draft" in out
    assert "Left out, not recognised: Atlantis" in out


def test_sample_participants_roles_and_new_country(actors):
    run(ISTANBUL)
    meeting = Meeting.objects.get()
    uzbekistan = Actor.objects.get(iso_code="UZ")
    assert (uzbekistan.name, uzbekistan.kind, uzbekistan.slug) == ("Uzbekistan", "country", "uzbekistan")
    assert "Republic of Uzbekistan" in uzbekistan.other_names.splitlines()
    roles = {p.actor.name: p.role for p in Participation.objects.filter(meeting=meeting).select_related("actor")}
    assert roles == {
        "Czech Republic": "participant",
        "Germany": "participant",
        "Hungary": "co_chair",
        "Kyrgyzstan": "participant",
        "Turkey": "chair",
        "Uzbekistan": "participant",
        "International Centre for Migration Policy Development": "participant",
        "International Organization for Migration": "participant",
    }
    chair = Participation.objects.get(meeting=meeting, role="chair")
    assert (chair.represented_by.name, chair.represented_by.short_name) == ("Presidency of Migration Management", "PMM")
    assert chair.represented_by.parent == actors["Turkey"]
    assert not Actor.objects.filter(name__icontains="Atlantis").exists()


def test_sample_officials(actors):
    run(ISTANBUL)
    positions = {
        p.person.name: (p.person.honorific, p.title, p.actor.name, p.actor.parent.name)
        for p in Position.objects.select_related("person", "actor__parent")
    }
    assert positions == {
        "Ayşe Demir": ("Ms.", "Director General", "Presidency of Migration Management", "Turkey"),
        "Péter Nagy": ("Mr.", "Deputy State Secretary", "Ministry of Interior", "Hungary"),
        "Jana Nováková": ("Dr.", "Head of Unit", "Ministry of the Interior", "Czech Republic"),
    }
    assert Position.objects.get(person__name="Péter Nagy").actor == actors["Ministry of Interior"]  # not a copy
    opening = Passage.objects.filter(paragraph__number=2).order_by("order")
    assert [p.official.person.name for p in opening] == ["Ayşe Demir", "Péter Nagy", "Jana Nováková"]
    assert [speakers(p) for p in opening] == [["Turkey"], ["Hungary"], ["Czech Republic"]]


def test_sample_interventions_and_goals(actors):
    run(ISTANBUL)
    third = list(Passage.objects.filter(paragraph__number=3).order_by("order"))
    assert [(speakers(p), goals(p)) for p in third] == [
        (["Turkey"], []),  # The Chair opened …
        (["Czech Republic"], [2, 3, 4]),  # **Czechia**
        (["Kyrgyzstan"], [6]),  # The **Kyrgyz Republic**
        (["Germany", "Uzbekistan"], [1, 2, 3]),  # priority goals 1 to 3
        ([], []),  # **Atlantis**: not recognised, so no speaker rather than a guess
        (["International Organization for Migration"], [2, 4]),
    ]
    assert third[5].text.endswith("priority goals 2 and 4² and recalled its global guidance on ethical recruitment.")
    assert [r.name for r in third[5].regions.all()] == ["Silk Routes Region"]
    closing = Passage.objects.get(paragraph__number=4)
    assert speakers(closing) == ["Hungary"]  # The **Hungarian Co-Chair** … Hungary as Co-Chair …
    assert list(Footnote.objects.values_list("number", flat=True)) == [1, 2]


def test_sample_json(actors):
    out, _err = run(ISTANBUL, dry_run=True, as_json=True)
    data = json.loads(out)
    assert (data["start_date"], data["end_date"], data["location"], data["format"]) == (
        "2022-03-14",
        "2022-03-15",
        "Istanbul",
        "in_person",
    )
    assert [(p["name"], p["code"]) for p in data["participants"]] == [
        ("Czech Republic", "CZ"),
        ("Germany", "DE"),
        ("Hungary", "HU"),
        ("Kyrgyzstan", "KG"),
        ("Turkey", "TR"),
        ("Uzbekistan", "UZ"),
        ("International Centre for Migration Policy Development", "ICMPD"),
        ("International Organization for Migration", "IOM"),
    ]
    assert data["unrecognised"] == ["Atlantis"]
    assert {"name": "Uzbekistan", "kind": "country", "code": "UZ"} in data["new_actors"]
    assert data["people"][0] == {
        "name": "Ayşe Demir",
        "honorific": "Ms.",
        "title": "Director General",
        "affiliation": "Presidency of Migration Management",
        "of": "Turkey",
    }
    interventions = data["paragraphs"][2]["interventions"]
    assert interventions[1]["speakers"] == [{"name": "Czech Republic", "kind": "country", "code": "CZ"}]
    assert interventions[1]["goals"] == [2, 3, 4]
    assert Meeting.objects.count() == 0 and not Actor.objects.filter(iso_code="UZ").exists()


def test_markdown_sample_hybrid_with_a_group_and_an_acronym(actors):
    run(MINISTERIAL)
    meeting = Meeting.objects.get()
    assert meeting.series.name == "Ministerial Conferences"
    assert (meeting.location, meeting.format) == ("Budapest", "hybrid")
    assert (meeting.start_date, meeting.end_date) == (datetime.date(2021, 5, 3), datetime.date(2021, 5, 4))
    third = list(Passage.objects.filter(paragraph__number=3).order_by("order"))
    assert [(speakers(p), goals(p)) for p in third] == [
        (["Austria", "Bulgaria", "Serbia"], [1]),
        (["EU Member States"], []),
        (["International Labour Organization"], [2, 4]),
    ]
    assert Participation.objects.get(meeting=meeting, role="chair").actor == actors["Turkey"]
    assert Footnote.objects.get(meeting=meeting).text == "Adopted in Istanbul in 2019."


def test_importing_again_updates_the_draft_and_publish_publishes(actors, tmp_path):
    run(MINISTERIAL)
    first = Meeting.objects.get()
    changed = tmp_path / MINISTERIAL.name
    changed.write_text(MINISTERIAL.read_text().replace("Serbia", "Albania", 1))
    before = timezone.now()
    out, _err = run(changed, publish=True)
    meeting = Meeting.objects.get()  # still one meeting: the same series on the same day
    assert meeting.pk == first.pk and meeting.slug == "2021-05-03-sixth-ministerial-conference"
    assert "was imported before: its draft is updated" in out
    assert "New participants: Albania." in out and "No longer participants: Serbia." in out
    assert "Paragraph 1 is changed." in out and "Paragraph 3 is changed." not in out
    assert meeting.status == Meeting.Status.PUBLISHED and before <= meeting.published_at <= timezone.now()
    assert list(Meeting.objects.published()) == [meeting]
    assert MeetingSeries.objects.count() == 1


def test_importing_a_published_meeting_again_makes_unpublished_changes_for_a_publisher(actors, tmp_path):
    from meetings.revisions import meeting_changes_publish, working_copy_of

    run(MINISTERIAL, publish=True)
    meeting = Meeting.objects.get()
    passages = list(Passage.objects.filter(paragraph__meeting=meeting).values_list("pk", "text"))
    changed = tmp_path / MINISTERIAL.name
    changed.write_text(MINISTERIAL.read_text().replace("Serbia", "Albania", 1))
    run(changed)
    # The live record is as readers saw it; the import waits in its unpublished changes.
    assert list(Passage.objects.filter(paragraph__meeting=meeting).values_list("pk", "text")) == passages
    copy = working_copy_of(meeting)
    assert copy is not None and copy.status == Meeting.Status.DRAFT
    assert Meeting.objects.published().get() == meeting
    meeting_changes_publish(copy)
    assert Meeting.objects.count() == 1
    assert meeting.participations.filter(actor__name="Albania").exists()


# ---------------------------------------------------------------------------------------------
# Word files


def build_docx(path: Path) -> Path:
    """A Word summary as staff write them: numbered paragraphs, bold runs, a real footnote."""
    document = docx.Document()
    document.add_paragraph("Budapest Process")
    document.add_paragraph("Regional Meeting on Return")
    document.add_paragraph("Sarajevo, 14–15 March 2022")
    first = document.add_paragraph("1. The meeting gathered ")
    first.add_run("40 participants from 3 countries").bold = True
    first.add_run(" – Bosnia and Herzegovina, Türkiye and Serbia – as well as the IOM.")
    second = document.add_paragraph("2. ")
    second.add_run("Bosnia and Herzegovina").bold = True
    second.add_run(" presented its work on priority goals 1 and 3")
    reference = second.add_run()
    reference._r.append(parse_xml(f'<w:footnoteReference {W} w:id="1"/>'))
    second.add_run(". The ")
    second.add_run("IOM").bold = True
    second.add_run(" offered support (see annex).")
    footnotes = (
        f'<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> The Call for Action\'s goals.</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Adopted in Marrakesh.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        footnotes.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(str(path))
    return path


def test_docx(actors, tmp_path):
    run(build_docx(tmp_path / "summary.docx"))
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.location, meeting.start_date) == (
        "Regional Meeting on Return",
        "Sarajevo",
        datetime.date(2022, 3, 14),
    )
    assert meeting.series.name == "Regional Meetings"
    assert set(meeting.participants.values_list("name", flat=True)) == {
        "Bosnia and Herzegovina",
        "Turkey",
        "Serbia",
        "International Organization for Migration",
    }
    passages = list(Passage.objects.filter(paragraph__number=2).order_by("order"))
    assert [p.text for p in passages] == [
        "**Bosnia and Herzegovina** presented its work on priority goals 1 and 3¹.",
        "The **IOM** offered support (see annex).",
    ]
    assert [(speakers(p), goals(p)) for p in passages] == [
        (["Bosnia and Herzegovina"], [1, 3]),
        (["International Organization for Migration"], []),
    ]
    # The note's second paragraph stays in the note, not at the end of paragraph 2.
    note = "The Call for Action's goals. Adopted in Marrakesh."
    assert list(Footnote.objects.values_list("number", "text")) == [(1, note)]


# ---------------------------------------------------------------------------------------------
# Bad files: a clear message, a non-zero exit status, nothing saved


def broken_docx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path


def docx_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "no word/document.xml here")
    return path


def docx_with_broken_xml(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.txt", lambda p: p.write_bytes(b""), "empty"),
        ("blank.txt", lambda p: p.write_bytes(b"  \n\n \n"), "empty"),
        ("binary.txt", lambda p: p.write_bytes(bytes(range(256)) * 4), "binary"),
        ("latin1.txt", lambda p: p.write_bytes("1. Caf\xe9 \xe0 la carte".encode("latin-1")), "not UTF-8"),
        ("huge.txt", lambda p: p.write_bytes(b"1. " + b"x" * (5 * 1024 * 1024)), "at most 5 MB"),
        ("broken.docx", broken_docx, "damaged"),
        ("empty.docx", docx_without_document, "no document"),
        ("badxml.docx", docx_with_broken_xml, "could not be read"),
        ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100), "Old Word files"),
        ("scan.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n..."), "PDF"),
        ("prose.txt", lambda p: p.write_text("Budapest Process\n\nA meeting took place.\n"), "No numbered paragraphs"),
        ("undated.txt", lambda p: p.write_text("A Meeting\n\n1. The **ILO** spoke.\n"), "no date"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(actors, tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    before = row_counts()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert row_counts() == before


def test_a_slug_that_is_taken_is_refused(actors):
    run(MINISTERIAL, slug="taken")
    before = row_counts()
    with pytest.raises(CommandError, match="could not be saved: slug: Meeting with this Slug already exists"):
        run(ISTANBUL, slug="taken")
    assert row_counts() == before


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run(tmp_path / "nowhere.txt")


def test_exit_status_is_not_zero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    # Its own throwaway database: the command's system checks connect to it before reading the file.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_summary", str(empty)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "The file is empty." in result.stderr


def test_a_failure_half_way_leaves_nothing_behind(actors, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Footnote, "clean", fail)  # the last thing an import checks before saving it
    before = row_counts()
    with pytest.raises(RuntimeError):
        run(ISTANBUL)
    assert row_counts() == before
    assert not Actor.objects.filter(iso_code="UZ").exists()
    assert not Person.objects.exists()


def test_dry_run_saves_nothing(actors):
    before = row_counts()
    out, _err = run(ISTANBUL, dry_run=True)
    assert row_counts() == before
    assert "Thematic Meeting on Labour Migration – Istanbul, 2022-03-14 to 2022-03-15" in out
    assert "New country: Uzbekistan (UZ)" in out
    assert "Not recognised: Atlantis" in out
    assert "Dry run: nothing was saved." in out
