"""Parts of a page rendered once per change of the content, then served from the cache until the next.

A page too costly to render at every request (a meeting's: some 50 paragraphs and passages, each with
its citations) marks its costly parts with ``{% fragment "name" value… %}…{% endfragment %}``
(``budapest.templatetags.fragments``). One rule decides when a stored part may be served, the page
cache's (``budapest.cache``): it is kept under the site's generation, so any committed change to the
content, or a scheduled publication becoming due, or midnight, makes every stored part stale on every
server at once. The key holds the generation, the release, the language and the values the template
names (the page's address, for one); nothing else needs declaring.

What a part needs that only it needs (the meeting's paragraphs, prefetched) is computed only when it is
rendered: the view gives ``fragment_context``, a function of no arguments returning those values, and
a page served from stored parts never calls it (``functools.cache`` makes it run once for all the
parts of a request).

A value that many requests compute alike (which actors the public may read) is kept the same way by
``per_generation(name, compute)``: computed once per change, where the generation is known.

A view gives both with ``stored_parts(parts, storable=…)``: ``storable`` false (a preview, a draft) renders
every part afresh; so does ``fragment_generation()`` for a request whose connection holds uncommitted
writes, where the cache is unreachable, and everywhere unless ``FRAGMENT_CACHE_ENABLED`` (on where the
generation is shared: with Redis, or in one process).
"""

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.utils import timezone

from .cache import current_generation, has_uncommitted_changes, local_copies, release

log = logging.getLogger(__name__)


def fragment_generation() -> str | None:
    """The generation a stored fragment must carry now, or None: render every fragment afresh."""
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False) or has_uncommitted_changes():
        return None
    try:
        return current_generation(timezone.now().timestamp()).token
    except Exception:  # the cache is down: the page is rendered from the database
        log.warning("fragments: no generation", exc_info=True)
        return None


def stored_parts(parts: Callable[[], dict], *, storable: bool = True) -> dict:
    """The context a view gives a template with stored parts: the generation they carry (None: render
    them afresh, store nothing) and `fragment_context`, the parts' own values, computed at most once and
    only if a part is rendered."""
    return {
        "fragment_generation": fragment_generation() if storable else None,
        "fragment_context": functools.cache(parts),
    }


def per_generation[T](name: str, compute: Callable[[], T], otherwise: Callable[[], T] | None = None) -> T:
    """`compute()`, kept under the site's generation: computed again only after a change. Where there is no
    generation to keep it under (uncommitted writes, no shared cache, the cache down), `otherwise()` if
    given (the same value in a form that costs nothing to keep: a subquery), else `compute()`.

    This process keeps its own copy of the value too, for as long as the generation lasts: a request that
    reads it twice (the API's filters of countries and of organisations) asks the cache at most once.
    None is never kept: an address that names nothing fills no cache.
    """
    generation = fragment_generation()
    if generation is None:
        return (otherwise or compute)()
    with _values_lock:
        held = _values.get(name)
    if held is not None and held[0] == generation:
        return held[1]
    key = f"value:{name}:{release()}:{generation}"
    found = stored(key)
    if found is None:
        found = compute()
        if found is not None:  # nothing found (a meeting's address that has none) is kept nowhere: asked again
            store(key, found)
    if found is not None:
        with _values_lock:
            _values[name] = (generation, found)
            _values.move_to_end(name)
            while len(_values) > VALUES_KEPT:
                _values.popitem(last=False)
    return found


# name → (generation, value), the latest used last: one entry per name, at most VALUES_KEPT of them (names can
# come from a request: the API's count of a filtered list).
VALUES_KEPT = 1024
_values: OrderedDict[str, tuple[str, Any]] = OrderedDict()
_values_lock = threading.Lock()


def fragment_key(name: str, generation: str, language: str, values: list) -> str:
    return make_template_fragment_key(f"{name}:{release()}:{generation}:{language}", values)


def stored_part(key: str) -> str | None:
    """A stored part: this process's copy (no round trip: its key holds the generation), else the cache's."""
    content = local_copies.get(key)
    if content is None:
        content = stored(key)
        if content is not None:
            local_copies.put(key, content, len(content))
    return content


def store_part(key: str, content: str) -> None:
    store(key, content)
    local_copies.put(key, content, len(content))


def stored(key: str) -> Any:
    try:
        return caches["default"].get(key)
    except Exception:
        log.warning("fragments: lookup failed", exc_info=True)
        return None


def store(key: str, content: Any) -> None:
    try:
        caches["default"].set(key, content, timeout=settings.PAGE_CACHE_TIMEOUT)
    except Exception:
        log.warning("fragments: store failed", exc_info=True)
