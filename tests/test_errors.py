"""Error pages tell the reader what to do and nothing of the inside; logs are JSON lines in production."""

import json
import logging
import sys

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import get_resolver, path

from budapest import urls as site_urls
from budapest.errors import server_error
from budapest.logging import JsonFormatter

from .test_health import UNREACHABLE_REDIS, unreachable_database

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SECRET_DETAIL = "database password is hunter2 at db.internal"


def _fails(request):
    raise ValueError(SECRET_DETAIL)


def _forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


def _suspicious(request):
    raise SuspiciousOperation(SECRET_DETAIL)


def _outage(request):
    raise OperationalError(f"connection to server failed: {SECRET_DETAIL}")


# A test-only URLconf: the site's own addresses, and views that fail on purpose.
urlpatterns = [
    path("test-errors/500/", _fails),
    path("test-errors/403/", _forbidden),
    path("test-errors/400/", _suspicious),
    path("test-errors/outage/", _outage),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500


@pytest.fixture
def reader():
    """A browser's view: an error is an answer, not an exception raised into the test."""
    return Client(raise_request_exception=False)


def assert_tells_nothing(response):
    body = response.content.decode()
    for leak in (SECRET_DETAIL, "hunter2", "Traceback", "ValueError", "Exception", "SECRET_KEY", "settings.py"):
        assert leak not in body, leak
    assert "<html" in body  # a page, not Django's bare technical answer


def test_the_site_answers_failures_with_its_own_handler():
    assert get_resolver("budapest.urls").resolve_error_handler(500) is server_error


@pytest.mark.parametrize(
    ("status", "says"), [(500, "Something went wrong"), (403, "Access denied"), (400, "Bad request")]
)
@override_settings(DEBUG=False)
def test_failures_are_friendly_and_tell_nothing(reader, status, says):
    response = reader.get(f"/test-errors/{status}/")
    assert response.status_code == status
    assert says in response.content.decode()
    assert_tells_nothing(response)


@override_settings(DEBUG=False, ALLOWED_HOSTS=["records.example.org"])
def test_an_unknown_host_gets_the_400_page(reader):
    response = reader.get("/meetings/", headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert "attacker.example" not in response.content.decode()


@override_settings(DEBUG=False)
def test_404_keeps_its_text(reader):
    response = reader.get("/meetings/no-such-meeting/")
    assert response.status_code == 404
    assert "There is no public page at this address." in response.content.decode()
    assert_tells_nothing(response)


@override_settings(DEBUG=False)
def test_a_database_outage_is_503_with_retry_after(reader):
    response = reader.get("/test-errors/outage/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Temporarily unavailable" in response.content.decode()
    assert_tells_nothing(response)


@override_settings(DEBUG=False)
def test_public_pages_answer_503_while_the_database_is_down(reader):
    with unreachable_database():
        for url in ("/", "/meetings/", "/countries/", "/priority-goals/1/", "/search/?q=return"):
            response = reader.get(url)
            assert response.status_code == 503, url
            assert_tells_nothing(response)
    assert reader.get("/meetings/").status_code == 200  # and recover by themselves


@override_settings(DEBUG=False, CACHES=UNREACHABLE_REDIS)
def test_while_the_cache_is_down_pages_answer_and_the_api_says_503(reader):
    """The API's throttles count in the cache: no cache, no answer, but a 503 rather than a 500.
    Public pages do not need the cache and keep answering."""
    response = reader.get("/api/v1/meetings/")
    assert response.status_code == 503
    for url in ("/", "/meetings/", "/countries/", "/search/?q=return", "/meetings/feed.atom"):
        assert reader.get(url).status_code == 200, url


def test_json_log_lines():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/meetings/",),
            exc_info=sys.exc_info(),
            extra={"status_code": 500, "client_ip": "192.0.2.1"},
        )
    line = formatter.format(record)
    assert "\n" not in line  # one record, one line, even with a traceback
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "django.request"
    assert entry["message"] == "Internal Server Error: /meetings/"
    assert entry["status"] == 500 and entry["client_ip"] == "192.0.2.1"
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")
