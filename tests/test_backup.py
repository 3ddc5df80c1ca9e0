"""Backups that restore: the 2020 meeting survives a backup, an emptied database and a restore."""

import io
import json
import re
import tarfile

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from actors.models import Actor
from meetings.management.commands.restore import flush
from meetings.models import Meeting, Passage

from .conftest import SOM_2020_SLUG

pytestmark = pytest.mark.django_db

PAGE = f"/meetings/{SOM_2020_SLUG}/"
API = f"/api/v1/meetings/{SOM_2020_SLUG}/"
# What differs between two renderings of the same page: the CSRF token and the CSP nonce.
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def _snapshot(client) -> tuple[str, dict, int]:
    page = client.get(PAGE)
    api = client.get(API)
    assert page.status_code == 200 and api.status_code == 200
    return PER_REQUEST.sub(r'\1""', page.content.decode()), api.json(), page.content.count(b'class="passage')


def _backup(tmp_path) -> str:
    call_command("backup", output_dir=str(tmp_path), stdout=io.StringIO())
    [archive] = tmp_path.glob("budapest-*.tar.gz")
    return str(archive)


def _empty_the_database():
    flush("default")
    ContentType.objects.clear_cache()
    assert not Meeting.objects.exists() and not Actor.objects.exists()


@pytest.fixture
def records(som_2020):
    """The 2020 meeting, an editor in a group, and an edit in its history."""
    editor = User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    passage = Passage.objects.filter(paragraph__meeting=som_2020).first()
    passage.text += " (corrected)"
    passage._history_user = editor
    passage.save()
    return som_2020


def test_backup_restore_round_trip_keeps_the_2020_meeting(client, records, tmp_path):
    page_before, api_before, passages = _snapshot(client)
    assert passages > 30 and "(corrected)" in page_before
    history_before = records.history.count(), Passage.history.count()
    editor_groups = list(User.objects.get(username="editor").groups.values_list("name", flat=True))

    archive = _backup(tmp_path)
    assert re.search(r"budapest-\d{8}-\d{6}\.tar\.gz$", archive)
    _empty_the_database()
    assert client.get(PAGE).status_code == 404

    call_command("restore", archive, stdout=io.StringIO())

    page_after, api_after, _ = _snapshot(client)
    assert page_after == page_before
    assert api_after == api_before
    assert (records.history.count(), Passage.history.count()) == history_before
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == editor_groups
    assert User.objects.get(username="editor").check_password("a-long-password-1")
    assert Group.objects.get(name="Editors").permissions.exists()


def test_the_archive_holds_the_data_and_a_manifest(records, tmp_path):
    archive = _backup(tmp_path)
    with tarfile.open(archive) as tar:
        assert {"data.json", "manifest.json"} <= set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
        labels = {row["model"] for row in json.load(tar.extractfile("data.json"))}
    assert manifest["counts"]["meetings.meeting"] == 1
    assert manifest["counts"]["meetings.passage"] == Passage.objects.count()
    assert manifest["migrations"]["meetings"].startswith("00")
    assert {"meetings.historicalpassage", "meetings.historicalpassage_speakers", "auth.user"} <= labels
    assert not labels & {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def test_restore_refuses_a_database_that_holds_records(records, tmp_path):
    archive = _backup(tmp_path)
    Meeting.objects.filter(pk=records.pk).update(title="Changed after the backup")
    with pytest.raises(CommandError, match="already holds records.*--force"):
        call_command("restore", archive)
    assert Meeting.objects.get(pk=records.pk).title == "Changed after the backup"


def test_restore_with_force_replaces_everything(records, tmp_path):
    archive = _backup(tmp_path)
    Meeting.objects.filter(pk=records.pk).update(title="Changed after the backup")
    Actor.objects.create(kind=Actor.Kind.GROUP, name="Added after the backup", slug="added-after")
    call_command("restore", archive, force=True, stdout=io.StringIO())
    assert Meeting.objects.get(pk=records.pk).title == records.title
    assert not Actor.objects.filter(slug="added-after").exists()


def test_a_restore_that_does_not_add_up_is_undone(records, tmp_path):
    archive = _backup(tmp_path)
    # Claim one passage more than the archive holds.
    with tarfile.open(archive) as tar:
        members = {name: tar.extractfile(name).read() for name in tar.getnames()}
    manifest = json.loads(members["manifest.json"])
    manifest["counts"]["meetings.passage"] += 1
    members["manifest.json"] = json.dumps(manifest).encode()
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    _empty_the_database()
    with pytest.raises(CommandError, match="meetings.passage"):
        call_command("restore", str(tampered))
    assert not Meeting.objects.exists()


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(junk))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences are PostgreSQL's")
def test_new_rows_after_a_restore_get_new_ids(records, tmp_path):
    archive = _backup(tmp_path)
    _empty_the_database()
    call_command("restore", archive, stdout=io.StringIO())
    highest = Actor.objects.order_by("-pk").first().pk
    assert Actor.objects.create(kind=Actor.Kind.GROUP, name="New", slug="new-group").pk > highest
