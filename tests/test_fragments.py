"""A meeting's page rendered once per change (budapest.fragments): fast, and never stale, never a draft's.

The page cache is off here, as for a reader it cannot serve (staff, a query string, the first reader in a
process that has not stored the page): what is measured is the view with its stored parts. Each test runs
over local memory and, when Redis answers, over Redis (test_cache's `page_cache` fixture's databases).
Writes run inside ``committed()``: their on-commit callbacks, which start a new generation, run as at a commit.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from meetings.services.publishing import meeting_publish, meeting_withdraw

from . import factories as f
from .caches import default_cache
from .scale import read

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["locmem", "redis"])
def fragments(request):
    """Stored page parts on, over local memory or a real Redis (skipped only when Redis does not answer)."""
    with default_cache(request.param, FRAGMENT_CACHE_ENABLED=True, PAGE_CACHE_ENABLED=False):
        yield request.param


def body(response) -> str:
    """The page without what differs at each request (the CSP nonce)."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())


@pytest.fixture
def meeting(committed):
    with committed():
        atlantis = f.CountryFactory(name="Atlantis", slug="atlantis")
        meeting = f.MeetingFactory(
            title="Lighthouse Conference", slug="lighthouse", start_date=datetime.date(2019, 3, 1)
        )
        f.ParticipationFactory(meeting=meeting, actor=atlantis)
        passage = f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=meeting, number=1, subject="Lighthouses"),
            text="**Atlantis** spoke of lighthouses.",
            speakers=[atlantis],
        )
    return meeting, passage


def test_a_second_reader_gets_the_same_page_from_stored_parts_with_no_query(client, fragments, meeting):
    url = meeting[0].get_absolute_url()
    first, rendered = read(client, url)
    second, served = read(client, url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert body(second) == body(first)
    assert "spoke of lighthouses" in body(second)
    # The meeting's own row (its publicity with it) is kept per change too: the page asks the database nothing.
    assert (served, rendered > served) == (0, True)


def test_a_meeting_withdrawn_or_moved_is_so_at_once_for_a_reader_who_read_it(client, fragments, meeting, committed):
    """The meeting's row is kept as its parts are: a committed change is read at the next request."""
    meeting_row = meeting[0]
    url = meeting_row.get_absolute_url()
    assert read(client, url)[0].status_code == 200
    with committed():
        Meeting.objects.filter(pk=meeting_row.pk).update(location="Reykjavik, Iceland")
    assert "Reykjavik, Iceland" in body(read(client, url)[0])
    with committed():
        meeting_withdraw(meeting=Meeting.objects.get(pk=meeting_row.pk))
    assert read(client, url)[0].status_code == 410


def test_a_signed_in_reader_gets_stored_parts_too(client, fragments, meeting):
    """Staff carry a session, so the page cache never serves them; the stored parts do."""
    url = meeting[0].get_absolute_url()
    read(client, url)
    client.force_login(User.objects.create_user("reader", is_staff=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert "spoke of lighthouses" in body(response)
    # Its session and its user are read; the summary is not.
    assert not [query for query in queries if '"meetings_paragraph"' in query["sql"]]


def test_a_committed_change_is_on_the_page_at_once(client, fragments, meeting, committed):
    meeting_row, passage = meeting
    url = meeting_row.get_absolute_url()
    read(client, url)
    with committed():
        passage.text = "**Atlantis** spoke of harbours."
        passage.save()
    response, _ = read(client, url)
    assert "spoke of harbours" in body(response) and "lighthouses." not in body(response)


def test_a_change_to_a_name_the_page_shows_is_on_it_at_once(client, fragments, meeting, committed):
    """Not only the meeting's rows: any content the parts show (here a country's name) makes them stale."""
    url = meeting[0].get_absolute_url()
    read(client, url)
    with committed():
        meeting[1].speakers.update(name="New Atlantis")
    assert "New Atlantis" in body(read(client, url)[0])


def test_an_uncommitted_change_is_seen_by_its_own_connection_and_stored_nowhere(client, fragments, meeting, committed):
    meeting_row, passage = meeting
    url = meeting_row.get_absolute_url()
    read(client, url)
    passage.text = "**Atlantis** spoke of a storm."
    passage.save()  # not committed: this connection's view of the data is its own
    assert "spoke of a storm" in body(read(client, url)[0])
    passage.text = "**Atlantis** spoke of lighthouses."
    passage.save()
    assert "spoke of a storm" not in body(read(client, url)[0])


def test_a_draft_is_never_stored_and_its_publication_shows_it(client, fragments, committed):
    """A draft's preview is rendered at every request and never stored: nothing of it can reach a reader."""
    with committed():
        draft = f.MeetingFactory(title="Quiet Conference", slug="quiet", status=Meeting.Status.DRAFT, published_at=None)
        f.PassageFactory(paragraph=f.ParagraphFactory(meeting=draft, number=1), text="Draft words only.")
    staff = User.objects.create_superuser("publisher", "publisher@example.org", "a-long-password")
    client.force_login(staff)
    _, first = read(client, draft.get_absolute_url())
    preview, again = read(client, draft.get_absolute_url())
    assert "Draft words only." in body(preview)
    assert again == first  # rendered afresh, not served from a stored part
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    with committed():
        meeting_publish(meeting=draft)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Draft words only." in body(response)


def test_what_depends_on_the_day_is_not_served_the_next(client, fragments, committed, monkeypatch):
    """The parts are stored under the page cache's generation, which ends at midnight (and when a scheduled
    publication is due): a meeting shown as upcoming is not shown so once it has started."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with committed():
        soon = f.MeetingFactory(title="Soon Conference", slug="soon", start_date=tomorrow, end_date=tomorrow)
    assert "upcoming-badge" in body(client.get(soon.get_absolute_url()))
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "upcoming-badge" not in body(client.get(soon.get_absolute_url()))


def test_each_language_and_each_host_has_parts_of_its_own(client, fragments, meeting):
    url = meeting[0].get_absolute_url()
    english = body(read(client, url)[0])
    russian = body(read(client, "/ru" + url)[0])
    assert 'lang="ru"' in russian and "Резюме" in russian and "Резюме" not in english
    with override_settings(ALLOWED_HOSTS=["testserver", "records.example.org"]):
        other = body(client.get(url, HTTP_HOST="records.example.org"))
    assert "http://records.example.org/meetings/lighthouse/" in other
    assert "records.example.org" not in english


def test_with_the_cache_unreachable_the_page_is_rendered_from_the_database(client, meeting):
    gone = {"default": {"BACKEND": "budapest.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=gone, FRAGMENT_CACHE_ENABLED=True, PAGE_CACHE_ENABLED=False):
        response = client.get(meeting[0].get_absolute_url())
    assert response.status_code == 200 and "spoke of lighthouses" in body(response)


# A profile (meetings.actor_views.ActorDetailView): its content is one stored part per address and page.

PROFILE = "/countries/atlantis/"


def article(response) -> str:
    """The profile's content, its stored part (the language switcher around it carries the query string)."""
    found = re.search(r'<article class="actor">.*</article>', body(response), re.DOTALL)
    assert found is not None
    return found.group()


def test_a_profile_from_stored_parts_is_the_page_rendered_afresh_with_no_query(client, fragments, meeting):
    articles = {}
    for url in (PROFILE, "/ru" + PROFILE):
        with override_settings(FRAGMENT_CACHE_ENABLED=False):
            afresh, full = read(client, url)
        first, rendered = read(client, url)
        second, served = read(client, url)
        assert (afresh.status_code, first.status_code, second.status_code) == (200, 200, 200)
        assert body(first) == body(afresh) and body(second) == body(afresh), url
        assert "spoke of lighthouses" in body(second)
        # The actor's row, found among the public ones, is kept per change too: a profile from stored parts
        # asks the database nothing.
        assert (served, full > served, rendered > served) == (0, True, True), url
        if url == PROFILE:  # in a second language the row is already kept: one query fewer than afresh
            assert rendered >= full
        articles[url] = article(second)
    assert '<html lang="ru">' in body(second) and articles[PROFILE] != articles["/ru" + PROFILE]


def test_a_new_intervention_published_is_on_the_profile_at_once(client, fragments, meeting, committed):
    with committed():
        later = f.MeetingFactory(
            title="Harbour Conference",
            slug="harbour",
            start_date=datetime.date(2020, 3, 1),
            status=Meeting.Status.DRAFT,
            published_at=None,
        )
        f.ParticipationFactory(meeting=later, actor=meeting[1].speakers.get())
        f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=later, number=1),
            text="Draft harbour words.",
            speakers=[meeting[1].speakers.get()],
        )
    assert "Draft harbour words." not in body(read(client, PROFILE)[0])
    with committed():
        meeting_publish(meeting=later)
    response, _ = read(client, PROFILE)
    assert "Draft harbour words." in body(response) and "spoke of lighthouses" in body(response)


def test_a_rename_is_on_the_profile_at_once(client, fragments, meeting, committed):
    read(client, PROFILE)
    with committed():
        meeting[1].speakers.update(name="New Atlantis")
    assert "New Atlantis" in article(read(client, PROFILE)[0])  # in the stored part, not only the title


def test_staff_who_preview_get_profiles_rendered_afresh_without_drafts_words(client, fragments, meeting, committed):
    """Staff who preview read profiles only drafts name: never stored; and a profile shows published words only."""
    with committed():
        draft = f.MeetingFactory(title="Quiet Conference", slug="quiet", status=Meeting.Status.DRAFT, published_at=None)
        hidden = f.CountryFactory(name="Lemuria", slug="lemuria")
        f.ParticipationFactory(meeting=draft, actor=hidden)
        atlantis = meeting[1].speakers.get()
        f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=draft, number=1), text="Draft words only.", speakers=[atlantis, hidden]
        )
    client.force_login(User.objects.create_superuser("publisher", "publisher@example.org", "a-long-password"))
    for url in (PROFILE, "/countries/lemuria/"):
        first, rendered = read(client, url)
        again, queries = read(client, url)
        assert (first.status_code, again.status_code) == (200, 200)
        assert queries == rendered, url  # rendered afresh, not served from a stored part
        assert "Draft words only." not in body(again)
    client.logout()
    assert client.get("/countries/lemuria/").status_code == 404
    assert "Draft words only." not in body(client.get(PROFILE))


def test_a_country_only_a_withdrawn_meeting_named_is_gone_at_once_for_a_reader_who_read_it(
    client, fragments, meeting, committed
):
    """The profile's row is kept per change, as the meeting's is: its only meeting withdrawn, it is public nowhere."""
    assert read(client, PROFILE)[0].status_code == 200
    with committed():
        meeting_withdraw(meeting=Meeting.objects.get(pk=meeting[0].pk))
    assert read(client, PROFILE)[0].status_code == 404


def test_a_kept_record_is_each_requests_own_copy_and_of_its_own_kind(client, fragments, meeting):
    """The kept row is shared by the process's threads: each request prefetches and annotates its own copy.
    A country's slug under /organisations/ stays a 404 after the country's page was kept."""
    from budapest import fragments as module

    for _ in range(2):
        assert read(client, PROFILE)[0].status_code == 200
        assert read(client, meeting[0].get_absolute_url())[0].status_code == 200
    now = module.fragment_generation()
    kept = [
        value for name, (kept_in, value) in module._values.items() if name.startswith("page-record:") and kept_in == now
    ]
    assert sorted(type(record).__name__ for record in kept) == ["Actor", "Meeting"]
    for record in kept:  # what a page's parts put on its copy (prefetches, the title shown) is not on it
        assert "_prefetched_objects_cache" not in vars(record) and "shown_title" not in vars(record)
    assert client.get(PROFILE.replace("/countries/", "/organisations/")).status_code == 404


def test_each_page_of_interventions_is_a_part_of_its_own(client, fragments, meeting, committed, monkeypatch):
    monkeypatch.setattr("meetings.views.INTERVENTIONS_PER_PAGE", 1)
    with committed():
        f.PassageFactory(
            paragraph=f.ParagraphFactory(meeting=meeting[0], number=2),
            text="**Atlantis** spoke of tides.",
            speakers=[meeting[1].speakers.get()],
        )
    pages = {}
    for query in ("", "?page=1", "?page=2"):
        read(client, PROFILE + query)
        response, served = read(client, PROFILE + query)
        assert (response.status_code, served) == (200, 0), query
        pages[query] = article(response)
    assert pages[""] == pages["?page=1"] != pages["?page=2"]
    said = [
        [words in pages[query] for words in ("spoke of lighthouses", "spoke of tides")] for query in ("", "?page=2")
    ]
    assert sorted(said) == [[False, True], [True, False]]  # one intervention on each page, not the same one
    # A page past the end stays a 404, and is stored for no one.
    assert [client.get(PROFILE + "?page=3").status_code for _ in range(2)] == [404, 404]
    # The pager's links carry every parameter of the address: a page with another is rendered afresh.
    other, rendered = read(client, PROFILE + "?page=2&utm_source=feed")
    assert rendered > 1 and "utm_source=feed" in body(other)
    assert "utm_source" not in body(read(client, PROFILE + "?page=2")[0])


# A goal's page (meetings.views.PriorityGoalDetailView): below its title, one stored part per address, page
# and `?named=1`; its counts, by country and by year, kept per change for every filter of its list.


@pytest.fixture
def goal(meeting, committed):
    with committed():
        goal = f.PriorityGoalFactory(number=4, title="Lighthouses and harbours")
        meeting[1].goals.add(goal)
    return goal


def goal_section(response) -> str:
    """The goal's counts and passages: what the stored part holds (the filter panel's form aside)."""
    found = re.search(r'<div class="profile-charts">.*id="passages-title".*?</section>', body(response), re.DOTALL)
    assert found is not None
    return found.group()


def test_a_goal_from_stored_parts_is_the_page_rendered_afresh_and_follows_a_change(
    client, fragments, meeting, goal, committed
):
    url = goal.get_absolute_url()
    for address in (url, url + "?named=1", url + "?page=1"):
        with override_settings(FRAGMENT_CACHE_ENABLED=False):
            afresh, full = read(client, address)
        first, rendered = read(client, address)
        second, served = read(client, address)
        assert (afresh.status_code, first.status_code, second.status_code) == (200, 200, 200), address
        assert body(first) == body(afresh) and body(second) == body(afresh), address
        assert min(rendered, full) > served, address
        assert "spoke of lighthouses" in body(second) and "Atlantis" in goal_section(second)
    # A tag added to another passage is on the page at once: its passages and its counts by country.
    with committed():
        lemuria = f.CountryFactory(name="Lemuria", slug="lemuria")
        f.ParticipationFactory(meeting=meeting[0], actor=lemuria)
        f.PassageFactory(
            paragraph=meeting[1].paragraph, text="**Lemuria** spoke of harbours.", speakers=[lemuria], goals=[goal]
        )
    section = goal_section(read(client, url)[0])
    assert "spoke of harbours" in section and "Lemuria" in section
    # Filtered, the list is rendered afresh (the counts above it are the goal's, kept per change).
    filtered, queries = read(client, f"{url}?country={lemuria.iso_code}")
    assert filtered.status_code == 200 and "spoke of harbours" in body(filtered) and queries > served


def test_a_value_kept_per_change_is_computed_once_per_generation_and_this_process_keeps_a_bounded_copy(
    fragments, monkeypatch
):
    from budapest import fragments as module
    from budapest.cache import clear_page_cache

    computed = []

    def compute(name):
        computed.append(name)
        return len(computed)

    assert [module.per_generation("one", lambda: compute("one")) for _ in range(3)] == [1, 1, 1]
    module._values.clear()  # another process: the shared cache has it
    assert module.per_generation("one", lambda: compute("one")) == 1 and computed == ["one"]
    clear_page_cache()  # a change
    assert module.per_generation("one", lambda: compute("one")) == 2

    # Nothing found is kept nowhere: an address that names nothing fills neither copy.
    assert module.per_generation("nothing", lambda: compute("nothing") and None) is None
    assert module.per_generation("nothing", lambda: compute("nothing") and None) is None
    assert computed.count("nothing") == 2 and "nothing" not in module._values
    assert not module.caches["default"].has_key(f"value:nothing:{module.release()}:{module.fragment_generation()}")

    monkeypatch.setattr(module, "VALUES_KEPT", 5)
    for number in range(20):
        module.per_generation(f"name-{number}", lambda number=number: number)
    assert len(module._values) == 5 and list(module._values)[-1] == "name-19"


# The chrome of every page (base.html's `{% chrome %}` parts: header, menu, footer, language switch).


def nav_current(response) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="(?:page|true)">', body(response).split("</header>")[0])


def switch(response) -> list[str]:
    return re.findall(r'<a href="([^"]+)" lang="[^"]+" hreflang', body(response).split('class="language-switcher"')[1])


def test_the_chrome_is_stored_once_per_address_and_language_and_is_each_pages_own(client, fragments):
    from budapest.fragments import fragment_generation, fragment_key, stored_part

    about = client.get("/about/")
    assert nav_current(about) == ["/about/"] and switch(about) == ["/about/", "/ru/about/"]
    assert stored_part(fragment_key("chrome-nav", fragment_generation(), "en", ["/about/"])) is not None
    assert body(client.get("/about/")) == body(about)
    # Another address: its own menu item marked, its own language switch; the first page's is untouched.
    countries = client.get("/countries/")
    assert nav_current(countries) == ["/countries/"] and switch(countries) == ["/countries/", "/ru/countries/"]
    assert nav_current(client.get("/about/")) == ["/about/"]
    russian = client.get("/ru/about/")
    assert 'lang="ru"' in body(russian) and "Budapest Process" not in body(russian).split("</header>")[0]


def test_the_language_switch_keeps_each_addresss_own_parameters(client, fragments, meeting):
    first = client.get("/meetings/?country=atlantis")
    second = client.get("/meetings/?year=2019")
    assert switch(first)[1] == "/ru/meetings/?country=atlantis"
    assert switch(second)[1] == "/ru/meetings/?year=2019"
    # Another parameter, another switch (the page cache, off here, would keep only those the view read).
    tagged = client.get("/meetings/?year=2019&utm_source=feed")
    assert switch(tagged)[1] == "/ru/meetings/?year=2019&amp;utm_source=feed"
    assert switch(client.get("/meetings/?year=2019"))[1] == "/ru/meetings/?year=2019"


def test_a_page_without_the_header_search_never_gets_anothers(client, fragments):
    assert 'id="site-search-q"' in body(client.get("/about/"))
    assert 'id="site-search-q"' not in body(client.get("/search/?q=lighthouse"))
    assert 'id="site-search-q"' not in body(client.get("/"))
    assert 'id="site-search-q"' in body(client.get("/countries/"))


def test_a_lists_filters_are_stored_for_the_public_never_from_a_staff_render_and_follow_changes(
    client, fragments, meeting, committed
):
    """Staff who preview are offered a country only a draft names; the public's stored filters never show it."""
    with committed():
        draft = f.MeetingFactory(title="Quiet Conference", slug="quiet", status=Meeting.Status.DRAFT, published_at=None)
        f.ParticipationFactory(meeting=draft, actor=f.CountryFactory(name="Ruritania", slug="ruritania"))
    staff = User.objects.create_superuser("publisher", "publisher@example.org", "a-long-password")
    for url in ("/meetings/", "/search/?q=lighthouses"):
        client.force_login(staff)
        assert "Ruritania" in body(client.get(url)), url
        client.logout()
        first, rendered = read(client, url)
        second, served = read(client, url)
        assert "Ruritania" not in body(first) and "Atlantis" in body(first), url
        assert body(second) == body(first) and served < rendered, url  # the filters' choices were not read again
    with committed():
        meeting_publish(meeting=draft)
    assert "Ruritania" in body(client.get("/meetings/"))
