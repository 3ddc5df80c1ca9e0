"""What the benchmark needs from the application, with its own settings (DATABASE_URL, REDIS_URL, …).

tools.py state          whether the database is migrated and how many generated meetings it holds (JSON)
tools.py targets        the addresses measured: a meeting, a country, a search, a static file (JSON)
tools.py explain Q      EXPLAIN ANALYZE of the queries the search page runs for the words Q
tools.py machine        the database's and Redis's versions, the database's size (JSON)
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budapest.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

SOM_2020 = "2020-12-02-annual-senior-officials-meeting"


def state() -> dict:
    try:
        executor = MigrationExecutor(connection)
        migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # noqa: BLE001 - an empty or unreachable database is "not ready"
        return {"migrated": False, "generated": 0, "error": error.__class__.__name__}
    if not migrated:
        return {"migrated": False, "generated": 0}
    from meetings.models import Meeting
    from meetings.synthetic import SLUG_PREFIX

    return {
        "migrated": True,
        "generated": Meeting.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "meetings": Meeting.objects.count(),
        "published": Meeting.objects.published().count(),
    }


def targets() -> dict:
    from meetings.models import Meeting, Passage

    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())["paths"]
    generated = Meeting.objects.published().filter(slug__startswith="generated-").order_by("slug").first()
    return {
        "meeting": f"/meetings/{SOM_2020}/",
        "generated_meeting": generated.get_absolute_url(),
        "country": "/countries/turkey/",
        "search": "/search/?q=smuggling",
        "search_rare": "/search/?q=%22Canary+Islands%22",
        "api_list": "/api/v1/meetings/",
        "static": settings.STATIC_URL.rstrip("/") + "/" + manifest["css/site.css"],
        "passages": Passage.objects.published().count(),
    }


def explain(words: str) -> str:
    """The plans of the search page's queries over passages and meetings, as PostgreSQL runs them."""
    from meetings import search
    from meetings.models import Meeting, Passage

    query = search.parse_query(words)
    passages = search.search_passages(Passage.objects.published().for_listing(), query)
    assert isinstance(passages, search.RankedPassages)
    meetings = search.search_meetings(Meeting.objects.published().with_country_count(), query)
    parts = []
    for title, queryset in (
        # One query of the candidates' ids, best first, which the pager counts; then the page's rows.
        ("Passages: the candidates ranked, for the pager's count and pages", passages.ranked()),
        ("Passages: the first page of results, by their ids", passages.rows(passages.ids[:20])),
        ("Meetings", meetings[:10]),
    ):
        parts.append(f"-- {title}\n{queryset.explain(analyze=True, buffers=True)}")
    return "\n\n".join(parts)


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    client = cache._cache.get_client()  # type: ignore[attr-defined]  # the redis-py client of Django's Redis backend
    return {"postgresql": version, "database_size": size, "redis": client.info("server")["redis_version"]}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "explain":
        sys.stdout.write(explain(" ".join(arguments)) + "\n")
    else:
        sys.stdout.write(json.dumps({"state": state, "targets": targets, "machine": machine}[command]()) + "\n")
