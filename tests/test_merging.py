"""Two officers on one page: different fields and rows are merged, a clash on one field is shown with both values."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from meetings.models import Meeting

from . import factories as f
from .admin_forms import change_form_data
from .source_text import page_text

pytestmark = pytest.mark.django_db


def _officer(client, username):
    user = User.objects.create_user(username, "", "a-long-password", is_staff=True)
    user.groups.set(Group.objects.filter(name="Editors"))
    client.force_login(user)
    return client


@pytest.fixture
def two(client):
    return _officer(client, "anna"), _officer(client.__class__(), "bela")


@pytest.fixture
def meeting():
    meeting = f.MeetingFactory(
        status=Meeting.Status.DRAFT, published_at=None, location="Istanbul, Turkey", participant_count=186
    )
    f.ParticipationFactory(meeting=meeting)
    return meeting


def _url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def test_changes_to_different_fields_are_both_kept_and_the_second_is_told(two, meeting):
    anna, bela = two
    anna_page, bela_page = anna.get(_url(meeting)), bela.get(_url(meeting))
    assert anna.post(_url(meeting), change_form_data(anna_page, location="Vienna, Austria")).status_code == 302
    response = bela.post(_url(meeting), change_form_data(bela_page, participant_count="187"), follow=True)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.location, meeting.participant_count) == ("Vienna, Austria", 187)
    told = " ".join(str(m) for m in response.context["messages"])
    assert "Place: “Vienna, Austria” (saved by anna" in told


def test_a_clash_on_one_field_shows_both_values_and_saves_nothing_until_chosen(two, meeting):
    anna, bela = two
    anna_page, bela_page = anna.get(_url(meeting)), bela.get(_url(meeting))
    anna.post(_url(meeting), change_form_data(anna_page, location="Vienna, Austria"))
    response = bela.post(_url(meeting), change_form_data(bela_page, location="Ankara, Turkey", title="Bela's title"))
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert "“Vienna, Austria”" in text and "“Ankara, Turkey”" in text and "anna" in text
    form = response.context["adminform"].form
    assert form["location"].value() == "Ankara, Turkey"  # what bela typed is still there
    meeting.refresh_from_db()
    assert (meeting.location, meeting.title) == ("Vienna, Austria", meeting.title)
    assert meeting.title != "Bela's title"

    # Having seen both, bela keeps anna's place: saving again goes through with bela's title.
    again = bela.post(_url(meeting), change_form_data(response, location="Vienna, Austria", title="Bela's title"))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.location, meeting.title) == ("Vienna, Austria", "Bela's title")


def test_rows_changed_by_each_are_both_kept(two):
    anna, bela = two
    paragraph = f.ParagraphFactory(meeting__status=Meeting.Status.DRAFT, meeting__published_at=None)
    first = f.PassageFactory(paragraph=paragraph, order=1, text="First.")
    second = f.PassageFactory(paragraph=paragraph, order=2, text="Second.")
    goal = f.PriorityGoalFactory(number=3)
    url = reverse("admin:meetings_paragraph_change", args=[paragraph.pk])
    anna_page, bela_page = anna.get(url), bela.get(url)
    assert anna.post(url, change_form_data(anna_page, **{"passages-1-goals": [str(goal.pk)]})).status_code == 302
    assert bela.post(url, change_form_data(bela_page, **{"passages-0-text": "First, by bela."})).status_code == 302
    first.refresh_from_db()
    assert first.text == "First, by bela."
    assert list(second.goals.all()) == [goal]  # anna's goal tag survives bela's save


@pytest.mark.parametrize("page", ["meeting", "paragraph"])
def test_a_management_form_that_counts_more_rows_than_were_sent_builds_only_those_sent(two, meeting, page):
    # "TOTAL_FORMS=100000" had Django build, check and show again 2,000 empty rows: 16 s of a worker for one
    # POST, then "Please submit at most 1000 forms" and the save refused.
    anna, _bela = two
    paragraph = f.ParagraphFactory(meeting=meeting)
    f.PassageFactory(paragraph=paragraph, order=1, text="First.")
    url = _url(meeting) if page == "meeting" else reverse("admin:meetings_paragraph_change", args=[paragraph.pk])
    prefix = "participations" if page == "meeting" else "passages"
    opened = anna.get(url)
    # A field left wrong, so that the page is shown again with the rows it built.
    wrong = {"participant_count": "many"} if page == "meeting" else {"number": "x"}
    data = change_form_data(opened, **wrong, **{f"{prefix}-TOTAL_FORMS": "100000", f"{prefix}-INITIAL_FORMS": "9999"})
    response = anna.post(url, data)
    assert response.status_code == 200
    (formset,) = [i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == prefix]
    sent = int(change_form_data(opened)[f"{prefix}-TOTAL_FORMS"])
    assert len(formset.forms) == sent < 10
    # Sent again with the field put right, it saves.
    data = change_form_data(opened, **{f"{prefix}-TOTAL_FORMS": "100000"})
    assert anna.post(url, data).status_code == 302
