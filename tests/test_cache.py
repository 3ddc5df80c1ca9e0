"""The page cache: a second anonymous read runs no query, and a change refreshes exactly the pages that show it.

Each test runs with Django's local-memory cache and, when Redis answers at 127.0.0.1:6379, with Redis
(database 5, under a key prefix of the test's own, removed afterwards). Writes run inside
``committed()``: their on-commit callbacks, which mark pages stale, run as they would at a commit.
"""

import datetime
import json
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from budapest import cache as cache_module
from budapest.cache import Changes, bump, cached_page, clear_page_cache, has_uncommitted_changes
from meetings.history import history_baseline
from meetings.invalidation import tags_for
from meetings.models import Meeting, Passage
from meetings.services import meeting_make_draft, meeting_publish, meeting_restore, meeting_withdraw

from . import factories as f
from .routes import site_routes
from .scale import read

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/5"
BASE_DIR = Path(__file__).resolve().parent.parent


def _redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    """The page cache on, over local memory or over a real Redis (skipped only when Redis does not answer)."""
    if request.param == "locmem":
        caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache"}}
        with override_settings(CACHES=caches, PAGE_CACHE_ENABLED=True):
            yield request.param
        return
    client = _redis_client()
    if client is None:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    # A prefix of its own rather than FLUSHDB: tests in other xdist workers may use the database at the same time.
    prefix = f"test-page-cache-{secrets.token_hex(6)}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=caches, PAGE_CACHE_ENABLED=True):
            yield request.param
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run writes as if their transaction committed: the pages they affect are marked stale then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def text(response) -> str:
    return response.content.decode()


def assert_from_cache(client, url):
    response, queries = read(client, url)
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
    english = client.get("/", headers={"accept-language": "en"})
    russian, queries = read(Client(), "/", **{"accept-language": "ru"})
    assert queries > 0 and russian["X-Page-Cache"] == "miss"
    assert '<html lang="ru">' in text(russian) and '<html lang="en">' in text(english)


def test_the_api_is_not_stored(client, page_cache, archive):
    """Partners' reads are counted by the API's throttles, and answered with an ETag of their own."""
    for _ in range(2):
        response, queries = read(client, "/api/v1/meetings/")
        assert "X-Page-Cache" not in response and queries > 0


# --- A change refreshes what shows it, and nothing else ------------------------------------------------


def test_publishing_a_meeting_shows_it_at_once_wherever_it_belongs(client, page_cache, archive, committed):
    shows_it = ["/", "/meetings/", "/meetings/feed.atom", "/sitemap.xml", "/countries/atlantis/", "/priority-goals/2/"]
    unaffected = ["/meetings/second/", "/countries/borduria/", "/priority-goals/3/"]
    warm(client, *shows_it, *unaffected, "/search/?q=submarines")
    assert client.get("/meetings/draft/").status_code == 404

    with committed():
        meeting_publish(meeting=archive["draft"])

    for url in shows_it:
        response, queries = read(client, url)
        assert queries > 0 and "draft" in text(response), url
    assert "submarines" in text(client.get("/search/?q=submarines"))
    assert client.get("/meetings/draft/").status_code == 200
    for url in unaffected:
        assert_from_cache(client, url)


def test_editing_a_passage_refreshes_its_meeting_its_speaker_and_its_goal(client, page_cache, archive, committed):
    shows_it = ["/meetings/first/", "/countries/atlantis/", "/priority-goals/1/", "/countries/atlantis/feed.atom"]
    unaffected = ["/meetings/second/", "/countries/borduria/", "/", "/meetings/", "/priority-goals/3/"]
    warm(client, *shows_it, *unaffected)

    with committed():
        passage = archive["spoken"]
        passage.text = "**Atlantis** spoke of harbours."
        passage.save()

    for url in shows_it:
        assert "harbours" in text(client.get(url)), url
    for url in unaffected:
        assert_from_cache(client, url)


def test_a_goal_taken_off_a_passage_leaves_the_goal_page(client, page_cache, archive, committed):
    warm(client, "/priority-goals/1/", "/priority-goals/3/")
    with committed():
        archive["spoken"].goals.clear()
    assert "lighthouses" not in text(client.get("/priority-goals/1/"))
    assert_from_cache(client, "/priority-goals/3/")


def test_a_speaker_taken_off_a_passage_leaves_with_it(client, page_cache, archive, committed):
    warm(client, "/countries/atlantis/", "/countries/borduria/")
    with committed():
        archive["spoken"].speakers.set([archive["borduria"]])
    assert "lighthouses" not in text(client.get("/countries/atlantis/"))
    assert "lighthouses" in text(client.get("/countries/borduria/"))


def test_withdrawing_a_meeting_takes_it_off_every_page(client, page_cache, archive, committed):
    warm(client, "/meetings/first/", "/", "/meetings/", "/countries/atlantis/", "/priority-goals/1/")
    warm(client, "/meetings/second/", "/countries/borduria/")

    with committed():
        meeting_withdraw(meeting=archive["first"])

    assert client.get("/meetings/first/").status_code == 410
    for url in ("/", "/meetings/", "/countries/atlantis/", "/priority-goals/1/"):
        page = text(client.get(url))
        assert "First Conference" not in page and "lighthouses" not in page, url
    assert_from_cache(client, "/meetings/second/")
    assert_from_cache(client, "/countries/borduria/")


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
    warm(client, *shows_it, "/meetings/second/", "/countries/borduria/", "/")

    with committed():
        atlantis = archive["atlantis"]
        atlantis.name = "Atlantis Nova"
        atlantis.save()

    for url in shows_it:
        assert "Atlantis Nova" in text(client.get(url)), url
    # It did not take part in the second meeting, and the home page names no country.
    assert_from_cache(client, "/meetings/second/")
    assert_from_cache(client, "/countries/borduria/")
    assert_from_cache(client, "/")


def test_renaming_a_ministry_renames_it_on_the_meetings_where_it_spoke(client, page_cache, archive, committed):
    ministry = f.InstitutionFactory(name="Ministry of Tides", parent=archive["atlantis"])
    with committed():
        archive["spoken"].speakers.add(ministry)
    warm(client, "/meetings/first/", "/countries/atlantis/", "/meetings/second/")
    with committed():
        ministry.name = "Ministry of Oceans"
        ministry.save()
    assert "Ministry of Oceans" in text(client.get("/meetings/first/"))
    assert "Ministry of Oceans" in text(client.get("/countries/atlantis/"))
    assert_from_cache(client, "/meetings/second/")


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
    warm(client, "/meetings/first/", "/countries/atlantis/", "/meetings/second/")
    assert "volcanoes" in text(client.get("/meetings/first/"))

    with committed():
        meeting_restore(meeting=meeting, as_of=as_of)

    for url in ("/meetings/first/", "/countries/atlantis/"):
        page = text(client.get(url))
        assert "lighthouses" in page and "volcanoes" not in page, url
    assert_from_cache(client, "/meetings/second/")


def test_editing_a_draft_flushes_nothing(client, page_cache, archive, committed):
    warm(client, "/", "/meetings/", "/countries/atlantis/", "/priority-goals/2/", "/search/?q=submarines")
    with committed():
        passage = archive["unpublished"]
        passage.text = "**Atlantis** spoke of submarines and whales."
        passage.save()
        f.FootnoteFactory(meeting=archive["draft"])
    for url in ("/", "/meetings/", "/countries/atlantis/", "/priority-goals/2/", "/search/?q=submarines"):
        assert_from_cache(client, url)


def test_the_tags_a_change_makes_stale(archive):
    """What renaming Atlantis touches, named: its page, the lists, its meeting, its goal; not Borduria's."""
    changes = Changes()
    changes["actor"].add(archive["atlantis"].pk)
    assert tags_for(changes) == {
        "actors",
        "passages",
        "actor:atlantis",
        "meeting:first",
        "goal:1",
    }
    changes = Changes()
    changes["passage"].add(archive["unpublished"].pk)  # a draft's
    assert tags_for(changes) == set()


def test_a_change_committed_while_a_page_renders_leaves_that_page_stale(client, page_cache, archive, monkeypatch):
    """Tag versions are read before the view reads the database, so the page stored is known to be old."""
    from meetings.views import MeetingDetailView

    render = MeetingDetailView.get_context_data

    def render_then_change(view, **kwargs):
        context = render(view, **kwargs)
        bump(["meeting:first"])  # another worker commits a change to the meeting now
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


# --- Changes made by other processes, over Redis --------------------------------------------------------


@pytest.fixture
def over_redis(page_cache):
    """The page cache over Redis: this process learns of other processes' changes from Redis."""
    if page_cache != "redis":
        pytest.skip("other processes share the page cache through Redis only")
    return page_cache


def another_process_bumps(tag: str, *, tell: bool = True) -> None:
    """What bump() does in another worker: new versions through a connection of its own, then the news."""
    other = caches.create_connection("default")
    other.set(f"pc:tag:{tag}", secrets.token_hex(8), timeout=None)
    if tell:
        other._cache.get_client(write=True).publish(other.make_key("pc:bumps"), b"bumped")


@pytest.fixture
def redis_reads(monkeypatch):
    """How many times this process reads from Redis (MGET) to serve pages."""
    client = cache_module._redis(caches["default"])[0]
    calls = []
    original = client.mget
    monkeypatch.setattr(client, "mget", lambda *args, **kwargs: calls.append(args) or original(*args, **kwargs))
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


def test_a_change_made_by_another_process_is_seen_at_once(client, over_redis, archive):
    client.get("/meetings/first/")
    assert_from_cache(client, "/meetings/first/")
    another_process_bumps("meeting:first")
    assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "miss"
    assert_from_cache(client, "/meetings/first/")


def test_news_that_never_came_is_made_good_within_a_second(client, over_redis, archive, redis_reads):
    """Should a message be lost, what a process knows is trusted for PAGE_CACHE_PUSH_MAX_AGE at most."""
    read_until_trusted(client, "/meetings/first/", redis_reads)
    another_process_bumps("meeting:first", tell=False)
    with override_settings(PAGE_CACHE_PUSH_MAX_AGE=60):
        assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "hit"  # trusted, no news
    with override_settings(PAGE_CACHE_PUSH_MAX_AGE=0):
        assert read(client, "/meetings/first/")[0]["X-Page-Cache"] == "miss"
    assert redis_reads, "the versions were read from Redis again"


def test_a_broken_subscription_means_reading_redis_for_every_page(client, over_redis, archive):
    client.get("/meetings/first/")
    assert_from_cache(client, "/meetings/first/")
    cache_module._listener().pubsub.connection.disconnect()  # the news could be lost from now on
    another_process_bumps("meeting:first", tell=False)
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

    # And staff read the database, not the stored page: a change that marks nothing stale shows.
    warm(client, "/meetings/first/")
    Passage.objects.filter(pk=archive["spoken"].pk).update(text="Changed behind the cache's back.")
    assert "Changed behind" not in text(client.get("/meetings/first/"))
    assert "Changed behind" in text(admin.get("/meetings/first/"))


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
    response = reader.post("/i18n/setlang/", {"language": "ru", "next": "/meetings/first/"})
    assert response.status_code == 302 and response["Location"] == "/meetings/first/"
    assert '<html lang="ru">' in text(reader.get("/meetings/first/"))
    # The switch sends nobody to another site.
    response = reader.post("/i18n/setlang/", {"language": "en", "next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


@cached_page("nonce-test")
def _page_with_a_script(request):
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">let a = 1;</script>')
    return TemplateResponse(request, template, {})


@cached_page("form-test")
def _page_with_a_form(request):
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return TemplateResponse(request, template, {})


urlpatterns = [path("with-a-script/", _page_with_a_script), path("with-a-form/", _page_with_a_form)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_with_a_readers_csrf_token_is_never_stored(page_cache):
    reader = Client()
    for _ in range(2):
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


def test_every_public_page_says_what_it_shows():
    """A page added without tags is never cached: this lists the pages of the site that are not."""
    from budapest.cache import declared_tags

    uncached = set()
    for route, pattern in site_routes():
        if route.startswith((settings.ADMIN_PATH, "api/", "i18n/")):
            continue
        kwargs = dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route), "x")
        if declared_tags(pattern.callback, {**kwargs, **pattern.default_args}) is None:
            uncached.add(route)
    assert uncached == {"robots.txt"}
