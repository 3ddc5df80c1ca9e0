"""Time pages inside one process, without a server: what one request costs, apart from any load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/budapest_perf .venv/bin/python bench/perf/inprocess.py pages [N]
    DATABASE_URL=… .venv/bin/python bench/perf/inprocess.py profile ADDRESS [N]
    DATABASE_URL=… REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/perf/inprocess.py hits

Production settings for all (static files collected: `make bench` does it). `pages`: each address
rendered (page cache off) through Django's test client, N times (20) after two to warm up: median,
p95, the processor time of the median request, its number of queries and its size, each against its
target where it has one (issue 17). `profile`: cProfile of N renders of one address, the 30 costliest
functions (own time and with what they call). `hits`: `/healthz` and a stored page through the WSGI
handler as gunicorn calls it, 5,000 times each, wall-clock and processor time (in the Redis database of
REDIS_URL, under the key prefix "inprocess"). The machine's load average is printed before and after:
the figures mean little on a loaded machine. Run it on the benchmark's database (`make bench` makes
it) for the figures of docs/performance.md; SQLite works too (DATABASE_URL=sqlite:///…).
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MEETING = "/meetings/2020-12-02-annual-senior-officials-meeting/"
# Each address with its target in ms (issue 17: "fast without a cache"), or None; the search target is
# for the p95, the others for the median.
PAGES: list[tuple[str, float | None]] = [
    ("/", None),
    ("/meetings/", None),
    (MEETING, None),  # its target is a ratio to Wagtail's page, measured by `make bench`
    ("/countries/turkey/", 30),
    ("/priority-goals/", None),
    ("/priority-goals/1/", None),
    ("/priority-goals/2025-2030/1/", None),
    ("/priority-goals/matrix/", None),
    ("/search/?q=smuggling", 50),
    ("/search/?q=%22Canary+Islands%22", 50),
    ("/api/v1/meetings/", 20),
    ("/api/v1/interventions/", 20),
    ("/api/v1/participations/", 20),
    ("/api/v1/countries/", 20),
    ("/api/v1/organisations/", 20),
    ("/api/v1/people/", 20),
]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages(repeat: int = 20) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    say(f"{connection.vendor}, {repeat} renders each; {load()}")
    say(f"{'address':<46} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} {'queries':>7} {'kB':>5}  target")
    for url, target in PAGES:
        for _ in range(2):
            client.get(url)
        times, cpu, verdict = [], [], ""
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
        if response.status_code != 200:
            verdict = f"status {response.status_code}"
        p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        if target is not None and response.status_code == 200:
            measured = p95 if url.startswith("/search/") else p50
            what = "p95" if url.startswith("/search/") else "p50"
            verdict = f"{what} < {target:g} ms: {'met' if measured < target else 'MISSED'}"
        say(
            f"{url[:46]:<46} {p50:7.1f} {p95:7.1f} {statistics.median(cpu) * 1000:7.1f} {len(queries):7d}"
            f" {len(response.content) // 1024:5d}  {verdict}"
        )
    say(load())


def profile(url: str, repeat: int = 20) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    for _ in range(2):
        assert client.get(url).status_code == 200
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    for order in ("tottime", "cumulative"):
        stats.sort_stats(order).print_stats(30)
    say("The project's own functions, with what they call:")
    stats.sort_stats("cumulative").print_stats(r"/(meetings|actors|budapest)/", 40)


def hits(count: int = 5000) -> None:
    from budapest.wsgi import application  # as gunicorn calls it: stored pages answered before Django's handler

    def call(path: str, extra: dict) -> tuple[str, dict]:
        environ = {
            **extra,
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

    say(load())
    # A browser asks for gzip; wrk, as the bench runs it by default, for nothing.
    for path, extra in (("/healthz", {}), (MEETING, {}), (MEETING, {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"})):
        for _ in range(20):  # the first render, the subscription to news of changes, warm code
            status, headers = call(path, extra)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            call(path, extra)
        each = (time.perf_counter() - started) / count
        each_cpu = (time.process_time() - cpu) / count
        how = headers.get("X-Page-Cache", "not page-cached") + (" gzip" if "Content-Encoding" in headers else "")
        # The processor time is the steadier figure on a shared machine: waiting for a core is not in it.
        say(f"{path:<58} {status:<8} {how:<16} {each * 1e6:7.0f} µs a request ({each_cpu * 1e6:.0f} µs of CPU)")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "pages"
    if mode not in ("pages", "profile", "hits"):
        sys.exit(__doc__)
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
        # No rate limit in the way of the runs (the throttle still counts every request).
        API_ANON_RATE="100000000/minute",
    )
    import django

    django.setup()
    arguments = sys.argv[2:]
    if mode == "pages":
        pages(*(int(each) for each in arguments[:1]))
    elif mode == "profile":
        profile(arguments[0], *(int(each) for each in arguments[1:2]))
    else:
        hits()
