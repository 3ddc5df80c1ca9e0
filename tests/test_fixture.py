"""The fixture som-2020 holds the Annual Senior Officials Meeting of 2 December 2020 as its summary gives it.

Expected values are written out here from the source summary, never read back from the fixture.
"""

import re

import pytest
from django.apps import apps
from django.core.management import call_command

from actors.models import Actor, Person, Position, Region
from meetings.models import Footnote, Meeting, MeetingSeries, Paragraph, Participation, Passage, PriorityGoal

from .source_text import collapse, source_paragraphs, source_text

pytestmark = pytest.mark.django_db

MEETING_SLUG = "2020-12-02-annual-senior-officials-meeting"

# The 39 countries of paragraph 1, as the summary names them, with their ISO 3166-1 alpha-2 codes.
COUNTRIES = {
    "Afghanistan": "AF",
    "Albania": "AL",
    "Austria": "AT",
    "Azerbaijan": "AZ",
    "Bangladesh": "BD",
    "Belgium": "BE",
    "Bosnia and Herzegovina": "BA",
    "Bulgaria": "BG",
    "Czech Republic": "CZ",
    "Denmark": "DK",
    "Estonia": "EE",
    "Finland": "FI",
    "France": "FR",
    "Georgia": "GE",
    "Germany": "DE",
    "Greece": "GR",
    "Hungary": "HU",
    "Iran": "IR",
    "Iraq": "IQ",
    "Italy": "IT",
    "Kyrgyzstan": "KG",
    "Latvia": "LV",
    "Lithuania": "LT",
    "Malta": "MT",
    "Moldova": "MD",
    "Montenegro": "ME",
    "Netherlands": "NL",
    "North Macedonia": "MK",
    "Norway": "NO",
    "Pakistan": "PK",
    "Poland": "PL",
    "Russian Federation": "RU",
    "Serbia": "RS",
    "Slovenia": "SI",
    "Spain": "ES",
    "Sweden": "SE",
    "Switzerland": "CH",
    "Turkey": "TR",
    "Ukraine": "UA",
}

# The 12 organisations of paragraph 1: acronym or short name -> (name, type of organisation, slug).
ORGANISATIONS = {
    "EC": ("European Commission", "eu_body", "european-commission"),
    "RSO": ("Regional Support Office to the Bali Process", "regional", "rso"),
    "Council of the EU": ("Council of the European Union", "eu_body", "council-of-the-european-union"),
    "EEAS": ("European External Action Service", "eu_body", "eeas"),
    "EASO": ("European Asylum Support Office", "eu_body", "easo"),
    "FRONTEX": ("European Border and Coast Guard Agency", "eu_body", "frontex"),
    "MARRI": ("Migration, Asylum, Refugees Regional Initiative", "regional", "marri"),
    "ICMPD": ("International Centre for Migration Policy Development", "international", "icmpd"),
    "ILO": ("International Labour Organization", "un_agency", "ilo"),
    "IOM": ("International Organization for Migration", "un_agency", "iom"),
    "UNHCR": ("United Nations High Commissioner for Refugees", "un_agency", "unhcr"),
    "UNODC": ("United Nations Office on Drugs and Crime", "un_agency", "unodc"),
}

EU_MEMBER_STATES = {
    "Austria",
    "Belgium",
    "Bulgaria",
    "Czech Republic",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Hungary",
    "Italy",
    "Latvia",
    "Lithuania",
    "Malta",
    "Netherlands",
    "Poland",
    "Slovenia",
    "Spain",
    "Sweden",
}

GOAL_TITLES = {
    1: "Irregular migration",
    2: "Legal migration and mobility",
    3: "Integration",
    4: "Migration and development",
    5: "Trafficking in persons",
    6: "International protection",
}

SUBJECTS = {
    1: "Participants",
    2: "Opening",
    3: "Achievements in 2020",
    4: "Next steps for 2021",
    5: "Plenary of states",
    6: "Interventions of states",
    7: "Interventions of organisations",
    8: "Closing",
}

# Speakers of each passage of paragraphs 5 to 7, in order; an empty set is the summary's own narration.
SPEAKERS = {
    5: [
        {"Turkey"},
        set(),
        {"EU Member States"},
        {"Austria", "Bulgaria", "Germany", "Norway"},
        {"Spain", "Czech Republic"},
    ],
    6: [
        {"Afghanistan"},
        {"Albania"},
        {"Austria"},
        {"Azerbaijan"},
        {"Bangladesh"},
        {"Bosnia and Herzegovina"},
        {"Bulgaria"},
        {"Czech Republic"},
        {"Germany"},
        {"Iran"},
        {"Hungary"},
        {"Moldova"},
        {"Norway"},
        {"Pakistan"},
        {"Spain"},
        {"Turkey"},
    ],
    7: [
        {"Turkey"},
        {"European External Action Service"},
        {"International Labour Organization"},
        {"Migration, Asylum, Refugees Regional Initiative"},
        {"United Nations Office on Drugs and Crime"},
    ],
}

GOAL_REFERENCE = re.compile(r"priority goals? ((?:[1-6](?:, | and )?)+)")


def row_counts() -> dict[str, int]:
    """Rows of every table of the two apps, many-to-many tables included."""
    models = [
        model
        for label in ("actors", "meetings")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return {model._meta.db_table: model._default_manager.count() for model in models}


@pytest.fixture
def meeting(som_2020):
    return som_2020


def passages_of(meeting, number):
    return list(Passage.objects.filter(paragraph__meeting=meeting, paragraph__number=number).order_by("order"))


def names(actors) -> set[str]:
    return {actor.name for actor in actors}


def test_meeting(meeting):
    assert meeting.title == "Annual Senior Officials Meeting"
    assert meeting.series == MeetingSeries.objects.get(slug="senior-officials-meetings")
    assert meeting.series.name == "Senior Officials Meetings"
    assert meeting.start_date.isoformat() == "2020-12-02"
    assert meeting.end_date is None
    assert meeting.format == Meeting.Format.ONLINE
    assert meeting.location == ""
    assert meeting.participant_count == 97
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at.isoformat() == "2020-12-15T09:00:00+00:00"
    assert meeting.is_public
    assert meeting in Meeting.objects.published()


def test_counts(meeting):
    participations = Participation.objects.filter(meeting=meeting)
    assert participations.count() == 51
    assert participations.filter(actor__kind=Actor.Kind.COUNTRY).count() == 39
    assert participations.filter(actor__kind=Actor.Kind.ORGANISATION).count() == 12
    assert meeting.paragraphs.count() == 8
    assert PriorityGoal.objects.count() == 6
    assert meeting.footnotes.count() == 2


def test_roles(meeting):
    chair = Participation.objects.get(meeting=meeting, role=Participation.Role.CHAIR)
    assert chair.actor.iso_code == "TR"
    assert chair.represented_by.short_name == "DGMM"
    assert chair.represented_by.name == "Directorate General for Migration Management"
    assert chair.represented_by.parent == chair.actor
    co_chair = Participation.objects.get(meeting=meeting, role=Participation.Role.CO_CHAIR)
    assert co_chair.actor.iso_code == "HU"
    secretariat = Participation.objects.get(meeting=meeting, role=Participation.Role.SECRETARIAT)
    assert secretariat.actor.short_name == "ICMPD"
    others = Participation.objects.filter(meeting=meeting).exclude(pk__in=[chair.pk, co_chair.pk, secretariat.pk])
    assert others.count() == 48
    assert set(others.values_list("role", flat=True)) == {Participation.Role.PARTICIPANT}
    assert not others.filter(represented_by__isnull=False).exists()


def test_countries(meeting):
    attending = Actor.objects.countries().filter(participations__meeting=meeting)
    assert {country.name: country.iso_code for country in attending} == COUNTRIES
    assert set(attending.values_list("iso_code", flat=True)) == {
        "AF", "AL", "AT", "AZ", "BD", "BE", "BA", "BG", "CZ", "DK", "EE", "FI", "FR", "GE", "DE", "GR", "HU", "IR",
        "IQ", "IT", "KG", "LV", "LT", "MT", "MD", "ME", "NL", "MK", "NO", "PK", "PL", "RU", "RS", "SI", "ES", "SE",
        "CH", "TR", "UA",
    }  # fmt: skip
    for country in attending:
        assert country.slug == re.sub(r"[^a-z]+", "-", country.name.lower())
    absent = Actor.objects.countries().exclude(participations__meeting=meeting)
    assert {country.name: country.iso_code for country in absent} == {"Turkmenistan": "TM", "Romania": "RO"}


def test_other_names(meeting):
    expected = {
        "Turkey": "Türkiye",
        "Czech Republic": "Czechia",
        "Kyrgyzstan": "Kyrgyz Republic",
        "Iran": "Iran, Islamic Republic of",
        "Moldova": "Republic of Moldova",
        "Netherlands": "The Netherlands",
    }
    for name, other in expected.items():
        assert other in Actor.objects.get(kind=Actor.Kind.COUNTRY, name=name).other_names.splitlines()


def test_organisations(meeting):
    attending = Actor.objects.organisations().filter(participations__meeting=meeting)
    assert {org.short_name: (org.name, org.organisation_kind, org.slug) for org in attending} == ORGANISATIONS
    dialogues = Actor.objects.organisations().filter(organisation_kind=Actor.OrganisationKind.DIALOGUE)
    assert names(dialogues) == {"Prague Process", "Rabat Process", "Bali Process"}
    assert not Participation.objects.filter(actor__in=dialogues).exists()


def test_institutions_and_group(meeting):
    institutions = {(i.name, i.short_name, i.parent.name) for i in Actor.objects.institutions()}
    assert institutions == {
        ("Directorate General for Migration Management", "DGMM", "Turkey"),
        ("Ministry of Interior", "", "Hungary"),
        ("State Migration Service", "", "Azerbaijan"),
    }
    group = Actor.objects.filter(kind=Actor.Kind.GROUP).get(slug="eu-member-states")
    assert group.name == "EU Member States"
    assert names(group.members.all()) == EU_MEMBER_STATES
    assert set(group.members.values_list("kind", flat=True)) == {Actor.Kind.COUNTRY}


def test_regions(meeting):
    expected = {
        "silk-routes-region": ("Silk Routes Region", {"Afghanistan", "Bangladesh", "Iran", "Iraq", "Pakistan"}),
        "western-balkans": (
            "Western Balkans",
            {"Albania", "Bosnia and Herzegovina", "Montenegro", "North Macedonia", "Serbia"},
        ),
        "black-sea-region": (
            "Black Sea Region",
            {"Azerbaijan", "Georgia", "Moldova", "Ukraine", "Turkey", "Russian Federation", "Bulgaria"},
        ),
    }
    assert {r.slug: (r.name, names(r.actors.all())) for r in Region.objects.all()} == expected


def test_priority_goals(meeting):
    goals = PriorityGoal.objects.order_by("number")
    assert {goal.number: goal.title for goal in goals} == GOAL_TITLES
    first = goals.get(number=1).text
    assert first == (
        "Prevent and counteract irregular migration, facilitate return and readmission of irregular migrants, "
        "and combat criminal networks involved in smuggling of migrants"
    )
    assert goals.get(number=6).text == (
        "Promote international protection and the respect of the rights of refugees, "
        "in line with international standards"
    )
    for goal in goals:
        assert "**" not in goal.text
        assert not goal.text.endswith(",")


def test_footnotes(meeting):
    first, second = Footnote.objects.filter(meeting=meeting).order_by("number")
    assert (first.number, second.number) == (1, 2)
    lines = first.text.split("\n")
    assert lines[0] == (
        'The "Call for Action - a five year plan" lists actions under the 2013 six priority areas identified for '
        "cooperation:"
    )
    assert len(lines) == 7
    assert [line[:3] for line in lines[1:]] == ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "]
    assert "**irregular migration**" in lines[1]
    assert "**migration on development**" in lines[4]
    assert lines[6].endswith("in line with international standards")
    source = source_text()
    for line in lines:
        assert line in source
    assert second.text == "see above"


def test_paragraph_subjects(meeting):
    assert {p.number: p.subject for p in Paragraph.objects.filter(meeting=meeting)} == SUBJECTS


def test_passages_reproduce_source(meeting):
    expected = source_paragraphs()
    assert set(expected) == set(range(1, 9))
    for number, text in expected.items():
        joined = " ".join(passage.text for passage in passages_of(meeting, number))
        assert collapse(joined) == collapse(text), f"paragraph {number}"
        assert joined == text, f"paragraph {number}: passages not joined by single spaces"


def test_passages_are_trimmed_and_ordered(meeting):
    for paragraph in Paragraph.objects.filter(meeting=meeting):
        orders = list(paragraph.passages.order_by("order").values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1))
        for passage in paragraph.passages.all():
            assert passage.text == passage.text.strip()
            assert "  " not in passage.text


def test_passage_counts(meeting):
    counts = {number: len(passages_of(meeting, number)) for number in range(1, 9)}
    assert counts == {1: 1, 2: 4, 3: 2, 4: 2, 5: 5, 6: 16, 7: 5, 8: 1}


def test_speakers_of_interventions(meeting):
    for number, expected in SPEAKERS.items():
        actual = [names(passage.speakers.all()) for passage in passages_of(meeting, number)]
        assert actual == expected, f"paragraph {number}"
    group_passage = passages_of(meeting, 5)[2]
    assert group_passage.text.startswith("**EU Member States**")
    assert [s.kind for s in group_passage.speakers.all()] == [Actor.Kind.GROUP]


def test_speaking_countries_are_bold_at_passage_start(meeting):
    for passage in passages_of(meeting, 6):
        (speaker,) = passage.speakers.all()
        assert re.match(rf"(The )?\*\*{re.escape(speaker.name)}\*\*", passage.text), passage.text[:40]


def test_speakers_of_other_paragraphs(meeting):
    assert [names(p.speakers.all()) for p in passages_of(meeting, 1)] == [set()]
    assert [names(p.speakers.all()) for p in passages_of(meeting, 2)] == [
        {"Turkey"},
        {"Hungary"},
        {"European Commission"},
        {"International Centre for Migration Policy Development"},
    ]
    icmpd = "International Centre for Migration Policy Development"
    assert [names(p.speakers.all()) for p in passages_of(meeting, 3)] == [{"Turkey"}, {icmpd}]
    assert [names(p.speakers.all()) for p in passages_of(meeting, 4)] == [{icmpd}, {"Turkey"}]
    assert [names(p.speakers.all()) for p in passages_of(meeting, 8)] == [{"Turkey"}]


def test_goal_tags(meeting):
    paragraph_6 = {next(iter(names(p.speakers.all()))): p for p in passages_of(meeting, 6)}
    goals = {name: set(p.goals.values_list("number", flat=True)) for name, p in paragraph_6.items()}
    assert goals["Afghanistan"] == {1, 2}
    assert goals["Austria"] == {1, 5}
    assert goals["Hungary"] == {1}
    assert goals["Norway"] == {1}
    assert goals["Turkey"] == {1, 5}
    assert set(passages_of(meeting, 3)[1].goals.values_list("number", flat=True)) == {1, 2, 4, 5}
    assert set(passages_of(meeting, 5)[1].goals.values_list("number", flat=True)) == {1, 2, 6}


def test_goals_follow_the_numbers_in_the_text(meeting):
    tagged = 0
    for passage in Passage.objects.filter(paragraph__meeting=meeting):
        named = {
            int(digit) for match in GOAL_REFERENCE.finditer(passage.text) for digit in re.findall(r"[1-6]", match[1])
        }
        actual = set(passage.goals.values_list("number", flat=True))
        if not named:
            assert actual == set(), passage.text[:60]
        else:
            tagged += 1
            assert actual == named, passage.text[:60]
    assert tagged == 7


def test_mentions_and_regions(meeting):
    def mentions(passage):
        return names(passage.mentions.all())

    def regions(passage):
        return {region.name for region in passage.regions.all()}

    paragraph_5 = passages_of(meeting, 5)
    assert regions(paragraph_5[1]) == {"Western Balkans", "Black Sea Region", "Silk Routes Region"}
    assert mentions(paragraph_5[3]) == {"Bangladesh", "Iraq", "Pakistan"}
    assert mentions(paragraph_5[4]) == {"Rabat Process", "Prague Process"}

    paragraph_6 = {next(iter(names(p.speakers.all()))): p for p in passages_of(meeting, 6)}
    assert mentions(paragraph_6["Afghanistan"]) == {"Pakistan", "Iran", "Turkey"}
    assert mentions(paragraph_6["Albania"]) == {"European Border and Coast Guard Agency"}
    assert mentions(paragraph_6["Austria"]) == {"Pakistan"}
    assert mentions(paragraph_6["Azerbaijan"]) == {"Turkmenistan", "State Migration Service"}
    assert mentions(paragraph_6["Bosnia and Herzegovina"]) == {"Pakistan"}
    assert mentions(paragraph_6["Bulgaria"]) == {
        "Austria",
        "International Centre for Migration Policy Development",
        "Pakistan",
    }
    assert regions(paragraph_6["Bulgaria"]) == {"Western Balkans"}
    assert mentions(paragraph_6["Moldova"]) == {"Turkey", "Ukraine", "Romania"}
    assert mentions(paragraph_6["Pakistan"]) == {"International Centre for Migration Policy Development"}

    paragraph_7 = passages_of(meeting, 7)
    assert mentions(paragraph_7[1]) == {"Afghanistan", "Pakistan"}
    assert mentions(paragraph_7[4]) == {"Afghanistan", "Bangladesh", "Iraq", "Pakistan"}
    assert regions(paragraph_7[4]) == {"Silk Routes Region"}
    assert mentions(passages_of(meeting, 8)[0]) == {"Hungary", "European Commission"}

    for passage in Passage.objects.filter(paragraph__meeting=meeting):
        assert not set(passage.mentions.all()) & set(passage.speakers.all()), passage.text[:60]
        for region in passage.regions.all():
            assert region.name.removesuffix(" Region") in passage.text


def test_officials(meeting):
    expected = {
        "ramazan-secilmis": (
            "Mr.",
            "Ramazan Seçilmiş",
            "Deputy Director General",
            "Directorate General for Migration Management",
            "Turkey",
        ),
        "gabor-tothi": (
            "Mr.",
            "Gábor Tóthi",
            "Head of Department for European Cooperation",
            "Ministry of Interior",
            "Hungary",
        ),
        "silvena-pesta": ("Ms.", "Silvena Pesta", "Deputy Head of Unit", "European Commission", None),
        "martijn-pluim": (
            "Mr.",
            "Martijn Pluim",
            "Director for Migration Dialogues and Cooperation",
            "International Centre for Migration Policy Development",
            None,
        ),
    }
    actual = {}
    for position in Position.objects.select_related("person", "actor", "actor__parent"):
        parent = position.actor.parent.name if position.actor.parent else None
        actual[position.person.slug] = (
            position.person.honorific,
            position.person.name,
            position.title,
            position.actor.name,
            parent,
        )
    assert actual == expected
    assert Person.objects.count() == 4

    opening = passages_of(meeting, 2)
    assert [p.official.person.slug for p in opening] == [
        "ramazan-secilmis",
        "gabor-tothi",
        "silvena-pesta",
        "martijn-pluim",
    ]
    for passage in opening:
        assert f"**{passage.official.person}**" in passage.text
        assert passage.official.title in passage.text
    assert not Passage.objects.filter(official__isnull=False).exclude(paragraph__number=2).exists()


def test_loading_twice_changes_nothing(meeting):
    once = row_counts()
    call_command("loaddata", "som-2020", verbosity=0)
    twice = row_counts()
    assert once == twice
    assert once["actors_actor"] == 39 + 2 + 12 + 3 + 3 + 1
    assert once["meetings_passage"] == 36
