"""The editorial workflow: publishing states, preview, roles, history with restore, and stale saves."""

import datetime
import time

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetings.history import history_baseline, meeting_changes, meeting_history
from meetings.models import Meeting, Paragraph, Passage
from meetings.services.publishing import meeting_publish, meeting_withdraw
from meetings.services.restoring import meeting_restore

from . import factories as f
from .admin_forms import change_form_data
from .source_text import page_text

pytestmark = pytest.mark.django_db


def _staff(client, username, *groups):
    user = User.objects.create_user(username, f"{username}@example.org", "a-long-password", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    return _staff(client, "editor", "Editors")


@pytest.fixture
def publisher(client):
    return _staff(client, "publisher", "Publishers")


def _change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


# --- Publishing states -----------------------------------------------------------------------------------


def test_scheduled_meeting_appears_by_itself_when_its_time_comes(client, monkeypatch):
    due = timezone.now() + datetime.timedelta(hours=1)
    meeting = f.MeetingFactory(title="Scheduled meeting", published_at=due)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert "Scheduled meeting" not in client.get("/meetings/").content.decode()
    # No job runs in between: the query itself compares with the time now (here, a second past the hour).
    monkeypatch.setattr(timezone, "now", lambda: due + datetime.timedelta(seconds=1))
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert "Scheduled meeting" in client.get("/meetings/").content.decode()


def test_withdrawn_meeting_tells_visitors_of_its_old_address(client):
    meeting = f.MeetingFactory(title="Withdrawn meeting")
    meeting_withdraw(meeting=meeting)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 410
    assert "was withdrawn" in response.content.decode()
    assert "Withdrawn meeting" not in client.get("/meetings/").content.decode()


def test_publishing_and_withdrawing_are_recorded_in_the_history():
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    meeting_publish(meeting=meeting)
    meeting_withdraw(meeting=meeting)
    statuses = [change.fields for change in meeting_changes(meeting) if change.fields]
    assert [[(c.label, c.old, c.new) for c in fields if c.label == "status"] for fields in statuses] == [
        [("status", "Published", "Withdrawn")],
        [("status", "Draft", "Published")],
    ]


# --- Preview -------------------------------------------------------------------------------------------------


def test_staff_preview_a_draft_with_a_banner(client, editor):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, title="Draft meeting")
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert "Draft – this preview is visible to staff only" in text


def test_the_public_and_staff_without_permission_get_404_for_a_draft(client):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    _staff(client, "no-permissions")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_page_has_no_banner(client, editor):
    meeting = f.MeetingFactory()
    assert "draft-banner" not in client.get(meeting.get_absolute_url()).content.decode()


# --- Roles -----------------------------------------------------------------------------------------------------


def test_the_groups_exist_with_their_permissions():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    publishers = set(Group.objects.get(name="Publishers").permissions.values_list("codename", flat=True))
    assert {"add_meeting", "change_meeting", "change_passage", "add_actor"} <= editors
    assert "publish_meeting" not in editors and "delete_meeting" not in editors
    assert publishers - editors == {"publish_meeting", "delete_meeting", "publish_translation"}
    translators = set(Group.objects.get(name="Translators").permissions.values_list("codename", flat=True))
    assert {"translate_meeting", "change_translatedtext"} <= translators <= editors
    assert "publish_translation" not in translators and "change_meeting" not in translators


def test_an_editor_cannot_publish_from_the_form_or_the_actions(client, editor):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    page = client.get(_change_url(draft))
    assert "status" not in page.context["adminform"].form.fields
    data = change_form_data(page, status="published", published_at_0="2020-01-01", published_at_1="10:00")
    client.post(_change_url(draft), data)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT
    changelist = client.get(reverse("admin:meetings_meeting_changelist"))
    assert "publish_now" not in changelist.content.decode()


def test_a_publisher_publishes_and_withdraws_with_the_actions(client, publisher):
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    url = reverse("admin:meetings_meeting_changelist")
    client.post(url, {"action": "publish_now", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.is_public
    client.post(url, {"action": "withdraw", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.WITHDRAWN
    # The bulk actions record who did it.
    assert {change.user for change in meeting_changes(meeting) if change.fields} == {publisher}


def test_a_published_meeting_cannot_be_deleted_even_by_a_publisher(client, publisher):
    meeting = f.MeetingFactory()
    response = client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "delete_selected", "_selected_action": [meeting.pk], "post": "yes"},
    )
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_draft_can_be_deleted_by_a_publisher(client, publisher):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    client.post(reverse("admin:meetings_meeting_delete", args=[draft.pk]), {"post": "yes"})
    assert not Meeting.objects.filter(pk=draft.pk).exists()


# --- History and restore ---------------------------------------------------------------------------------


def _draft(**kwargs):
    return f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, **kwargs)


def test_the_history_page_shows_one_entry_per_save_with_who_changed_what(client, editor):
    meeting = _draft(title="Annual Senior Officials Meeting")
    f.ParticipationFactory(meeting=meeting)
    page = client.get(_change_url(meeting))
    client.post(_change_url(meeting), change_form_data(page, title="Annual SOM 2020"))
    response = client.get(reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    newest = entries[0]
    assert newest.user.get_username() == "editor"
    assert [(c.label, c.old, c.new) for change in newest.changes for c in change.fields] == [
        ("title", "Annual Senior Officials Meeting", "Annual SOM 2020")
    ]  # the participation, saved again unchanged, makes no line
    text = page_text(response.content.decode())
    assert "Annual Senior Officials Meeting → Annual SOM 2020" in text
    # The time is the site's (Europe/Vienna), as Django's DATETIME_FORMAT writes it.
    assert date_format(timezone.localtime(newest.date), "DATETIME_FORMAT") in text


def test_restore_asks_first_and_undoes_a_wrong_edit_of_a_fixture_passage(client, editor, som_2020):
    Meeting.objects.filter(pk=som_2020.pk).update(status=Meeting.Status.DRAFT, published_at=None)
    paragraph = som_2020.paragraphs.get(number=6)
    url = reverse("admin:meetings_paragraph_change", args=[paragraph.pk])
    page = client.get(url)
    before = timezone.now()
    original = list(paragraph.passages.order_by("order").values_list("text", flat=True))
    turkey_speakers = set(paragraph.passages.get(order=16).speakers.values_list("iso_code", flat=True))
    data = change_form_data(page, **{"passages-15-text": "A wrong text.", "passages-15-speakers": []})
    response = client.post(url, data)
    assert response.status_code == 302
    assert paragraph.passages.get(order=16).text == "A wrong text."

    restore = reverse("admin:meetings_meeting_restore", args=[som_2020.pk])
    confirm = client.post(restore, {"as_of": before.isoformat()})  # no "confirm": the page that asks
    assert confirm.status_code == 200
    assert "A wrong text." in page_text(confirm.content.decode())  # what the restore undoes
    assert paragraph.passages.get(order=16).text == "A wrong text."  # nothing done yet
    response = client.post(restore, {"as_of": before.isoformat(), "confirm": "1"})
    assert response.status_code == 302
    assert list(paragraph.passages.order_by("order").values_list("text", flat=True)) == original
    assert set(paragraph.passages.get(order=16).speakers.values_list("iso_code", flat=True)) == turkey_speakers
    # The restore is a change of its own, so it can be undone in turn.
    assert any("Restored to" in entry.reason for entry in meeting_history(som_2020))


def test_restore_brings_back_a_deleted_paragraph_and_removes_a_new_one():
    meeting = f.MeetingFactory()
    kept = f.ParagraphFactory(meeting=meeting, number=1, subject="Opening")
    passage = f.PassageFactory(paragraph=kept, order=1, text="Words to keep.", speakers=[f.CountryFactory()])
    history_baseline(meeting=meeting)
    as_of = timezone.now()
    time.sleep(0.01)
    kept.delete()
    f.ParagraphFactory(meeting=meeting, number=2, subject="Added later")
    meeting_restore(meeting=meeting, as_of=as_of)
    assert list(meeting.paragraphs.values_list("number", "subject")) == [(1, "Opening")]
    restored = Passage.objects.get(pk=passage.pk)
    assert restored.text == "Words to keep."
    assert restored.speakers.count() == 1


def test_restore_keeps_rows_whose_history_does_not_reach_back():
    meeting = f.MeetingFactory()
    as_of = timezone.now()
    time.sleep(0.01)
    # A row with a first record after `as_of` that is not its creation: its earlier state is unknown.
    paragraph = f.ParagraphFactory(meeting=meeting, number=1)
    Paragraph.history.filter(id=paragraph.pk).update(history_type="~")
    meeting_restore(meeting=meeting, as_of=as_of)
    assert Paragraph.objects.filter(pk=paragraph.pk).exists()


def test_a_restore_with_no_point_given_changes_nothing(client, editor):
    meeting = f.MeetingFactory(title="Title")
    response = client.post(reverse("admin:meetings_meeting_restore", args=[meeting.pk]), {"as_of": "yesterday"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Title"


# --- No lost edits: see test_merging.py ------------------------------------------------------------------


def test_an_ordinary_save_goes_through_and_counts_the_version(client, editor):
    meeting = _draft(title="Title")
    page = client.get(_change_url(meeting))
    assert client.post(_change_url(meeting), change_form_data(page, title="New title")).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("New title", 2)


def test_a_save_that_adds_many_rows_reads_as_a_count():
    meeting = _draft()
    paragraph = f.ParagraphFactory(meeting=meeting, number=1)
    for order in range(1, 11):
        f.PassageFactory(paragraph=paragraph, order=order)
    lines = {(c.model_label, c.object_label) for entry in meeting_history(meeting) for c in entry.changes}
    assert ("passages", "10") in lines
    assert not any(label == "passage" for label, _object in lines)


def test_a_count_of_added_rows_is_dated_and_signed_by_its_save():
    # The count stood on one of the changes it counts, not on a record: its date and user raised AttributeError.
    meeting = _draft()
    paragraph = f.ParagraphFactory(meeting=meeting, number=1)
    for order in range(1, 11):
        f.PassageFactory(paragraph=paragraph, order=order)
    counted = next(c for entry in meeting_history(meeting) for c in entry.changes if c.model_label == "passages")
    assert counted.record.instance_type is Passage
    assert counted.date == Passage.history.filter(order=10).latest("history_id").history_date
    assert counted.user is None
