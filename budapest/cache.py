"""The page cache: anonymous readers get a stored page; any change to the content makes every stored page stale.

One rule, with nothing for a page to declare (docs/performance.md tells why this design):

- **One generation for the whole site.** Every stored page carries the generation it was rendered
  in, read before the view ran. A transaction that writes to a content table (any table of this
  project's own apps: meetings, actors, their through tables, whatever is added later) gives the site
  a new generation when it commits, whatever wrote it: a save, ``QuerySet.update()``,
  ``bulk_create``, ``loaddata``, raw SQL. The writes are seen on the database connection itself
  (``connection.execute_wrapper``), not by signals. Every stored page is then stale on every server
  sharing the cache; each is rendered again the first time it is asked for.
- **Time.** A generation also ends at the next local midnight (what is "upcoming" changes) and at
  the next scheduled publication (``schedule()``: a meeting published for 9:00 appears at 9:00).
- **Query parameters.** A page is stored under the parameters its view read by name
  (``request.GET.get("page")``, a FilterSet's fields); it sees only those when it lists them
  (``{% querystring %}``, ``request.GET.urlencode``). ``?utm_source=…`` reaches no view, so it makes
  no entry of its own. Entries expire after ``PAGE_CACHE_TIMEOUT``.
- **Anonymous only.** No request with a session or message cookie (staff, their draft previews)
  or an ``Authorization`` header reads or writes it, nor one made on a connection with uncommitted
  content writes. Only 200 answers of a page's types are stored, without a cookie, a CSRF token
  (``get_token`` was not called), ``Cache-Control: private/no-cache/no-store`` (``@never_cache``
  opts a page out), or a ``Vary`` on anything but the language. The API is never stored.
- **Per reader.** The CSP nonce is stored as a placeholder and each reader gets their own.
- **Compressed once.** A page is stored gzipped; a reader whose browser accepts gzip gets those bytes,
  not a compression of their own (budapest.compression), and a client that asks for none the page.
- **No round trip for a fresh page.** With Redis, a new generation is published on a channel that
  every process listens to; a process that knows the current generation serves the copy it keeps
  of a page without asking Redis.
"""

import functools
import gzip
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import SuspiciousOperation
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.csp import generate_nonce
from django.utils.datastructures import MultiValueDict

from .compression import accepts_gzip
from .languages import request_language

log = logging.getLogger(__name__)

# Content types worth storing: pages, feeds, the sitemap, calendars and spreadsheets.
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/rss+xml", "application/xml", "text/xml",
                   "text/calendar", "text/csv", "text/plain")  # fmt: skip
# Cookies that make a request someone's own: a signed-in session, or a message waiting to be shown.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Placeholders for the values each reader gets their own of. "<" cannot come from text typed by staff
# (it is escaped), so a placeholder is never mistaken for content.
NONCE_PLACEHOLDER = b"<pc-csp-nonce>"
# What a stored page may vary on: the language is part of its key, a cookie that is not private carries none.
_VARY_ALLOWED = {"accept-language", "cookie"}
# Headers a stored page does not keep: its own validators replace the render's, and it sets no cookie.
_NOT_STORED_HEADERS = {"content-length", "set-cookie", "etag", "last-modified", "x-page-cache"}
_COMPRESS_FROM = 2048  # smaller pages are stored as they are: compressing them saves little
_GZIP_LEVEL = 6  # as Django's GZipMiddleware compresses
_GENERATION = "pc:generation"
_CHANNEL = "pc:generations"
_PAGE = "pc:page:"
_BOOL = "\x00"  # the name under which "were there any parameters at all?" is recorded


def _cache() -> BaseCache:
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


# --- What counts as a change: a committed write to a content table ------------------------------------


def _project_apps() -> list:
    """This project's own apps (meetings, actors, any added later): those whose folder is in BASE_DIR."""
    base = Path(settings.BASE_DIR).resolve()
    return [config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base]


@functools.cache
def content_tables() -> frozenset[str]:
    """The tables of every model of this project's own apps, through tables too."""
    models = (model for app in _project_apps() for model in app.get_models(include_auto_created=True))
    return frozenset(model._meta.db_table.lower() for model in models)


# The table a statement writes to: INSERT INTO "t", UPDATE "t", DELETE FROM "t", as Django writes them.
_WRITE = re.compile(r'\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|replace\s+into|truncate(?:\s+table)?)'
                    r'\s+[`"]?(\w+)', re.IGNORECASE)  # fmt: skip


def _watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to a content table schedules a new generation for its commit."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql[:1] in "IiUuDdRrTt " and (match := _WRITE.match(sql)):
        if match[1].lower() in content_tables():
            _changed(context["connection"])
    return result


class _Pending:
    """The content writes of a transaction, until it commits; one new generation for all of them."""

    done = False

    def commit(self) -> None:
        if not self.done:
            self.done = True
            try:
                new_generation()
            except Exception:
                # The cache is unreachable: this process starts one at its next request that reaches it.
                global _owed
                _owed = True
                log.exception("page cache: could not start a new generation; retrying at the next request")


_owed = False


def _changed(connection) -> None:
    pending = connection.__dict__.get("_page_cache_pending")
    if pending is None or pending.done:
        pending = connection.__dict__["_page_cache_pending"] = _Pending()
    # Once per write, not once per transaction: a savepoint rolled back takes its callbacks with it.
    transaction.on_commit(pending.commit, using=connection.alias, robust=True)


def has_uncommitted_changes(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this connection holds content writes not committed yet (its view of the data is its own)."""
    connection = connections[using]
    return connection.in_atomic_block and any(
        isinstance(pending := getattr(entry[1], "__self__", None), _Pending) and not pending.done
        for entry in connection.run_on_commit  # (savepoints, callback, robust)
    )


def _install(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        # First, not last: `with connection.execute_wrapper(…)` pops the last one when it ends.
        connection.execute_wrappers.insert(0, _watch_writes)


def watch_writes() -> None:
    """Watch every database connection for content writes (MeetingsConfig.ready, at start)."""
    connection_created.connect(_install, dispatch_uid="page_cache_watch_writes")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# --- The generation -------------------------------------------------------------------------------------

_next_change: list[Callable[[], datetime | None]] = []


def schedule(next_change: Callable[[], datetime | None]) -> None:
    """Register how to find the next time content changes by itself (a meeting published for later)."""
    if next_change not in _next_change:
        _next_change.append(next_change)


def _ends(now: datetime) -> float:
    """When a generation started now ends: the next local midnight, or a scheduled change before it."""
    today = timezone.localtime(now)
    ends = (today + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    for next_change in _next_change:
        due = next_change()
        if due is not None and due < ends:
            ends = due
    return ends.timestamp()


@dataclass(frozen=True)
class Generation:
    token: str
    ends: float  # a timestamp


def new_generation(cache: BaseCache | None = None) -> Generation:
    """Start a new generation: every stored page is stale, on every server sharing the cache."""
    cache = cache or _cache()
    now = timezone.now()
    generation = Generation(secrets.token_hex(8), _ends(now))
    cache.set(_GENERATION, generation, timeout=max(1, int(generation.ends - now.timestamp()) + 60))
    _announce(cache, generation)
    return generation


def clear_page_cache(cache: BaseCache | None = None) -> None:
    """Make every stored page stale without touching the database: the next request starts a generation."""
    cache = cache or _cache()
    cache.delete(_GENERATION)
    _announce(cache, None)


def _announce(cache: BaseCache, generation: Generation | None) -> None:
    listener = _listener(cache)
    if listener is not None:
        listener.heard(generation)
        listener.client.publish(listener.channel, b"new")


def current_generation(now: float, cache: BaseCache | None = None) -> Generation:
    """The generation pages are stored in now; one is started when there is none or it has ended."""
    global _owed
    cache = cache or _cache()
    if _owed:
        owed = new_generation(cache)
        _owed = False
        return owed
    listener = _listener(cache)
    generation: Generation | None = listener.known(now) if listener is not None else None
    if generation is not None:
        return generation
    generation = cache.get(_GENERATION)
    if generation is None or generation.ends <= now:
        started = Generation(secrets.token_hex(8), _ends(timezone.now()))
        timeout = max(1, int(started.ends - now) + 60)
        # Another process may start one first (or a change commit one): then theirs is the generation.
        if generation is None and not cache.add(_GENERATION, started, timeout=timeout):
            return current_generation(now, cache)
        if generation is not None:
            cache.set(_GENERATION, started, timeout=timeout)
        generation = started
    if listener is not None:
        listener.heard(generation)
    return generation


class _Listener:
    """This process's knowledge of the current generation, trusted while Redis tells it of every new one.

    ``new_generation()`` publishes on a channel every process subscribes to. Before it trusts what it
    knows, a process takes what has arrived on that connection (a poll of the socket, no round trip):
    a message, the subscription being (re)made, a broken connection, or knowledge older than
    ``PAGE_CACHE_PUSH_MAX_AGE`` seconds (a bound should a connection die silently) make it read the
    generation from Redis again.
    """

    def __init__(self, client, channel: str):
        self.client = client
        self.channel = channel
        self.pubsub: Any = None
        self.subscribed = False
        self.generation: Generation | None = None
        self.since = 0.0
        self.retry_at = 0.0

    def known(self, now: float) -> Generation | None:
        monotonic = time.monotonic()
        if not self._take_messages(monotonic):
            return None
        generation = self.generation
        if generation is None or generation.ends <= now:
            return None
        if monotonic - self.since > getattr(settings, "PAGE_CACHE_PUSH_MAX_AGE", 1.0):
            return None
        return generation

    def _connected(self, connection) -> None:
        self.subscribed, self.generation = False, None  # until Redis confirms the subscription again

    def heard(self, generation: Generation | None) -> None:
        self.generation, self.since = generation, time.monotonic()

    def _take_messages(self, monotonic: float) -> bool:
        if self.pubsub is None:
            if monotonic < self.retry_at:
                return False
            self.pubsub = self.client.pubsub()
        try:
            if not self.pubsub.subscribed:
                self.subscribed = False
                self.pubsub.subscribe(self.channel)
                # redis-py connects again by itself, and subscribes again: messages may have been missed.
                self.pubsub.connection.register_connect_callback(self._connected)
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                # A new generation, or the subscription (re)made, when messages may have been missed.
                self.subscribed = self.subscribed or message["type"] == "subscribe"
                self.generation = None
        except Exception:
            log.warning("page cache: no news from Redis; reading the generation on every request", exc_info=True)
            try:
                if self.pubsub.connection is not None:
                    # The connection goes back to the pool to serve other commands: none of ours now.
                    self.pubsub.connection.deregister_connect_callback(self._connected)
                self.pubsub.close()
            except Exception:  # noqa: S110 - already broken
                pass
            self.pubsub, self.subscribed, self.retry_at, self.generation = None, False, monotonic + 5, None
            return False
        return self.subscribed


def _listener(cache: BaseCache | None = None) -> _Listener | None:
    """This process's listener, with Redis; None otherwise (a local cache is read in-process anyway)."""
    cache = cache or _cache()
    listener = cache.__dict__.get("_page_cache_listener")
    if listener is None and isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        listener = cache.__dict__["_page_cache_listener"] = _Listener(client, cache.make_key(_CHANNEL))
    return listener


# --- The parameters a view reads ------------------------------------------------------------------------


class ReadParameters(QueryDict):
    """``request.GET`` that shows a parameter once it has been read by name, and records which were.

    Read by name (``[name]``, ``get``, ``getlist``, ``in``), a parameter comes from the address; listed
    (iteration, ``items``, ``urlencode``, ``copy``, ``{% querystring %}``), only those read so far are
    there. So a page depends on the parameters its view read and on no other.
    """

    def __init__(self, query: QueryDict):
        super().__init__(mutable=True, encoding=query.encoding)
        self._mutable = False
        self.address = query
        self.read: set[str] = set()

    def _show(self, key: str) -> None:
        if key not in self.read:
            self.read.add(key)
            if dict.__contains__(self.address, key):
                MultiValueDict.setlist(self, key, self.address.getlist(key))  # not QueryDict's: immutable

    def __getitem__(self, key):
        self._show(key)
        return super().__getitem__(key)

    def _getlist(self, key, default=None, force_list=False):
        self._show(key)
        return super()._getlist(key, default, force_list)

    def __contains__(self, key):
        self._show(key)
        return dict.__contains__(self, key)

    def __bool__(self):
        self.read.add(_BOOL)  # "were there any?": a FilterSet asks (`data or QueryDict()`)
        return bool(self.address)

    def __copy__(self):
        return QueryDict(self.urlencode(), mutable=True, encoding=self.encoding)

    def __deepcopy__(self, memo):
        return self.__copy__()


def _key_values(query: QueryDict, names: frozenset[str]) -> list:
    """The values of the parameters read, those absent from the address left out.

    A parameter the view reads but the address lacks reads the same whether or not this process has
    learnt its name yet, so the key of an address does not change as the process learns the names.
    """
    values = [(name, bool(query) if name == _BOOL else query.getlist(name)) for name in sorted(names)]
    return [(name, value) for name, value in values if value]


# --- Entries and their copies in this process --------------------------------------------------------


@dataclass
class _Entry:
    generation: str
    expires: float
    etag: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # gzipped when `compressed`: what a reader who accepts gzip is sent
    compressed: bool
    nonce: bool

    def __getstate__(self):  # this process's copy of what is sent (`wire`) is not stored with the page
        return {name: value for name, value in self.__dict__.items() if name != "sent"}

    def wire(self, body: bytes, *, gzipped: bool) -> tuple[str, list[tuple[str, str]], bytes]:
        """The status line, headers and body a reader is sent, made once per process and way of sending
        (gzipped or not; never for a page with a nonce, which differs for each reader)."""
        sent = self.__dict__.setdefault("sent", {})
        if gzipped not in sent:
            sent[gzipped] = as_sent(PageCacheMiddleware._from_entry(self, body, gzipped=gzipped))
        return sent[gzipped]


def as_sent(response: HttpResponse) -> tuple[str, list[tuple[str, str]], bytes]:
    """A response as a WSGI server sends it: its status line, its headers, its body."""
    return f"{response.status_code} {response.reason_phrase}", list(response.items()), response.content


class LocalCopies:
    """What this process served lately (stored pages, stored parts of pages), the latest used last, bounded
    in bytes (`PAGE_CACHE_LOCAL_BYTES`, 16 MiB, for all of them): a copy is found without a round trip to
    the shared cache. Its keys hold what makes it current (a part's holds the generation) or the caller
    checks it (a page's entry carries its generation)."""

    def __init__(self):
        self.copies: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            copy = self.copies.get(key)
            if copy is None:
                return None
            self.copies.move_to_end(key)
            return copy[0]

    def put(self, key: str, value: Any, size: int) -> None:
        limit = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)
        if size > limit // 4:
            return
        with self.lock:
            old = self.copies.pop(key, None)
            self.size += size - (old[1] if old else 0)
            self.copies[key] = (value, size)
            while self.size > limit:
                self.size -= self.copies.popitem(last=False)[1][1]


def _size(entry: _Entry, body: bytes) -> int:
    return len(body) + (len(entry.body) if entry.compressed else 0)


local_copies = LocalCopies()


def _local_page(key: str, generation: str, now: float) -> tuple[_Entry, bytes] | None:
    page = local_copies.get(key)
    if page is None or page[0].generation != generation or page[0].expires <= now:
        return None
    return page


def _keep_page(key: str, entry: _Entry, body: bytes) -> tuple[_Entry, bytes]:
    local_copies.put(key, (entry, body), _size(entry, body))
    return entry, body


# --- What renders pages: a page rendered by other templates or code is never served -------------------


@functools.cache
def release() -> str:
    """A fingerprint of what renders pages: templates, translations, static file names, project code."""
    if configured := getattr(settings, "PAGE_CACHE_RELEASE", ""):
        return configured
    import django

    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "locale", base / "budapest", *(Path(app.path) for app in _project_apps())]
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    files = {manifest} if manifest.is_file() else set()
    for root in roots:
        files |= {p for p in root.rglob("*") if p.suffix in {".html", ".txt", ".xml", ".mo", ".py"} and p.is_file()}
    for path in sorted(files):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _forget_release(sender, file_path, **kwargs):
    # The development server reloads templates without restarting: pages they rendered are not served.
    release.cache_clear()


file_changed.connect(_forget_release, dispatch_uid="page_cache_forget_release")


# --- The middleware -----------------------------------------------------------------------------------


class _Route:
    """What this process has learnt of one address pattern: the parameters its view reads."""

    def __init__(self):
        self.names: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=4096)
def _route(language: str, path: str, urlconf) -> _Route | None:
    """The route of a path, if its answers may be stored (resolving costs as much as the rest of a hit).

    Resolved in the address's language: "/ru/…" is a page only while Russian is active (i18n_patterns).
    """
    try:
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return None
    from rest_framework.views import APIView

    view_class = getattr(match.func, "cls", None)
    if isinstance(view_class, type) and issubclass(view_class, APIView):
        return None  # the API: its throttles count every request, and it answers with ETags of its own
    return _routes.setdefault((match.route, match.url_name, match.func), _Route())


_routes: dict[tuple, _Route] = {}


@dataclass
class Lookup:
    """What the page cache found for a request it may serve: a stored page (`stored`, and whether the reader
    takes it gzipped), or what storing the page it renders needs (`generation` None: the cache is unreachable)."""

    language: str
    route: "_Route"
    now: float
    generation: Generation | None = None
    stored: tuple[_Entry, bytes] | None = None
    gzipped: bool = False

    def response(self, request: HttpRequest) -> HttpResponse:
        """The stored page as the reader's response (304 for a reader who has it)."""
        assert self.stored is not None
        entry, body = self.stored
        response = PageCacheMiddleware._from_entry(entry, body, gzipped=self.gzipped)
        if "HTTP_IF_NONE_MATCH" in request.META:
            return get_conditional_response(request, etag=entry.etag, response=response) or response
        return response


def lookup(request: HttpRequest) -> Lookup | None:
    """The stored page for this request, if any; None where the page cache takes no part (staff, the API,
    a POST, uncommitted writes). One lookup for the middleware and for the front door (budapest.wsgi)."""
    # The language LocaleMiddleware (further in) will choose: the same rule, from the same request.
    language = request_language(request)
    route = PageCacheMiddleware._route(request, language)
    if route is None:
        return None
    now = timezone.now().timestamp()
    found = Lookup(language, route, now)
    key = PageCacheMiddleware._key(request, language, route.names)
    try:
        generation = current_generation(now)
        found.stored = _local_page(key, generation.token, now) or PageCacheMiddleware._fetch(key, generation.token)
    except Exception:
        log.warning("page cache: lookup failed", exc_info=True)
        return found
    found.generation, found.gzipped = generation, accepts_gzip(request)
    return found


def stored_page(request: HttpRequest) -> tuple[str, list[tuple[str, str]], bytes] | None:
    """The stored page for this request as it is to be sent (status line, headers, body), or None: what
    budapest.wsgi answers before Django's own handling. Only a page that nothing outside the page cache
    would change (the gzip middleware compresses one stored uncompressed, or one with a nonce of the
    reader's own); anything unusual (an unknown host: Django answers 400) is left to Django."""
    # Outside Django's handler nothing would log an error or answer it: any failure leaves the request to Django.
    try:
        found = lookup(request)
        if found is None or found.stored is None or not found.stored[0].compressed or found.stored[0].nonce:
            return None
        if "HTTP_IF_NONE_MATCH" in request.META:
            return as_sent(found.response(request))
        return found.stored[0].wire(found.stored[1], gzipped=found.gzipped)
    except SuspiciousOperation:  # an unknown host, too many parameters: Django refuses them itself (400)
        return None
    except Exception:
        log.warning("page cache: the front door failed; Django answers instead", exc_info=True)
        return None


class PageCacheMiddleware:
    """Serve stored pages to anonymous readers and store the pages they get.

    Outermost but for the probes: a stored page is answered before the rest of the stack runs, with
    the headers the stack gave it when it was rendered (security headers, CSP, Permissions-Policy,
    X-Frame-Options, Vary, Content-Language), a CSP nonce of the reader's own, and a 304 for a reader
    who has it. Whether a request is anonymous is read off its cookies and headers, and its language
    worked out as LocaleMiddleware will. A request the stack would redirect (HTTPS) or refuse (an
    unknown host) never finds a stored page: pages are stored by scheme and host, only 200 answers
    are stored, and the host is checked here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = lookup(request)
        if found is None:
            response = self.get_response(request)
            if any(name in request.COOKIES for name in PRIVATE_COOKIES) and "Cache-Control" not in response:
                # A page made for someone signed in (a draft's preview) is kept by no shared cache.
                patch_cache_control(response, private=True)
            return response
        if found.stored is not None:
            return found.response(request)
        if found.generation is None:  # the cache is down: serve the page from the database
            return self.get_response(request)
        language, route, generation, now = found.language, found.route, found.generation, found.now
        parameters = ReadParameters(request.GET)
        request.GET = parameters  # type: ignore[assignment]  # a QueryDict, immutable as request.GET is
        response = self.get_response(request)
        if self._storable(request, response):
            route.names = route.names | parameters.read
            try:
                entry = self._store(self._key(request, language, route.names), generation, request, response, now)
            except Exception:
                log.warning("page cache: store failed", exc_info=True)
            else:
                _set_validators(response, entry)
                response["X-Page-Cache"] = "miss"
                if "HTTP_IF_NONE_MATCH" in request.META:
                    return get_conditional_response(request, etag=entry.etag, response=response) or response
        return response

    @staticmethod
    def _route(request: HttpRequest, language: str) -> _Route | None:
        if not getattr(settings, "PAGE_CACHE_ENABLED", False) or request.method not in ("GET", "HEAD"):
            return None
        if "HTTP_AUTHORIZATION" in request.META or any(name in request.COOKIES for name in PRIVATE_COOKIES):
            return None
        if has_uncommitted_changes():
            return None
        return _route(language, request.path_info, getattr(request, "urlconf", None) or get_urlconf())

    @staticmethod
    def _key(request: HttpRequest, language: str, names: frozenset[str]) -> str:
        """The page's key: release, language, scheme, host (an unknown one is refused: 400), path, parameters."""
        query = cast(QueryDict, getattr(request.GET, "address", request.GET))
        parameters = _key_values(query, names) if names else []
        address = repr((request.scheme, request.get_host(), request.path, parameters))
        return f"{_PAGE}{release()}:{language}:{hashlib.blake2b(address.encode(), digest_size=16).hexdigest()}"

    @staticmethod
    def _fetch(key: str, generation: str) -> tuple[_Entry, bytes] | None:
        entry = _cache().get(key)
        if entry is None or entry.generation != generation:
            return None
        return _keep_page(key, entry, gzip.decompress(entry.body) if entry.compressed else entry.body)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or has_uncommitted_changes():
            return False  # a reader's own CSRF token is in it; or the view wrote what is not committed
        if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
            return False
        if any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache")):
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        if not vary <= _VARY_ALLOWED:
            return False
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        return not (session is not None and session.modified) and not (user is not None and user.is_authenticated)

    @staticmethod
    def _store(key: str, generation: Generation, request: HttpRequest, response: HttpResponse, now: float) -> _Entry:
        body = response.content
        nonce = getattr(request, "_csp_nonce", None)
        has_nonce = bool(nonce) and str(nonce) in response.get("Content-Security-Policy", "")
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _NOT_STORED_HEADERS]
        if has_nonce:
            body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
            headers = [(k, v.replace(str(nonce), NONCE_PLACEHOLDER.decode())) for k, v in headers]
        compressed = len(body) >= _COMPRESS_FROM
        timeout = getattr(settings, "PAGE_CACHE_TIMEOUT", 86400)
        entry = _Entry(
            generation=generation.token,
            expires=now + timeout,
            etag=f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"',
            status=response.status_code,
            headers=headers,
            body=gzip.compress(body, _GZIP_LEVEL, mtime=0) if compressed else body,
            compressed=compressed,
            nonce=has_nonce,
        )
        # The headers of a hit, made once: the stack's, the validators, and how it was served.
        hit = HttpResponse(status=entry.status, headers=dict(headers))
        if compressed:  # as the gzip middleware outside says to either reader, and then leaves the page alone
            patch_vary_headers(hit, ("Accept-Encoding",))
        _set_validators(hit, entry)
        hit["X-Page-Cache"] = "hit"
        entry.headers = list(hit.headers.items())
        _cache().set(key, entry, timeout=timeout)
        _keep_page(key, entry, body)
        return entry

    @staticmethod
    def _from_entry(entry: _Entry, body: bytes, *, gzipped: bool) -> HttpResponse:
        """A reader's copy: the stored gzip bytes as they are for one who accepts them, else the page itself."""
        headers = entry.headers
        gzipped = gzipped and entry.compressed and not entry.nonce
        if gzipped:
            body = entry.body
        elif entry.nonce:
            # The reader's own nonce, in the page and in its policy, as CSP middleware would give it.
            nonce = generate_nonce()
            body = body.replace(NONCE_PLACEHOLDER, nonce.encode())
            placeholder = NONCE_PLACEHOLDER.decode()
            headers = [(k, v.replace(placeholder, nonce)) for k, v in headers]
        response = HttpResponse(body, status=entry.status)
        for name, value in headers:
            response.headers[name] = value
        response["Content-Length"] = str(len(body))
        if gzipped:
            # As GZipMiddleware would have answered; it leaves a response with a Content-Encoding alone.
            response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Accept-Encoding",))
        return response


def _set_validators(response: HttpResponse, entry: _Entry) -> None:
    """What a stored page answers with besides the stack's headers: its validators and caching rules.

    The ETag is that of the stored page, the same for every reader whatever their nonce, so a reader
    who has it gets a 304. There is no Last-Modified: two copies rendered in the same second, on
    either side of a change, would have the same date, and a client asking "modified since?" would
    keep the old one. Browsers keep the page but ask again each time: a change is seen at once. The
    language may come from a cookie: Vary says so.
    """
    response["ETag"] = entry.etag
    del response["Last-Modified"]
    response.headers.setdefault("Cache-Control", "private, no-cache")
    patch_vary_headers(response, ("Cookie",))
