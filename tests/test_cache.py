"""The page cache, as a reader meets it: a second read runs no query, and no committed change is ever missed.

Each test runs over Django's local-memory cache and, when Redis answers at 127.0.0.1:6379, over Redis
(database 5, under a key prefix of the test's own, removed afterwards). Writes run inside
``committed()``: their on-commit callbacks, which start a new generation, run as they would at a commit.
"""

import datetime
import gzip
import json
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, transaction
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from budapest import cache as cache_module
from budapest.cache import clear_page_cache, content_tables, has_uncommitted_changes, new_generation
from meetings.history import history_baseline
from meetings.models import Meeting, Passage, PriorityGoal
from meetings.services.publishing import meeting_make_draft, meeting_publish, meeting_withdraw
from meetings.services.restoring import meeting_restore

from . import factories as f
from .caches import REDIS_URL, default_cache
from .scale import read

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    """The page cache on, over local memory or over a real Redis (skipped only when Redis does not answer)."""
    with default_cache(request.param, PAGE_CACHE_ENABLED=True):
        yield request.param


def text(response) -> str:
    return response.content.decode()


def assert_from_cache(client, url):
    return assert_from_cache_as(client, url, {})


def assert_from_cache_as(client, url, headers: dict):
    response, queries = read(client, url, **headers)
    assert (response.status_code, queries, response["X-Page-Cache"]) == (200, 0, "hit"), url
    return response


@pytest.fixture
def archive(committed):
    """Two published meetings, a draft, and the countries and goals they involve.

    Atlantis spoke at the first meeting (goal 1) and takes part in the draft (goal 2); Borduria
    attended the second meeting only.
    """
    with committed():
        goals = {n: f.PriorityGoalFactory(number=n, title=f"Goal title {n}") for n in (1, 2, 3)}
        atlantis = f.CountryFactory(name="Atlantis", slug="atlantis")
        borduria = f.CountryFactory(name="Borduria", slug="borduria")
        first = f.MeetingFactory(title="First Conference", slug="first", start_date=datetime.date(2019, 3, 1))
        second = f.MeetingFactory(title="Second Conference", slug="second", start_date=datetime.date(2018, 3, 1))
        draft = f.MeetingFactory(title="Draft Conference", slug="draft", status=Meeting.Status.DRAFT, published_at=None)
        f.ParticipationFactory(meeting=first, actor=atlantis)
        f.ParticipationFactory(meeting=second, actor=borduria)
        f.ParticipationFactory(meeting=draft, actor=atlantis)
        spoken = f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=first, number=1),
            text="**Atlantis** spoke of lighthouses.",
            speakers=[atlantis],
            goals=[goals[1]],
        )
        f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=second, number=1),
            text="**Borduria** spoke of mountains.",
            speakers=[borduria],
            goals=[goals[3]],
        )
        unpublished = f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=draft, number=1),
            text="**Atlantis** spoke of submarines.",
            speakers=[atlantis],
            goals=[goals[2]],
        )
    return {
        "first": first,
        "second": second,
        "draft": draft,
        "atlantis": atlantis,
        "borduria": borduria,
        "spoken": spoken,
        "unpublished": unpublished,
        "goals": goals,
    }


def warm(client, *urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url


# --- A second read runs no query -------------------------------------------------------------------------

PAGES = [
    "/",
    "/meetings/",
    "/meetings/first/",
    "/meetings/first/calendar.ics",
    "/meetings/feed.atom",
    "/meetings/calendar.ics",
    "/countries/",
    "/countries/atlantis/",
    "/countries/atlantis/feed.atom",
    "/countries/atlantis/calendar.ics",
    "/countries/atlantis/interventions.csv",
    "/organisations/",
    "/priority-goals/",
    "/priority-goals/1/",
    "/priority-goals/matrix/",
    "/search/?q=lighthouses",
    "/sitemap.xml",
]


def test_a_second_anonymous_read_runs_no_query(client, page_cache, archive):
    for url in PAGES:
        first, queries = read(client, url)
        assert (first.status_code, first["X-Page-Cache"]) == (200, "miss"), url
        assert queries > 0, url
        second = assert_from_cache(Client(), url)
        assert second["Content-Type"] == first["Content-Type"]
        assert second.content == first.content, url


def test_a_head_request_is_answered_from_the_stored_page(client, page_cache, archive):
    client.get("/meetings/first/")
    with CaptureQueriesContext(connection) as queries:
        response = client.head("/meetings/first/")
    assert (response.status_code, len(queries), response["X-Page-Cache"]) == (200, 0, "hit")


def test_each_language_has_its_own_stored_page(client, page_cache, archive):
    english = client.get("/")
    russian, queries = read(Client(), "/ru/")
    assert queries > 0 and russian["X-Page-Cache"] == "miss"
    assert '<html lang="ru">' in text(russian) and '<html lang="en">' in text(english)
    assert '<html lang="ru">' in text(assert_from_cache(Client(), "/ru/"))
    assert '<html lang="en">' in text(assert_from_cache(Client(), "/"))


def test_an_english_address_is_english_whatever_the_browser_asks(client, page_cache, archive):
    """The address names the language: a browser asking for Russian at "/" gets the stored English page."""
    client.get("/")
    for asked in ("ru", "ru,en;q=0.5", "de"):
        response, queries = read(Client(), "/", **{"accept-language": asked})
        assert (queries, response["X-Page-Cache"]) == (0, "hit"), asked
        assert '<html lang="en">' in text(response)


def test_the_api_is_not_stored(client, page_cache, archive):
    """Partners' reads are counted by the API's throttles, and answered with an ETag of their own."""
    for _ in range(2):
        response, queries = read(client, "/api/v1/meetings/")
        assert "X-Page-Cache" not in response and queries > 0


# --- Every committed change is seen at once, whoever made it and however ------------------------------


def assert_rendered_again(client, url, *, shows: str = "", hides: str = ""):
    response, queries = read(client, url)
    assert queries > 0 and response["X-Page-Cache"] == "miss", url
    assert shows in text(response), url
    assert not hides or hides not in text(response), url
    return response


def test_any_committed_change_makes_every_stored_page_stale_then_each_is_stored_again(
    client, page_cache, archive, committed
):
    """The price of the one rule: a change anywhere renders every page again, once."""
    warm(client, *PAGES)
    with committed():
        f.FootnoteFactory(meeting=archive["second"], text="A footnote of the second meeting.")
    for url in PAGES:
        assert_rendered_again(client, url)
        assert_from_cache(client, url)


def test_publishing_a_meeting_shows_it_at_once_wherever_it_belongs(client, page_cache, archive, committed):
    shows_it = ["/", "/meetings/", "/meetings/feed.atom", "/sitemap.xml", "/countries/atlantis/", "/priority-goals/2/"]
    warm(client, *shows_it, "/search/?q=submarines")
    assert client.get("/meetings/draft/").status_code == 404

    with committed():
        meeting_publish(meeting=archive["draft"])

    for url in shows_it:
        assert_rendered_again(client, url, shows="draft")
    assert "submarines" in text(client.get("/search/?q=submarines"))
    assert client.get("/meetings/draft/").status_code == 200


def test_editing_a_passage_refreshes_its_meeting_its_speaker_and_its_goal(client, page_cache, archive, committed):
    shows_it = ["/meetings/first/", "/countries/atlantis/", "/priority-goals/1/", "/countries/atlantis/feed.atom"]
    warm(client, *shows_it)
    with committed():
        passage = archive["spoken"]
        passage.text = "**Atlantis** spoke of harbours."
        passage.save()
    for url in shows_it:
        assert_rendered_again(client, url, shows="harbours", hides="lighthouses")


def test_a_goal_taken_off_a_passage_leaves_the_goal_page(client, page_cache, archive, committed):
    warm(client, "/priority-goals/1/")
    with committed():
        archive["spoken"].goals.clear()
    assert_rendered_again(client, "/priority-goals/1/", hides="lighthouses")


def test_a_speaker_taken_off_a_passage_leaves_with_it(client, page_cache, archive, committed):
    warm(client, "/countries/atlantis/", "/countries/borduria/")
    with committed():
        archive["spoken"].speakers.set([archive["borduria"]])
    assert_rendered_again(client, "/countries/atlantis/", hides="lighthouses")
    assert_rendered_again(client, "/countries/borduria/", shows="lighthouses")


def test_withdrawing_a_meeting_takes_it_off_every_page(client, page_cache, archive, committed):
    pages = ["/", "/meetings/", "/countries/atlantis/", "/priority-goals/1/"]
    warm(client, "/meetings/first/", "/search/?q=lighthouses", *pages)
    with committed():
        meeting_withdraw(meeting=archive["first"])
    assert client.get("/meetings/first/").status_code == 410
    for url in pages:
        page = text(client.get(url))
        assert "First Conference" not in page and "lighthouses" not in page, url
    assert "First Conference" not in text(client.get("/search/?q=lighthouses"))


def test_a_meeting_turned_back_into_a_draft_leaves_the_lists(client, page_cache, archive, committed):
    warm(client, "/meetings/", "/meetings/first/")
    with committed():
        meeting_make_draft(meeting=archive["first"])
    assert "First Conference" not in text(client.get("/meetings/"))
    assert client.get("/meetings/first/").status_code == 404


def test_a_new_address_leaves_no_page_at_the_old_one(client, page_cache, archive, committed):
    warm(client, "/meetings/first/")
    with committed():
        meeting = archive["first"]
        meeting.slug = "first-renamed"
        meeting.save()
    assert client.get("/meetings/first/").status_code == 404
    assert client.get("/meetings/first-renamed/").status_code == 200


def test_renaming_a_country_renames_it_wherever_it_is_named(client, page_cache, archive, committed):
    shows_it = ["/meetings/first/", "/countries/atlantis/", "/countries/", "/priority-goals/1/"]
    warm(client, *shows_it)
    with committed():
        atlantis = archive["atlantis"]
        atlantis.name = "Atlantis Nova"
        atlantis.save()
    for url in shows_it:
        assert_rendered_again(client, url, shows="Atlantis Nova")


def test_renaming_a_ministry_renames_it_on_the_meetings_where_it_spoke(client, page_cache, archive, committed):
    with committed():
        ministry = f.InstitutionFactory(name="Ministry of Tides", parent=archive["atlantis"])
        archive["spoken"].speakers.add(ministry)
    warm(client, "/meetings/first/", "/countries/atlantis/")
    with committed():
        ministry.name = "Ministry of Oceans"
        ministry.save()
    assert_rendered_again(client, "/meetings/first/", shows="Ministry of Oceans")
    assert_rendered_again(client, "/countries/atlantis/", shows="Ministry of Oceans")


def test_retitling_a_priority_goal_retitles_it_on_the_pages_that_name_it(client, page_cache, archive, committed):
    warm(client, "/", "/priority-goals/", "/meetings/first/")
    with committed():
        PriorityGoal.objects.filter(number=1).update(title="Lighthouses and harbours")
    for url in ("/", "/priority-goals/", "/meetings/first/"):
        assert_rendered_again(client, url, shows="Lighthouses and harbours")


def test_restoring_a_meeting_shows_the_restored_text(client, page_cache, archive, committed):
    meeting = archive["first"]
    with committed():
        history_baseline(meeting=meeting)
    as_of = timezone.now()
    time.sleep(0.01)
    with committed():
        passage = Passage.objects.get(pk=archive["spoken"].pk)
        passage.text = "**Atlantis** spoke of volcanoes."
        passage.save()
    warm(client, "/meetings/first/", "/countries/atlantis/")
    assert "volcanoes" in text(client.get("/meetings/first/"))

    with committed():
        meeting_restore(meeting=meeting, as_of=as_of)

    for url in ("/meetings/first/", "/countries/atlantis/"):
        assert_rendered_again(client, url, shows="lighthouses", hides="volcanoes")


# Writes that send no model signal: the change is seen on the database connection itself.
WRITES_BEHIND_THE_MODELS = {
    "update": lambda archive: Passage.objects.filter(pk=archive["spoken"].pk).update(text="Rewritten in bulk."),
    "bulk_create": lambda archive: f.FootnoteFactory._meta.model.objects.bulk_create(
        [f.FootnoteFactory.build(meeting=archive["first"], number=7, text="Rewritten in bulk.")]
    ),
    "raw SQL": lambda archive: connection.cursor().execute(
        f"UPDATE {Passage._meta.db_table} SET text = %s WHERE id = %s", ["Rewritten in bulk.", archive["spoken"].pk]
    ),
    "a through table": lambda archive: Passage.speakers.through.objects.filter(passage=archive["spoken"]).delete(),
}


@pytest.mark.parametrize("write", WRITES_BEHIND_THE_MODELS.values(), ids=WRITES_BEHIND_THE_MODELS.keys())
def test_writes_that_send_no_signal_leave_no_stale_page(client, page_cache, archive, committed, write):
    warm(client, "/meetings/first/")
    with committed():
        write(archive)
    assert_rendered_again(client, "/meetings/first/")
    assert_from_cache(client, "/meetings/first/")


def test_the_content_is_every_table_of_the_projects_apps_and_nothing_else():
    """Derived from the models, not listed by hand: a model added to meetings or actors is content at once."""
    from django.apps import apps

    tables = content_tables()
    for label in ("meetings", "actors"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            assert model._meta.db_table in tables, model
    assert {Passage.speakers.through._meta.db_table, Passage.goals.through._meta.db_table} <= tables
    assert not tables & {"django_session", "auth_user", "axes_accessattempt", "authtoken_token", "django_admin_log"}


def test_a_write_rolled_back_starts_no_generation_and_one_after_it_does(client, page_cache, archive, committed):
    warm(client, "/meetings/first/")
    with committed():
        try:
            with transaction.atomic():
                Passage.objects.filter(pk=archive["spoken"].pk).update(text="Never committed.")
                raise RuntimeError("the editor's save fails")
        except RuntimeError:
            pass
    assert_from_cache(client, "/meetings/first/")
    with committed(), transaction.atomic():
        # A savepoint rolled back takes its writes and callbacks with it; the write after it still counts.
        try:
            with transaction.atomic():
                Passage.objects.filter(pk=archive["spoken"].pk).update(text="Rolled back.")
                raise RuntimeError
        except RuntimeError:
            pass
        Passage.objects.filter(pk=archive["spoken"].pk).update(text="**Atlantis** spoke of piers.")
    assert_rendered_again(client, "/meetings/first/", shows="piers")


def test_a_read_of_the_database_starts_no_generation(client, page_cache, archive, committed):
    warm(client, "/meetings/first/")
    with committed():
        list(Passage.objects.all())
        User.objects.create_user("reader")  # a table that is not content
    assert_from_cache(client, "/meetings/first/")


def test_a_change_committed_while_a_page_renders_leaves_that_page_stale(client, page_cache, archive, monkeypatch):
    """The generation is read before the view reads the database, so the page stored is known to be old."""
    from meetings.views import MeetingDetailView

    render = MeetingDetailView.get_context_data

    def render_then_change(view, **kwargs):
        context = render(view, **kwargs)
        new_generation()  # another worker commits a change now
        return context

    monkeypatch.setattr(MeetingDetailView, "get_context_data", render_then_change)
    client.get("/meetings/first/")
    monkeypatch.setattr(MeetingDetailView, "get_context_data", render)
    assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "miss"
    assert_from_cache(client, "/meetings/first/")


def test_a_meeting_published_for_later_appears_when_due(client, page_cache, archive, committed, monkeypatch):
    due = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        meeting_publish(meeting=archive["draft"], published_at=due)
    assert "Draft Conference" not in text(client.get("/meetings/"))
    assert_from_cache(client, "/meetings/")

    later = due + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response, queries = read(client, "/meetings/")
    assert queries > 0 and "Draft Conference" in text(response)
    assert client.get("/meetings/draft/").status_code == 200


def test_a_page_stored_today_is_not_served_tomorrow(client, page_cache, archive, monkeypatch):
    """Whether a meeting is upcoming depends on the day: no page outlives the day it was made."""
    warm(client, "/meetings/first/")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    response, queries = read(client, "/meetings/first/")
    assert queries > 0 and response["X-Page-Cache"] == "miss"


# --- Bounded memory: only what a view reads makes an entry, and entries expire ----------------------------


def stored_pages(page_cache) -> int:
    """How many page entries the cache holds (of this test's key prefix, with Redis)."""
    cache: Any = caches["default"]  # the backend's own client and store
    if page_cache == "redis":
        client = cache._cache.get_client()
        return sum(1 for _ in client.scan_iter(match=cache.make_key("pc:page:*"), count=1000))
    return sum(1 for key in list(cache._cache) if ":pc:page:" in key and not cache._has_expired(key))


def test_parameters_no_view_reads_make_no_entry_and_are_not_echoed(client, page_cache, archive):
    for url in ("/meetings/first/", "/meetings/?year=2019", "/search/?q=lighthouses", "/countries/atlantis/"):
        client.get(url)
        before = stored_pages(page_cache)
        separator = "&" if "?" in url else "?"
        for n in range(20):
            response = assert_from_cache(Client(), f"{url}{separator}utm_source=campaign-{n}&fbclid={n}")
            assert "utm_source" not in text(response) and "fbclid" not in text(response), url
        assert stored_pages(page_cache) == before, url


def test_a_parameter_the_view_reads_has_a_page_of_its_own(client, page_cache, archive):
    both = read(client, "/meetings/")[0]
    one_year = read(client, "/meetings/?year=2018")[0]
    assert "First Conference" in text(both) and "First Conference" not in text(one_year)
    assert "Second Conference" in text(one_year)
    assert text(assert_from_cache(Client(), "/meetings/?year=2018&utm_source=x")) == text(one_year)
    assert text(assert_from_cache(Client(), "/meetings/")) == text(both)


def test_links_that_keep_the_query_keep_the_parameters_read_and_only_those(client, page_cache, archive):
    page = text(client.get("/meetings/?year=2018&utm_source=mail"))
    switch = re.search(r'<a href="([^"]*)" lang="ru" hreflang="ru">', page)[1]
    assert switch == "/ru/meetings/?year=2018"


@pytest.mark.parametrize("timeout", [1])
def test_a_stored_page_expires(client, page_cache, archive, timeout):
    with override_settings(PAGE_CACHE_TIMEOUT=timeout):
        warm(client, "/meetings/first/")
    time.sleep(timeout + 0.2)
    assert read(Client(), "/meetings/first/")[0]["X-Page-Cache"] == "miss"  # not in this process's copy either
    assert stored_pages(page_cache) == 1  # the one just stored again


# --- Other processes, over Redis ------------------------------------------------------------------------


@pytest.fixture
def over_redis(page_cache):
    """The page cache over Redis: a process learns of other processes' generations from Redis."""
    if page_cache != "redis":
        pytest.skip("other processes share the page cache through Redis only")
    return page_cache


def another_process():
    """A Django cache client of its own on the same Redis, as another worker or machine has."""
    return caches.create_connection("default")


def start_generation_unannounced(cache) -> None:
    """A generation written without the news on the channel (as if the message were lost)."""
    generation = cache_module.Generation("unannounced", time.time() + 3600)
    cache.set("pc:generation", generation, timeout=None)


@pytest.fixture
def redis_reads(monkeypatch):
    """How many times this process reads from Redis (GET) to serve pages."""
    client = caches["default"]._cache.get_client()
    calls = []
    original = type(client).get
    monkeypatch.setattr(type(client), "get", lambda self, *a, **k: calls.append(a) or original(self, *a, **k))
    return calls


def read_until_trusted(client, url, redis_reads, tries=20):
    """Read a page until this process trusts what it knows (Redis confirms a subscription in its own time)."""
    for _ in range(tries):
        redis_reads.clear()
        response, queries = read(client, url)
        if (response["X-Page-Cache"], queries, redis_reads) == ("hit", 0, []):
            return response
    pytest.fail(f"{url} still needs Redis after {tries} reads")


def test_a_stored_page_that_is_still_fresh_costs_no_round_trip_to_redis(client, over_redis, archive, redis_reads):
    read_until_trusted(client, "/meetings/first/", redis_reads)
    assert_from_cache(client, "/meetings/first/")
    assert redis_reads == []


def test_a_change_committed_by_another_process_is_seen_at_once(client, over_redis, archive, redis_reads):
    read_until_trusted(client, "/meetings/first/", redis_reads)
    new_generation(another_process())
    assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "miss"
    assert_from_cache(client, "/meetings/first/")


def test_a_change_committed_here_is_seen_by_another_process_at_once(client, over_redis, archive, committed):
    other = another_process()
    theirs = cache_module.current_generation(time.time(), other)
    with committed():
        f.FootnoteFactory(meeting=archive["first"])
    assert cache_module.current_generation(time.time(), other) != theirs


def test_news_that_never_came_is_made_good_within_a_second(client, over_redis, archive, redis_reads):
    """Should a connection die silently, what a process knows is trusted for PAGE_CACHE_PUSH_MAX_AGE at most."""
    read_until_trusted(client, "/meetings/first/", redis_reads)
    start_generation_unannounced(another_process())
    with override_settings(PAGE_CACHE_PUSH_MAX_AGE=60):
        assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "hit"  # trusted, no news
    with override_settings(PAGE_CACHE_PUSH_MAX_AGE=0):
        assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "miss"
    assert redis_reads, "the generation was read from Redis again"


def test_a_broken_subscription_means_reading_redis_for_every_page(client, over_redis, archive, redis_reads):
    read_until_trusted(client, "/meetings/first/", redis_reads)
    cache_module._listener().pubsub.connection.disconnect()  # the news could be lost from now on
    start_generation_unannounced(another_process())
    assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "miss"
    assert_from_cache(client, "/meetings/first/")


# --- Staff, uncommitted changes, failures -------------------------------------------------------------


def test_staff_never_get_a_stored_page_and_never_leave_one(client, page_cache, archive, committed):
    staff = User.objects.create_superuser("editor", "editor@example.org", "a-long-password")
    admin = Client()
    admin.force_login(staff)

    # A draft's preview is for staff only, and stays so.
    preview = admin.get("/meetings/draft/")
    assert preview.status_code == 200 and "X-Page-Cache" not in preview
    assert "private" in preview["Cache-Control"]
    assert client.get("/meetings/draft/").status_code == 404

    # What staff read is not stored for the public.
    admin.get("/meetings/second/")
    assert read(client, "/meetings/second/")[0]["X-Page-Cache"] == "miss"

    # And staff read the database, never a stored page.
    warm(client, "/meetings/first/")
    response, queries = read(admin, "/meetings/first/")
    assert queries > 0 and "X-Page-Cache" not in response and "private" in response["Cache-Control"]


def test_a_reader_on_a_connection_with_uncommitted_changes_gets_no_stored_page(client, page_cache, archive):
    warm(client, "/meetings/first/")
    passage = archive["spoken"]
    passage.text = "**Atlantis** spoke of tides."
    passage.save()  # inside the test's transaction, not committed
    assert has_uncommitted_changes()
    response, queries = read(client, "/meetings/first/")
    assert queries > 0 and "tides" in text(response) and "X-Page-Cache" not in response


def test_pages_are_served_from_the_database_when_the_cache_is_down(client, archive):
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=down, PAGE_CACHE_ENABLED=True):
        response = client.get("/meetings/first/")
    assert response.status_code == 200 and "lighthouses" in text(response)


# --- Per-reader values, validators ------------------------------------------------------------------------


def test_a_stored_page_sets_no_cookie_and_its_language_switch_works(page_cache, archive):
    """Public pages carry no CSRF token: the same bytes for every reader, no cookie, and still usable."""
    Client().get("/meetings/first/")
    reader = Client(enforce_csrf_checks=True)
    page = assert_from_cache(reader, "/meetings/first/")
    assert "csrfmiddlewaretoken" not in text(page)
    assert not page.cookies and not reader.cookies
    # The switch is a link to the same page in the other language: nothing to post, no cookie.
    assert '<a href="/ru/meetings/first/" lang="ru" hreflang="ru">Русский</a>' in text(page)
    russian = reader.get("/ru/meetings/first/")
    assert '<html lang="ru">' in text(russian) and not russian.cookies
    assert '<a href="/meetings/first/" lang="en" hreflang="en">English</a>' in text(russian)


def _page_with_a_script(request):
    # Long enough to be stored gzipped (budapest.cache._COMPRESS_FROM).
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">let a = 1;</script><p>{{ text }}</p>')
    return TemplateResponse(request, template, {"text": "A reef, a lighthouse, a harbour. " * 100})


def _page_with_a_form(request):
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return TemplateResponse(request, template, {})


@never_cache
def _page_that_opts_out(request):
    return TemplateResponse(request, engines["django"].from_string("<p>{{ now }}</p>"), {"now": time.time()})


urlpatterns = [
    path("with-a-script/", _page_with_a_script),
    path("with-a-form/", _page_with_a_form),
    path("opts-out/", _page_that_opts_out),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_page_is_stored_with_nothing_to_declare_and_never_cache_opts_out(page_cache):
    assert [Client().get("/with-a-script/")["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    for _ in range(2):
        assert "X-Page-Cache" not in Client().get("/opts-out/")


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_with_a_readers_csrf_token_is_never_stored(page_cache):
    reader = Client()
    for _ in range(2):  # the second time with the CSRF cookie the first one set
        response = reader.get("/with-a-form/")
        assert "csrfmiddlewaretoken" in text(response) and "X-Page-Cache" not in response


@override_settings(ROOT_URLCONF=__name__)
def test_each_reader_of_a_stored_page_gets_a_nonce_of_their_own(page_cache):
    nonces = []
    for expected in ("miss", "hit"):
        response = Client().get("/with-a-script/")
        assert response["X-Page-Cache"] == expected
        nonce = re.search(r'nonce="([^"]+)"', text(response))[1]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_reader_who_accepts_gzip_gets_the_bytes_stored_not_a_compression_of_their_own(client, page_cache, archive):
    rendered = client.get("/meetings/first/", headers=GZIP)
    assert rendered["X-Page-Cache"] == "miss" and rendered["Content-Encoding"] == "gzip"
    hits = [assert_from_cache_as(client, "/meetings/first/", GZIP) for _ in range(2)]
    plain = assert_from_cache(client, "/meetings/first/")
    # The same bytes twice: compressed once, when stored (GZipMiddleware pads each compression of its own).
    assert hits[0].content == hits[1].content and hits[0]["ETag"] == plain["ETag"]
    for hit in hits:
        assert hit["Content-Encoding"] == "gzip" and hit["Content-Length"] == str(len(hit.content))
        assert {"Accept-Encoding", "Cookie"} <= {part.strip() for part in hit["Vary"].split(",")}
        assert gzip.decompress(hit.content) == plain.content and len(hit.content) < len(plain.content) / 3
    assert "Content-Encoding" not in plain and plain["Content-Length"] == str(len(plain.content))
    assert "Accept-Encoding" in plain["Vary"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_stored_page_with_a_nonce_is_compressed_for_each_reader_with_their_own(page_cache):
    nonces = []
    for expected in ("miss", "hit", "hit"):
        response = Client().get("/with-a-script/", headers=GZIP)
        assert response["X-Page-Cache"] == expected and response["Content-Encoding"] == "gzip"
        nonce = re.search(r'nonce="([^"]+)"', gzip.decompress(response.content).decode())[1]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_a_page_rendered_again_unchanged_is_still_a_304(client, page_cache, archive):
    etag = client.get("/meetings/first/")["ETag"]
    clear_page_cache()  # every page stale: this one is rendered again, the same as before
    again, queries = read(client, "/meetings/first/", **{"if-none-match": etag})
    assert again.status_code == 304 and queries > 0  # rendered, stored, and still the reader's copy
    assert_from_cache(client, "/meetings/first/")


def test_a_reader_who_has_the_page_gets_304(client, page_cache, archive, committed):
    first = client.get("/meetings/first/")
    etag = first["ETag"]
    stored = client.get("/meetings/first/")
    assert stored["ETag"] == etag
    assert client.get("/meetings/first/", headers={"if-none-match": etag}).status_code == 304
    # No date to compare: two copies rendered in the same second could be told apart by none.
    assert "Last-Modified" not in first and "Last-Modified" not in stored
    since = client.get("/meetings/first/", headers={"if-modified-since": "Wed, 01 Jan 2098 00:00:00 GMT"})
    assert since.status_code == 200

    with committed():
        passage = archive["spoken"]
        passage.text = "**Atlantis** spoke of reefs."
        passage.save()
    changed = client.get("/meetings/first/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and "reefs" in text(changed)


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Content-Language",
    "Vary",
]


def test_a_stored_page_keeps_every_header_the_stack_gave_it(client, page_cache, archive):
    """Served before the rest of the stack runs, a stored page still has its security headers."""
    rendered = client.get("/meetings/first/")
    stored = assert_from_cache(client, "/meetings/first/")
    for header in SECURITY_HEADERS:
        assert header in rendered, header
        assert stored[header] == rendered[header], header
    assert "Set-Cookie" not in stored and not stored.cookies


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_stored_page_is_not_served_to_an_unknown_host(client, page_cache, archive):
    client.get("/meetings/first/")
    assert_from_cache(client, "/meetings/first/")
    assert client.get("/meetings/first/", headers={"host": "elsewhere.example"}).status_code == 400


# --- Settings -------------------------------------------------------------------------------------------

SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.PAGE_CACHE_ENABLED, settings.WHITENOISE_MAX_AGE, "
    "settings.STORAGES['staticfiles']['BACKEND']]))"
)


def _settings_with(**env_vars):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="budapest.settings", **env_vars)
    done = subprocess.run([sys.executable, "-c", SHOW], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_page_cache_is_on_only_where_every_worker_shares_it():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    enabled, max_age, storage = _settings_with(**production, REDIS_URL=REDIS_URL)
    assert enabled is True
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage" and max_age >= 3600
    # Several workers, each with a cache of its own: a change seen by one would leave the others stale.
    assert _settings_with(**production)[0] is False
    assert _settings_with(**production, REDIS_URL=REDIS_URL, DJANGO_PAGE_CACHE="off")[0] is False
    assert _settings_with()[0] is True  # the development server: one process


# The front door (budapest.wsgi): a stored page answered before Django's handler, as gunicorn calls it.


class ServerEnviron(RequestFactory):
    """The environ a WSGI server passes (the address's bytes as latin-1 text), not a request made of it:
    Django's request writes its decoded address back into its environ."""

    def request(self, **request):
        return self._base_environ(**request)


def wsgi_get(path: str, **environ) -> tuple[str, dict, bytes, int]:
    """(status, headers, body, requests Django's handler saw) of one GET through budapest.wsgi.application."""
    from django.core.signals import request_started
    from django.db import close_old_connections

    from budapest.wsgi import application

    seen = []

    def count(**kwargs):
        seen.append(1)

    answer: dict[str, Any] = {}
    request_started.connect(count)
    # As Django's test client does: the request must not close the test's connection (its transaction).
    request_started.disconnect(close_old_connections)
    try:
        body = b"".join(
            application(
                ServerEnviron().get(path, **environ),
                lambda status, headers, exc_info=None: answer.update(status=status, headers=dict(headers)),
            )
        )
    finally:
        request_started.disconnect(count)
        request_started.connect(close_old_connections)
    return answer["status"], answer["headers"], body, len(seen)


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
def test_a_stored_page_is_answered_before_djangos_handler_with_the_middlewares_own_bytes(
    client, page_cache, archive, encoding
):
    url = archive["first"].get_absolute_url()
    status, headers, _, handled = wsgi_get(url, HTTP_ACCEPT_ENCODING=encoding)
    assert (status, headers["X-Page-Cache"], handled) == ("200 OK", "miss", 1)
    status, headers, body, handled = wsgi_get(url, HTTP_ACCEPT_ENCODING=encoding)
    assert (status, headers["X-Page-Cache"], handled) == ("200 OK", "hit", 0)
    # The same answer the page cache's middleware gives, behind every other middleware that runs outside it.
    through_django = client.get(url, headers={"accept-encoding": encoding})
    assert body == through_django.content and headers == dict(through_django.items())
    assert ("Content-Encoding" in headers) == bool(encoding) and int(headers["Content-Length"]) == len(body)
    assert "Accept-Encoding" in headers["Vary"] and "Cookie" in headers["Vary"]
    if encoding:
        assert "First Conference" in gzip.decompress(body).decode()


def test_the_front_door_answers_a_revalidation_and_leaves_a_session_an_unknown_host_and_a_change_to_django(
    page_cache, archive, committed
):
    url = archive["first"].get_absolute_url()
    _, headers, _, _ = wsgi_get(url)
    etag = headers["ETag"]
    assert wsgi_get(url, HTTP_IF_NONE_MATCH=etag)[0::3] == ("304 Not Modified", 0)
    assert wsgi_get(url, HTTP_COOKIE="sessionid=abc")[0::3] == ("200 OK", 1)
    assert wsgi_get(url, HTTP_HOST="evil.example")[0::3] == ("400 Bad Request", 1)
    with committed():
        Meeting.objects.filter(pk=archive["first"].pk).update(title="First Conference, renamed")
    status, headers, body, handled = wsgi_get(url)
    assert (headers["X-Page-Cache"], handled) == ("miss", 1) and b"First Conference, renamed" in body


def test_a_failure_at_the_front_door_leaves_the_request_to_django(page_cache, archive, monkeypatch):
    """Outside Django's handler an exception would be a bare 500 that nothing logs: Django answers instead."""
    from budapest.cache import _Entry

    url = archive["first"].get_absolute_url()
    assert wsgi_get(url)[0::3] == ("200 OK", 1)

    def broken(*args, **kwargs):
        raise RuntimeError("a stored page that cannot be sent")

    monkeypatch.setattr(_Entry, "wire", broken)
    status, headers, body, handled = wsgi_get(url)
    assert (status, headers["X-Page-Cache"], handled) == ("200 OK", "hit", 1) and b"First Conference" in body


def test_an_unknown_host_at_the_front_door_is_left_to_django_and_logged_as_no_failure(page_cache, archive, caplog):
    url = archive["first"].get_absolute_url()
    with caplog.at_level("WARNING", logger="budapest.cache"):
        assert wsgi_get(url, HTTP_HOST="evil.example")[0::3] == ("400 Bad Request", 1)
    assert "front door failed" not in caplog.text


def test_an_address_the_front_door_has_nothing_for_reaches_django_as_it_was_sent(page_cache, archive):
    """Django's request rewrites the environ's PATH_INFO as text: the front door reads a copy, so the handler's
    own request decodes the address the server sent once, not twice (an exception, a 500, for "Ā")."""
    for address in ("/countries/%C4%80/", "/api/v1/countries/%C4%80/", "/meetings/%C3%A9t%C3%A9/"):
        status, _, _, handled = wsgi_get(address)
        assert (status, handled) == ("404 Not Found", 1), address
