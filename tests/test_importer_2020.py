"""Importing the source summary of 2020 gives the meeting of the fixture som-2020, paragraph by paragraph."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from actors.models import Actor, Person, Position
from meetings.models import Meeting, Participation

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.BASE_DIR) / "fixtures" / "sources" / "2020-12-02-annual-som.txt"
FIXTURE_SLUG = "2020-12-02-annual-senior-officials-meeting"
IMPORTED_SLUG = "2020-12-02-annual-som-imported"

# What the fixture's editor added by hand and the importer cannot read from the words: "Afghan refugees"
# (no country's name) and "Baghdad" (a city, not a country).
# ¶1.1 names the Bali Process within the name of its Regional Support Office, a participant.
HAND_MADE_MENTIONS = {(1, 1): {"Bali Process"}, (6, 10): {"Afghanistan"}, (6, 13): {"Iraq"}}
# Subjects the fixture's editor wrote in their own words; the importer takes the bold topic instead.
HAND_MADE_SUBJECTS = {3, 5}
ICMPD = "International Centre for Migration Policy Development"


@pytest.fixture
def fixture_and_import(som_2020):
    counts = {model: model.objects.count() for model in (Actor, Person, Position)}
    # --new: the fixture holds this very meeting, published; without it the import would be refused.
    call_command("import_summary", str(SOURCE), slug=IMPORTED_SLUG, new=True, stdout=io.StringIO())
    return Meeting.objects.get(slug=FIXTURE_SLUG), Meeting.objects.get(slug=IMPORTED_SLUG), counts


def names(actors) -> set[str]:
    return {actor.name for actor in actors}


def test_meeting_fields(fixture_and_import):
    fixture, imported, _counts = fixture_and_import
    for field in ("series", "title", "start_date", "end_date", "format", "location", "participant_count"):
        assert getattr(imported, field) == getattr(fixture, field), field
    assert imported.status == Meeting.Status.DRAFT
    assert imported.published_at is None
    assert imported not in Meeting.objects.published()


def test_nothing_new_is_created_for_known_actors_and_people(fixture_and_import):
    _fixture, _imported, counts = fixture_and_import
    assert {model: model.objects.count() for model in counts} == counts


def test_participations_and_roles(fixture_and_import):
    fixture, imported, _counts = fixture_and_import

    def roles(meeting):
        return {
            (p.actor.name, p.role, p.represented_by.name if p.represented_by else None)
            for p in Participation.objects.filter(meeting=meeting).select_related("actor", "represented_by")
        }

    assert roles(imported) == roles(fixture)
    assert len(roles(imported)) == 51
    assert ("Turkey", "chair", "Directorate General for Migration Management") in roles(imported)


def test_paragraphs_and_passages(fixture_and_import):
    fixture, imported, _counts = fixture_and_import
    fixture_paragraphs = list(fixture.paragraphs.order_by("number"))
    imported_paragraphs = list(imported.paragraphs.order_by("number"))
    assert [p.number for p in imported_paragraphs] == [p.number for p in fixture_paragraphs] == list(range(1, 9))
    for expected, actual in zip(fixture_paragraphs, imported_paragraphs, strict=True):
        if expected.number not in HAND_MADE_SUBJECTS:
            assert actual.subject == expected.subject
        expected_passages = list(expected.passages.order_by("order"))
        actual_passages = list(actual.passages.order_by("order"))
        assert [p.text for p in actual_passages] == [p.text for p in expected_passages], f"¶{expected.number}"
        for want, got in zip(expected_passages, actual_passages, strict=True):
            where = f"¶{expected.number}.{want.order}"
            assert names(got.speakers.all()) == names(want.speakers.all()), where
            assert got.kind == want.kind, where
            # The fixture also holds the subjects the Secretariat tagged by hand (provenance "tagged"); the
            # importer only suggests those, so the goals compared are the ones the summary names.
            named = {"passage_links__provenance": "named"}
            assert set(got.goals.filter(**named).values_list("number", flat=True)) == set(
                want.goals.filter(**named).values_list("number", flat=True)
            ), where
            assert not got.goal_links.exclude(provenance="named").exists(), where  # nothing tagged unconfirmed
            assert got.official == want.official, where
            assert names(got.regions.all()) == names(want.regions.all()), where
            hand_made = HAND_MADE_MENTIONS.get((expected.number, want.order), set())
            assert names(got.mentions.all()) == names(want.mentions.all()) - hand_made, where


def test_footnotes(fixture_and_import):
    fixture, imported, _counts = fixture_and_import
    assert list(imported.footnotes.values_list("number", "text")) == list(
        fixture.footnotes.values_list("number", "text")
    )


def test_json_of_a_dry_run(som_2020):
    out = io.StringIO()
    call_command("import_summary", str(SOURCE), dry_run=True, as_json=True, stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert Meeting.objects.count() == 1  # the fixture's; the dry run saved nothing
    assert {key: data[key] for key in ("title", "start_date", "end_date", "location", "format")} == {
        "title": "Annual Senior Officials Meeting",
        "start_date": "2020-12-02",
        "end_date": None,
        "location": "",
        "format": "online",
    }
    assert data["participant_count"] == 97
    kinds = [participant["kind"] for participant in data["participants"]]
    assert (kinds.count("country"), kinds.count("organisation"), len(kinds)) == (39, 12, 51)
    assert {"name": "Kyrgyzstan", "kind": "country", "code": "KG"} in data["participants"]
    assert {"name": "European Border and Coast Guard Agency", "kind": "organisation", "code": "FRONTEX"} in data[
        "participants"
    ]
    assert [(p["name"], p["title"], p["affiliation"]) for p in data["people"]] == [
        ("Ramazan Seçilmiş", "Deputy Director General", "Directorate General for Migration Management"),
        ("Gábor Tóthi", "Head of Department for European Cooperation", "Ministry of Interior"),
        ("Silvena Pesta", "Deputy Head of Unit", "European Commission"),
        ("Martijn Pluim", "Director for Migration Dialogues and Cooperation", ICMPD),
    ]
    counts = {p["number"]: len(p["interventions"]) for p in data["paragraphs"]}
    assert counts == {1: 1, 2: 4, 3: 2, 4: 2, 5: 5, 6: 16, 7: 5, 8: 1}
    fifth = data["paragraphs"][4]["interventions"]
    assert [speaker["code"] for speaker in fifth[3]["speakers"]] == ["AT", "BG", "DE", "NO"]
    assert [speaker["code"] for speaker in fifth[4]["speakers"]] == ["ES", "CZ"]
    assert fifth[2]["speakers"] == [{"name": "EU Member States", "kind": "group", "code": None}]
    assert fifth[1]["goals"] == [1, 2, 6]
    assert data["paragraphs"][1]["interventions"][0]["person"] == "Ramazan Seçilmiş"
    assert len(data["footnotes"]) == 2 and data["footnotes"][1] == "see above"
    assert data["unrecognised"] == [] and data["new_actors"] == [] and data["warnings"] == []
