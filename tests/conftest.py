"""Shared test fixtures.

The 2020 meeting (fixtures/som-2020.json) is loaded once into each test database, and only the tests
that ask for it (``som_2020``) see it: every other test starts by deleting its rows inside its own
transaction, which is rolled back at its end like everything the test did. So a test that needs an
empty database still gets one, and a test of the 2020 meeting no longer pays for loading it (1.4 s
each). A transactional test (the browser's) ends with Django emptying the database: the fixture's rows
go back before the next test, as the first load left them (tests/snapshot.py: a statement a table, not
loaddata's 1.9 s again).
"""

import functools
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, override_settings

from .snapshot import Rows

SOM_2020_SLUG = "2020-12-02-annual-senior-officials-meeting"
FIXTURE = "som-2020"

_state: dict = {"ready": False, "loaded": False, "rows": None}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the 2020 meeting in it."""
    with django_db_blocker.unblock():
        _load_2020()
        # Django asks SQLite whether it has JSON functions the first time a query of the connection uses them
        # (three statements: the lists read an official as a JSON object): asked here, not in whichever test
        # happens to run first with its queries counted.
        assert connection.features.supports_json_field
    _state["ready"] = True
    yield
    from budapest.health import close_check_connections

    close_check_connections()  # /readyz keeps its check's connection open: the test database is dropped next


def _load_2020() -> None:
    """The fixture, loaded the first time; its rows written back after that (the same rows, history included)."""
    if _state["rows"] is None:
        _state["rows"] = Rows.taken(lambda: call_command("loaddata", FIXTURE, verbosity=0))
    else:
        _state["rows"].restore()
    _state["loaded"] = True


@functools.cache
def _rows_of_2020() -> tuple[tuple[str, str, tuple], ...]:
    """(table, column, values) of every row the fixture writes: its records, their parents' and m2m rows."""
    [path] = [found for folder in settings.FIXTURE_DIRS if (found := Path(folder) / f"{FIXTURE}.json").is_file()]
    with open(path, encoding="utf-8") as fixture:
        objects = [deserialized.object for deserialized in serializers.deserialize("json", fixture)]
    pks: dict = {}
    for obj in objects:
        pks.setdefault(type(obj), []).append(obj.pk)
    rows = []
    for model, keys in pks.items():
        for field in model._meta.many_to_many:
            through = field.remote_field.through._meta
            source = next(f for f in through.fields if f.is_relation and f.related_model is model)
            rows.append((through.db_table, source.column, tuple(keys)))
        for table_of in (model, *model._meta.get_parent_list()):
            rows.append((table_of._meta.db_table, table_of._meta.pk.column, tuple(keys)))
    return tuple(rows)


def delete_2020() -> None:
    """Delete the fixture's rows; for the page cache, the database a test starts with counts as committed.

    On PostgreSQL in one round trip, with the foreign keys' triggers off while they go
    (`session_replication_role`, for the test's superuser): no row outside the fixture refers to one of its
    rows, and each deleted row would otherwise leave a deferred check that runs when the test ends. Every
    test that does not ask for the 2020 meeting paid 22 ms for it, a statement a table and the checks; now 3.
    """
    quote = connection.ops.quote_name
    statements = [
        f"DELETE FROM {quote(table)} WHERE {quote(column)} IN ({', '.join(str(int(value)) for value in values)})"
        for table, column, values in _rows_of_2020()  # the fixture's own primary keys: whole numbers
    ]
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "; ".join(
                    [
                        "SET LOCAL session_replication_role = replica",
                        *statements,
                        "SET LOCAL session_replication_role = DEFAULT",
                    ]
                )
            )
        else:
            for statement in statements:
                cursor.execute(statement)


def _uses_database(request) -> bool:
    names = request.fixturenames
    return bool(request.node.get_closest_marker("django_db")) or any(
        name in names for name in ("db", "transactional_db", "live_server", "django_db_reset_sequences")
    )


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrations' rows (``serialized_rollback=True``), or none may.

    The flush that ends a transactional test without it runs post_migrate: content types and permissions
    come back under new ids, and the migrations' Editors and Publishers groups do not come back at all.
    The next test that restores the migrations' rows then clashes with those ids (IntegrityError), and
    an officer of the editorial browser tests is refused the admin.
    """
    plain = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db")) is not None
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if plain:
        raise pytest.UsageError(
            "Transactional tests without serialized_rollback=True (see tests/conftest.py): " + ", ".join(plain)
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """After a transactional test emptied the database, the 2020 meeting goes back in before the next test."""
    if _state["ready"] and not _state["loaded"]:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _load_2020()
    yield


@pytest.fixture(autouse=True)
def _the_2020_meeting_only_where_asked_for(request):
    """In its own transaction, a test that does not ask for the 2020 meeting starts without it."""
    if not _uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")  # the test's transaction (or, for a transactional test, none)
    if not connection.in_atomic_block:
        _state["loaded"] = False  # Django empties the database after a transactional test
    if "som_2020" not in request.fixturenames:
        delete_2020()


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """Passwords hashed with MD5, not the production hasher (PBKDF2, 1.5 million rounds: 0.7 s of CPU a hash,
    paid by every user a test makes with a password and by every sign-in). No test is about the hasher."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _page_cache_off():
    """The page cache is tested in test_cache.py (its `page_cache` fixture turns it on); elsewhere a test reads
    what its view renders, as it did when every test wrote its data inside its own transaction. Stored page
    parts (budapest.fragments) are on, as in production: every test of a page also tests that they are fresh."""
    # WhiteNoise looks static files up when asked (as in development) rather than listing STATIC_ROOT each
    # time a test client is made: with files collected there (`make serve`, `make bench`: 1,735 of them),
    # the listing cost every test with a client 0.2-0.5 s.
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=True, WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture
def rendered_afresh(settings):
    """No stored page parts (budapest.fragments): a query budget counts what a page costs when it is rendered."""
    settings.FRAGMENT_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def _no_page_from_an_earlier_test():
    """Pages stored by the page cache (budapest.cache) in an earlier test show that test's data: forget them."""
    from budapest.cache import clear_page_cache

    clear_page_cache()


@pytest.fixture(autouse=True)
def _in_english_until_asked():
    """LocaleMiddleware leaves the language of a test's last request active: /ru/… would make the next
    test's reverse() give Russian addresses. Each test starts in English, as a request without a prefix does."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _every_service_taken_for_up():
    """A test that made the database or Redis fail (test_health.py, test_outages.py) left its circuit breaker
    open for a few seconds: a new connection of the next test would be refused at once (a 503). The one place
    the breakers are closed between tests."""
    from budapest import redis_cache
    from budapest.postgresql.base import breaker as database_breaker

    database_breaker.reset()
    redis_cache.breaker.reset()


@pytest.fixture(autouse=True)
def _no_counts_from_an_earlier_test():
    """The API throttle and the sign-in lockout count in the default cache: each test starts from none."""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture(scope="session", autouse=True)
def _exports_of_this_worker(tmp_path_factory):
    """Exports stored outside a test (a module's archive, built before any test's own folder) stay this worker's."""
    from django.conf import settings as django_settings

    django_settings.EXPORT_ROOT = tmp_path_factory.mktemp("exports")


@pytest.fixture(autouse=True)
def _exports_of_this_test_only(settings, tmp_path):
    """Stored exports (budapest.exports) are keyed by the database's content; a rolled-back test's could match."""
    settings.EXPORT_ROOT = tmp_path / "exports"
    # Documents (an import keeps its summary file) go to the test's own folder, never the worktree's media/.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run writes as if their transaction committed: the site's generation (budapest.cache) is renewed then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def som_2020(db):
    """The Annual Senior Officials Meeting of 2 December 2020, loaded from fixtures/."""
    from meetings.models import Meeting

    return Meeting.objects.get(slug=SOM_2020_SLUG)
