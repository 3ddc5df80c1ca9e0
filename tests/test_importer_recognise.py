"""Matching the names of a summary to actors: name, acronym, other names, the ISO list; the rest reported."""

import pytest

from actors.models import Actor
from meetings.importer import summary_from_text
from meetings.importer.recognise import Recogniser, iso_country
from meetings.importer.review import Corrections, passage_key, summary_with
from tests.factories import (
    CountryFactory,
    GroupFactory,
    InstitutionFactory,
    OrganisationFactory,
    PriorityGoalFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

COUNTRIES = {
    "Austria": "AT",
    "Bosnia and Herzegovina": "BA",
    "Bulgaria": "BG",
    "Czech Republic": "CZ",
    "Germany": "DE",
    "Hungary": "HU",
    "Kyrgyzstan": "KG",
    "Pakistan": "PK",
    "Serbia": "RS",
    "Turkey": "TR",
}
ORGANISATIONS = {
    "ICMPD": "International Centre for Migration Policy Development",
    "IOM": "International Organization for Migration",
    "ILO": "International Labour Organization",
    "MARRI": "Migration, Asylum, Refugees Regional Initiative",
}


def make_actors() -> dict[str, Actor]:
    """Real countries and organisations, with only Turkey knowing another name (“Türkiye”)."""
    actors = {}
    for name, code in COUNTRIES.items():
        actors[name] = CountryFactory.create(name=name, slug=name.lower().replace(" ", "-"), iso_code=code)
    actors["Turkey"].other_names = "Türkiye\nRepublic of Türkiye"
    actors["Turkey"].save()
    for acronym, name in ORGANISATIONS.items():
        actors[acronym] = OrganisationFactory.create(name=name, short_name=acronym, slug=acronym.lower())
    group = GroupFactory.create(name="EU Member States", slug="eu-member-states")
    group.members.set([actors["Austria"], actors["Bulgaria"], actors["Germany"], actors["Hungary"]])
    actors["EU Member States"] = group
    actors["Ministry of Interior"] = InstitutionFactory.create(
        name="Ministry of Interior", slug="hungary-ministry-of-interior", parent=actors["Hungary"]
    )
    for number in range(1, 7):
        PriorityGoalFactory.create(number=number)
    RegionFactory.create(name="Silk Routes Region", slug="silk-routes-region")
    return actors


@pytest.fixture
def actors():
    return make_actors()


def names(matches) -> list[str]:
    return [match.name for match in matches]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Austria", "Austria"),
        ("the Czech Republic", "Czech Republic"),
        ("Türkiye", "Turkey"),  # other names
        ("Turkiye", "Turkey"),  # accents do not matter
        ("Czechia", "Czech Republic"),  # ISO short name of CZ
        ("Kyrgyz Republic", "Kyrgyzstan"),  # ISO official name of KG
        ("Republic of Türkiye", "Turkey"),
        ("ILO", "International Labour Organization"),  # acronym
        ("the International Organization for Migration (IOM)", "International Organization for Migration"),
        ("EU Member States", "EU Member States"),
        ("Spain as upcoming Chair of the Rabat Process in 2022", None),  # Spain is not in this database …
    ],
)
def test_single_names(actors, written, name):
    match = Recogniser().match(written)
    if name is None:
        assert match.new and (match.name, match.code) == ("Spain", "ES")  # … so it comes from the ISO list
    else:
        assert match.actor is not None and match.name == name


def test_a_country_new_to_the_database_comes_from_the_iso_list(actors):
    recogniser = Recogniser()
    match = recogniser.match("Uzbekistan")
    assert (match.name, match.kind, match.code, match.new, match.actor) == ("Uzbekistan", "country", "UZ", True, None)
    assert recogniser.match("Republic of Uzbekistan") is match  # one new country, however it is written
    assert not Actor.objects.filter(iso_code="UZ").exists()  # recognising saves nothing


def test_unknown_names_are_reported_not_guessed(actors):
    recogniser = Recogniser()
    assert recogniser.match("Atlantis") is None
    assert recogniser.match("Turkmenistann") is None  # no fuzzy matching
    assert iso_country("Atlantis") is None
    found = recogniser.match_list("Austria, Atlantis and Serbia")
    assert names(found) == ["Austria", "Serbia"]
    assert recogniser.unrecognised == ["Atlantis"]


def test_lists_keep_names_with_and_and_commas_whole(actors):
    recogniser = Recogniser()
    found = recogniser.match_list("Austria, Bosnia and Herzegovina, Bulgaria and Serbia")
    assert names(found) == ["Austria", "Bosnia and Herzegovina", "Bulgaria", "Serbia"]
    organisations = recogniser.match_list(
        "the International Labour Organization (ILO), the Migration, Asylum, Refugees Regional Initiative (MARRI), "
        "the Organization for Security and Co-operation in Europe (OSCE) and the International Organization for "
        "Migration (IOM)"
    )
    # The OSCE is not in the database but in the importer's reference list: an organisation to create.
    osce = "Organization for Security and Co-operation in Europe"
    assert names(organisations) == [ORGANISATIONS["ILO"], ORGANISATIONS["MARRI"], osce, ORGANISATIONS["IOM"]]
    assert [(match.new, match.code) for match in organisations if match.name == osce] == [(True, "OSCE")]
    assert recogniser.unrecognised == []
    made_up = recogniser.match_list("the Council for Migration and Co-operation in Atlantis (CMCA) and the ILO")
    assert names(made_up) == [ORGANISATIONS["ILO"]]
    assert recogniser.unrecognised == ["Council for Migration and Co-operation in Atlantis (CMCA)"]


def test_a_list_whose_names_repeat_of_names_each(actors):
    """ "The representatives of Montenegro and of North Macedonia", "of the OSCE and of UNODC": two actors each."""
    recogniser = Recogniser()
    assert names(recogniser.match_list("Austria and of Serbia")) == ["Austria", "Serbia"]
    osce = "Organization for Security and Co-operation in Europe"
    assert names(recogniser.match_list("the OSCE and of the ILO")) == [osce, ORGANISATIONS["ILO"]]
    assert names(recogniser.match_list("Austria, of Bulgaria and of Serbia")) == ["Austria", "Bulgaria", "Serbia"]
    assert recogniser.unrecognised == []


def test_affiliations(actors):
    recogniser = Recogniser()
    hungary_ministry = recogniser.affiliation("Ministry of Interior of Hungary")
    assert hungary_ministry.actor == actors["Ministry of Interior"]
    new = recogniser.affiliation("Türkiye's Presidency of Migration Management (PMM)")
    assert (new.name, new.kind, new.code, new.new) == ("Presidency of Migration Management", "institution", "PMM", True)
    assert new.parent.actor == actors["Turkey"]
    assert new.page_owner.actor == actors["Turkey"]
    serbian = recogniser.affiliation("Ministry of Interior of Serbia")
    assert serbian.new and serbian.parent.actor == actors["Serbia"]  # not Hungary's ministry of the same name
    assert recogniser.affiliation("ICMPD").actor == actors["ICMPD"]
    assert recogniser.affiliation("Ministry of Magic of Atlantis") is None


def test_an_institution_of_a_country_written_by_its_long_name(actors):
    recogniser = Recogniser()
    agency = recogniser.affiliation("Agency for External Labour Migration of the Republic of Uzbekistan")
    assert (agency.name, agency.kind, agency.parent.name, agency.parent.code) == (
        "Agency for External Labour Migration",
        "institution",
        "Uzbekistan",  # a new country is named by its short name, not "Republic of Uzbekistan"
        "UZ",
    )
    assert recogniser.match("the Republic of Tajikistan").name == "Tajikistan"
    assert recogniser.match("Moldova").name == "Moldova"  # as written: ISO calls it "Moldova, Republic of"
    assert recogniser.affiliation("Ministry of Interior of Hungary").actor == actors["Ministry of Interior"]


def test_recognising_a_summary_reads_the_database_a_fixed_number_of_times(actors, django_assert_max_num_queries):
    text = "Title\n\nOnline, 2 May 2021\n\n1. " + " ".join(
        f"**Austria** spoke on priority goal {n}." for n in range(50)
    )
    with django_assert_max_num_queries(3):
        summary = summary_from_text(text)
    assert len(summary.paragraphs[0].passages) == 50


def test_mentions_leave_out_the_speakers(actors):
    summary = summary_from_text(
        "Title\n\n2 May 2021\n\n1. **Austria** worked with Serbia, IOM and Austria's Ministry of Interior in the "
        "Silk Routes."
    )
    (passage,) = summary.paragraphs[0].passages
    assert names(passage.speakers) == ["Austria"]
    assert names(passage.mentions) == ["Serbia", ORGANISATIONS["IOM"]]  # Hungary's ministry is not Austria's
    assert [region.name for region in passage.regions] == ["Silk Routes Region"]


def test_an_institution_in_bold_speaks_for_its_country(actors):
    summary = summary_from_text(
        "A Meeting\n\n2 May 2021\n\n1. The **Ministry of Interior of Hungary** spoke. **Serbia's Border Police** too."
    )
    assert [names(passage.speakers) for passage in summary.paragraphs[0].passages] == [["Hungary"], ["Serbia"]]
    assert summary.unrecognised == []


CHAIRED = (
    "Working Group Meeting\n\nTirana, 16 April 2024\n\n1. The meeting was {held}.\n\n2. The co-chairs opened it.\n"
)


def test_the_co_chairs_speak_together_and_unnamed_co_chairs_are_warned_about():
    make_actors()
    summary = summary_from_text(CHAIRED.format(held="chaired by Albania and co-chaired by Hungary"))
    assert [speaker.code for speaker in summary.paragraphs[1].passages[0].speakers] == ["AL", "HU"]
    assert not any("co-chairs" in warning for warning in summary.warnings)
    unnamed = summary_from_text(CHAIRED.format(held="held in Tirana"))
    assert unnamed.paragraphs[1].passages[0].speakers == []
    assert "The co-chairs speak but are not named (e.g. “chaired by Albania and co-chaired by Hungary”)." in (
        unnamed.warnings
    )


def test_goals_named_by_their_subject_are_those_of_the_call_for_action_in_force(som_2020):
    text = "Thematic Meeting\n\n{place}, 8 October {year}\n\n1. Austria underlined the return goal and the goal on"
    text += " legal migration.\n"
    (passage,) = summary_from_text(text.format(place="Tashkent", year=2025)).paragraphs[0].passages
    assert passage.goals == [2, 3]  # the Call for Action 2025–2030: 3 is return, readmission and reintegration
    # The goals of 2019–2024 name no goal "return" alone: none is guessed; legal migration is goal 2.
    (earlier,) = summary_from_text(text.format(place="Vienna", year=2021)).paragraphs[0].passages
    assert earlier.goals == [2]


def test_a_passage_split_on_the_review_keeps_the_goals_its_words_name_by_subject(som_2020):
    text = "Thematic Meeting\n\nTashkent, 8 October 2025\n\n1. Austria noted the plan. It underlined the return goal.\n"
    (passage,) = summary_from_text(text).paragraphs[0].passages
    assert passage.goals == [3]
    split = Corrections(structure=[["split", passage_key(1, passage.text), 1]])
    first, second = summary_with(text, split).paragraphs[0].passages
    assert (first.goals, second.goals) == ([], [3])
