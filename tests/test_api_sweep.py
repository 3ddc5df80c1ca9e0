"""A hostile partner's script against the public API and the public addresses: each defect it found, kept found.

Each defect's test failed before its fix (see the commit that added it). Beside them, tests of what was already
right and must stay so: the API's own page numbers (ASCII digits only already), a 406 in JSON, a 410 for a
meeting withdrawn after being public, a participation added to a draft.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budapest.downloads import content_disposition, safe_filename
from meetings.models import Meeting
from meetings.services.publishing import meeting_withdraw

from . import factories as f
from .admin_forms import change_form_data
from .test_api_access import staff
from .test_exact_input import concrete, public_routes, real_values

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
    [row] = [row for row in client.get(f"{API}/calls-for-action/").json()["results"] if row["slug"] == framework.slug]
    assert row["adopted_at"] is None
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


# 3. A JSON body nested deeper than the API reads is a 400 that says so, not a RecursionError.


@pytest.mark.parametrize("depth", [33, 100_000])
def test_a_deeply_nested_json_body_is_a_400(client, depth):
    body = "[" * depth + "]" * depth
    response = client.post(f"{API}/meetings/", body, content_type="application/json", headers=staff("add_meeting"))
    assert response.status_code == 400, response.content[:200]
    assert "nested" in response.json()["detail"]


def test_a_json_body_nested_32_deep_is_read(client):
    body = json.dumps({"title": "x", "extra": json.loads("[" * 31 + "]" * 31)})
    response = client.post(f"{API}/meetings/", body, content_type="application/json", headers=staff("add_meeting"))
    assert response.status_code == 400  # for its missing fields, not its depth
    assert "series" in response.json()


# 4. If-Match takes a weak ETag (what a proxy that compresses the answer makes of the strong one) too.


def _draft_and_etag(client):
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, participant_count=10)
    headers = staff("change_meeting")
    url = f"{API}/meetings/{meeting.slug}/"
    etag = client.get(url, headers=headers)["ETag"]
    assert etag.startswith('"'), etag
    return meeting, headers, url, etag


def test_if_match_takes_a_weak_etag(client):
    meeting, headers, url, etag = _draft_and_etag(client)
    response = _post(client, url, {"participant_count": 12}, {**headers, "If-Match": f"W/{etag}"}, method="patch")
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.participant_count == 12
    # ... and the same weak ETag, now stale, is refused.
    stale = _post(client, url, {"participant_count": 13}, {**headers, "If-Match": f"W/{etag}"}, method="patch")
    assert stale.status_code == 412


# 6. Accept is read with its q-values, and a 406 is JSON.


def test_accept_q_values_choose_the_format(client):
    response = client.get(f"{API}/priority-goals/", headers={"Accept": "text/csv;q=0.1, application/json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    response = client.get(f"{API}/priority-goals/", headers={"Accept": "application/json;q=0.2, text/csv;q=0.9"})
    assert response["Content-Type"].startswith("text/csv")


def test_a_format_refused_by_q_0_is_not_given(client):
    response = client.get(f"{API}/priority-goals/", headers={"Accept": "text/csv;q=0, application/json;q=0"})
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert "Accept" in response.json()["detail"]


def test_a_406_is_json(client):
    response = client.get(f"{API}/priority-goals/", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


# 5. A date filter takes a day as YYYY-MM-DD, and nothing else: 12/01/2020 is not read as 1 December (or 12 January).


@pytest.mark.parametrize(
    "value", ["12/01/2020", "2020-1-1", "2020-01-01T00:00", "20200101", "٢٠٢٠-٠١-٠١", "2020-02-30"]
)
@pytest.mark.parametrize("name", ["date_from", "date_to"])
@pytest.mark.parametrize("resource", ["meetings", "interventions"])
def test_a_date_filter_takes_yyyy_mm_dd_only(client, resource, name, value):
    response = client.get(f"{API}/{resource}/", {name: value})
    assert response.status_code == 400, (resource, name, value, response.status_code)
    assert "YYYY-MM-DD" in " ".join(response.json()[name])


def test_a_date_filter_reads_yyyy_mm_dd(client):
    f.MeetingFactory(start_date=datetime.date(2020, 12, 2))
    f.MeetingFactory(start_date=datetime.date(2019, 6, 1))
    response = client.get(f"{API}/meetings/", {"date_from": "2020-01-01"})
    assert response.status_code == 200
    assert [row["start_date"] for row in response.json()["results"]] == ["2020-12-02"]


# 8. Words to search for: at most 200 characters, else a 400 that says so.


@pytest.mark.parametrize("resource", ["meetings", "interventions", "countries", "organisations", "people"])
def test_a_search_longer_than_200_characters_is_a_400(client, resource):
    response = client.get(f"{API}/{resource}/", {"search": "a" * 201})
    assert response.status_code == 400, (resource, response.status_code)
    assert "200" in " ".join(response.json()["search"])
    assert client.get(f"{API}/{resource}/", {"search": "a" * 200}).status_code == 200


# 9. A whole number is written in ASCII digits: no other script's digits, superscripts, signs or fractions.

NOT_WHOLE_NUMBERS = ["١٢", "²", "+1", " 1", "1.0", "1_0", "0x1", "١"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        *(("goal", value) for value in NOT_WHOLE_NUMBERS),
        # Years in range, written in the same ways: read as 2020 by int() before.
        *(("year", value) for value in ["٢٠٢٠", "+2020", " 2020", "2020.0", "2_020", "２０２０"]),
    ],
)
def test_a_number_filter_takes_ascii_digits_only(client, name, value):
    response = client.get(f"{API}/meetings/", {name: value})
    assert response.status_code == 400, (name, value, response.status_code)
    assert "digits 0 to 9" in " ".join(response.json()[name])


@pytest.mark.parametrize("value", NOT_WHOLE_NUMBERS)
def test_an_api_page_number_takes_ascii_digits_only(client, value):
    response = client.get(f"{API}/priority-goals/", {"page": value})
    assert response.status_code == 400, (value, response.status_code)
    assert response.json()["page"]


# 7. A meeting withdrawn before it was ever public never was: its address is a 404, not a 410 that says it existed.


def _later(monkeypatch, when):
    monkeypatch.setattr(timezone, "now", lambda: when + datetime.timedelta(seconds=1))


def test_a_meeting_withdrawn_before_its_time_came_is_not_found_then_and_later(client, monkeypatch):
    due = timezone.now() + datetime.timedelta(hours=1)
    meeting = f.MeetingFactory(title="Never public", published_at=due)
    meeting_withdraw(meeting=meeting)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    _later(monkeypatch, due)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 404
    assert b"Never public" not in response.content
    assert client.get(f"{API}/meetings/{meeting.slug}/").status_code == 404


def _publisher(client):
    publisher = User.objects.create_user("publisher", password="a-long-password", is_staff=True)
    publisher.groups.set(Group.objects.filter(name="Publishers"))
    client.force_login(publisher)


@pytest.mark.parametrize("hours", [-24, 1])
def test_a_draft_set_to_withdrawn_in_the_form_is_not_found(client, monkeypatch, hours):
    """A draft that a Publisher sets to withdrawn, with a publication time past or to come, never was public."""
    _publisher(client)
    meeting = f.MeetingFactory(title="Never public either", status=Meeting.Status.DRAFT, published_at=None)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    when = timezone.localtime() + datetime.timedelta(hours=hours)
    data = change_form_data(
        client.get(url), status="withdrawn", published_at_0=f"{when:%Y-%m-%d}", published_at_1=f"{when:%H:%M:%S}"
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.WITHDRAWN
    client.logout()
    assert client.get(meeting.get_absolute_url()).status_code == 404
    _later(monkeypatch, when)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 404
    assert b"Never public either" not in response.content


def test_a_meeting_withdrawn_after_being_public_says_so(client):
    meeting = f.MeetingFactory(title="Once public")
    meeting_withdraw(meeting=meeting)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 410
    assert b"Once public" in response.content


def test_the_withdraw_action_withdraws_public_meetings_only(client):
    _publisher(client)
    scheduled = f.MeetingFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    public = f.MeetingFactory()
    url = reverse("admin:meetings_meeting_changelist")
    client.post(url, {"action": "withdraw", "_selected_action": [scheduled.pk, public.pk]})
    scheduled.refresh_from_db()
    public.refresh_from_db()
    assert public.status == Meeting.Status.WITHDRAWN
    assert scheduled.status == Meeting.Status.PUBLISHED  # still to be published then: make it a draft instead


# 11. The OpenAPI description and its docs page are read, not described: OPTIONS is a 405 that says what is allowed.


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/schema/?format=json"])
def test_options_on_the_schema_and_the_docs_is_a_405(client, url):
    response = client.options(url)
    assert response.status_code == 405, (url, response.status_code)
    assert response["Allow"] == "GET, HEAD"
    assert "json" in response["Content-Type"]
    assert "OPTIONS" in response.json()["detail"]


# 12. OPTIONS describes a resource in JSON, whatever format the client asked for.


@pytest.mark.parametrize(
    ("query", "headers"),
    [("?format=csv", {}), ("", {"Accept": "text/csv"}), ("?format=csv", {"Accept": "text/csv"})],
)
def test_options_answers_in_json_when_csv_was_asked_for(client, query, headers):
    response = client.options(f"{API}/meetings/{query}", headers=headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"]


# 13. The API root is a view of the API like the others.


def test_the_api_root_answers_as_every_view_does(client, settings):
    response = client.get(f"{API}/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["meetings"].endswith("/api/v1/meetings/")
    assert client.get(f"{API}/?lang=ru")["Content-Language"] == "ru"
    unknown = client.get(f"{API}/?lang=xx")
    assert unknown.status_code == 400
    assert "lang" in unknown.json()
    assert client.get(f"{API}/?format=").status_code == 404
    assert client.delete(f"{API}/").status_code == 405
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    cache.clear()
    statuses = [client.get(f"{API}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# 14. Every public address answers HEAD as it answers GET, without the body: robots.txt was a 405.


def test_every_public_address_answers_head_with_200_and_no_body(client, som_2020, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "partner": None}}
    answered = []
    for route in public_routes():
        url = concrete(route, real_values(route)).replace("citation.anything", "citation.bib")
        if client.get(url).status_code != 200:
            continue  # an address whose value names nothing here (a document of the 2020 meeting, …)
        response = client.head(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.content == b"", url
        answered.append(url)
    assert "/robots.txt" in answered
    assert len(answered) >= 40, answered  # 43 when written


# 15. A page takes GET and HEAD: PUT, PATCH, DELETE, POST and OPTIONS are a 405 with Allow: GET, HEAD. They were a
# 403 "CSRF verification failed" (OPTIONS a 200), as if the page took a write with a token.

WRITES = ("put", "patch", "delete", "post", "options")


def test_every_public_page_refuses_other_methods_with_405(som_2020, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "partner": None}}
    browser = Client(enforce_csrf_checks=True)
    refused = []
    for route in public_routes():
        url = concrete(route, real_values(route)).replace("citation.anything", "citation.bib")
        if url.startswith("/api/") or browser.get(url).status_code != 200:
            continue
        for method in WRITES:
            response = getattr(browser, method)(url, "a=1", content_type="application/x-www-form-urlencoded")
            assert response.status_code == 405, (method, url, response.status_code)
            assert response["Allow"] == "GET, HEAD", url
        refused.append(url)
    assert "/meetings/2020-12-02-annual-senior-officials-meeting/" in refused and "/search/" in refused
    assert len(refused) >= 20, refused  # 24 when written


def test_the_admin_and_the_api_keep_their_own_methods(admin_client, som_2020):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 403  # no token
    assert admin_client.post(reverse("admin:meetings_meeting_changelist"), {}).status_code in (200, 302)
    assert browser.delete(f"{API}/meetings/").status_code == 405  # the API's own 405, in JSON
    assert browser.post(f"{API}/meetings/", {}).status_code == 401
    assert browser.post("/no-such-page/").status_code == 404


# Also: a Call for Action that no slug names is answered as on every other list; a goal has one address.


def test_priority_goals_of_an_unknown_framework_are_answered_as_on_the_other_lists(client):
    f.PriorityGoalFactory(number=1)
    for url in (f"{API}/priority-goals/", f"{API}/priority-goals/1/"):
        listed = client.get(url, {"framework": "1999-2000"})
        assert listed.status_code == client.get(f"{API}/interventions/", {"framework": "1999-2000"}).status_code
        assert listed.status_code == 404, (url, listed.status_code)
        assert "1999-2000" in listed.json()["detail"]
        malformed = client.get(url, {"framework": "no such thing"})
        assert malformed.status_code == 400, (url, malformed.status_code)
        assert malformed.json()["framework"]
        assert client.get(url, {"framework": "2019-2024"}).status_code == 200


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ("/priority-goals/1/", "/priority-goals/01/"),
        ("/priority-goals/2019-2024/1/", "/priority-goals/2019-2024/001/"),
        (f"{API}/priority-goals/1/", f"{API}/priority-goals/01/"),
    ],
)
def test_a_goal_number_with_a_leading_zero_is_no_address(client, good, bad):
    f.PriorityGoalFactory(number=1)
    assert client.get(good).status_code in (200, 301)  # /priority-goals/2019-2024/1/ is /priority-goals/1/
    assert client.get(bad).status_code == 404


# Found in this sweep: a day written to the API is YYYY-MM-DD too, as the filters read it.


@pytest.mark.parametrize(
    "value", ["٢٠٢١-١١-٣٠", "20211130", "2021-W48-2", "2021-11-30T10:00", "2021-1-5", " 2021-11-30"]
)
def test_a_day_written_to_the_api_is_yyyy_mm_dd_only(client, value):
    f.MeetingSeriesFactory()
    meeting = {"series": "senior-officials-meetings", "title": "T", "slug": "t-1", "format": "hybrid", "location": "X"}
    response = _post(client, f"{API}/meetings/", {**meeting, "start_date": value}, staff("add_meeting"))
    assert response.status_code == 400, (value, response.status_code)
    assert "YYYY-MM-DD" in " ".join(response.json()["start_date"])
    assert not Meeting.objects.filter(slug="t-1").exists()
    written = _post(client, f"{API}/meetings/", {**meeting, "start_date": "2021-11-30"}, staff("add_meeting"))
    assert written.status_code == 201, written.content


# 16. Every download's Content-Disposition is one valid header for any name (budapest.downloads): a quote, a
# newline or a path in a record's name reached the header as it was (a newline made Django raise: a 500).

HOSTILE_NAMES = {
    'say "hello".csv': 'attachment; filename="say -hello-.csv"',
    "line\nbreak\r\n.ics": 'attachment; filename="line-break-.ics"',
    "../../etc/passwd": 'attachment; filename="etc-passwd"',
    "C:\\Windows\\x.bib": 'attachment; filename="C:-Windows-x.bib"',
    "nul\x00.ris": 'attachment; filename="nul-.ris"',
    "Türkiye – 2020.csv": "attachment; filename*=utf-8''T%C3%BCrkiye%20%E2%80%93%202020.csv",
    "...": 'attachment; filename="download"',
}


@pytest.mark.parametrize(("name", "header"), HOSTILE_NAMES.items())
def test_a_download_name_is_one_safe_header(name, header):
    assert content_disposition(name) == header


def test_a_long_download_name_keeps_its_extension():
    name = safe_filename("a" * 500 + ".csv")
    assert len(name) == 150 and name.endswith(".csv")


def test_every_download_of_the_site_names_its_file_through_one_rule(client, som_2020, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "partner": None}}
    headers = {}
    for route in public_routes():
        url = concrete(route, real_values(route)).replace("citation.anything", "citation.bib")
        response = client.get(url, {"format": "csv"} if url.startswith(f"{API}/") else {})
        if response.status_code == 200 and "Content-Disposition" in response:
            headers[url] = response["Content-Disposition"]
    assert len(headers) >= 8, headers
    for url, header in headers.items():
        kind, filename = header.split("; ", 1)
        name = re.fullmatch(r'filename="([^"\\/\x00-\x1f]+)"', filename)
        assert kind in ("attachment", "inline") and name, (url, header)
        assert header == content_disposition(name.group(1), inline=kind == "inline"), url
