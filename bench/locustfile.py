"""Readers of the public site and the API, and one member of staff saving through the API.

Run by bench/loadtest.sh (locust headless); every answer's status is counted per second and written
to $BENCH_SUMMARY when the run ends, so the script can tell 200s from 429s, 503s and 500s.

Environment: BENCH_URLS (a JSON file of the pages to read), BENCH_SUMMARY (where to write the counts
and the meetings the writer was told were saved), BENCH_TOKEN (the writer's staff token).
"""

import itertools
import json
import os
import random
import time
import uuid
from collections import Counter, defaultdict

from locust import HttpUser, between, constant, events, task

with open(os.environ["BENCH_URLS"]) as _urls:
    URLS = json.load(_urls)
STARTED = time.monotonic()
STATUS: Counter[str] = Counter()
TIMELINE: dict[int, Counter] = defaultdict(Counter)
LATENCIES: list[float] = []
BY_NAME: dict[str, list[float]] = defaultdict(list)
SAVED: list[str] = []
_reader_numbers = itertools.count(1)


@events.request.add_listener
def count(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0  # 0: no answer at all (refused, reset, timed out)
    STATUS[status] += 1
    TIMELINE[int(time.monotonic() - STARTED)][status] += 1
    LATENCIES.append(response_time)
    BY_NAME[name].append(response_time)


def _percentiles(values: list[float]) -> dict:
    values = sorted(values) or [0]
    return {
        "n": len(values),
        "p50_ms": round(values[len(values) // 2]),
        "p95_ms": round(values[int(len(values) * 0.95)]),
        "max_ms": round(values[-1]),
    }


@events.quitting.add_listener
def write_summary(environment, **kwargs):
    latencies = sorted(LATENCIES) or [0]
    summary = {
        "status": {str(code): n for code, n in sorted(STATUS.items())},
        "requests": sum(STATUS.values()),
        "p50_ms": round(latencies[len(latencies) // 2]),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)]),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)]),
        "max_ms": round(latencies[-1]),
        "timeline": {second: dict(counts) for second, counts in sorted(TIMELINE.items())},
        "saved": SAVED,
        "by_name": {name: _percentiles(values) for name, values in sorted(BY_NAME.items())},
    }
    with open(os.environ["BENCH_SUMMARY"], "w") as out:
        json.dump(summary, out, indent=1)


class Reader(HttpUser):
    """Someone reading meetings, countries, goals, search results, feeds and the API."""

    wait_time = between(0.5, 2.0)
    weight = 20

    def on_start(self):
        # Each reader has an address of its own (all on the loopback network), as real readers do;
        # locust connects from 127.0.0.1, a trusted proxy (DJANGO_TRUSTED_PROXIES), so the API counts each reader apart.
        n = next(_reader_numbers)
        self.client.headers["X-Forwarded-For"] = f"127.1.{n // 250}.{n % 250 + 1}"

    def _get(self, url, name):
        # Failures are judged by the script from the counts; locust's own verdict is not needed.
        with self.client.get(url, name=name, catch_response=True) as response:
            response.success()

    @task(6)
    def meeting(self):
        self._get(random.choice(URLS["meetings"]), "/meetings/[slug]/")

    @task(3)
    def country(self):
        self._get(random.choice(URLS["countries"]), "/countries/[slug]/")

    @task(2)
    def organisation(self):
        self._get(random.choice(URLS["organisations"]), "/organisations/[slug]/")

    @task(2)
    def goal(self):
        self._get(random.choice(URLS["goals"]), "/priority-goals/[n]/")

    @task(2)
    def lists(self):
        self._get(random.choice(["/", "/meetings/", "/countries/", "/organisations/", "/priority-goals/"]), "lists")

    @task(2)
    def search(self):
        self._get(f"/search/?q={random.choice(URLS['words'])}", "/search/")

    @task(1)
    def feed(self):
        self._get("/meetings/feed.atom", "/meetings/feed.atom")

    @task(2)
    def api(self):
        self._get(random.choice(URLS["api"]), "/api/v1/…")


class Writer(HttpUser):
    """A member of staff saving a new draft meeting through the API, once a second."""

    fixed_count = 1
    wait_time = constant(1.0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ.get('BENCH_TOKEN', '')}"
        self.client.headers["X-Forwarded-For"] = "127.2.0.1"

    @task
    def save(self):
        slug = f"bench-{uuid.uuid4().hex[:12]}"
        data = {
            "series": URLS["series"],
            "title": f"Load test meeting {slug}",
            "slug": slug,
            "start_date": "2031-01-01",
            "format": "online",
        }
        with self.client.post("/api/v1/meetings/", json=data, name="POST /api/v1/meetings/", catch_response=True) as r:
            if r.status_code == 201:
                SAVED.append(slug)  # the server said it is saved: it must be there after the run
            r.success()


class CachedPageReader(HttpUser):
    """A reader of the 2020 meeting's page, which the page cache holds: what must stay fast whatever else runs."""

    wait_time = between(0.2, 0.5)
    weight = 20

    def on_start(self):
        n = next(_reader_numbers)
        self.client.headers["X-Forwarded-For"] = f"127.5.{n // 250}.{n % 250 + 1}"

    @task
    def meeting(self):
        with self.client.get(URLS["meetings"][0], name="cached meeting page", catch_response=True) as response:
            response.success()


class PopoloClient(HttpUser):
    """A script downloading the whole Popolo export again and again, from a new address each time
    (as many clients would, so that no rate limit per address stops them), without an ETag."""

    fixed_count = int(os.environ.get("BENCH_POPOLO_CLIENTS", "6"))
    wait_time = constant(0)

    @task
    def export(self):
        n = next(_reader_numbers)
        headers = {"X-Forwarded-For": f"127.6.{n // 250 % 250}.{n % 250 + 1}"}
        with self.client.get(
            "/api/v1/export/popolo.json", headers=headers, name="popolo export", catch_response=True
        ) as r:
            r.success()
