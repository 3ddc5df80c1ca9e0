"""Nothing unpublished leaks: the records that only a draft, a meeting published for later or a withdrawn one
names (a new country, its ministry, an official, a series) are public nowhere until a public meeting names them.

Each check reads the site as a stranger would (pages, feeds, calendars, spreadsheet, sitemap, search,
filter choices, the API and the Popolo export), then the meeting is published and the same reads find it all.
"""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor
from meetings.importer import summary_from_text
from meetings.models import Meeting
from meetings.services.importing import meeting_import
from meetings.services.publishing import meeting_publish

from . import factories as f
from .api_client import get_json, results

pytestmark = pytest.mark.django_db

UNPUBLISHED = {
    "draft": {"status": Meeting.Status.DRAFT, "published_at": None},
    "scheduled": {"status": Meeting.Status.PUBLISHED, "published_at": timezone.now() + datetime.timedelta(days=30)},
    "withdrawn": {"status": Meeting.Status.WITHDRAWN, "published_at": timezone.now() - datetime.timedelta(days=3)},
}


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def nauru():
    """A published meeting the public reads, and an unpublished one that brought Nauru and its people in."""
    known = f.CountryFactory(name="Knownland", slug="knownland")
    published = f.MeetingFactory(title="Public meeting")
    f.ParticipationFactory(meeting=published, actor=known)
    f.PassageFactory(paragraph=f.ParagraphFactory(meeting=published), text="Knownland spoke.").speakers.add(known)

    series = f.MeetingSeriesFactory(name="Pacific Dialogue", slug="pacific-dialogue")
    meeting = f.MeetingFactory(title="Pacific meeting", series=series, status=Meeting.Status.DRAFT, published_at=None)
    country = f.CountryFactory(name="Nauru", slug="nauru", iso_code="NR")
    organisation = f.OrganisationFactory(name="Pacific Islands Forum", slug="pif", short_name="PIF")
    ministry = f.InstitutionFactory(name="Nauru Ministry of Justice", slug="nauru-justice", parent=country)
    official = f.PositionFactory(
        person=f.PersonFactory(name="Reylene Abouke", slug="reylene-abouke"), title="Secretary", actor=ministry
    )
    f.ParticipationFactory(meeting=meeting, actor=country)
    f.ParticipationFactory(meeting=meeting, actor=organisation)
    passage = f.PassageFactory(
        paragraph=f.ParagraphFactory(meeting=meeting), text="**Nauru** spoke.", official=official
    )
    passage.speakers.add(country)
    return meeting


def _public_reads(client, meeting) -> dict[str, bool]:
    """Whether each public read shows the meeting, Nauru, its organisation, its official or its series."""
    found = {}
    for name, url in {
        "country page": "/countries/nauru/",
        "country feed": reverse("actors:country-feed", args=["nauru"]),
        "country calendar": reverse("actors:country-calendar", args=["nauru"]),
        "country spreadsheet": reverse("actors:country-csv", args=["nauru"]),
        "organisation page": "/organisations/pif/",
        "organisation feed": reverse("actors:organisation-feed", args=["pif"]),
    }.items():
        status = client.get(url).status_code
        assert status in (200, 404), (name, status)
        found[name] = status == 200
    pages = {
        "country list": "/countries/",
        "organisation list": "/organisations/",
        "sitemap": "/sitemap.xml",
        "search for the country": "/search/?q=Nauru",
        "search for the official": "/search/?q=Abouke",
    }
    for name, url in pages.items():
        text = client.get(url).content.decode()
        shown = ("/countries/nauru/", "/organisations/pif/", "Reylene Abouke", meeting.get_absolute_url())
        found[name] = any(part in text for part in shown)
    meetings_list = client.get("/meetings/").content.decode()
    found["country among the meetings' filter choices"] = 'value="NR"' in meetings_list
    found["organisation among the meetings' filter choices"] = 'value="pif"' in meetings_list
    found["series among the meetings' filter choices"] = 'value="pacific-dialogue"' in meetings_list
    found["country among the search's filter choices"] = 'value="NR"' in client.get("/search/").content.decode()

    found["API country list"] = "NR" in {c["iso_code"] for c in results(client, "/api/v1/countries/")}
    found["API country"] = client.get("/api/v1/countries/NR/").status_code == 200
    found["API organisation list"] = "pif" in {o["slug"] for o in results(client, "/api/v1/organisations/")}
    found["API organisation"] = client.get("/api/v1/organisations/pif/").status_code == 200
    found["API people"] = "reylene-abouke" in {p["slug"] for p in results(client, "/api/v1/people/")}
    found["API person"] = client.get("/api/v1/people/reylene-abouke/").status_code == 200
    found["API meetings filtered by the country"] = client.get("/api/v1/meetings/?country=NR").status_code == 200
    found["API meetings filtered by the series"] = (
        client.get("/api/v1/meetings/?series=pacific-dialogue").status_code == 200
    )
    popolo = get_json(client, "/api/v1/export/popolo.json")
    organizations = {o["id"] for o in popolo["organizations"]}
    found["Popolo country"] = "organization/nauru" in organizations
    found["Popolo ministry"] = "organization/nauru-justice" in organizations
    found["Popolo person"] = "person/reylene-abouke" in {p["id"] for p in popolo["persons"]}
    found["Popolo title"] = "Secretary" in {m.get("role") for m in popolo["memberships"]}
    return found


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_what_only_an_unpublished_meeting_names_is_public_nowhere_until_it_is_published(client, nauru, state):
    Meeting.objects.filter(pk=nauru.pk).update(**UNPUBLISHED[state])
    leaks = [name for name, shown in _public_reads(client, nauru).items() if shown]
    assert leaks == []

    meeting_publish(meeting=Meeting.objects.get(pk=nauru.pk))
    cache.clear()  # the API's throttle counts: this test reads more than a stranger may in a minute
    hidden = [name for name, shown in _public_reads(client, nauru).items() if not shown]
    assert hidden == []


def test_the_public_still_reads_what_a_published_meeting_names_beside_a_draft(client, nauru):
    assert client.get("/countries/knownland/").status_code == 200
    assert "/countries/knownland/" in client.get("/sitemap.xml").content.decode()
    assert "Knownland" in {c["name"] for c in results(client, "/api/v1/countries/")}


def test_a_country_a_draft_shares_with_a_published_meeting_stays_public(client, nauru):
    f.ParticipationFactory(meeting=nauru, actor=Actor.objects.get(slug="knownland"))
    assert client.get("/countries/knownland/").status_code == 200


def test_staff_who_preview_read_what_the_draft_names(client, nauru):
    from django.contrib.auth.models import Group, User

    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(nauru.get_absolute_url()).status_code == 200
    assert client.get("/countries/nauru/").status_code == 200
    assert get_json(client, "/api/v1/countries/NR/")["name"] == "Nauru"
    assert get_json(client, "/api/v1/people/reylene-abouke/")["name"] == "Reylene Abouke"


SUMMARY = """Pacific Ministerial Meeting

Yaren, Nauru, 4 May 2021

1. The meeting gathered participants from Nauru and Tuvalu.

2. **Nauru** and **Tuvalu** presented their work on priority goal 1.
"""


def test_an_imported_draft_creates_countries_that_only_its_publication_makes_public(client):
    meeting = meeting_import(summary=summary_from_text(SUMMARY))
    created = Actor.objects.filter(iso_code__in=["NR", "TV"])
    assert meeting.status == Meeting.Status.DRAFT and created.count() == 2
    slugs = list(created.values_list("slug", flat=True))
    for slug in slugs:
        assert client.get(f"/countries/{slug}/").status_code == 404
        assert f"/countries/{slug}/" not in client.get("/sitemap.xml").content.decode()
    assert {c["iso_code"] for c in results(client, "/api/v1/countries/")}.isdisjoint({"NR", "TV"})

    meeting_publish(meeting=meeting)
    for slug in slugs:
        assert client.get(f"/countries/{slug}/").status_code == 200
    assert {"NR", "TV"} <= {c["iso_code"] for c in results(client, "/api/v1/countries/")}


def test_what_is_kept_per_change_is_read_again_at_the_change_that_publishes(
    client, committed, django_assert_num_queries
):
    """The public's actors and their counts are read once per change (budapest.fragments.per_generation): a
    second reader runs no query for them, and publishing the meeting that names Nauru shows it at once."""
    with committed():
        known = f.CountryFactory(name="Knownland", slug="knownland", iso_code="KL")
        f.ParticipationFactory(meeting=f.MeetingFactory(title="Public meeting"), actor=known)
        draft = f.MeetingFactory(title="Pacific meeting", status=Meeting.Status.DRAFT, published_at=None)
        f.ParticipationFactory(meeting=draft, actor=f.CountryFactory(name="Nauru", slug="nauru", iso_code="NR"))
    counts = [(row["iso_code"], row["meeting_count"]) for row in results(client, "/api/v1/countries/")]
    assert counts == [("KL", 1)]
    assert client.get("/api/v1/countries/NR/").status_code == 404
    with django_assert_num_queries(2):  # its countries and their regions: nothing kept (the count too) is read again
        get_json(client, "/api/v1/countries/")

    with committed():
        meeting_publish(meeting=draft)
    counts = [(row["iso_code"], row["meeting_count"]) for row in results(client, "/api/v1/countries/")]
    assert counts == [("KL", 1), ("NR", 1)]
    assert client.get("/api/v1/countries/NR/").status_code == 200


def test_a_lists_total_is_kept_per_change_for_the_public_and_never_mixed_with_staffs(client, committed):
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def total(reader, url):
        with CaptureQueriesContext(connection) as queries:
            response = reader.get(url)
        assert response.status_code == 200, response.content[:300]
        counted = sum('COUNT(*) AS "__count"' in query["sql"] for query in queries.captured_queries)
        return response.json()["count"], int(response["X-Total-Count"]), counted

    with committed():
        knownland = f.CountryFactory(name="Knownland", slug="knownland", iso_code="KL")
        for number in range(3):
            f.ParticipationFactory(meeting=f.MeetingFactory(slug=f"public-{number}"), actor=knownland)
        draft = f.MeetingFactory(slug="pacific", status=Meeting.Status.DRAFT, published_at=None)
        f.ParticipationFactory(meeting=draft, actor=knownland)
    url = "/api/v1/participations/"
    assert total(client, url) == (3, 3, 1)  # counted, then kept
    assert total(client, f"{url}?page_size=2") == (3, 3, 0)  # another page of the same list: the same total
    assert total(client, f"{url}?page=2&page_size=2") == (3, 3, 0)
    assert total(client, f"{url}?meeting=public-0") == (1, 1, 1)  # another filter is another list

    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    staff = type(client)()
    staff.force_login(editor)
    assert total(staff, url)[:2] == (4, 4)  # the draft's too, counted afresh, and kept for no one
    assert total(client, url) == (3, 3, 0)

    with committed():
        meeting_publish(meeting=draft)
    assert total(client, url) == (4, 4, 1)  # seen at the change, counted again once
