"""Country, organisation and priority goal pages: attendance, roles and interventions."""

import pytest

from meetings.models import Meeting

from .factories import CountryFactory, MeetingFactory, ParagraphFactory, ParticipationFactory, PassageFactory
from .scale import count_queries, large_meeting
from .source_text import page_text

pytestmark = pytest.mark.django_db


def test_home_lists_the_2020_meeting(client, som_2020):
    response = client.get("/")
    assert response.status_code == 200
    assert som_2020.get_absolute_url() in response.content.decode()


def test_meetings_list_and_filters(client, som_2020):
    listing = client.get("/meetings/").content.decode()
    assert som_2020.get_absolute_url() in listing
    assert "39 countries" in page_text(listing)  # counted by Meeting.objects.with_country_count()
    assert som_2020.get_absolute_url() in client.get("/meetings/?year=2020&country=TR&goal=5").content.decode()
    assert som_2020.get_absolute_url() not in client.get("/meetings/?year=2019").content.decode()


@pytest.mark.parametrize("query", ["year=abc", "country=ZZ", "goal=99", "year=99999999999999999999", "page=999999"])
def test_meetings_list_bad_filters_never_fail(client, som_2020, query):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code in {200, 404}
    if response.status_code == 200 and not query.startswith("page"):
        assert "could not be understood" in response.content.decode()


def test_drafts_are_not_listed(client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, title="Secret draft")
    assert "Secret draft" not in client.get("/meetings/").content.decode()
    assert "Secret draft" not in client.get("/").content.decode()
    assert draft.get_absolute_url() not in client.get("/meetings/").content.decode()


def test_countries_grouped_by_region(client, som_2020):
    text = page_text(client.get("/countries/").content.decode())
    assert "Silk Routes Region" in text and "Western Balkans" in text
    silk_routes = text[text.index("Silk Routes Region") :]
    assert "Pakistan" in silk_routes


def test_country_page_shows_roles_and_interventions(client, som_2020):
    response = client.get("/countries/turkey/")
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert "Chair (Directorate General for Migration Management)" in text
    assert "source countries strengthen their internal structures" in text
    html = response.content.decode()
    assert 'href="/priority-goals/5/"' in html
    assert f"{som_2020.get_absolute_url()}#p6-" in html


def test_profile_tables_read_on_a_phone_and_say_when_no_goal_was_addressed(client, som_2020):
    """A profile's tables give each cell its column's name (on a phone they read one block per row); with no goal
    addressed, the profile says so rather than leaving a heading over nothing."""
    html = client.get("/countries/turkey/").content.decode()
    assert '<table class="attendance reflow">' in html and '<table class="counts reflow">' in html
    assert 'data-label="Role">Chair' in html and 'data-label="Same subject">' in html
    text = page_text(client.get("/organisations/icmpd/").content.decode())
    assert "No intervention of International Centre for Migration Policy Development names a priority goal yet." in text


def test_country_page_includes_group_interventions(client, som_2020):
    text = page_text(client.get("/countries/austria/").content.decode())
    assert "EU Asylum and Migration Pact in ushering a new season" in text  # EU Member States
    assert "Migrant Resource Centres in Bangladesh, Iraq and Pakistan" in text  # joint intervention


def test_country_page_hides_draft_interventions(client, som_2020):
    turkey = som_2020.participants.get(iso_code="TR")
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    ParticipationFactory(meeting=draft, actor=turkey)
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), text="Unpublished words.", speakers=[turkey])
    text = page_text(client.get("/countries/turkey/").content.decode())
    assert "Unpublished words." not in text
    assert draft.title not in text


def test_organisation_page(client, som_2020):
    text = page_text(client.get("/organisations/icmpd/").content.decode())
    assert "Secretariat" in text
    assert "encouraged countries to remain pragmatic" in text
    assert "International Centre for Migration Policy Development" in page_text(
        client.get("/organisations/").content.decode()
    )


def test_goal_pages(client, som_2020):
    listing = page_text(client.get("/priority-goals/").content.decode())
    assert "Trafficking in persons" in listing
    text = page_text(client.get("/priority-goals/5/").content.decode())
    assert "source countries strengthen their internal structures" in text  # Turkey, goals 1 and 5
    assert "information campaigns to curb irregular migration" in text  # Austria, goals 1 and 5
    assert "Canary Islands" not in text  # Spain names no goal


@pytest.mark.parametrize(
    "url", ["/countries/atlantis/", "/organisations/nobody/", "/priority-goals/7/", "/countries/icmpd/"]
)
def test_unknown_pages_are_404(client, som_2020, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# The actor, regions, institutions and groups; counts by year and by goal (and the goals); the latest
# meetings and those per role; one page of interventions with its speakers and goals.
# A profile also reads every Call for Action's goals with their correspondences, its groups' statements
# apart and its passages of procedure: five more, whatever the archive.
ACTOR_PAGE_BUDGET = 16


@pytest.mark.parametrize("url", ["/countries/turkey/", "/organisations/icmpd/", "/priority-goals/1/", "/countries/"])
def test_page_query_count_does_not_grow_with_the_archive(
    client, som_2020, url, django_assert_max_num_queries, rendered_afresh
):
    before = count_queries(client, url)
    turkey = som_2020.participants.get(iso_code="TR")
    large_meeting(turkey=turkey)
    for _ in range(30):
        CountryFactory()
    with django_assert_max_num_queries(ACTOR_PAGE_BUDGET):
        client.get(url)
    assert count_queries(client, url) == before
