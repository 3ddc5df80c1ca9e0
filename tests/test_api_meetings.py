"""The API's meetings, interventions, participations and priority goals, on the 2020 meeting; query budgets."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from meetings.api import OfficialSerializer
from meetings.models import Meeting, Participation, Passage, PriorityGoal

from .api_client import get_json, results
from .conftest import SOM_2020_SLUG
from .factories import (
    CountryFactory,
    FootnoteFactory,
    InstitutionFactory,
    MeetingFactory,
    OrganisationFactory,
    ParagraphFactory,
    ParticipationFactory,
    PassageFactory,
    PositionFactory,
    PriorityGoalFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

MEETING = f"/api/v1/meetings/{SOM_2020_SLUG}/"


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


def names(actors) -> set[str]:
    return {actor["name"] for actor in actors}


def large_meeting(*, countries: int = 8, passages: int = 10) -> Meeting:
    """A published meeting larger than the 2020 one in every list the API nests or pages."""
    meeting = MeetingFactory.create(slug="2021-06-01-large-meeting", start_date=datetime.date(2021, 6, 1))
    goals = [PriorityGoalFactory.create(number=number) for number in range(1, 7)]
    region = RegionFactory.create()
    attending = CountryFactory.create_batch(countries)
    for country in attending:
        ParticipationFactory.create(meeting=meeting, actor=country)
        country.regions.add(region)
    ministry = InstitutionFactory.create(parent=attending[0])
    ParticipationFactory.create(
        meeting=meeting, actor=OrganisationFactory.create(), role=Participation.Role.SECRETARIAT
    )
    chair = Participation.objects.get(meeting=meeting, actor=attending[0])
    chair.role, chair.represented_by = Participation.Role.CHAIR, ministry
    chair.save()
    paragraphs = [ParagraphFactory.create(meeting=meeting, number=number) for number in (1, 2)]
    officials = [PositionFactory.create(actor=InstitutionFactory.create(parent=country)) for country in attending[:3]]
    for index in range(passages):
        passage = PassageFactory.create(
            paragraph=paragraphs[index % 2],
            order=index + 1,
            speakers=[attending[index % countries], attending[(index + 1) % countries]],
            goals=[goals[index % 6], goals[(index + 2) % 6]],
            official=officials[index % 3],
        )
        passage.mentions.add(attending[(index + 3) % countries])
        passage.regions.add(region)
    FootnoteFactory.create(meeting=meeting, number=1)
    FootnoteFactory.create(meeting=meeting, number=2)
    return meeting


# Meetings


def test_meeting_list(client, som_2020):
    page = get_json(client, "/api/v1/meetings/")
    assert page["count"] == 1
    (meeting,) = page["results"]
    assert meeting["slug"] == SOM_2020_SLUG
    assert meeting["title"] == "Annual Senior Officials Meeting"
    assert meeting["start_date"] == "2020-12-02"
    assert meeting["format"] == "online"
    assert meeting["participant_count"] == 97
    assert meeting["country_count"] == 39
    assert meeting["series"] == {"name": "Senior Officials Meetings", "slug": "senior-officials-meetings"}
    assert meeting["url"] == f"http://testserver/meetings/{SOM_2020_SLUG}/"
    assert meeting["api_url"] == f"http://testserver{MEETING}"


def test_meeting_detail_nests_its_summary(client, som_2020):
    meeting = get_json(client, MEETING)
    assert len(meeting["participations"]) == 51
    roles = {p["actor"]["name"]: p["role"] for p in meeting["participations"] if p["role"] != "participant"}
    assert roles == {
        "Turkey": "chair",
        "Hungary": "co_chair",
        "International Centre for Migration Policy Development": "secretariat",
    }
    chair = next(p for p in meeting["participations"] if p["role"] == "chair")
    assert chair["represented_by"]["acronym"] == "DGMM"
    assert chair["actor"]["iso_code"] == "TR"
    assert chair["actor"]["api_url"] == "http://testserver/api/v1/countries/TR/"

    assert [p["number"] for p in meeting["paragraphs"]] == list(range(1, 9))
    assert [len(p["passages"]) for p in meeting["paragraphs"]] == [1, 4, 2, 2, 5, 16, 5, 1]
    opening = meeting["paragraphs"][1]["passages"][0]
    assert opening["official"]["name"] == "Ramazan Seçilmiş"
    assert opening["official"]["title"] == "Deputy Director General"
    assert opening["official"]["api_url"] == "http://testserver/api/v1/people/ramazan-secilmis/"
    narration = meeting["paragraphs"][0]["passages"][0]
    assert narration["speakers"] == [] and narration["api_url"] is None

    interventions = meeting["interventions"]
    # 36 passages: two of narration, five of the Chair's procedure, two reports of the Secretariat.
    assert len(interventions) == 27
    turkey = [i for i in interventions if i["paragraph"] == 6 and names(i["speakers"]) == {"Turkey"}]
    assert len(turkey) == 1 and turkey[0]["goals"] == [1, 5] and turkey[0]["tagged_goals"] == [6]
    assert turkey[0]["url"].startswith(f"http://testserver/meetings/{SOM_2020_SLUG}/#p6-")
    assert [f["number"] for f in meeting["footnotes"]] == [1, 2]
    assert meeting["footnotes"][1]["text"] == "see above"


def test_meeting_filters(client, som_2020):
    large_meeting()

    def slugs(query):
        return {m["slug"] for m in results(client, f"/api/v1/meetings/?{query}")}

    both = {SOM_2020_SLUG, "2021-06-01-large-meeting"}
    assert slugs("") == both
    assert slugs("year=2020") == {SOM_2020_SLUG}
    assert slugs("year=2021") == {"2021-06-01-large-meeting"}
    assert slugs("date_from=2020-12-02&date_to=2020-12-02") == {SOM_2020_SLUG}
    assert slugs("date_from=2020-12-03") == {"2021-06-01-large-meeting"}
    assert slugs("series=senior-officials-meetings") == both
    assert slugs("country=TR") == {SOM_2020_SLUG}
    assert slugs("country=tr") == {SOM_2020_SLUG}
    assert slugs("country=RO") == set()  # Romania is named in 2020, but did not take part
    assert slugs("organisation=icmpd") == {SOM_2020_SLUG}
    assert slugs("role=chair") == both
    assert slugs("country=TR&role=chair") == {SOM_2020_SLUG}
    assert slugs("country=HU&role=chair") == set()  # Hungary co-chaired
    assert slugs("goal=5") == both
    assert slugs("search=Silk%20Routes") == {SOM_2020_SLUG}
    assert slugs("search=annual") == {SOM_2020_SLUG}


def test_meeting_ordering(client, som_2020):
    large_meeting()
    oldest_first = [m["slug"] for m in get_json(client, "/api/v1/meetings/?ordering=date")["results"]]
    assert oldest_first == [SOM_2020_SLUG, "2021-06-01-large-meeting"]
    newest_first = [m["slug"] for m in get_json(client, "/api/v1/meetings/?ordering=-date")["results"]]
    assert newest_first == list(reversed(oldest_first))


# Interventions


def test_interventions_of_turkey_on_goal_5(client, som_2020):
    found = results(client, "/api/v1/interventions/?country=TR&goal=5")
    assert len(found) == 1
    (turkey,) = found
    assert names(turkey["speakers"]) == {"Turkey"}
    assert {goal["number"] for goal in turkey["goals"]} == {1, 5}
    assert [(goal["number"], goal["provenance"]) for goal in turkey["tagged_goals"]] == [(6, "tagged")]
    assert turkey["meeting"]["slug"] == SOM_2020_SLUG
    assert turkey["paragraph"] == 6
    assert "**Turkey**" in turkey["text"]
    assert turkey["url"] == f"http://testserver/meetings/{SOM_2020_SLUG}/#p6-{turkey['order']}"
    assert turkey["api_url"] == f"http://testserver/api/v1/interventions/{turkey['id']}/"
    assert get_json(client, turkey["api_url"]) == turkey


def test_intervention_filters(client, som_2020):
    assert len(results(client, "/api/v1/interventions/")) == 27
    assert len(results(client, f"/api/v1/interventions/?meeting={SOM_2020_SLUG}")) == 27
    pakistan = results(client, "/api/v1/interventions/?country=pk")
    assert [names(i["speakers"]) for i in pakistan] == [{"Pakistan"}]
    # Austria speaks for itself and with three other states; as one of the EU Member States only when asked.
    austria = results(client, "/api/v1/interventions/?country=AT")
    assert [names(i["speakers"]) for i in austria] == [{"Austria", "Bulgaria", "Germany", "Norway"}, {"Austria"}]
    through_group = results(client, "/api/v1/interventions/?country=AT&voice=group")
    assert [names(i["speakers"]) for i in through_group] == [{"EU Member States"}]
    ilo = results(client, "/api/v1/interventions/?organisation=ilo")
    assert [names(i["speakers"]) for i in ilo] == [{"International Labour Organization"}]
    # Seven passages name goal 1; one is narration and one the Secretariat's report, not interventions.
    assert len(results(client, "/api/v1/interventions/?goal=1&year=2020&named=true")) == 5
    # Ten statements more are about it by the Secretariat's tags.
    assert len(results(client, "/api/v1/interventions/?goal=1&year=2020")) == 15
    assert results(client, "/api/v1/interventions/?year=2019") == []
    assert len(results(client, "/api/v1/interventions/?date_from=2019-01-01")) == 27
    searched = results(client, "/api/v1/interventions/?search=Silk%20Routes")
    assert searched and all("silk routes" in i["text"].lower() for i in searched)


def test_interventions_of_pakistan_on_goal_2_since_2019(client, som_2020):
    pakistan, afghanistan = CountryFactory(iso_code="PK"), CountryFactory(iso_code="AF")
    goal_2 = PriorityGoalFactory(number=2)
    for year, speaker in ((2018, pakistan), (2021, pakistan), (2021, afghanistan)):
        meeting = MeetingFactory(slug=f"{year}-{speaker.slug}", start_date=datetime.date(year, 3, 1))
        PassageFactory(paragraph=ParagraphFactory(meeting=meeting), speakers=[speaker], goals=[goal_2])
    found = results(client, "/api/v1/interventions/?country=PK&goal=2&date_from=2019-01-01&named=true")
    assert [(i["meeting"]["slug"], names(i["speakers"])) for i in found] == [("2021-pakistan", {"Pakistan"})]
    # In 2020 Pakistan named no goal; the Secretariat tagged its Talent Partnerships as goal 2.
    found = results(client, "/api/v1/interventions/?country=PK&goal=2&date_from=2019-01-01")
    assert [i["meeting"]["slug"] for i in found] == ["2021-pakistan", SOM_2020_SLUG]


def test_interventions_newest_meeting_first(client, som_2020):
    large_meeting()
    found = results(client, "/api/v1/interventions/?page_size=100")
    assert len(found) == 37
    assert [i["meeting"]["slug"] for i in found[:10]] == ["2021-06-01-large-meeting"] * 10
    oldest_first = get_json(client, "/api/v1/interventions/?ordering=date")["results"]
    assert oldest_first[0]["meeting"]["slug"] == SOM_2020_SLUG


def test_interventions_officials_as_joined(client, som_2020, django_assert_max_num_queries):
    """The list reads each official from one column of its query (`for_listing()`): each
    shows as the official read through joins does, an institution's country and the person's address included,
    and none is read in a query of its own."""
    large_meeting()
    with django_assert_max_num_queries(6):  # the count, the passages, their speakers, goals, mentions and regions
        found = results(client, "/api/v1/interventions/?page_size=100")
    context = {"request": RequestFactory().get("/")}
    joined = {
        passage.pk: OfficialSerializer(passage.official, context=context).data if passage.official else None
        for passage in Passage.objects.published()
        .statements()
        .select_related("official__person", "official__actor__parent")  # the officials through joins
    }
    assert {intervention["id"]: intervention["official"] for intervention in found} == joined
    assert sum(1 for official in joined.values() if official and official["actor"]["belongs_to"]) >= 10


# Participations and priority goals


def test_participations(client, som_2020):
    assert len(results(client, "/api/v1/participations/")) == 51
    (chair,) = results(client, "/api/v1/participations/?role=chair")
    assert chair["actor"]["name"] == "Turkey"
    assert chair["represented_by"]["name"] == "Directorate General for Migration Management"
    assert chair["represented_by"]["belongs_to"] == "Turkey"
    assert chair["meeting"]["api_url"] == f"http://testserver{MEETING}"
    assert get_json(client, chair["api_url"])["id"] == chair["id"]
    (hungary,) = results(client, "/api/v1/participations/?country=HU")
    assert hungary["role"] == "co_chair"
    assert len(results(client, "/api/v1/participations/?year=2020&organisation=unhcr")) == 1
    assert len(results(client, f"/api/v1/participations/?meeting={SOM_2020_SLUG}")) == 51


def test_priority_goals(client, som_2020):
    goals = results(client, "/api/v1/priority-goals/")
    assert [(g["number"], g["title"]) for g in goals] == [
        (1, "Irregular migration"),
        (2, "Legal migration and mobility"),
        (3, "Integration"),
        (4, "Migration and development"),
        (5, "Trafficking in persons"),
        (6, "International protection"),
    ]
    goal = get_json(client, "/api/v1/priority-goals/5/")
    assert goal["url"] == "http://testserver/priority-goals/5/"
    five = PriorityGoal.objects.get(framework__slug="2019-2024", number=5)
    assert goal["intervention_count"] == five.passages.count()
    assert goal["named_count"] == five.passage_links.filter(provenance="named").count() < goal["intervention_count"]


# Query budgets: the number of queries depends on the endpoint, never on the page size or the data.

BUDGETS = {
    "/api/v1/meetings/?page_size=100": 2,  # count, page
    # meeting, participations, paragraphs, passages, their 4 relations, footnotes, documents
    "/api/v1/meetings/{meeting}/": 10,
    "/api/v1/interventions/?page_size=100": 6,  # count, page, speakers, goals, mentions, regions
    "/api/v1/interventions/{intervention}/": 5,
    "/api/v1/participations/?page_size=100": 2,
    "/api/v1/participations/{participation}/": 1,
    # count, page, regions, and every actor's count of meetings (kept per change; uncommitted here: each time)
    "/api/v1/countries/?page_size=100": 4,
    "/api/v1/countries/TR/": 3,
    "/api/v1/organisations/?page_size=100": 4,
    "/api/v1/organisations/icmpd/": 3,
    "/api/v1/people/?page_size=100": 3,  # count, page, positions
    "/api/v1/people/martijn-pluim/": 2,
    "/api/v1/priority-goals/?page_size=100": 4,  # count, page, the correspondences both ways
    "/api/v1/priority-goals/5/": 3,  # the goal, the correspondences both ways
    # the content version (1), then the build (18) once per change: now also Calls for Action, goal
    # correspondences, PassageGoal rows, goal suggestions, documents and series
    "/api/v1/export/popolo.json": 19,
    "/api/v1/meetings/?page_size=100&format=csv": 2,
}


def budget_urls(meeting_slug):
    meeting = Meeting.objects.get(slug=meeting_slug)
    intervention = meeting.paragraphs.order_by("number").last().passages.filter(speakers__isnull=False).first()
    participation = meeting.participations.first()
    for url, budget in BUDGETS.items():
        yield (
            url.format(meeting=meeting_slug, intervention=intervention.pk, participation=participation.pk),
            budget,
        )


def test_query_budgets_hold_on_the_2020_meeting_and_a_larger_one(client, som_2020, django_assert_max_num_queries):
    sizes = {}
    for url, budget in budget_urls(SOM_2020_SLUG):
        cache.clear()
        client.get(url)  # the first read after a change also works out what is kept per change (per_generation)
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.content)

    large_meeting(countries=40, passages=45)
    for url, budget in budget_urls("2021-06-01-large-meeting"):
        cache.clear()
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url
        if "?" in url or "popolo" in url:  # a list or export holds more than before, in the same queries
            assert len(response.content) > sizes[url], url
