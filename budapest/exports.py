"""Bulk exports built once per change of the published record, kept as files and served as bytes with an ETag.

An export of the whole record (the Popolo document: 5.8 MB and seconds of work at archive scale) is
built by the first request after a change, written to ``settings.EXPORT_ROOT``, and every later
request is answered from that file until the record changes again. While one request builds it,
the others for the same export wait a moment for it, then answer 503 with Retry-After; none builds it too.

"Changed" is ``content_version()``, read from the database, so that every app server and worker
agrees without a shared cache: the newest row of each model and of its change history
(django-simple-history writes one for every save and delete, admin, API and services alike), and
the meetings public at this moment (a meeting published for later becomes public with no save).
"""

import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import quote_etag
from django.utils.http import parse_etags

from .timeouts import statement_timeout

# The apps whose records an export shows.
CONTENT_APPS = ("actors", "meetings")
# Tables of those apps that no export shows: a change to them must not cost a request a read of them.
NOT_EXPORTED = ("meetings.GoalSuggestion", "meetings.Document")
# How long a request waits for another one building the same export before it answers 503 (Retry-After).
# Short: a waiting request holds a worker thread, which a cached page could use (docs/reliability.md,
# run 4: with a 60 s wait, threads waiting behind a 34 s build held cached pages up to 36 s).
BUILD_WAIT_SECONDS = 2


class ExportBusy(Exception):
    """Another request is still building this export."""


def _content_models():
    """The tables of the content apps (not views such as actors.Voice, not proxies: their tables are others')."""
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.managed and not model._meta.proxy and model._meta.label not in NOT_EXPORTED:
                yield model


def _without_history(model) -> bool:
    return not model.__name__.startswith("Historical") and not hasattr(model, "history")


def content_version() -> str:
    """A value that changes whenever anything an export shows can have changed.

    One query for the newest row of every table (index lookups), one for the meetings public now, and
    one per small reference table that keeps no history (series, goals, regions: tens of rows), read whole.
    """
    from meetings.models import Meeting  # imported here: budapest's modules load before the apps

    models = list(_content_models())
    quote = connection.ops.quote_name
    newest = ", ".join(
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})" for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")  # noqa: S608 - table and column names from the models, quoted
        parts = [str(value) for value in cursor.fetchone()]
    public = Meeting.objects.published().aggregate(count=Count("pk"), last=Max("published_at"))
    parts += [str(public["count"]), str(public["last"])]
    for model in models:
        if _without_history(model):
            parts.append(repr(list(model._default_manager.order_by("pk").values_list())))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _export_path(name: str, request: HttpRequest, version: str) -> Path:
    # Addresses in an export are absolute: one file per site address (ALLOWED_HOSTS bounds them), and
    # per database, so that two sites on one machine, or two test databases, never share a file.
    site = f"{request.scheme}://{request.get_host()}|{connection.settings_dict['NAME']}"
    key = hashlib.sha256(f"{site}|{version}".encode()).hexdigest()[:32]
    return Path(settings.EXPORT_ROOT) / f"{name}-{key}"


def _build(name: str, path: Path, build: Callable[[], bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f"{name}.lock", "a") as lock:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ExportBusy() from None
                time.sleep(0.1)
        try:
            if path.exists():  # built by the request that held the lock
                return
            with statement_timeout(0):  # built once per change: not held to a reader's time limit
                content = build()
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
                temporary.write(content)
            os.replace(temporary.name, path)
            for old in path.parent.glob(f"{name}-*"):
                if old != path and old.stat().st_mtime < time.time() - 3600:
                    old.unlink(missing_ok=True)  # files of earlier versions, kept an hour for requests under way
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def stored_export(
    request: HttpRequest, name: str, build: Callable[[], bytes], content_type: str, filename: str
) -> HttpResponse:
    """The export as of the current content: 304 if the client holds it, else the stored bytes (built if needed)."""
    version = content_version()
    path = _export_path(name, request, version)
    etag = quote_etag(path.name.rsplit("-", 1)[1])
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        if not path.exists():
            _build(name, path, build)
        response = HttpResponse(path.read_bytes(), content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Vary"] = "Accept, Authorization, Cookie"
    return response
