"""Formats (JSON, CSV, Popolo), pages, conditional requests, and bad input answered with a message, never a 500."""

import csv
import io

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Left

from actors.models import Actor
from budapest.spreadsheets import spreadsheet_safe

from .conftest import SOM_2020_SLUG
from .factories import (
    CountryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParagraphFactory,
    ParticipationFactory,
    PassageFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/meetings/",
    "/api/v1/interventions/",
    "/api/v1/participations/",
    "/api/v1/countries/",
    "/api/v1/organisations/",
    "/api/v1/people/",
    "/api/v1/priority-goals/",
]


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


def rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# CSV


@pytest.mark.parametrize("url", LISTS)
def test_every_list_in_csv_by_format_and_by_accept(client, som_2020, url):
    json_page = client.get(f"{url}?page_size=100").json()
    by_format = client.get(f"{url}?format=csv&page_size=100")
    by_accept = client.get(f"{url}?page_size=100", headers={"Accept": "text/csv"})
    assert by_format.status_code == by_accept.status_code == 200
    assert by_format.content == by_accept.content
    table = rows(by_format)
    assert len(table) == len(json_page["results"]) > 0
    assert [row["api_url"] for row in table] == [item["api_url"] for item in json_page["results"]]
    assert "attachment" in by_format["Content-Disposition"]


def test_csv_is_flat_with_lists_joined(client, som_2020):
    table = rows(client.get("/api/v1/interventions/?country=TR&goal=5&format=csv"))
    (turkey,) = table
    assert turkey["speakers"] == "Turkey"
    assert turkey["goals"] == "1; 5"
    assert turkey["meeting.slug"] == SOM_2020_SLUG
    assert turkey["meeting.api_url"] == f"http://testserver/api/v1/meetings/{SOM_2020_SLUG}/"
    assert turkey["paragraph"] == "6"
    assert "?format=csv" not in turkey["api_url"]

    joint = rows(client.get("/api/v1/interventions/?country=NO&format=csv"))
    assert "Austria; Bulgaria; Germany; Norway" in [row["speakers"] for row in joint]

    meetings = rows(client.get("/api/v1/meetings/?format=csv"))
    assert meetings[0]["series.name"] == "Senior Officials Meetings"
    assert meetings[0]["country_count"] == "39"
    country = rows(client.get("/api/v1/countries/?search=Turkey&format=csv"))[0]
    assert country["other_names"].split("; ")[0] == "Türkiye"


def test_csv_of_an_empty_list_still_has_its_header(client, db):
    table = client.get("/api/v1/meetings/?format=csv").content.decode()
    assert table.startswith("api_url,url,slug,title,language,series.name,series.slug,start_date")


def test_csv_cells_never_start_a_formula(client, db):
    meeting = MeetingFactory(title="=HYPERLINK(evil)")
    PassageFactory(paragraph=ParagraphFactory(meeting=meeting), text="@SUM(1)", speakers=[CountryFactory()])
    assert rows(client.get("/api/v1/meetings/?format=csv"))[0]["title"] == "'=HYPERLINK(evil)"
    assert rows(client.get("/api/v1/interventions/?format=csv"))[0]["text"] == "'@SUM(1)"


# What a spreadsheet may run as a formula: OWASP's list, and the full-width forms (the guard claims them too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _plant_formulas() -> int:
    """Every text column of every record of the meetings and actors apps made to start with a formula character.

    Slugs, codes and choices keep their values, so that addresses and filters still find the records.
    """
    planted = 0
    for model in [*apps.get_app_config("meetings").get_models(), *apps.get_app_config("actors").get_models()]:
        if model._meta.proxy or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.SlugField)
                and not field.choices
                and not field.unique
                and field.name not in ("iso_code", "language", "terms")
            ):
                start = FORMULA_STARTS[planted % len(FORMULA_STARTS)]
                length = field.max_length or 10_000
                try:
                    with transaction.atomic():
                        model._default_manager.update(
                            **{field.name: Concat(Value(start), Left(field.name, length - 1))}
                        )
                except IntegrityError:
                    continue  # one of the keys of a record (a footnote's mark): left as it is
                planted += 1
    cache.clear()
    return planted


def _cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [cell for row in list(csv.reader(io.StringIO(text, newline="")))[1:] for cell in row]


def test_no_cell_of_any_spreadsheet_starts_a_formula(client, som_2020):
    """Every column of every CSV the site gives (each API list, each country's and organisation's spreadsheet),
    with every text of the 2020 meeting starting with each character the guard names."""
    assert _plant_formulas() > 20
    country, organisation = Actor.objects.get(iso_code="TR"), Actor.objects.get(slug="icmpd")
    addresses = [f"{address}?format=csv&page_size=100" for address in LISTS] + [
        f"{country.get_absolute_url()}interventions.csv",
        f"{organisation.get_absolute_url()}interventions.csv",
    ]
    guarded = 0
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        for cell in _cells(response):
            assert not cell.startswith(FORMULA_STARTS), (address, cell[:40])
            guarded += cell.startswith("'")
    assert guarded > 100


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_guard_keeps_each_formula_start_as_text(start):
    assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"
    assert spreadsheet_safe(f"a{start}1") == f"a{start}1"


def test_errors_are_json_even_when_csv_was_asked_for(client, som_2020):
    response = client.get("/api/v1/meetings/?year=abc&format=csv")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "year" in response.json()


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "detail"),
    [
        # The OpenAPI description answered these in YAML, the docs page in plain HTML, /api and /api/ with the
        # site's HTML 404 page.
        ("get", "/api/schema/", {"Accept": "text/csv"}, 406, "Could not satisfy the request Accept header."),
        ("get", "/api/schema/?format=xml", {}, 404, "Not found."),
        ("post", "/api/schema/", {}, 405, 'Method "POST" not allowed.'),
        ("delete", "/api/schema/", {}, 405, 'Method "DELETE" not allowed.'),
        ("get", "/api/docs/", {"Accept": "application/xml"}, 406, "Could not satisfy the request Accept header."),
        ("put", "/api/docs/", {}, 405, 'Method "PUT" not allowed.'),
        ("get", "/api/docs/?format=json", {}, 404, "Not found."),
        ("get", "/api/", {}, 404, "Not found."),
        ("get", "/api", {}, 404, "Not found."),
    ],
)
def test_every_error_under_api_is_json_with_a_detail(client, db, method, path, headers, status, detail):
    response = getattr(client, method)(path, headers=headers)
    assert (response.status_code, response["Content-Type"]) == (status, "application/json")
    assert response.json() == {"detail": detail}
    if status == 405:
        assert response["Allow"]  # the headers of the error stay


# Popolo


def test_popolo_export(client, som_2020):
    response = client.get("/api/v1/export/popolo.json")
    assert response.status_code == 200
    popolo = response.json()
    assert set(popolo) == {"persons", "organizations", "memberships", "events", "speeches"}
    assert {p["name"] for p in popolo["persons"]} == {
        "Ramazan Seçilmiş",
        "Gábor Tóthi",
        "Silvena Pesta",
        "Martijn Pluim",
    }
    organizations = {o["id"]: o for o in popolo["organizations"]}
    turkey = organizations["organization/turkey"]
    assert turkey["identifiers"] == [{"scheme": "ISO 3166-1 alpha-2", "identifier": "TR"}]
    assert organizations["organization/icmpd"]["other_names"][0] == {"name": "ICMPD", "note": "acronym"}
    dgmm = next(o for o in popolo["organizations"] if o["name"] == "Directorate General for Migration Management")
    assert dgmm["parent_id"] == "organization/turkey"

    memberships = popolo["memberships"]
    assert {
        "id": "membership/eu-member-states/austria",
        "member": {"@type": "Organization", "id": "organization/austria"},
        "organization_id": "organization/eu-member-states",
        "role": "member",
    } in memberships
    pluim = next(m for m in memberships if m.get("person_id") == "person/martijn-pluim")
    assert pluim["organization_id"] == "organization/icmpd"
    assert pluim["role"] == "Director for Migration Dialogues and Cooperation"

    (event,) = popolo["events"]
    assert event["id"] == f"event/{SOM_2020_SLUG}"
    assert event["start_date"] == "2020-12-02"
    assert len(event["participations"]) == 51
    assert {"organization_id": "organization/turkey", "role": "chair", "represented_by_id": dgmm["id"]} in event[
        "participations"
    ]

    speeches = popolo["speeches"]
    assert len(speeches) == 36
    assert [s["position"] for s in speeches] == list(range(1, 37))
    assert sum(s["type"] == "speech" for s in speeches) == 34
    opening = next(s for s in speeches if s["creator_id"] == "person/ramazan-secilmis")
    assert opening["organization_ids"] == ["organization/turkey"]
    assert opening["role"] == "Deputy Director General"
    turkey_speech = next(s for s in speeches if s["title"].startswith("¶6.") and s["attribution_text"] == "Turkey")
    assert turkey_speech["priority_goals"] == [1, 5]


def test_popolo_export_leaves_drafts_out(client, som_2020):
    draft = MeetingFactory(status="draft", published_at=None, slug="secret-draft")
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), text="Not yet public.", speakers=[CountryFactory()])
    popolo = client.get("/api/v1/export/popolo.json").json()
    assert [e["id"] for e in popolo["events"]] == [f"event/{SOM_2020_SLUG}"]
    assert "Not yet public." not in {s["text"] for s in popolo["speeches"]}


# Pages


def test_page_size_and_page_links(client, db):
    ParticipationFactory.create_batch(45, meeting=MeetingFactory())  # 45 countries a published meeting names
    page = client.get("/api/v1/countries/?page_size=20").json()
    assert page["count"] == 45 and len(page["results"]) == 20
    capped = client.get("/api/v1/countries/?page_size=30")
    assert len(capped.json()["results"]) == 30
    assert len(client.get("/api/v1/countries/").json()["results"]) == 20
    assert capped["X-Total-Count"] == "45"
    assert 'rel="next"' in capped["Link"]


def test_page_size_over_100_gives_100(client, som_2020):
    meeting = MeetingFactory()  # 15 organisations in the 2020 fixture, 90 more that a published meeting names
    for organisation in OrganisationFactory.create_batch(90):
        ParticipationFactory(meeting=meeting, actor=organisation)
    page = client.get("/api/v1/organisations/?page_size=100000").json()
    assert page["count"] == 105
    assert len(page["results"]) == 100
    assert page["next"].endswith("page=2&page_size=100000")
    assert len(client.get(page["next"]).json()["results"]) == 5


# Bad input: 400 or 404 with a message, never a 500.


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/meetings/?year=abc", 400, "year"),
        ("/api/v1/meetings/?year=2020.5", 400, "year"),
        ("/api/v1/meetings/?year=99999999999999999999", 400, "year"),
        ("/api/v1/meetings/?date_from=2020-13-45", 400, "date_from"),
        ("/api/v1/meetings/?country=ZZ", 404, "detail"),
        ("/api/v1/meetings/?country=Turkey", 400, "country"),
        ("/api/v1/meetings/?goal=99", 404, "detail"),
        ("/api/v1/meetings/?goal=99999999999999999999", 404, "detail"),
        ("/api/v1/meetings/?goal=-1", 400, "goal"),
        ("/api/v1/meetings/?role=king", 400, "role"),
        ("/api/v1/meetings/?series=no-such-series", 404, "detail"),
        ("/api/v1/meetings/?organisation=a%20b", 400, "organisation"),
        ("/api/v1/meetings/?ordering=id", 400, "ordering"),
        ("/api/v1/meetings/?ordering=", 400, "ordering"),
        ("/api/v1/people/?ordering=,", 400, "ordering"),  # was a 200 (schemathesis, seed 6, 100 examples)
        ("/api/v1/meetings/?ordering=date,", 400, "ordering"),
        ("/api/v1/meetings/?ordering=,-date", 400, "ordering"),
        ("/api/v1/meetings/?year=", 400, "year"),
        ("/api/v1/meetings/?page=999999", 404, "detail"),
        ("/api/v1/meetings/?page=0", 400, "page"),
        ("/api/v1/meetings/?page=abc", 400, "page"),
        ("/api/v1/meetings/?page_size=abc", 400, "page_size"),
        ("/api/v1/meetings/?page_size=0", 400, "page_size"),
        ("/api/v1/meetings/?search=%00", 400, "search"),
        ("/api/v1/meetings/?country=T%00", 400, "country"),
        ("/api/v1/interventions/?country=QQ", 404, "detail"),
        ("/api/v1/interventions/?meeting=no-such-meeting", 404, "detail"),
        ("/api/v1/interventions/?goal=1.5", 400, "goal"),
        ("/api/v1/interventions/99999999999999999999/", 404, "detail"),
        ("/api/v1/interventions/abc/", 404, "detail"),
        ("/api/v1/participations/99999999999999999999/", 404, "detail"),
        ("/api/v1/priority-goals/99999999999999999999/", 404, "detail"),
        ("/api/v1/countries/%00%00/", 404, "detail"),
        ("/api/v1/meetings/?format=xml", 404, "detail"),
        ("/api/v1/no-such-resource/", 404, "detail"),
    ],
)
def test_bad_input_is_answered_with_a_message(client, db, url, status, field):
    MeetingFactory()
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    message = response.json()[field]
    assert message and all(
        isinstance(text, str) and text for text in (message if isinstance(message, list) else [message])
    )


def test_unknown_iso_code_names_the_code(client, som_2020):
    assert client.get("/api/v1/interventions/?country=qq").json() == {"detail": "No country has the ISO code “QQ”."}


# Conditional requests


@pytest.mark.parametrize("url", ["/api/v1/meetings/", f"/api/v1/meetings/{SOM_2020_SLUG}/", "/api/v1/countries/TR/"])
def test_a_repeat_with_the_etag_is_304(client, som_2020, url):
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and "Accept" in first["Vary"]
    repeat = client.get(url, headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_etag_changes_with_the_record_and_the_format(client, som_2020):
    url = "/api/v1/countries/TR/"
    etag = client.get(url)["ETag"]
    assert client.get(f"{url}?format=csv")["ETag"] != etag
    som_2020.participations.get(actor__iso_code="TR").delete()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["meeting_count"] == 0
