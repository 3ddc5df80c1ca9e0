"""Own voice or through a group: Malta spoke only as one of the EU Member States, and is not credited with it."""

import pytest

from .api_client import get_json
from .factories import CountryFactory, InstitutionFactory, ParagraphFactory, PassageFactory
from .source_text import page_text

pytestmark = pytest.mark.django_db


def speakers(results) -> list[list[str]]:
    return [[s["name"] for s in item["speakers"]] for item in results]


def test_malta_said_nothing_in_its_own_voice(client, som_2020):
    assert get_json(client, "/api/v1/interventions/?country=MT&voice=own")["results"] == []
    assert get_json(client, "/api/v1/interventions/?country=MT")["results"] == []  # own and institution: the default
    through_group = get_json(client, "/api/v1/interventions/?country=MT&voice=group")["results"]
    assert speakers(through_group) == [["EU Member States"]]
    every_voice = "/api/v1/interventions/?country=MT&voice=own&voice=institution&voice=group"
    assert speakers(get_json(client, every_voice)["results"]) == [["EU Member States"]]


def test_an_institutions_words_are_its_countrys_and_counted(client, db):
    land = CountryFactory(iso_code="XL")
    ministry = InstitutionFactory(parent=land)
    paragraph = ParagraphFactory()
    PassageFactory(paragraph=paragraph, order=1, text="The ministry spoke.", speakers=[ministry])
    PassageFactory(paragraph=paragraph, order=2, text="The country spoke.", speakers=[land])

    def texts(query):
        return [item["text"] for item in get_json(client, f"/api/v1/interventions/?country=XL{query}")["results"]]

    assert sorted(texts("")) == ["The country spoke.", "The ministry spoke."]
    assert texts("&voice=own") == ["The country spoke."]
    assert texts("&voice=institution") == ["The ministry spoke."]


def test_a_bad_voice_is_a_clear_400(client, som_2020):
    response = client.get("/api/v1/interventions/?country=MT&voice=loud")
    assert response.status_code == 400
    assert "voice" in response.json()


def test_maltas_page_shows_the_groups_line_apart(client, som_2020):
    text = page_text(client.get("/countries/malta/").content.decode())
    facts = text[text.index("Interventions") : text.index("Atom feed")]
    assert facts.startswith("Interventions0 ")
    assert "Through its groups1" in facts
    assert "Statements of EU Member States, which it belongs to: not its own words." in text
