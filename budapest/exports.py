"""Bulk exports built once per change of the published record, kept as files and served as bytes with an ETag.

An export of the whole record (the Popolo document: 5.8 MB and seconds of work at archive scale) is
built by the first request after a change, written to ``settings.EXPORT_ROOT``, and every later
request is answered from that file until the record changes again. While one request builds it,
the others for the same export wait a moment for it, then answer 503 with Retry-After; none builds it too.

"Changed" is what it is for the page cache (``budapest.cache``): the site's generation, renewed when
any transaction that wrote to a content table commits (a save, ``update()``, raw SQL, ``loaddata``),
at midnight and when a meeting published for later becomes public. It lives in the cache every app
server shares (Redis), so every server and worker agrees, and reading it asks nothing of the database.
A request on a connection with content writes of its own not committed yet (a test) sees what no one
else does: its export is built for it and not kept.
"""

import fcntl
import gzip
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

from .cache import current_generation, has_uncommitted_changes
from .compression import accepts_gzip
from .downloads import content_disposition
from .timeouts import statement_timeout

# How long a request waits for another one building the same export before it answers 503 (Retry-After).
# Short: a waiting request holds a worker thread, which a cached page could use (docs/reliability.md,
# run 4: with a 60 s wait, threads waiting behind a 34 s build held cached pages up to 36 s).
BUILD_WAIT_SECONDS = 2


class ExportBusy(Exception):
    """Another request is still building this export."""


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
            # Compressed once, beside it: gzip on the way out cost each download of an 18.9 MB export half a
            # second of a worker's processor (docs/reliability.md, run 4c). The compressed copy first, so
            # that a request finding the plain file finds both.
            for target, data in ((_compressed(path), gzip.compress(content, compresslevel=6)), (path, content)):
                with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
                    temporary.write(data)
                os.replace(temporary.name, target)
            for old in path.parent.glob(f"{name}-*"):
                if old != path and old.stat().st_mtime < time.time() - 3600:
                    old.unlink(missing_ok=True)  # files of earlier versions, kept an hour for requests under way
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _compressed(path: Path) -> Path:
    return path.with_name(f"{path.name}.gz")


def stored_export(
    request: HttpRequest, name: str, build: Callable[[], bytes], content_type: str, filename: str
) -> HttpResponse:
    """The export as of the current content: 304 if the client holds it, else the stored bytes (built if needed)."""
    if has_uncommitted_changes():
        content = build()
        etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    else:
        # Read before the build, as a page's: a change committed meanwhile makes the next request build anew.
        path = _export_path(name, request, current_generation(timezone.now().timestamp()).token)
        etag = quote_etag(path.name.rsplit("-", 1)[1])
        content = None
    response: HttpResponse
    # The compressed bytes are another representation of the same version: a weak ETag of the same value, as
    # Django's gzip makes of a strong one, and either form held (or "*") is answered 304, before any build:
    # Django's own conditional rule, which compares weakly.
    compressed = content is None and accepts_gzip(request)
    if (conditional := get_conditional_response(request, etag=etag)) is not None:
        response = conditional
    else:
        if content is None:
            if not path.exists():
                _build(name, path, build)
            # A file kept from before its compressed copy was made is sent as it is (and gzipped on the way).
            compressed = compressed and _compressed(path).exists()
            content = (_compressed(path) if compressed else path).read_bytes()
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition(filename, inline=True)
        if compressed:
            response["Content-Encoding"] = "gzip"  # budapest.compression leaves it as it is
    response["ETag"] = f"W/{etag}" if compressed else etag
    response["Vary"] = "Accept, Accept-Encoding, Authorization, Cookie"
    return response
