"""Time pages inside one process, without a server: what one request costs, apart from any load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/budapest_perf .venv/bin/python bench/perf/inprocess.py pages
    DATABASE_URL=… REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/perf/inprocess.py hits

Production settings for both (static files collected: `make bench` does it). `pages`: each address
rendered (page cache off) through Django's test client, the median of 5 after one to warm up, with
its number of queries and its size. `hits`: `/healthz` and a stored page through the WSGI handler as
gunicorn calls it, 5,000 times each, wall-clock and processor time (in the Redis database of REDIS_URL,
under the key prefix "inprocess"). Run it on the benchmark's database (`make bench` makes it) for the figures of
docs/performance.md.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PAGES = [
    "/",
    "/meetings/",
    "/meetings/2020-12-02-annual-senior-officials-meeting/",
    "/countries/turkey/",
    "/priority-goals/",
    "/priority-goals/1/",
    "/priority-goals/matrix/",
    "/api/v1/meetings/",
    "/search/?q=smuggling",
    "/search/?q=%22Canary+Islands%22",
]
MEETING = PAGES[2]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def pages() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    say(f"{'address':<58} {'ms':>8} {'queries':>8} {'kB':>6}")
    for url in PAGES:
        client.get(url)
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(times) * 1000
        say(f"{url:<58} {median:8.1f} {len(queries):8d} {len(response.content) // 1024:6d}")


def hits(count: int = 5000) -> None:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def call(path: str) -> tuple[str, dict]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        answer: dict = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=dict(headers))

        b"".join(application(environ, start_response))
        return answer["status"], answer["headers"]

    for path in ("/healthz", MEETING):
        for _ in range(20):  # the first render, the subscription to news of changes, warm code
            status, headers = call(path)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            call(path)
        each = (time.perf_counter() - started) / count
        each_cpu = (time.process_time() - cpu) / count
        how = headers.get("X-Page-Cache", "not page-cached")
        # The processor time is the steadier figure on a shared machine: waiting for a core is not in it.
        say(f"{path:<58} {status:<8} {how:<16} {each * 1e6:7.0f} µs a request ({each_cpu * 1e6:.0f} µs of CPU)")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "pages"
    if mode == "hits" and not os.environ.get("REDIS_URL"):
        sys.exit("hits: set REDIS_URL (a Redis database the run may write to)")
    # Production settings, as `make serve` has them (static files collected: `make bench` does it).
    os.environ.update(
        DJANGO_SETTINGS_MODULE="budapest.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or "inprocess-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_PAGE_CACHE="on" if mode == "hits" else "off",
        CACHE_KEY_PREFIX="inprocess",
    )
    import django

    django.setup()
    {"pages": pages, "hits": hits}[mode]()
