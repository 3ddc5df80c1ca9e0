"""The page cache: anonymous readers get a stored page; a change makes exactly the pages that show it fresh.

How it works (docs/performance.md tells the whole story):

- A view says what its page shows with ``@cached_page("meeting:{slug}", "meetings")``: tags, formatted
  with the arguments of its URL. Only pages that declare their tags are cached; every page also depends
  on the tag ``site`` (things every page shows, such as the titles of the priority goals).
- Each tag has a version in the cache, a random token. A stored page keeps the versions its tags had
  when it was rendered, read *before* the view ran: a change committed while the page was being
  rendered makes it stale at once.
- A change bumps the versions of the tags it affects after its transaction commits
  (``record_change`` here, what a change affects in ``meetings.invalidation``): every page that shows
  it is stale on every server that shares the cache, and nothing else is touched.
- A page lives at most ``PAGE_CACHE_TIMEOUT`` seconds, never past the next local midnight (what is
  "upcoming" changes then) nor past the next scheduled publication (a meeting published for later
  appears when due).
- Anonymous only: a request with a session cookie (staff previewing drafts), a message or an
  ``Authorization`` header never reads nor writes the cache, and neither does a request made on a
  database connection with uncommitted changes (its view of the data is not everyone's).
- Per-request values are not shared: the CSP nonce is stored as a placeholder and each reader gets
  their own; a page with a CSRF token (a reader's own) is never stored.
- Each process learns of changes over a Redis channel (``_Listener``): a page still fresh is served
  without a round trip to Redis.
"""

import functools
import hashlib
import logging
import secrets
import threading
import time
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.csp import generate_nonce

log = logging.getLogger(__name__)

SITE_TAG = "site"
# Content types worth storing: pages, feeds, the sitemap, calendars and spreadsheets.
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/rss+xml", "application/xml", "text/xml",
                   "text/calendar", "text/csv", "text/plain")  # fmt: skip
# Cookies that make a request someone's own: a signed-in session, or a message waiting to be shown.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

_PAGE = "pc:page:"
_TAG = "pc:tag:"
_SCHEDULE = "pc:schedule"
_BUMPS = "pc:bumps"  # the channel on which bump() tells every process that versions changed
# Placeholders for the values each reader gets their own of. "<" cannot come from text typed by staff
# (it is escaped), so a placeholder is never mistaken for content.
NONCE_PLACEHOLDER = b"<pc-csp-nonce>"
# A form's CSRF token belongs to one reader: a page that carries one is never stored (none does).
_CSRF_INPUT = b'name="csrfmiddlewaretoken"'
# Headers a stored page does not keep: its own validators replace the render's, and it sets no cookie.
_NOT_STORED_HEADERS = {"content-length", "set-cookie", "etag", "last-modified", "x-page-cache"}
# Smaller pages are stored as they are: compressing them saves little.
_COMPRESS_FROM = 2048


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _redis(cache):
    """Django's own Redis client and serializer for this cache (private, pinned with Django), or None.

    One client is kept per cache object: Django's backend makes a new client (and its table of reply
    callbacks) for each call, which was a third of the time of a page cache hit.
    """
    backend = getattr(cache, "_cache", None) if isinstance(cache, RedisCache) else None
    serializer = getattr(backend, "_serializer", None)
    if serializer is None or not hasattr(backend, "get_client"):
        return None
    client = cache.__dict__.get("_page_cache_client")
    if client is None:
        client = cache.__dict__["_page_cache_client"] = backend.get_client(write=True)
    return client, serializer


def _read(keys: list[str]) -> dict:
    """cache.get_many(keys), with the client kept by _redis(); without Redis, the public API."""
    cache = _cache()
    redis = _redis(cache)
    if redis is None:
        return cache.get_many(keys)
    client, serializer = redis
    values = client.mget([cache.make_key(key) for key in keys])
    return {key: serializer.loads(value) for key, value in zip(keys, values, strict=True) if value is not None}


class _Listener:
    """The tag versions this process has read, trusted while Redis tells it of every change.

    ``bump()`` publishes on a channel once it has written new versions, and every process subscribes
    to it. Before it trusts what it knows, a process takes what has arrived on that connection (a poll
    of the socket, no round trip): any message, the subscription being (re)made, a broken connection,
    or knowledge older than ``PAGE_CACHE_PUSH_MAX_AGE`` seconds (one by default, a bound should a
    message ever be lost) make it read the versions from Redis again. So a stored page that is still
    fresh costs no round trip to Redis, and a change is seen as soon as its message has arrived: the
    bump returns to the editor after Redis has sent it.
    """

    def __init__(self, client, channel: str):
        self.client = client
        self.channel = channel
        self.pubsub = None
        self.subscribed = False
        self.versions: dict[str, str] = {}
        self.since = 0.0
        self.retry_at = 0.0

    def known(self, keys: list[str]) -> list[str] | None:
        """The versions of these tag keys as last read, if they can be trusted now; else None."""
        now = time.monotonic()
        if not self._take_messages(now):
            return None
        if now - self.since > getattr(settings, "PAGE_CACHE_PUSH_MAX_AGE", 1.0):
            self.versions.clear()
        try:
            return [self.versions[key] for key in keys]
        except KeyError:
            return None

    def learn(self, found: dict, keys: list[str]) -> None:
        """Keep the versions just read from Redis (a message arriving later makes them be read again)."""
        if not self.subscribed:
            return
        if not self.versions:
            self.since = time.monotonic()
        self.versions.update((key, found[key]) for key in keys if key in found)

    def forget(self) -> None:
        self.versions.clear()

    def _take_messages(self, now: float) -> bool:
        """Read what has arrived; True if the subscription stands and what is known still holds."""
        if self.pubsub is None:
            if now < self.retry_at:
                return False
            self.pubsub = self.client.pubsub()
        try:
            if not self.pubsub.subscribed:
                self.subscribed = False
                self.pubsub.subscribe(self.channel)
                # A connection made again (redis-py does it by itself) may have missed messages.
                self.pubsub.connection.register_connect_callback(self._connected)
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                # A confirmation (the subscription made, or made again after a reconnection, when
                # messages may have been missed) or a change: either way, read the versions again.
                self.subscribed = self.subscribed or message["type"] == "subscribe"
                self.versions.clear()
        except Exception:
            log.warning("page cache: no news of changes from Redis; reading versions on every request", exc_info=True)
            self._close(now)
            return False
        return self.subscribed

    def _connected(self, connection) -> None:
        self.subscribed = False  # until Redis confirms the subscription again
        self.versions.clear()

    def _close(self, now: float) -> None:
        try:
            if self.pubsub.connection is not None:
                # The connection goes back to the pool to serve other commands: it is none of ours now.
                self.pubsub.connection.deregister_connect_callback(self._connected)
            self.pubsub.close()
        except Exception:  # noqa: S110 - already broken
            pass
        self.pubsub, self.subscribed, self.retry_at = None, False, now + 5
        self.versions.clear()


def _listener(cache=None) -> _Listener | None:
    """This process's listener for the cache, with Redis; None otherwise (reads are local then)."""
    cache = cache or _cache()
    listener = cache.__dict__.get("_page_cache_listener")
    if listener is None:
        redis = _redis(cache)
        if redis is None:
            return None
        listener = cache.__dict__["_page_cache_listener"] = _Listener(redis[0], cache.make_key(_BUMPS))
    return listener


def _now() -> float:
    return timezone.now().timestamp()


# Declaring what a page shows.


def cached_page(*tags: str):
    """Let anonymous readers get this page from the cache; ``tags`` name what it shows.

    A tag may hold the URL's arguments: ``"meeting:{slug}"``. Works on class-based views, ``Feed``
    classes and function views (a function is wrapped, so that a view shared with others is not changed).
    """

    def declare(view):
        if isinstance(view, type):
            view.page_cache_tags = tags
            return view

        @functools.wraps(view)
        def page(*args, **kwargs):
            return view(*args, **kwargs)

        page.page_cache_tags = tags
        return page

    return declare


@functools.lru_cache(maxsize=4096)
def _tags_of(path: str, urlconf) -> tuple[str, ...] | None:
    """The tags of the page at this address (resolving an address costs as much as the rest of a hit)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return declared_tags(match.func, match.kwargs)


def declared_tags(view, kwargs: dict) -> tuple[str, ...] | None:
    """The tags of a view for these URL arguments, or None if the view is not to be cached."""
    tags = getattr(view, "page_cache_tags", None)
    if tags is None:
        tags = getattr(getattr(view, "view_class", None), "page_cache_tags", None)
    if tags is None:
        return None
    return tuple(dict.fromkeys([SITE_TAG, *(tag.format_map(kwargs) for tag in tags)]))


# Tag versions.


def _new_version() -> str:
    return secrets.token_hex(8)


def bump(tags: Iterable[str]) -> None:
    """Make every stored page that shows one of these tags stale, on every server sharing the cache."""
    tags = set(tags)
    if tags:
        cache = _cache()
        cache.set_many({_TAG + tag: _new_version() for tag in tags}, timeout=None)
        listener = _listener(cache)
        if listener is not None:
            listener.forget()
            # Every process (this one too) reads the versions again before it serves another page.
            listener.client.publish(listener.channel, b"bumped")
        log.debug("page cache: bumped %d tags", len(tags))


def clear_page_cache() -> None:
    """Make every stored page stale (without touching anything else the cache holds)."""
    bump([SITE_TAG])


def _versions(found: dict, tags: tuple[str, ...]) -> tuple[str, ...] | None:
    """The current version of each tag; a tag without one (new, or evicted) gets one now."""
    cache = _cache()
    versions = []
    for tag in tags:
        version = found.get(_TAG + tag)
        if version is None:
            version = _new_version()
            # Another process may set it first: then theirs is the version.
            if not cache.add(_TAG + tag, version, timeout=None):
                version = cache.get(_TAG + tag)
                if version is None:
                    return None
        versions.append(version)
    return tuple(versions)


# The release: pages rendered by other templates or code are never served.


@functools.cache
def release() -> str:
    """A fingerprint of what renders pages: templates, translations, static file names, project code."""
    if configured := getattr(settings, "PAGE_CACHE_RELEASE", ""):
        return configured
    import django

    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "locale", *(base / app for app in ("budapest", "meetings", "actors"))]
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    files = [manifest] if manifest.is_file() else []
    for root in roots:
        files += [p for p in root.rglob("*") if p.suffix in {".html", ".txt", ".xml", ".mo", ".py"} and p.is_file()]
    for path in sorted(files):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _forget_release(sender, file_path, **kwargs):
    # The development server reloads templates without restarting: pages they rendered are not served.
    release.cache_clear()


file_changed.connect(_forget_release, dispatch_uid="page_cache_forget_release")


# Scheduled publications.

_schedule: dict[str, Callable[[], float | None] | str] = {}


def configure_schedule(*, next_publication: Callable[[], float | None], tag: str) -> None:
    """Register how to find the next scheduled publication (a timestamp, or None) and the tag it changes with."""
    _schedule.update(next_publication=next_publication, tag=tag)


def _next_publication(found: dict, now: float) -> float | None:
    """When the next scheduled publication is due: a stored answer if still true, else one query."""
    if not _schedule:
        return None
    tag_version = found.get(_TAG + _schedule["tag"])
    stored = found.get(_SCHEDULE)
    if stored is not None and tag_version is not None:
        version, due = stored
        if version == tag_version and (due is None or due > now):
            return due
    due = _schedule["next_publication"]()
    if tag_version is not None:
        _cache().set(_SCHEDULE, (tag_version, due), timeout=None)
    return due


def _next_midnight(now: float) -> float:
    today = timezone.localtime(datetime.fromtimestamp(now, tz=timezone.get_current_timezone()))
    midnight = (today + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp()


# Changes waiting for their transaction to commit.


class Changes(defaultdict):
    """What a transaction changed, by kind (``"meeting"``: ids, ``"tag"``: tags, …), until it commits."""

    def __init__(self):
        super().__init__(set)
        self.transaction = None  # the outermost atomic block they were made in
        self.memo: dict = {}  # lookups already made for this transaction


_resolvers: list[Callable[[Changes], set[str]]] = []


def register_resolver(resolver: Callable[[Changes], set[str]]) -> None:
    """Register a function that turns recorded changes into the tags to bump (see meetings.invalidation)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def pending_changes(using: str = DEFAULT_DB_ALIAS) -> Changes:
    """The changes recorded on this connection that its transaction has not committed yet."""
    connection = connections[using]
    changes = connection.__dict__.get("_page_cache_changes")
    outermost = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if changes is None or (changes.transaction is not outermost):
        # None yet, or left over from a transaction that was rolled back.
        changes = connection.__dict__["_page_cache_changes"] = Changes()
        changes.transaction = outermost
    return changes


def record_change(kind: str, *items, using: str = DEFAULT_DB_ALIAS) -> None:
    """Note a change; the tags it affects are bumped when its transaction commits (at once outside one)."""
    pending_changes(using)[kind].update(items)
    transaction.on_commit(functools.partial(_flush, using), using=using, robust=True)


def has_uncommitted_changes(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    changes = connection.__dict__.get("_page_cache_changes")
    if not changes:
        return False
    if not connection.in_atomic_block or changes.transaction is not connection.atomic_blocks[0]:
        changes.clear()  # a transaction that was rolled back
        return False
    return True


def resolve_tags(changes: Changes) -> set[str]:
    tags = set()
    for resolver in _resolvers:
        tags |= resolver(changes)
    return tags


def _flush(using: str) -> None:
    connection = connections[using]
    changes = connection.__dict__.pop("_page_cache_changes", None)
    if not changes:
        return  # flushed by an earlier callback of the same transaction
    tags = resolve_tags(changes)
    try:
        bump(tags)
    except Exception:  # the change is committed; only its pages may stay stale (docs/performance.md)
        log.exception("page cache: could not mark %d tags as changed; their pages may be stale", len(tags))


# The middleware.


@dataclass
class _Entry:
    versions: tuple[str, ...]
    expires: float
    created: float
    etag: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    compressed: bool
    nonce: bool


class _LocalPages:
    """The pages this process served lately, decompressed: a copy of entries of the shared cache.

    A copy is served only when its tag versions are the current ones, exactly as the shared entry
    would be (see _Listener); it saves fetching and decompressing the page.
    """

    def __init__(self):
        self.pages: OrderedDict[str, tuple[_Entry, bytes]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[_Entry, bytes] | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, entry: _Entry, body: bytes) -> tuple[_Entry, bytes]:
        page = (entry, body)
        limit = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)
        if len(body) > limit // 4:
            return page
        with self.lock:
            self._drop(key)
            self.pages[key] = page
            self.size += len(body)
            while self.size > limit:
                self._drop(next(iter(self.pages)))
        return page

    def discard(self, key: str) -> None:
        with self.lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= len(page[1])


_local = _LocalPages()


class _Plan:
    """One cacheable request: its key, what it depends on, and what was found."""

    def __init__(self, request: HttpRequest, tags: tuple[str, ...]):
        self.request = request
        self.tags = tags
        # The language LocaleMiddleware (further in) will choose: the same rule, from the same request.
        language = translation.get_language_from_request(request)
        address = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
        self.key = f"{_PAGE}{release()}:{language}:{address}"
        self.found: dict = {}
        self.versions: tuple[str, ...] | None = None

    def lookup(self, now: float) -> tuple[_Entry, tuple[bytes, ...]] | None:
        """The stored page (its entry and its body) if fresh; else None, with the versions to store."""
        tag_keys = [_TAG + tag for tag in self.tags]
        local = _local.get(self.key)
        listener = _listener()
        if local is not None and listener is not None:
            # A copy in this process, and versions known without asking Redis: no round trip at all.
            known = listener.known(tag_keys)
            if known is not None and local[0].versions == tuple(known) and now < local[0].expires:
                return local
        keys = [*tag_keys, _SCHEDULE]
        if _schedule:
            keys.append(_TAG + _schedule["tag"])
        if local is None:
            keys.append(self.key)
        self.found = _read(keys)
        if listener is not None:
            listener.learn(self.found, tag_keys)
        current = tuple(self.found.get(_TAG + tag) for tag in self.tags)
        fresh = None not in current
        if local is not None:
            if fresh and local[0].versions == current and now < local[0].expires:
                return local
            _local.discard(self.key)
            # Another worker may have stored a fresh page since: one more read to find out.
            self.found.update(_read([self.key]))
        entry = self.found.get(self.key)
        if fresh and entry is not None and entry.versions == current and now < entry.expires:
            return _local.put(self.key, entry, zlib.decompress(entry.body) if entry.compressed else entry.body)
        self.versions = _versions(self.found, self.tags)
        return None


class PageCacheMiddleware:
    """Serve stored pages to anonymous readers and store the pages they get.

    Outermost but for the probes: a stored page is answered before the rest of the stack runs, with
    the headers the stack gave it when it was rendered (security headers, CSP, Permissions-Policy,
    X-Frame-Options, Vary, Content-Language), a CSP nonce of the reader's own in the page and in its
    policy, and a 304 for a reader who has it. Whether a request is anonymous is read off its cookies
    and headers, and its language worked out as LocaleMiddleware will; whether a page may be stored
    is decided when the response has come back through every middleware. A request the stack would
    redirect (HTTPS) or refuse (an unknown host) never finds a stored page: it is stored by address,
    and only 200 answers are stored; an unknown host is refused here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        plan = self._plan(request)
        if plan is None:
            response = self.get_response(request)
            if any(name in request.COOKIES for name in PRIVATE_COOKIES) and "Cache-Control" not in response:
                # A page made for someone signed in (a draft's preview) is kept by no shared cache.
                patch_cache_control(response, private=True)
            return response
        now = _now()
        try:
            stored = plan.lookup(now)
        except Exception:  # the cache is down: serve the page from the database
            log.warning("page cache: lookup failed", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            entry, body = stored
            response = self._from_entry(request, entry, body)
            if "HTTP_IF_NONE_MATCH" in request.META:
                return get_conditional_response(request, etag=entry.etag, response=response)
            return response
        response = self.get_response(request)
        if plan.versions is not None and self._storable(request, response):
            try:
                entry = self._store(plan, response, now)
            except Exception:
                log.warning("page cache: store failed", exc_info=True)
            else:
                _set_validators(response, entry)
                response["X-Page-Cache"] = "miss"
                if "HTTP_IF_NONE_MATCH" in request.META:
                    return get_conditional_response(request, etag=entry.etag, response=response)
        return response

    def _plan(self, request: HttpRequest) -> _Plan | None:
        if not getattr(settings, "PAGE_CACHE_ENABLED", False) or request.method not in ("GET", "HEAD"):
            return None
        if "HTTP_AUTHORIZATION" in request.META or any(name in request.COOKIES for name in PRIVATE_COOKIES):
            return None
        if has_uncommitted_changes():
            return None
        tags = _tags_of(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
        return None if tags is None else _Plan(request, tags)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
            return False
        if _CSRF_INPUT in response.content:
            return False
        if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
            return False
        directives = response.get("Cache-Control", "")
        if any(word in directives for word in ("private", "no-store", "no-cache")):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _store(plan: _Plan, response: HttpResponse, now: float) -> _Entry:
        request = plan.request
        body = response.content
        nonce = getattr(request, "_csp_nonce", None)
        has_nonce = bool(nonce) and str(nonce) in response.get("Content-Security-Policy", "")
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _NOT_STORED_HEADERS]
        if has_nonce:
            body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
            headers = [(k, v.replace(str(nonce), NONCE_PLACEHOLDER.decode())) for k, v in headers]
        expires = min(now + getattr(settings, "PAGE_CACHE_TIMEOUT", 86400), _next_midnight(now))
        due = _next_publication(plan.found, now)
        if due is not None:
            expires = min(expires, due)
        compressed = len(body) >= _COMPRESS_FROM
        entry = _Entry(
            versions=plan.versions,
            expires=expires,
            created=now,
            etag=f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"',
            status=response.status_code,
            headers=headers,
            body=zlib.compress(body, 6) if compressed else body,
            compressed=compressed,
            nonce=has_nonce,
        )
        # The headers of a hit, made once: the stack's, the validators, and how it was served.
        hit = HttpResponse(status=entry.status, headers=dict(headers))
        _set_validators(hit, entry)
        hit["X-Page-Cache"] = "hit"
        entry.headers = list(hit.headers.items())
        if expires > now + 1:
            _cache().set(plan.key, entry, timeout=int(expires - now))
            _local.put(plan.key, entry, body)
        return entry

    @staticmethod
    def _from_entry(request: HttpRequest, entry: _Entry, body: bytes) -> HttpResponse:
        headers = entry.headers
        if entry.nonce:
            # The reader's own nonce, in the page and in its policy, as CSP middleware would give it.
            nonce = generate_nonce()
            body = body.replace(NONCE_PLACEHOLDER, nonce.encode())
            placeholder = NONCE_PLACEHOLDER.decode()
            headers = [(k, v.replace(placeholder, nonce)) for k, v in headers]
        response = HttpResponse(body, status=entry.status)
        for name, value in headers:
            response.headers[name] = value
        return response


def _set_validators(response: HttpResponse, entry: _Entry) -> None:
    """What a stored page answers with besides the stack's headers: its validators and caching rules.

    The ETag is that of the stored page, the same for every reader whatever their nonce, so a reader
    who has it gets a 304. There is no Last-Modified: two copies rendered in the same second, on
    either side of a change, would have the same date, and a client asking "modified since?" would
    keep the old one. Browsers keep the page but ask again each time: a page changed by a publication
    is seen at once. The language may come from a cookie: Vary says so.
    """
    response["ETag"] = entry.etag
    del response["Last-Modified"]
    response.headers.setdefault("Cache-Control", "private, no-cache")
    patch_vary_headers(response, ("Cookie",))
