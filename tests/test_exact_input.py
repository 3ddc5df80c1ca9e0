"""Hostile input at every door: control characters in addresses and parameters, odd numbers, wrong JSON types.

The route walk goes over every URL pattern the site has (tests/routes.py), so a route added later is
walked too. Run it on PostgreSQL as well: NUL is harmless to SQLite and a 500 on PostgreSQL.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from rest_framework import mixins
from rest_framework.authtoken.models import Token

from actors.models import Actor, Person
from budapest.api.serializers import ExactTypesMixin, _expected, is_of
from budapest.api.urls import router
from meetings.models import Participation, Passage

from .routes import site_routes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """Hundreds of probes from one address: the throttle is not what these tests are about."""
    rates = {"anon": "100000/minute", "partner": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


GROUP = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
CONTROL_VALUES = ["a%00b", "%01", "x%1Fy", "%7F", "a%0Ab"]
HUGE = "9" * 5000  # int() refuses more than 4,300 digits


def concrete(route: str, value_of) -> str:
    """The route as an address, each parameter replaced by value_of(parameter name)."""
    path = GROUP.sub(lambda match: value_of(match.group(1) or match.group(2)), route)
    path = path.replace("^", "").replace("$", "")
    return "/" + path.replace("[\\s\\S]*", "anything")


def _first[M: Model](rows: QuerySet[M]) -> M:
    row = rows.first()
    assert row is not None, f"the 2020 meeting has a {rows.model._meta.verbose_name}"
    return row


def real_values(route: str):
    """A parameter's value that names a record of the 2020 meeting, so that query probes reach the view."""
    tables = {
        "meetings": lambda: "2020-12-02-annual-senior-officials-meeting",
        "countries": lambda: Actor.objects.get(iso_code="TR").slug,
        "organisations": lambda: Actor.objects.get(slug="icmpd").slug,
        "people": lambda: _first(Person.objects.filter(positions__isnull=False)).slug,
        "interventions": lambda: str(_first(Passage.objects.filter(speakers__isnull=False)).pk),
        "participations": lambda: str(_first(Participation.objects.all()).pk),
    }

    def value_of(name: str) -> str:
        if name == "iso_code":
            return "TR"
        if name == "number":
            return "1"
        for table, value in tables.items():
            if table in route:
                return value()
        return "1"

    return value_of


def public_routes():
    return [route for route, _ in site_routes() if not route.startswith("admin/")]


def assert_refused(response, url: str, statuses: set[int]):
    assert response.status_code in statuses, (url, response.status_code)
    kind = response.get("Content-Type", "")
    if url.startswith("/api/"):
        assert kind.startswith("application/json"), (url, kind)
        assert response.json(), url  # a message, not an empty body
    else:
        assert kind.startswith("text/html"), (url, kind)


def test_a_control_character_in_any_address_is_not_found(client, som_2020):
    walked = 0
    for route, _ in site_routes():
        for bad in CONTROL_VALUES:
            url = concrete(route, lambda name, bad=bad: bad)
            if url == concrete(route, lambda name: ""):
                url = url + bad  # a route without parameters: the character at its end
            response = client.get(url)
            assert_refused(response, url, {404})
            walked += 1
    assert walked > 200  # the admin's routes too


@pytest.mark.parametrize(
    "query",
    [
        "q=a%00b",
        "page=%00",
        "format=csv%00",
        "country=T%00R",
        "year=2020%01",
        "x%00=1",
        "%7F",
        "next=/%00",
    ],
)
def test_a_control_character_in_any_parameter_is_a_bad_request(client, som_2020, query):
    for route in public_routes():
        url = concrete(route, real_values(route))
        response = client.get(f"{url}?{query}")
        assert_refused(response, url, {400})


@pytest.mark.parametrize(
    "query",
    [
        "page_size=",
        "page_size=-1",
        "page_size=0",
        "page_size=abc",
        "page_size=%D9%A3",  # an Arabic-Indic three: a digit to str.isdigit(), not to the API
        f"page_size={HUGE}",
        f"page={HUGE}",
        "page=-1",
        f"year={HUGE}",
        "year=-1",
        "goal=1.5",
        "country=%C3%BF%C3%BF",
        "role=%E2%80%AE",
        "q=" + "a" * 3000,
    ],
)
def test_odd_values_of_every_parameter_never_fail(client, som_2020, query):
    for route in public_routes():
        url = concrete(route, real_values(route))
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query, response.status_code)
        if url.startswith("/api/v1/"):  # not the OpenAPI description or its HTML viewer
            assert response["Content-Type"].startswith("application/json"), (url, query)


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("page_size=", 400, "whole number"),
        ("page_size=-1", 400, "whole number"),
        ("page_size=abc", 400, "whole number"),
        ("page_size=0", 400, "whole number"),
        ("page_size=1e3", 400, "whole number"),
        ("page_size=%EF%BC%93", 400, "whole number"),  # a full-width three
        ("page_size=%D9%A3", 400, "whole number"),  # an Arabic-Indic three
        ("page_size=%201", 400, "whole number"),
        ("page_size=1.0", 400, "whole number"),
        (f"page_size={HUGE}", 200, None),
        ("page_size=1000", 200, None),
        (f"page={HUGE}", 404, "There is no page"),
    ],
)
def test_page_size_is_a_whole_number_and_at_most_100_are_sent(client, som_2020, query, status, words):
    response = client.get(f"/api/v1/countries/?{query}")
    assert response.status_code == status
    if words:
        assert words in str(response.json())
    else:
        assert len(response.json()["results"]) == min(100, Actor.objects.filter(kind="country").count())


WRONG_VALUES = [0, 1.5, True, "text", [], {}]


def writable_resources():
    """(address, write serializer) for every API resource that takes writes."""
    for prefix, viewset, _ in router.registry:
        if issubclass(viewset, mixins.CreateModelMixin):
            serializer = viewset.write_serializer_class or viewset.serializer_classes["retrieve"]
            yield f"/api/v1/{prefix}/", serializer


def wrong_types(field):
    expected = _expected(field)
    if expected is None:
        return []
    return [value for value in WRONG_VALUES if not is_of(value, expected[0])]


@pytest.fixture
def editor():
    user = User.objects.create_superuser("editor", password="x-long-password-1")
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


def test_every_write_serializer_refuses_wrong_types_by_name(client, db, editor):
    resources = list(writable_resources())
    assert {address for address, _ in resources} >= {"/api/v1/meetings/", "/api/v1/countries/"}
    tried = 0
    for address, serializer_class in resources:
        assert issubclass(serializer_class, ExactTypesMixin), address
        for name, field in serializer_class().fields.items():
            if field.read_only:
                continue
            for value in wrong_types(field):
                response = client.post(address, {name: value}, content_type="application/json", headers=editor)
                assert response.status_code == 400, (address, name, value)
                assert "Give " in " ".join(response.json()[name]), (address, name, value, response.json())
                tried += 1
            if _expected(field) and str in _expected(field)[0]:
                response = client.post(address, {name: "a\x00b"}, content_type="application/json", headers=editor)
                assert response.status_code == 400, (address, name)
                assert "NUL" in " ".join(response.json()[name])
    assert tried > 50


@pytest.mark.parametrize(
    ("address", "data", "field"),
    [
        ("/api/v1/countries/", {"name": 0, "iso_code": "QQ", "slug": "q"}, "name"),
        ("/api/v1/countries/", {"name": "Q", "iso_code": "QQ", "slug": "q", "regions": {}}, "regions"),
        ("/api/v1/meetings/", {"participant_count": "97"}, "participant_count"),
    ],
)
def test_the_findings_wrong_types_are_refused_and_nothing_is_saved(client, db, editor, address, data, field):
    count = Actor.objects.count()
    response = client.post(address, data, content_type="application/json", headers=editor)
    assert response.status_code == 400
    assert field in response.json()
    assert Actor.objects.count() == count


def test_every_write_serializer_refuses_unknown_and_read_only_fields_by_name(client, db, editor):
    """DRF ignores a field it does not know: a client's typo (``"participant_cuont"``), or a field it hoped to set
    (``"status": "published"``, ``"meeting_count"``), was answered 201 as if it had been saved."""
    tried = 0
    for address, serializer_class in writable_resources():
        fields = serializer_class().fields
        names = ["no_such_field", "status", "id", *(name for name, field in fields.items() if field.read_only)]
        for name in names:
            if name in fields and not fields[name].read_only:
                continue
            response = client.post(address, {name: "x"}, content_type="application/json", headers=editor)
            assert response.status_code == 400, (address, name)
            message = " ".join(response.json()[name])
            assert ("read-only" if name in fields else "Unknown field") in message, (address, name, message)
            tried += 1
    assert tried > 10


def test_an_unknown_field_in_a_change_is_refused_and_nothing_is_saved(client, som_2020, editor):
    response = client.patch(
        "/api/v1/countries/tr/", {"name": "Türkiye", "nmae": "x"}, content_type="application/json", headers=editor
    )
    assert response.status_code == 400
    assert response.json() == {"nmae": ["Unknown field."]}
    assert Actor.objects.get(iso_code="TR").name == "Turkey"


def test_a_new_meeting_cannot_be_written_published(client, som_2020, editor):
    body = {
        "series": "senior-officials-meetings",
        "title": "Annual Senior Officials Meeting",
        "slug": "2021-11-30-annual-som",
        "start_date": "2021-11-30",
        "format": "hybrid",
        "location": "Istanbul",
        "status": "published",
    }
    response = client.post("/api/v1/meetings/", body, content_type="application/json", headers=editor)
    assert response.status_code == 400
    assert response.json() == {"status": ["Unknown field."]}
    del body["status"]
    assert client.post("/api/v1/meetings/", body, content_type="application/json", headers=editor).status_code == 201


@pytest.mark.parametrize("name", ["page", "page_size", "format", "lang", "ordering", "search"])
def test_a_parameter_given_twice_is_a_bad_request_in_the_api(client, som_2020, name):
    """?page=1&page=2 was read as page 2 (Django takes the last): a client's mistake answered as if meant."""
    walked = 0
    for route in public_routes():
        url = concrete(route, real_values(route))
        if not url.startswith("/api/v1/"):
            continue
        response = client.get(f"{url}?{name}=1&{name}=1")
        assert response.status_code == 400, (url, response.status_code)
        assert response.json() == {name: [f"Give {name} once: it takes one value."]}, url
        walked += 1
    assert walked > 15


def test_filters_given_twice_are_refused_but_those_that_take_a_list(client, som_2020):
    assert client.get("/api/v1/interventions/?country=TR&country=HU").json() == {
        "country": ["Give country once: it takes one value."]
    }
    assert client.get("/api/v1/interventions/?country=TR&voice=own&voice=group").status_code == 200
    assert client.get("/api/schema/?lang=en&lang=ru").status_code == 400
    assert client.get("/api/v1/interventions/?unknown=1&unknown=2").status_code == 200  # unread, as when given once


def test_a_page_reads_the_last_of_a_repeated_parameter(client, som_2020):
    """Pages read a parameter given twice as Django does, by its last value; never an error of the server."""
    for route in public_routes():
        url = concrete(route, real_values(route))
        if url.startswith("/api/"):
            continue
        for query, last in (("page=1&page=2", "page=2"), ("q=a&q=border", "q=border"), ("page=2&page=1", "page=1")):
            assert client.get(f"{url}?{query}").status_code == client.get(f"{url}?{last}").status_code, (url, query)


ODD_HEADERS = [
    {"Accept": "*/*;q=abc"},
    {"Accept": ";;;,,,"},
    {"Accept": "text/html;q=0, application/json;q=0"},
    {"Accept": "a/" * 4000},
    {"Accept-Language": "x" * 10000},
    {"Accept-Language": "ru;q=abc, *;q=-1"},
    {"Accept-Language": "zh-Hant-TW-x-private-aaaaaaaa"},
    {"Accept-Encoding": "gzip;q=abc, br;q="},
    {"If-None-Match": "x" * 5000},
    {"If-Modified-Since": "not a date"},
    {"Range": "bytes=0-10"},
    {"Range": "bytes=-1,0-,garbage"},
    {"Cookie": "sessionid=; csrftoken=;;;=;"},
    {"X-Forwarded-For": "garbage, ::::, 999.1.1.1"},
]
ODD_HOSTS = ["evil.example", "testserver:abc", "testserver.", "[::1]:99999", "a" * 300, "testserver/../x"]


def test_odd_headers_and_hosts_on_every_public_route_never_fail(client, som_2020):
    for route in public_routes():
        url = concrete(route, real_values(route))
        for headers in ODD_HEADERS:
            response = client.get(url, headers=headers)
            assert response.status_code < 500, (url, headers, response.status_code)
        for host in ODD_HOSTS:
            response = client.get(url, HTTP_HOST=host)
            assert response.status_code < 500, (url, host, response.status_code)


@pytest.mark.parametrize(
    "address",
    [
        "/" + "a" * 10_000,
        "/meetings/" + "a" * 5000 + "/",
        "/api/v1/meetings/" + "a" * 5000 + "/",
        "/" + "a/" * 3000,
        "/%2e%2e/%2e%2e/etc/passwd",
        "/meetings/%C0%AE/",
        "/api/v1/countries/%FF%FF/",
        "/meetings/?" + "&".join(f"p{i}=1" for i in range(2000)),  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS
        "/api/v1/meetings/?" + "&".join(f"p{i}=1" for i in range(2000)),
        "/search/?q=" + "a" * 20_000,
    ],
)
def test_long_and_odd_addresses_never_fail(client, som_2020, address):
    assert client.get(address).status_code in (200, 400, 404), address[:60]
