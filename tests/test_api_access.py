"""Who reads and writes what: anonymous clients, partners with a token, staff with and without permissions."""

import datetime
import itertools
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from meetings.models import Meeting

from .conftest import SOM_2020_SLUG
from .factories import MeetingFactory, ParagraphFactory, ParticipationFactory, PassageFactory

pytestmark = pytest.mark.django_db

DRAFT = "2026-05-01-draft-meeting"


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def draft(som_2020):
    meeting = MeetingFactory(slug=DRAFT, status=Meeting.Status.DRAFT, published_at=None, title="Draft meeting")
    turkey = som_2020.participations.get(actor__iso_code="TR").actor
    ParticipationFactory(meeting=meeting, actor=turkey)
    PassageFactory(paragraph=ParagraphFactory(meeting=meeting), text="Not yet public.", speakers=[turkey])
    return meeting


def token_for(user) -> dict:
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.fixture
def partner():
    return token_for(User.objects.create_user("partner", email="data@partner.example"))


STAFF_NUMBERS = itertools.count(1)


def staff(*codenames: str) -> dict:
    """A token for a new staff member holding the permissions named."""
    user = User.objects.create_user(f"staff-{next(STAFF_NUMBERS)}", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return token_for(user)


def visible(client, headers) -> dict[str, set]:
    """What a client sees of the draft, in every place a draft could show."""
    return {
        "meetings": {m["slug"] for m in client.get("/api/v1/meetings/", headers=headers).json()["results"]},
        "detail": {client.get(f"/api/v1/meetings/{DRAFT}/", headers=headers).status_code},
        "interventions": {
            i["meeting"]["slug"]
            for i in client.get("/api/v1/interventions/?page_size=100", headers=headers).json()["results"]
        },
        "participations": {
            p["meeting"]["slug"]
            for p in client.get("/api/v1/participations/?country=TR", headers=headers).json()["results"]
        },
        "filter": {client.get(f"/api/v1/interventions/?meeting={DRAFT}", headers=headers).status_code},
    }


HIDDEN = {
    "meetings": {SOM_2020_SLUG},
    "detail": {404},
    "interventions": {SOM_2020_SLUG},
    "participations": {SOM_2020_SLUG},
    "filter": {404},
}
SHOWN = {
    "meetings": {SOM_2020_SLUG, DRAFT},
    "detail": {200},
    "interventions": {SOM_2020_SLUG, DRAFT},
    "participations": {SOM_2020_SLUG, DRAFT},
    "filter": {200},
}


def test_drafts_are_hidden_from_anonymous_clients(client, draft):
    assert visible(client, {}) == HIDDEN


def test_drafts_are_hidden_from_partner_tokens(client, draft, partner):
    assert visible(client, partner) == HIDDEN


def test_drafts_are_hidden_from_staff_without_permission(client, draft):
    assert visible(client, staff()) == HIDDEN
    assert visible(client, staff("add_meeting")) == HIDDEN


def test_staff_who_may_view_or_change_meetings_see_drafts(client, draft):
    assert visible(client, staff("view_meeting")) == SHOWN
    assert visible(client, staff("change_meeting")) == SHOWN


def test_a_meeting_published_in_the_future_is_not_yet_visible(client, db):
    MeetingFactory(slug="tomorrow", published_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))
    assert client.get("/api/v1/meetings/tomorrow/").status_code == 404


def test_invalid_or_revoked_token_is_401(client, db):
    response = client.get("/api/v1/meetings/", headers={"Authorization": "Token not-a-token"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    user = User.objects.create_user("former-partner")
    headers = token_for(user)
    assert client.get("/api/v1/meetings/", headers=headers).status_code == 200
    Token.objects.filter(user=user).delete()  # what "Delete" in the admin does
    assert client.get("/api/v1/meetings/", headers=headers).status_code == 401


def test_staff_issue_and_revoke_tokens_in_the_admin(client, db):
    admin = User.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 200
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200


# Writes

NEW_MEETING = {
    "series": "senior-officials-meetings",
    "title": "Annual Senior Officials Meeting",
    "slug": "2021-11-30-annual-som",
    "start_date": "2021-11-30",
    "format": "hybrid",
    "location": "Istanbul, Turkey",
    "participant_count": 80,
}


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def test_anonymous_and_partners_cannot_write(client, som_2020, partner):
    assert post(client, "/api/v1/meetings/", NEW_MEETING, {}).status_code == 401
    assert post(client, "/api/v1/meetings/", NEW_MEETING, partner).status_code == 403
    patch = client.patch(
        f"/api/v1/meetings/{SOM_2020_SLUG}/", {"title": "x"}, content_type="application/json", headers=partner
    )
    assert patch.status_code == 403
    assert not Meeting.objects.filter(slug=NEW_MEETING["slug"]).exists()


def test_staff_need_the_model_permission(client, som_2020):
    assert post(client, "/api/v1/meetings/", NEW_MEETING, staff("change_meeting")).status_code == 403
    assert post(client, "/api/v1/countries/", {"iso_code": "RO"}, staff("add_meeting")).status_code == 403
    # A user with the permission but without staff status writes nothing either.
    user = User.objects.create_user("not-staff")
    user.user_permissions.add(Permission.objects.get(codename="add_meeting"))
    assert post(client, "/api/v1/meetings/", NEW_MEETING, token_for(user)).status_code == 403


def test_staff_create_a_meeting_as_a_draft(client, som_2020):
    token = staff("add_meeting")
    # The API cannot publish: a status sent with the meeting is refused by name, and nothing is saved.
    response = post(client, "/api/v1/meetings/", {**NEW_MEETING, "status": "published"}, token)
    assert response.status_code == 400
    assert response.json() == {"status": ["Unknown field."]}
    assert not Meeting.objects.filter(slug="2021-11-30-annual-som").exists()
    response = post(client, "/api/v1/meetings/", NEW_MEETING, token)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "draft"
    assert created["series"]["slug"] == "senior-officials-meetings"
    assert created["participations"] == [] and created["paragraphs"] == []
    assert response["Location"] == created["api_url"] == "http://testserver/api/v1/meetings/2021-11-30-annual-som/"
    meeting = Meeting.objects.get(slug="2021-11-30-annual-som")
    assert meeting.status == Meeting.Status.DRAFT and meeting.published_at is None
    assert client.get("/api/v1/meetings/2021-11-30-annual-som/").status_code == 404  # a draft, for the public


def _draft_2020():
    Meeting.objects.filter(slug=SOM_2020_SLUG).update(status=Meeting.Status.DRAFT, published_at=None)


def test_staff_change_a_draft_meeting(client, som_2020):
    _draft_2020()
    editor = staff("change_meeting")
    response = client.patch(
        f"/api/v1/meetings/{SOM_2020_SLUG}/", {"participant_count": 98}, content_type="application/json", headers=editor
    )
    assert response.status_code == 200, response.json()
    assert response.json()["participant_count"] == 98
    assert len(response.json()["participations"]) == 51
    som_2020.refresh_from_db()
    assert som_2020.participant_count == 98


def test_a_published_meeting_is_not_changed_through_the_api(client, som_2020):
    editor = staff("change_meeting")
    response = client.patch(
        f"/api/v1/meetings/{SOM_2020_SLUG}/", {"participant_count": 98}, content_type="application/json", headers=editor
    )
    assert response.status_code == 409
    assert "wait for a Publisher" in response.json()["detail"]
    som_2020.refresh_from_db()
    assert som_2020.participant_count == 97


def test_a_change_based_on_a_stale_read_is_refused(client, som_2020):
    _draft_2020()
    editor = staff("change_meeting")
    url = f"/api/v1/meetings/{SOM_2020_SLUG}/"
    etag = client.get(url, headers=editor)["ETag"]
    version = Meeting.objects.get(slug=SOM_2020_SLUG).version

    def patch(count, etag):
        data = {"participant_count": count}
        return client.patch(url, data, content_type="application/json", headers={**editor, "If-Match": etag})

    first = patch(98, etag)
    assert first.status_code == 200
    assert Meeting.objects.get(slug=SOM_2020_SLUG).version == version + 1  # admin forms opened before are stale
    second = patch(99, etag)  # a second editor, who read the meeting before the first change
    assert second.status_code == 412
    assert "changed since you read it" in second.json()["detail"]
    assert Meeting.objects.get(slug=SOM_2020_SLUG).participant_count == 98
    assert patch(99, client.get(url, headers=editor)["ETag"]).status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"end_date": "2021-11-01"}, "non_field_errors", "last day cannot be before the first day"),
        ({"series": "no-such-series"}, "series", "does not exist"),
        ({"slug": SOM_2020_SLUG}, "slug", "already exists"),
        ({"start_date": "30/11/2021"}, "start_date", "YYYY-MM-DD"),
        ({"format": "by-carrier-pigeon"}, "format", "not a valid choice"),
        ({"title": ""}, "title", "may not be blank"),
        ({"participant_count": -1}, "participant_count", "greater than or equal to 0"),
    ],
)
def test_invalid_meetings_are_400_with_a_clear_message(client, db, change, field, words):
    MeetingFactory(slug=SOM_2020_SLUG)  # and with it, the series of Senior Officials Meetings
    response = post(client, "/api/v1/meetings/", {**NEW_MEETING, **change}, staff("add_meeting"))
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not Meeting.objects.filter(slug=NEW_MEETING["slug"]).exists()


def test_malformed_json_is_400(client, db):
    response = client.post(
        "/api/v1/meetings/", "{not json", content_type="application/json", headers=staff("add_meeting")
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_staff_add_a_country_and_a_participation(client, som_2020):
    country = post(
        client,
        "/api/v1/countries/",
        {"iso_code": "ro", "name": "Romania (new)", "slug": "romania-new", "regions": ["black-sea-region"]},
        staff("add_actor"),
    )
    assert country.status_code == 400  # Romania is already there, under its ISO code
    assert "iso_code" in country.json()
    country = post(
        client,
        "/api/v1/countries/",
        {"iso_code": "rs", "name": "Serbia again", "slug": "serbia-again"},
        staff("add_actor"),
    )
    assert country.status_code == 400
    country = post(
        client,
        "/api/v1/countries/",
        {"iso_code": "kz", "name": "Kazakhstan", "slug": "kazakhstan", "other_names": ["Qazaqstan"]},
        staff("add_actor"),
    )
    assert country.status_code == 201, country.json()
    assert country.json()["iso_code"] == "KZ"
    assert country.json()["api_url"] == "http://testserver/api/v1/countries/KZ/"
    # Not to the 2020 meeting: it is published, and changes through the editorial workflow only (a 409).
    refused = post(
        client,
        "/api/v1/participations/",
        {"meeting": SOM_2020_SLUG, "actor": "kazakhstan", "role": "participant"},
        staff("add_participation"),
    )
    assert refused.status_code == 409, refused.json()
    MeetingFactory(slug=DRAFT, status=Meeting.Status.DRAFT, published_at=None)
    participation = post(
        client,
        "/api/v1/participations/",
        {"meeting": DRAFT, "actor": "kazakhstan", "role": "participant"},
        staff("add_participation", "view_meeting"),
    )
    assert participation.status_code == 201, participation.json()
    assert participation.json()["actor"]["iso_code"] == "KZ"
    duplicate = post(
        client,
        "/api/v1/participations/",
        {"meeting": DRAFT, "actor": "kazakhstan", "role": "chair"},
        staff("add_participation"),
    )
    assert duplicate.status_code == 400


def test_unsupported_methods_are_405_for_everyone(client, som_2020):
    response = client.delete(f"/api/v1/meetings/{SOM_2020_SLUG}/")
    assert response.status_code == 405
    assert "DELETE" not in response["Allow"]
    assert client.post("/api/v1/interventions/", {}, content_type="application/json").status_code == 405


# Throttling


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "partner": "6/minute"},
    }


def test_anonymous_clients_are_throttled_with_retry_after(client, db, low_rates):
    statuses = [client.get("/api/v1/priority-goals/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get("/api/v1/priority-goals/")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in throttled.json()["detail"]
    # Another address has its own count.
    assert client.get("/api/v1/priority-goals/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_openapi_description_is_throttled_in_json(client, db, low_rates):
    statuses = [client.get("/api/schema/").status_code for _ in range(4)]
    throttled = client.get("/api/schema/")
    assert statuses == [200, 200, 200, 429] and throttled.status_code == 429
    assert throttled["Content-Type"] == "application/json" and "throttled" in throttled.json()["detail"]  # was YAML
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_partners_have_a_higher_rate(client, db, low_rates, partner):
    statuses = [client.get("/api/v1/priority-goals/", headers=partner).status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]


def test_throttle_counts_live_in_the_configured_cache(client, db, low_rates):
    client.get("/api/v1/priority-goals/")
    assert cache.get("throttle_anon_127.0.0.1") is not None


def test_settings_use_redis_when_redis_url_is_set():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "budapest.settings"}

    def backend(**extra):
        env = {key: value for key, value in {**environment, **extra}.items() if value is not None}
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return run.stdout.strip()

    # Django's Redis cache behind a circuit breaker (budapest/redis_cache.py, a subclass of Django's).
    assert backend(REDIS_URL="redis://127.0.0.1:6379/3") == "budapest.redis_cache.RedisCache"
    assert backend(REDIS_URL=None) == "django.core.cache.backends.locmem.LocMemCache"
    assert django_settings.CACHES["default"]["BACKEND"].endswith(("RedisCache", "LocMemCache"))
