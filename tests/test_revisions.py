"""Unpublished changes of published meetings: the working copy, its comparison, publication, restore, review."""

import time

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Paragraph, Participation, Passage
from meetings.revisions import (
    meeting_changes_compare,
    meeting_changes_draft,
    meeting_changes_publish,
    working_copy_of,
)

from . import factories as f
from .admin_forms import change_form_data
from .source_text import page_text

pytestmark = pytest.mark.django_db


def _staff(client, username, *groups, email=""):
    user = User.objects.create_user(username, email, "a-long-password", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    client.force_login(user)
    return user


@pytest.fixture
def published():
    meeting = f.MeetingFactory(title="Published title", location="Istanbul, Turkey")
    paragraph = f.ParagraphFactory(meeting=meeting, number=1, subject="Opening")
    f.PassageFactory(paragraph=paragraph, order=1, text="First words.", speakers=[f.CountryFactory(name="Spain")])
    f.PassageFactory(paragraph=paragraph, order=2, text="Second words.")
    f.ParticipationFactory(meeting=meeting)
    return meeting


def _change(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def test_an_editors_save_to_a_published_meeting_waits_for_a_publisher(client, published):
    editor = _staff(client, "editor", "Editors")
    page = client.get(_change(published))
    assert "becomes unpublished changes" in page_text(page.content.decode())
    response = client.post(_change(published), change_form_data(page, title="Corrected title"))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Published title"  # the live row is untouched
    copy = working_copy_of(published)
    assert copy is not None and copy.title == "Corrected title" and copy.status == Meeting.Status.DRAFT

    anonymous = client.__class__()
    assert "Published title" in anonymous.get(published.get_absolute_url()).content.decode()
    assert anonymous.get(copy.get_absolute_url()).status_code == 404
    assert "Corrected title" not in anonymous.get("/meetings/").content.decode()
    assert "Corrected title" not in anonymous.get("/meetings/feed.atom").content.decode()
    assert "Corrected title" not in anonymous.get("/api/v1/meetings/").content.decode()
    assert "Corrected title" not in anonymous.get("/search/?q=Corrected").content.decode()
    # Staff preview the copy as readers will see it.
    assert "Corrected title" in client.get(copy.get_absolute_url()).content.decode()

    # Opening the published meeting again opens its changes, which say by whom and what they change.
    again = client.get(_change(published), follow=True)
    text = page_text(again.content.decode())
    assert again.redirect_chain[-1][0] == _change(copy)
    assert "Unpublished changes" in text and "editor" in text
    compare = client.get(reverse("admin:meetings_meeting_changes", args=[copy.pk]))
    assert [(c.label, c.old, c.new) for ch in compare.context["changes"] for c in ch.fields] == [
        ("title", "Published title", "Corrected title")
    ]
    # An Editor cannot publish them.
    assert client.post(reverse("admin:meetings_meeting_publish_changes", args=[copy.pk])).status_code == 403
    assert editor.username == "editor"


def test_publishing_applies_the_changes_onto_the_live_rows_in_place(client, published):
    _staff(client, "editor", "Editors")
    paragraph = published.paragraphs.get()
    first, second = paragraph.passages.order_by("order")
    url = reverse("admin:meetings_paragraph_change", args=[paragraph.pk])
    page = client.get(url)
    data = change_form_data(
        page,
        **{"passages-0-text": "First words, corrected.", "passages-1-DELETE": "on", "passages-2-order": "3",
           "passages-2-text": "A new passage."},
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Passage.objects.get(pk=first.pk).text == "First words."  # live untouched

    copy = working_copy_of(published)
    kinds = sorted((c.model_label, c.kind) for c in meeting_changes_compare(copy))
    assert kinds == [("passage", "added"), ("passage", "changed"), ("passage", "deleted")]

    publisher = client.__class__()
    _staff(publisher, "publisher", "Publishers")
    response = publisher.post(reverse("admin:meetings_meeting_publish_changes", args=[copy.pk]))
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=copy.pk).exists()
    first.refresh_from_db()
    assert first.text == "First words, corrected."  # the same row, so its pk and anchor stay
    assert set(first.speakers.values_list("name", flat=True)) == {"Spain"}
    assert not Passage.objects.filter(pk=second.pk).exists()
    assert list(paragraph.passages.order_by("order").values_list("text", flat=True)) == [
        "First words, corrected.",
        "A new passage.",
    ]
    page = client.__class__().get(published.get_absolute_url()).content.decode()
    assert "First words, corrected." in page and "Second words." not in page
    history = page_text(publisher.get(reverse("admin:meetings_meeting_history", args=[published.pk])).content.decode())
    assert "Published the unpublished changes of editor" in history
    assert "First words. → First words, corrected." in history


def test_passages_can_swap_places_and_the_publication_keeps_each_row(published):
    copy = meeting_changes_draft(published, user=None)
    a, b = Passage.objects.filter(paragraph__meeting=copy).order_by("order")
    Passage.objects.filter(pk=a.pk).update(order=99)
    Passage.objects.filter(pk=b.pk).update(order=1)
    Passage.objects.filter(pk=a.pk).update(order=2)
    meeting_changes_publish(copy, user=None)
    texts = list(Passage.objects.filter(paragraph__meeting=published).order_by("order").values_list("text", "pk"))
    assert [text for text, _pk in texts] == ["Second words.", "First words."]
    assert {pk for _text, pk in texts} == {a.changes_of_id, b.changes_of_id}


def test_two_first_saves_make_one_working_copy(published):
    assert meeting_changes_draft(published, user=None) == meeting_changes_draft(published, user=None)
    assert Meeting.objects.filter(changes_of=published).count() == 1
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert meeting_changes_draft(draft, user=None) == draft  # a draft is changed in place


def test_the_copy_holds_every_part(published):
    copy = meeting_changes_draft(published, user=None)
    assert copy.participations.count() == 1 and copy.paragraphs.count() == 1
    assert Participation.objects.filter(meeting=copy).get().changes_of_id == published.participations.get().pk
    assert set(Paragraph.objects.get(meeting=copy).passages.values_list("text", flat=True)) == {
        "First words.",
        "Second words.",
    }
    assert meeting_changes_compare(copy) == []


def test_restore_of_a_published_meeting_waits_for_a_publisher(client, published):
    _staff(client, "editor", "Editors")
    before = timezone.now()
    time.sleep(0.01)
    # A change published earlier: the location, now to be undone.
    copy = meeting_changes_draft(published, user=None)
    Meeting.objects.filter(pk=copy.pk).update(location="Ankara, Turkey")
    meeting_changes_publish(Meeting.objects.get(pk=copy.pk), user=None)
    published.refresh_from_db()
    assert published.location == "Ankara, Turkey"

    restore = reverse("admin:meetings_meeting_restore", args=[published.pk])
    asked = client.get(restore, {"as_of": before.isoformat()})
    text = page_text(asked.content.decode())
    assert "becomes its unpublished changes" in text and "Istanbul, Turkey → Ankara, Turkey" in text
    assert client.post(restore, {"as_of": before.isoformat(), "confirm": "1"}).status_code == 302
    published.refresh_from_db()
    assert published.location == "Ankara, Turkey"  # still live as published
    copy = working_copy_of(published)
    assert copy.location == "Istanbul, Turkey"
    assert [(c.old, c.new) for change in meeting_changes_compare(copy) for c in change.fields] == [
        ("Ankara, Turkey", "Istanbul, Turkey")
    ]


def test_review_submit_queue_send_back_and_mail(client, published):
    _staff(client, "editor", "Editors", email="editor@example.org")
    publisher_client = client.__class__()
    _staff(publisher_client, "publisher", "Publishers", email="publisher@example.org")
    copy = meeting_changes_draft(published, user=None)
    Meeting.objects.filter(pk=copy.pk).update(participant_count=51)

    assert client.post(reverse("admin:meetings_meeting_review_submit", args=[copy.pk])).status_code == 302
    assert [m.to for m in mail.outbox] == [["publisher@example.org"]]
    index = page_text(publisher_client.get(reverse("admin:index")).content.decode())
    assert "Waiting for you" in index and "To review:" in index
    queue = publisher_client.get(reverse("admin:meetings_meeting_review_queue"))
    assert "submitted by editor" in page_text(queue.content.decode())
    [(meeting, changes)] = queue.context["rows"]
    assert [(c.old, c.new) for change in changes for c in change.fields] == [("50", "51")]

    url = reverse("admin:meetings_meeting_review_return", args=[copy.pk])
    assert publisher_client.post(url, {"comment": "Check the count against the list."}).status_code == 302
    assert mail.outbox[-1].to == ["editor@example.org"]
    assert "Check the count" in mail.outbox[-1].body
    index = page_text(client.get(reverse("admin:index")).content.decode())
    assert "Sent back to you:" in index and "Check the count" in index


def test_the_admin_index_starts_with_the_secretariats_work(client):
    _staff(client, "editor", "Editors")
    text = page_text(client.get(reverse("admin:index")).content.decode())
    assert text.index("Import a summary") < text.index("Countries, organisations")


def test_parts_of_a_published_meeting_are_not_changed_on_their_own_pages(client, published):
    _staff(client, "editor", "Editors")
    passage = Passage.objects.filter(paragraph__meeting=published).first()
    url = reverse("admin:meetings_passage_change", args=[passage.pk])
    response = client.post(url, {"paragraph": passage.paragraph_id, "order": 1, "text": "Changed live."})
    assert response.status_code == 403
    passage.refresh_from_db()
    assert passage.text == "First words."


def test_a_goal_tagged_in_the_copy_stays_tagged_through_copy_compare_and_publication(published):
    """A passage's subjects carry their provenance (named or tagged) through the working copy."""
    from meetings.models import PassageGoal
    from meetings.subjects import passage_set_subjects

    named, tagged = f.PriorityGoalFactory(number=1), f.PriorityGoalFactory(number=2)
    live_passage = Passage.objects.get(paragraph__meeting=published, order=1)
    passage_set_subjects(passage=live_passage, named=[named], tagged=[])
    copy = meeting_changes_draft(published)
    copied = Passage.objects.get(paragraph__meeting=copy, order=1)
    assert set(copied.goal_links.values_list("prioritygoal", "provenance")) == {(named.pk, "named")}

    passage_set_subjects(passage=copied, named=[named], tagged=[tagged])
    changes = [field for part in meeting_changes_compare(copy) for field in part.fields]
    assert any("Tagged" in field.new and "Tagged" not in field.old for field in changes)
    # The live record is untouched until the changes are published; then it has the tag, as a tag.
    assert set(live_passage.goal_links.values_list("prioritygoal", "provenance")) == {(named.pk, "named")}
    meeting_changes_publish(copy)
    assert set(PassageGoal.objects.filter(passage=live_passage).values_list("prioritygoal", "provenance")) == {
        (named.pk, "named"),
        (tagged.pk, "tagged"),
    }
