"""The Popolo export is built once per change of the published record, then served as stored bytes.

What a partner sees: the same bytes and ETag until something public changes, a 304 for the ETag it
holds, the change (and nothing unpublished) right after it, and an export counted as ten requests
against its rate.
"""

import datetime
import fcntl
import gzip

import pytest
from django.core.cache import cache
from django.utils import timezone

from budapest import exports
from meetings.models import Meeting, Passage
from meetings.services.publishing import meeting_withdraw

from .factories import MeetingFactory, ParagraphFactory, PassageFactory

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/export/popolo.json"


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "partner": "1000/minute"},
    }
    cache.clear()


def event_ids(response) -> set[str]:
    return {event["id"] for event in response.json()["events"]}


def test_a_second_request_reads_the_stored_file_and_builds_nothing(client, som_2020, django_assert_num_queries):
    first = client.get(EXPORT)
    assert first.status_code == 200
    assert f"event/{som_2020.slug}" in event_ids(first)
    # Whether the content changed is the page cache's generation, kept in the cache: no query.
    with django_assert_num_queries(0):
        second = client.get(EXPORT)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"
    # One version kept (its bytes, and the same compressed beside them).
    assert len({path.name.removesuffix(".gz") for path in exports.settings.EXPORT_ROOT.glob("popolo-*")}) == 1


def test_a_client_taking_gzip_gets_the_bytes_compressed_once_when_it_was_built(client, som_2020):
    """Compressing 18.9 MB at each download held a worker half a second (docs/reliability.md, run 4c)."""
    plain = client.get(EXPORT)
    gzipped = [client.get(EXPORT, headers={"Accept-Encoding": "gzip, deflate, br"}) for _ in range(2)]
    assert [r["Content-Encoding"] for r in gzipped] == ["gzip", "gzip"]
    # The same bytes each time: stored, not compressed on the way (Django's gzip pads each response at random).
    assert gzipped[0].content == gzipped[1].content and gzip.decompress(gzipped[0].content) == plain.content
    assert gzipped[0]["ETag"] == f"W/{plain['ETag']}" and "Accept-Encoding" in gzipped[0]["Vary"]
    for held in (plain["ETag"], gzipped[0]["ETag"]):
        again = client.get(EXPORT, headers={"Accept-Encoding": "gzip", "If-None-Match": held})
        assert again.status_code == 304, held


def test_the_etag_held_is_answered_304(client, som_2020, django_assert_num_queries):
    etag = client.get(EXPORT)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(EXPORT, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_any_version_held_is_answered_304_before_anything_is_built(client, som_2020, monkeypatch):
    def no_build(*args, **kwargs):
        raise AssertionError("built for a client that holds a version")

    monkeypatch.setattr(exports, "_build", no_build)
    response = client.get(EXPORT, headers={"If-None-Match": "*"})
    assert response.status_code == 304


def test_a_published_change_is_in_the_next_export(client, som_2020, committed):
    before = client.get(EXPORT)
    with committed():
        passage = som_2020.paragraphs.get(number=1).passages.first()
        passage.text = "A sentence added after the first export."
        passage.save()
    after = client.get(EXPORT)
    assert after["ETag"] != before["ETag"]
    assert "A sentence added after the first export." in after.content.decode()


def test_a_change_behind_the_models_is_in_the_next_export(client, som_2020, committed):
    before = client.get(EXPORT)
    with committed():  # no save, no signal, no row of history: seen on the database connection
        passage = som_2020.paragraphs.get(number=1).passages.first()
        Passage.objects.filter(pk=passage.pk).update(text="Rewritten in bulk after the first export.")
    after = client.get(EXPORT)
    assert after["ETag"] != before["ETag"]
    assert "Rewritten in bulk after the first export." in after.content.decode()


def test_a_withdrawn_meeting_leaves_the_export_at_once(client, som_2020, committed):
    assert f"event/{som_2020.slug}" in event_ids(client.get(EXPORT))
    with committed():
        meeting_withdraw(meeting=som_2020)
    assert f"event/{som_2020.slug}" not in event_ids(client.get(EXPORT))


def test_a_meeting_scheduled_for_later_appears_when_its_time_comes_without_a_save(
    client, som_2020, committed, monkeypatch
):
    due = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        later = MeetingFactory(published_at=due)
        PassageFactory(paragraph=ParagraphFactory(meeting=later), text="Said at the later meeting.")
    assert f"event/{later.slug}" not in event_ids(client.get(EXPORT))
    monkeypatch.setattr(timezone, "now", lambda: due + datetime.timedelta(minutes=1))  # no write, only the clock
    assert f"event/{later.slug}" in event_ids(client.get(EXPORT))


def test_renaming_a_series_which_keeps_no_history_makes_a_new_export(client, som_2020, committed):
    before = client.get(EXPORT)
    with committed():
        som_2020.series.name = "Senior Officials Meetings, renamed"
        som_2020.series.save()
    after = client.get(EXPORT)
    assert after["ETag"] != before["ETag"]
    assert "Senior Officials Meetings, renamed" in after.content.decode()


def test_a_draft_never_reaches_the_export(client, som_2020, committed):
    with committed():
        draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
        PassageFactory(paragraph=ParagraphFactory(meeting=draft), text="Draft words, not public.")
    assert "Draft words" not in client.get(EXPORT).content.decode()


def test_writes_not_committed_yet_are_in_an_export_of_their_own_that_is_not_kept(client, som_2020):
    stored = client.get(EXPORT)
    passage = som_2020.paragraphs.get(number=1).passages.first()
    passage.text = "Written on this connection, not committed."
    passage.save()
    own = client.get(EXPORT)
    assert "Written on this connection, not committed." in own.content.decode()
    assert own["ETag"] != stored["ETag"]
    # One version kept (its bytes, and the same compressed beside them).
    assert len({path.name.removesuffix(".gz") for path in exports.settings.EXPORT_ROOT.glob("popolo-*")}) == 1


def test_each_site_address_has_its_own_file(client, som_2020, settings):
    settings.ALLOWED_HOSTS = ["testserver", "records.example.org"]
    here = client.get(EXPORT)
    there = client.get(EXPORT, headers={"Host": "records.example.org"})
    assert "http://records.example.org/meetings/" in there.content.decode()
    assert "http://testserver/meetings/" in here.content.decode()


def test_while_another_request_builds_it_a_client_waits_then_gets_503_with_retry_after(client, som_2020, monkeypatch):
    monkeypatch.setattr(exports, "BUILD_WAIT_SECONDS", 0.3)
    exports.settings.EXPORT_ROOT.mkdir(parents=True, exist_ok=True)
    with open(exports.settings.EXPORT_ROOT / "popolo.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker is building
        response = client.get(EXPORT)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "being rebuilt" in response.json()["detail"]
    assert client.get(EXPORT).status_code == 200  # the lock released, the export is built


def test_an_export_costs_ten_requests_of_the_rate(client, som_2020, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "partner": "600/minute"},
    }
    statuses = [client.get(EXPORT).status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    cache.clear()
    pages = [client.get("/api/v1/priority-goals/").status_code for _ in range(55)]
    assert pages == [200] * 55
    assert client.get(EXPORT).status_code == 429, "five requests left: not enough for an export"
    assert client.get("/api/v1/priority-goals/").status_code == 200
