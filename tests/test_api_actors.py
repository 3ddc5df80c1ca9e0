"""The API's countries, organisations and people, on the 2020 meeting."""

import pytest
from django.core.cache import cache

from actors.models import Actor

from .api_client import get_json, results
from .conftest import SOM_2020_SLUG
from .factories import MeetingFactory, ParticipationFactory
from .test_fixture import COUNTRIES, ORGANISATIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


def test_countries_list_all_39_iso_codes_of_the_2020_meeting(client, som_2020):
    attending = results(client, f"/api/v1/countries/?meeting={SOM_2020_SLUG}")
    assert {c["name"]: c["iso_code"] for c in attending} == COUNTRIES
    everyone = {c["iso_code"] for c in results(client, "/api/v1/countries/")}
    # Turkmenistan and Romania are named in the summary without taking part.
    assert everyone == set(COUNTRIES.values()) | {"TM", "RO"}


def test_country_detail_by_iso_code_in_any_case(client, som_2020):
    turkey = get_json(client, "/api/v1/countries/TR/")
    assert get_json(client, "/api/v1/countries/tr/") == turkey
    assert turkey["name"] == "Turkey"
    assert turkey["iso_code"] == "TR"
    assert turkey["slug"] == "turkey"
    assert "Türkiye" in turkey["other_names"]
    assert turkey["regions"] == ["black-sea-region"]
    assert turkey["meeting_count"] == 1
    assert turkey["url"] == "http://testserver/countries/turkey/"
    assert turkey["api_url"] == "http://testserver/api/v1/countries/TR/"
    assert get_json(client, "/api/v1/countries/TM/")["meeting_count"] == 0


def test_unknown_country_is_404(client, som_2020):
    assert get_json(client, "/api/v1/countries/QQ/", status=404)["detail"]
    assert get_json(client, "/api/v1/countries/TUR/", status=404)["detail"]


def test_country_filters_and_ordering(client, som_2020):
    silk_routes = {c["iso_code"] for c in results(client, "/api/v1/countries/?region=silk-routes-region")}
    assert silk_routes == {"AF", "BD", "IR", "IQ", "PK"}
    assert [c["name"] for c in results(client, "/api/v1/countries/?search=czechia")] == ["Czech Republic"]
    by_code = [c["iso_code"] for c in results(client, "/api/v1/countries/?ordering=iso_code")]
    assert by_code == sorted(by_code) and len(by_code) == 41
    assert [c["iso_code"] for c in results(client, "/api/v1/countries/?ordering=-iso_code")] == by_code[::-1]


def test_meeting_count_counts_published_meetings_only(client, som_2020):
    ParticipationFactory(
        meeting=MeetingFactory(status="draft", published_at=None), actor=Actor.objects.get(iso_code="TR")
    )
    assert get_json(client, "/api/v1/countries/TR/")["meeting_count"] == 1


def test_organisations_carry_their_acronym(client, som_2020):
    attending = results(client, f"/api/v1/organisations/?meeting={SOM_2020_SLUG}")
    assert {o["acronym"]: (o["name"], o["organisation_kind"], o["slug"]) for o in attending} == ORGANISATIONS
    icmpd = get_json(client, "/api/v1/organisations/icmpd/")
    assert icmpd["acronym"] == "ICMPD"
    assert icmpd["url"] == "http://testserver/organisations/icmpd/"
    assert icmpd["api_url"] == "http://testserver/api/v1/organisations/icmpd/"
    dialogues = results(client, "/api/v1/organisations/?kind=dialogue")
    assert {o["name"] for o in dialogues} == {"Prague Process", "Rabat Process", "Bali Process"}
    by_acronym = [o["acronym"] for o in results(client, "/api/v1/organisations/?ordering=acronym")]
    assert by_acronym == sorted(by_acronym)
    # A country is not an organisation, even by its slug.
    assert get_json(client, "/api/v1/organisations/turkey/", status=404)["detail"]


def test_people_with_their_titles(client, som_2020):
    people = results(client, "/api/v1/people/")
    assert [p["slug"] for p in people] == ["gabor-tothi", "martijn-pluim", "ramazan-secilmis", "silvena-pesta"]
    ramazan = get_json(client, "/api/v1/people/ramazan-secilmis/")
    assert (ramazan["honorific"], ramazan["name"]) == ("Mr.", "Ramazan Seçilmiş")
    assert ramazan["url"] is None  # people have no public page of their own
    assert ramazan["api_url"] == "http://testserver/api/v1/people/ramazan-secilmis/"
    (position,) = ramazan["positions"]
    assert position["title"] == "Deputy Director General"
    assert position["actor"]["acronym"] == "DGMM"
    assert position["actor"]["belongs_to"] == "Turkey"
    assert position["actor"]["url"] == "http://testserver/countries/turkey/"
    assert [p["slug"] for p in results(client, "/api/v1/people/?search=pluim")] == ["martijn-pluim"]
