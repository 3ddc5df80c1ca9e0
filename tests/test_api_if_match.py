"""If-Match is checked and the write made in one step: of several writes sent with one ETag, exactly one wins."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from meetings.models import Meeting

from . import factories as f
from .test_api_access import staff

WRITERS = 5


def _setup():
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, participant_count=10)
    headers = staff("change_meeting")
    url = f"/api/v1/meetings/{meeting.slug}/"
    etag = Client().get(url, headers=headers)["ETag"]
    return meeting, headers, url, etag


def _patch(url, headers, etag, count):
    return Client().patch(
        url, {"participant_count": count}, content_type="application/json", headers={**headers, "If-Match": etag}
    )


@pytest.mark.django_db
def test_writes_with_one_etag_one_after_another(client):
    meeting, headers, url, etag = _setup()
    statuses = [_patch(url, headers, etag, 11 + n).status_code for n in range(WRITERS)]
    assert statuses == [200, 412, 412, 412, 412]
    meeting.refresh_from_db()
    assert meeting.participant_count == 11


@pytest.mark.django_db
def test_a_read_asked_for_with_media_type_parameters_gives_the_etag_a_write_matches():
    meeting, headers, url, _ = _setup()
    read = Client().get(url, headers={**headers, "Accept": "application/json; indent=4"})
    assert read["Content-Type"] == "application/json"
    assert _patch(url, headers, read["ETag"], 12).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test database serves one thread at a time")
def test_five_simultaneous_writes_with_one_etag_give_one_200_and_four_412():
    meeting, headers, url, etag = _setup()
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []
    counts: dict[int, int] = {}

    def write(number):
        try:
            start.wait()
            response = _patch(url, headers, etag, 100 + number)
            statuses.append(response.status_code)
            counts[response.status_code] = counts.get(response.status_code, 0) + 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412, 412, 412, 412], statuses
    meeting.refresh_from_db()
    assert 100 <= meeting.participant_count < 100 + WRITERS
    assert meeting.version == 2
