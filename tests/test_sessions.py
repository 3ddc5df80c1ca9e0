"""Staff sessions end: after an hour without a request, and 12 hours after signing in whatever happens.

Time is moved by rewriting the stamps in the stored session, as an old session would hold them; the
middleware, the session store and the admin are the real ones.
"""

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from budapest.security import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


@pytest.fixture
def officer(client):
    User.objects.create_superuser("officer", password="the-right-password-1")
    response = client.post("/admin/login/?next=/admin/", {"username": "officer", "password": "the-right-password-1"})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200  # the first request stamps the session
    return client


def age(client, *, signed_in: int, last_seen: int):
    """Make the session look as if it signed in `signed_in` seconds ago and was last used `last_seen` ago."""
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in
    session[LAST_SEEN_AT] = now - last_seen
    session.save()


def signed_in(client) -> bool:
    response = client.get(ADMIN)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]
        return False
    assert response.status_code == 200
    return True


def test_a_fresh_session_is_stamped_and_works(officer):
    assert officer.session[SIGNED_IN_AT] <= time.time()
    assert signed_in(officer)


def test_59_minutes_idle_is_still_signed_in_and_counts_as_activity(officer):
    age(officer, signed_in=3540, last_seen=3540)
    before = int(time.time())
    assert signed_in(officer)
    assert officer.session[LAST_SEEN_AT] >= before


def test_an_hour_idle_signs_out(officer):
    age(officer, signed_in=3700, last_seen=3601)
    assert not signed_in(officer)
    assert not signed_in(officer), "and it stays signed out"


def test_twelve_hours_after_signing_in_an_active_session_ends(officer):
    age(officer, signed_in=12 * 3600 + 1, last_seen=10)
    assert not signed_in(officer)


def test_11_hours_of_steady_work_keep_the_session(officer):
    age(officer, signed_in=11 * 3600, last_seen=600)
    assert signed_in(officer)


def test_the_cookie_lasts_no_longer_than_the_absolute_limit(officer):
    cookie = officer.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 12 * 3600


def test_readers_get_no_session(client, db):
    response = client.get("/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
