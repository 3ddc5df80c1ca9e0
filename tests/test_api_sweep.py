"""A hostile partner's script against the public API and the public addresses: each defect it found, kept found.

Every test here failed before its fix (see the commit that added it).
"""

import json

import pytest
from django.core.cache import cache

from meetings.models import Meeting

from . import factories as f
from .test_api_access import staff

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


# 1. A Call for Action adopted at a meeting that is not public names no meeting.


def test_a_call_for_action_adopted_at_a_draft_names_no_meeting(client):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, title="Secret Conference")
    framework = f.PriorityGoalFactory(framework=f.CallForActionFactory(adopted_at=draft)).framework
    record = client.get(f"{API}/calls-for-action/{framework.slug}/").json()
    assert record["adopted_at"] is None
    listed = client.get(f"{API}/calls-for-action/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert all(row["adopted_at"] is None for row in rows if row["slug"] == framework.slug)
    page = client.get("/priority-goals/")
    assert page.status_code == 200
    assert b"Secret Conference" not in page.content
    assert draft.get_absolute_url().encode() not in page.content


def test_a_call_for_action_adopted_at_a_public_meeting_names_it(client):
    public = f.MeetingFactory(title="Open Conference")
    framework = f.PriorityGoalFactory(framework=f.CallForActionFactory(adopted_at=public)).framework
    record = client.get(f"{API}/calls-for-action/{framework.slug}/").json()
    assert record["adopted_at"]["slug"] == public.slug
    assert b"Open Conference" in client.get("/priority-goals/").content


# 2. A published meeting changes through the editorial workflow only: no participation is added to it by the API.


def _post(client, url, data, headers, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json", headers=headers)


def test_staff_cannot_add_a_participation_to_a_published_meeting(client):
    published = f.MeetingFactory()
    country = f.CountryFactory()
    response = _post(
        client,
        f"{API}/participations/",
        {"meeting": published.slug, "actor": country.slug, "role": "participant"},
        staff("add_participation"),
    )
    assert response.status_code == 409, response.content
    assert "published" in response.json()["detail"]
    assert not published.participations.exists()


def test_staff_cannot_move_a_participation_into_a_published_meeting(client):
    published = f.MeetingFactory()
    participation = f.ParticipationFactory(meeting=f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None))
    response = _post(
        client,
        f"{API}/participations/{participation.pk}/",
        {"meeting": published.slug},
        staff("change_participation", "view_meeting"),
        method="patch",
    )
    assert response.status_code == 409, response.content
    assert "published" in response.json()["detail"]
    participation.refresh_from_db()
    assert participation.meeting_id != published.pk


def test_staff_add_a_participation_to_a_draft(client):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    country = f.CountryFactory()
    response = _post(
        client,
        f"{API}/participations/",
        {"meeting": draft.slug, "actor": country.slug, "role": "participant"},
        staff("add_participation", "view_meeting"),
    )
    assert response.status_code == 201, response.content
    assert draft.participations.get().actor == country
