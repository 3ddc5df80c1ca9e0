"""What machines read: the sitemap, robots.txt, schema.org JSON-LD, Open Graph and description meta tags."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from actors.models import Actor
from meetings.models import Meeting, PriorityGoal

from .factories import CountryFactory, MeetingFactory, OrganisationFactory, ParticipationFactory
from .scale import count_queries, large_meeting

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client) -> dict[str, ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc", ""): url for url in root.iter(f"{SITEMAP}url")}


def test_sitemap_names_every_public_page(client, som_2020):
    urls = sitemap_urls(client)
    base = "http://testserver"
    assert urls[f"{base}{som_2020.get_absolute_url()}"].findtext(f"{SITEMAP}lastmod")
    for country in Actor.objects.countries():
        assert f"{base}{country.get_absolute_url()}" in urls
    for organisation in Actor.objects.organisations():
        assert f"{base}{organisation.get_absolute_url()}" in urls
    for goal in PriorityGoal.objects.all():
        assert f"{base}{goal.get_absolute_url()}" in urls
    for page in ["/", "/meetings/", "/countries/", "/organisations/", "/priority-goals/", "/priority-goals/matrix/"]:
        assert f"{base}{page}" in urls
    # Every entry says when it last changed: no later than the latest change of a published meeting.
    latest = max(m.updated_at for m in Meeting.objects.published()).date().isoformat()
    lastmods = {url: entry.findtext(f"{SITEMAP}lastmod") for url, entry in urls.items()}
    assert all(lastmods.values()), [url for url, lastmod in lastmods.items() if not lastmod]
    assert max(lastmods.values())[:10] == latest
    # Institutions and groups have no page of their own.
    assert not any("/ministry" in url or "eu-member-states" in url for url in urls)


def test_sitemap_leaves_out_drafts(client, db):
    published = MeetingFactory()
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    later = MeetingFactory(published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    urls = sitemap_urls(client)
    assert f"http://testserver{published.get_absolute_url()}" in urls
    assert f"http://testserver{draft.get_absolute_url()}" not in urls
    assert f"http://testserver{later.get_absolute_url()}" not in urls


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /search/" in lines


class _Head(HTMLParser):
    """The meta tags and JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content", "")
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in_json_ld:
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def head(client, url) -> _Head:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


def test_meeting_page_describes_an_event(client, som_2020):
    page = head(client, som_2020.get_absolute_url())
    [data] = [json.loads(script) for script in page.json_ld]
    url = f"http://testserver{som_2020.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Annual Senior Officials Meeting"
    assert data["startDate"] == "2020-12-02" and data["endDate"] == "2020-12-02"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": url}
    organisers = {organiser["name"]: organiser for organiser in data["organizer"]}
    assert set(organisers) == {"Turkey", "Hungary", "International Centre for Migration Policy Development"}
    assert organisers["International Centre for Migration Policy Development"]["@type"] == "Organization"
    assert organisers["Turkey"]["url"] == "http://testserver/countries/turkey/"
    assert data["url"] == url
    assert "39 countries and 12 organisations" in data["description"]


def test_meeting_in_person_has_a_place(client, db):
    meeting = MeetingFactory(location="Istanbul, Turkey", end_date=datetime.date(2019, 6, 2))
    [data] = [json.loads(script) for script in head(client, meeting.get_absolute_url()).json_ld]
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {"@type": "Place", "name": "Istanbul, Turkey", "address": "Istanbul, Turkey"}
    assert data["endDate"] == "2019-06-02"
    assert data["organizer"] == [{"@type": "Organization", "name": "Budapest Process"}]


def test_json_ld_cannot_close_its_script_element(client, db):
    meeting = MeetingFactory(title="</script><script>alert('x')</script> & co")
    html = client.get(meeting.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and "\\u003C/script\\u003E" in block
    assert json.loads(block)["name"] == "</script><script>alert('x')</script> & co"


def test_open_graph_and_description(client, som_2020):
    meeting = head(client, som_2020.get_absolute_url())
    assert meeting.meta["og:title"] == "Annual Senior Officials Meeting"
    assert meeting.meta["og:type"] == "article"
    assert meeting.meta["og:url"] == f"http://testserver{som_2020.get_absolute_url()}"
    assert meeting.meta["description"] == meeting.meta["og:description"]
    assert meeting.meta["description"].startswith("Summary of the Annual Senior Officials Meeting")
    assert "2 December 2020, online" in meeting.meta["description"]
    country = head(client, "/countries/spain/")
    assert country.meta["og:title"] == "Spain"
    assert country.meta["description"].startswith("Spain in the Budapest Process")
    home = head(client, "/")
    assert home.meta["og:site_name"] == "Budapest Process meeting records"
    assert home.meta["description"]


def test_draft_preview_is_not_indexed_and_has_no_event(admin_client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    page = head(admin_client, draft.get_absolute_url())
    assert page.meta["robots"] == "noindex"
    assert page.json_ld == []


SITEMAP_BUDGET = 8


def test_sitemap_query_count_does_not_grow_with_the_archive(client, som_2020, django_assert_max_num_queries):
    before = count_queries(client, "/sitemap.xml")
    large_meeting(turkey=som_2020.participants.get(iso_code="TR"))
    for _ in range(10):
        ParticipationFactory(meeting=MeetingFactory(), actor=CountryFactory())
        OrganisationFactory()
    with django_assert_max_num_queries(SITEMAP_BUDGET):
        client.get("/sitemap.xml")
    assert count_queries(client, "/sitemap.xml") == before
