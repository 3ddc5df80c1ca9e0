"""Query budgets at archive scale: every public page, feed, calendar and API address costs the same number
of queries with the 2020 meeting alone and with a generated archive a hundred times larger.

The archive is made once per module (``generate_archive(meetings=100)``, about a second on SQLite) in
a transaction that is rolled back at the end of the module; each test runs in a savepoint within it.
The page cache and stored page parts are off here: these count what a page costs when it is rendered.
"""

import re
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve

from actors.models import Person
from meetings.models import Meeting, Participation, Passage, PassageGoal, PriorityGoal
from meetings.synthetic import SLUG_PREFIX, generate_archive

from .conftest import SOM_2020_SLUG
from .routes import site_routes
from .scale import read

# The module's archive is built on the 2020 meeting: every test here keeps it (tests/conftest.py).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("archive-budgets"),
    pytest.mark.usefixtures("som_2020", "rendered_afresh"),
]

GENERATED = 100
# The most queries each address may run; {names} are filled in from the 2020 meeting's records.
BUDGETS = {
    "/": 4,  # + the Call for Action whose goals the home page lists (versioned frameworks)
    "/meetings/": 6,
    "/meetings/?year=2020&country=TR&goal=5": 8,
    f"/meetings/{SOM_2020_SLUG}/": 9,  # + documents, the Calls for Action it adopted or set the goals of
    "/meetings/{generated}/": 9,  # as above
    f"/meetings/{SOM_2020_SLUG}/calendar.ics": 1,
    f"/meetings/{SOM_2020_SLUG}/citation.ris": 2,
    f"/meetings/{SOM_2020_SLUG}/paragraphs/6/citation.bib": 3,
    "/about/": 0,
    "/meetings/feed.atom": 1,
    "/meetings/calendar.ics": 1,
    "/countries/": 3,
    "/countries/turkey/": 14,  # + correspondences (2), their Calls for Action (2); its counts in one (spoken_counts)
    "/countries/turkey/feed.atom": 4,
    "/countries/turkey/calendar.ics": 2,
    "/countries/turkey/interventions.csv": 4,
    "/organisations/": 2,  # + every actor's count of meetings, once per change (each time here)
    "/organisations/icmpd/": 14,  # as for a country: correspondences, their Calls for Action, goals by provenance
    "/organisations/icmpd/feed.atom": 4,
    "/organisations/icmpd/calendar.ics": 2,
    "/organisations/icmpd/interventions.csv": 4,
    "/priority-goals/": 5,  # + goal correspondences (2) and their Calls for Action (2): goals of both frameworks
    "/priority-goals/1/": 11,  # + the Call for Action named, the goal's correspondences earlier and later
    "/priority-goals/1/?country=TR&year=2020": 13,  # as above
    # A goal of the 2025–2030 Call for Action: its framework's goals are read with it (no redirect to a legacy address)
    "/priority-goals/2025-2030/1/": 11,
    "/priority-goals/matrix/": 5,  # + the Call for Action named and the legacy one
    "/priority-goals/2025-2030/matrix/": 5,
    "/series/": 1,
    "/series/senior-officials-meetings/": 4,
    "/api/v1/calls-for-action/": 3,
    "/api/v1/calls-for-action/2025-2030/": 2,
    "/search/?q=border": 10,  # + the documents that match
    "/search/?q=return+OR+readmission": 10,  # + the documents that match
    "/search/?q=%22labour+migration%22": 10,  # + the documents that match
    "/search/?q=Turkey&year=2020": 10,  # + the documents that match
    "/search/?country=TR&goal=5": 10,
    "/sitemap.xml": 5,
    "/robots.txt": 0,
    "/api/v1/": 0,
    "/api/v1/meetings/": 2,
    f"/api/v1/meetings/{SOM_2020_SLUG}/": 10,  # + the meeting's documents
    "/api/v1/interventions/": 6,
    "/api/v1/interventions/?country=TR&goal=5": 8,
    "/api/v1/interventions/{intervention}/": 6,
    "/api/v1/participations/": 2,
    "/api/v1/participations/{participation}/": 1,
    "/api/v1/countries/": 4,  # + every actor's count of meetings, once per change (each time here)
    "/api/v1/countries/TR/": 3,
    "/api/v1/organisations/": 4,
    "/api/v1/organisations/icmpd/": 3,
    "/api/v1/people/": 3,
    "/api/v1/people/{person}/": 3,
    "/api/v1/priority-goals/": 4,  # + a goal's correspondences, earlier and later
    "/api/v1/priority-goals/1/": 3,  # + the goal's correspondences, earlier and later
    # the content version (1), then the build (18) once per change: now also Calls for Action, goal
    # correspondences, PassageGoal rows, goal suggestions, documents and series
    "/api/v1/export/popolo.json": 19,
}
# Addresses that are not pages of records: the admin, the API's description.
# A meeting's document is a file download (meetings.views.document: one query for the document and its
# meeting, tested in test_documents); the 2020 meeting has none to count here.
NOT_COUNTED = (
    "api/schema/",
    "api/docs/",
    r"api/^[\s\S]*/$",
    "meetings/<slug:slug>/documents/",
)


@dataclass
class Archive:
    names: dict
    before: dict  # address → (status, queries) with the 2020 meeting alone

    def address(self, url: str) -> str:
        return url.format(**self.names)


def _count(client: Client, address: str) -> tuple[int, int]:
    """(status, number of queries) of one GET; an export is counted as built, not as read from its stored file."""
    shutil.rmtree(settings.EXPORT_ROOT, ignore_errors=True)
    response, queries = read(client, address)
    return response.status_code, queries


NO_PAGE_CACHE = {"PAGE_CACHE_ENABLED": False}
UNTHROTTLED = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": None}}


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The 2020 meeting (in the test database already, tests/conftest.py), the queries of every address with
    it alone, then 100 generated meetings on top."""
    with django_db_blocker.unblock(), override_settings(**NO_PAGE_CACHE, REST_FRAMEWORK=UNTHROTTLED):
        with transaction.atomic():
            som = Meeting.objects.get(slug=SOM_2020_SLUG)
            # The 2020 meeting is older than the 2025–2030 Call for Action: no passage of it is about one of
            # its goals, and a list with nothing in it runs no prefetch. One passage is tagged, so that the
            # goal page is counted with a list of passages before the archive as after it.
            PassageGoal.objects.create(
                passage=Passage.objects.filter(paragraph__meeting=som, speakers__iso_code="TR").first(),
                prioritygoal=PriorityGoal.objects.get(framework__slug="2025-2030", number=1),
                provenance=PassageGoal.Provenance.TAGGED,
            )
            names = {
                "intervention": Passage.objects.filter(paragraph__meeting=som, speakers__iso_code="TR").first().pk,
                "participation": Participation.objects.filter(meeting=som, actor__iso_code="TR").get().pk,
                "person": Person.objects.filter(positions__passages__paragraph__meeting=som).first().slug,
                "generated": f"{SLUG_PREFIX}000001",
            }
            client = Client()
            # The generated meeting does not exist yet: its address is counted with the 2020 meeting's.
            before = {url: _count(client, url.format(**{**names, "generated": SOM_2020_SLUG})) for url in BUDGETS}
            generate_archive(meetings=GENERATED, seed=1)
            yield Archive(names, before)
            transaction.set_rollback(True)


@pytest.fixture
def counted(archive):
    with override_settings(**NO_PAGE_CACHE, REST_FRAMEWORK=UNTHROTTLED):
        yield archive


def test_the_archive_is_a_hundred_times_the_2020_meeting(counted):
    assert Meeting.objects.count() == GENERATED + 1
    generated = Passage.objects.filter(paragraph__meeting__slug__startswith=SLUG_PREFIX).count()
    assert generated > 25 * Passage.objects.filter(paragraph__meeting__slug=SOM_2020_SLUG).count()
    turkey_meetings = Meeting.objects.published().filter(participations__actor__iso_code="TR").count()
    assert turkey_meetings > 20  # Turkey's page, feed and calendar read many meetings, not one


@pytest.mark.parametrize("url", list(BUDGETS))
def test_queries_do_not_grow_with_the_archive(client, counted, url):
    status, queries = _count(client, counted.address(url))
    assert status == 200
    assert counted.before[url] == (200, queries), "the same number of queries with the 2020 meeting alone"
    assert queries <= BUDGETS[url]


def test_every_public_address_has_a_budget():
    """A page added later needs a line in BUDGETS: this fails until it has one."""

    skipped = (settings.ADMIN_PATH, *NOT_COUNTED)
    every = {route.replace("^", "") for route, _ in site_routes() if not route.startswith(skipped)}
    names = {"intervention": 1, "participation": 1, "person": "someone", "generated": "generated-000001"}
    budgeted = {resolve(re.sub(r"\?.*", "", url.format(**names))).route.replace("^", "") for url in BUDGETS}
    assert every - budgeted == set()
