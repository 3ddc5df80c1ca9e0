"""The figures of one run of bench/perf/run.sh: a table against the floor, the targets, and the doc.

    report.py RESULTS_DIR [--doc docs/performance.md]

Prints the table; with --doc, writes it (with the machine, the archive, memory and EXPLAIN) between the
markers of the benchmark section of the document, leaving the rest of the document as it is.
"""

import json
import os
import platform
import sys
from datetime import date
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
ROWS = [
    ("floor", "`/healthz`: the floor, a view that does no work"),
    ("static", "a static file (WhiteNoise, hashed name)"),
    ("meeting_cached", "the 2020 meeting's page, **cached**, first visit, uncompressed (wrk asks for no gzip)"),
    ("meeting_cached_gzip", "the 2020 meeting's page, **cached**, first visit, as a browser asks (gzip)"),
    ("meeting_cached_returning", "the 2020 meeting's page, **cached**, returning reader (language cookie)"),
    ("meeting_uncached", "the 2020 meeting's page, uncached"),
    ("wagtail_peer", "the same summary as one Wagtail page (`bench/perf/wagtail_peer.sh`), no cache"),
    ("generated_meeting_uncached", "a generated meeting's page, uncached"),
    ("country_cached", "Turkey's page, **cached**"),
    ("country_uncached", "Turkey's page, uncached"),
    ("api_list", "`/api/v1/meetings/` (the API is never page-cached)"),
    ("search_uncached", "search `smuggling` (many matches), uncached"),
    ("search_rare_uncached", 'search `"Canary Islands"` (few matches), uncached'),
    ("search_single", "search `smuggling`, one connection: a search that does not wait"),
    ("search_rare_single", 'search `"Canary Islands"`, one connection'),
]
# Memory is flat when the worker grows by less than this from the end of the first pass over the
# addresses (every page rendered once, the worker's copy of pages full) to the last request.
FLAT_GROWTH = 0.05


def load(results: Path, name: str):
    path = results / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() and path.read_text().strip() else None


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def table(results: Path) -> tuple[str, dict]:
    runs = {name: load(results, name) for name, _ in ROWS}
    floor = runs["floor"]["rps"] if runs.get("floor") else None
    lines = [
        "| what | req/s | p50 ms | p95 ms | p99 ms | × floor | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in ROWS:
        run = runs.get(name)
        if not run:
            lines.append(f"| {label} | not measured | | | | | |")
            continue
        ratio = f"{run['rps'] / floor:.0%}" if floor else "?"
        errors = run["socket_errors"] + run["non_2xx_3xx"]
        lines.append(
            f"| {label} | {run['rps']:,.0f} | {run['p50_ms']:.1f} | {run['p95_ms']:.1f} | {run['p99_ms']:.1f} "
            f"| {ratio} | {errors} |"
        )
    return "\n".join(lines), runs


def targets(runs: dict, memory: dict | None) -> tuple[str, list[str]]:
    floor = runs["floor"]["rps"]

    def ratio(name):
        return runs[name]["rps"] / floor

    def verdict(ok):
        return "**met**" if ok else "**missed**"

    lines, missed = [], []
    checks = [
        ("cached meeting page ≥ 80% of the floor (as a browser asks: gzip)", ratio("meeting_cached_gzip") >= 0.80,
         f"{ratio('meeting_cached_gzip'):.0%}"),
        ("cached meeting page ≥ 80% of the floor (uncompressed, first visit)", ratio("meeting_cached") >= 0.80,
         f"{ratio('meeting_cached'):.0%}"),
        ("cached meeting page ≥ 80% of the floor (uncompressed, returning reader)",
         ratio("meeting_cached_returning") >= 0.80, f"{ratio('meeting_cached_returning'):.0%}"),
        ("uncached meeting page ≥ 25% of the floor", ratio("meeting_uncached") >= 0.25,
         f"{ratio('meeting_uncached'):.0%}"),
        ("uncached meeting page ≥ 4 × the same summary served by Wagtail",
         bool(runs.get("wagtail_peer")) and runs["meeting_uncached"]["rps"] >= 4 * runs["wagtail_peer"]["rps"],
         f"{runs['meeting_uncached']['rps'] / runs['wagtail_peer']['rps']:.2f} ×"
         if runs.get("wagtail_peer") else "not measured"),
        ("uncached country page ≥ 25% of the floor", ratio("country_uncached") >= 0.25,
         f"{ratio('country_uncached'):.0%}"),
        ("search p95 < 50 ms (one connection: the search's own time)", runs["search_single"]["p95_ms"] < 50,
         f"{runs['search_single']['p95_ms']:.1f} ms (many matches), "
         f"{runs['search_rare_single']['p95_ms']:.1f} ms (few); under load (16 connections) "
         f"{runs['search_uncached']['p95_ms']:.0f} and {runs['search_rare_uncached']['p95_ms']:.0f} ms"),
    ]  # fmt: skip
    if memory:
        growth = memory_growth(memory)
        checks.append(("worker memory flat after the first pass", abs(growth) < FLAT_GROWTH, f"{growth:+.1%}"))
    for label, ok, measured in checks:
        lines.append(f"| {label} | {measured} | {verdict(ok)} |")
        if not ok:
            missed.append(label)
    return "| target | measured | |\n|---|---|---|\n" + "\n".join(lines), missed


def warm_sample(memory: dict) -> dict:
    """The first sample after every address was asked for once."""
    samples = memory["samples"]
    return next((s for s in samples if s["requests"] >= memory.get("addresses", 0)), samples[0])


def memory_growth(memory: dict) -> float:
    return memory["samples"][-1]["rss_kib"] / warm_sample(memory)["rss_kib"] - 1


def memory_text(memory: dict | None) -> str:
    if not memory:
        return "Not measured."
    points = ", ".join(f"{s['requests']:,}: {s['rss_kib'] / 1024:.1f}" for s in memory["samples"])
    statuses = ", ".join(f"{count:,} × {status}" for status, count in sorted(memory["statuses"].items()))
    return (
        f"One worker (`WEB_CONCURRENCY=1`, `--max-requests 0`, page cache on) answered {memory['requests']:,} "
        f"requests in {memory['seconds']:.0f} s ({statuses}), over 1,000 meeting pages, 10 country pages and four "
        f"searches in turn, four at a time: the first pass renders them, later passes are mostly served from the "
        f"cache. Its resident memory (VmRSS, MiB) after so many requests: {points}. It grows during the first "
        f"pass ({memory.get('addresses', '?'):,} addresses: pages rendered once, the worker's copy of pages filling "
        f"up), then from the {warm_sample(memory)['requests']:,}th request to the last it changed by "
        f"{memory_growth(memory):+.1%}."
    )


def section(results: Path) -> tuple[str, list[str]]:
    rows, runs = table(results)
    memory = load(results, "memory")
    if memory and (results / "memory-urls.txt").exists():
        memory["addresses"] = len((results / "memory-urls.txt").read_text().split())
    target_table, missed = targets(runs, memory)
    machine = load(results, "machine") or {}
    state = load(results, "state") or {}
    archive = load(results, "archive") or {}
    made = (
        f"`generate_archive --meetings {archive['meetings']}` took **{archive['seconds']} s** on {archive['date']}"
        f" ({archive.get('output', '')})."
        if archive
        else "The archive was made before this run and kept (`BENCH_FRESH=1` makes it again, and times it)."
    )
    explain = (results / "explain.txt").read_text().strip() if (results / "explain.txt").exists() else ""
    check = (results / "cache-check.txt").read_text().strip() if (results / "cache-check.txt").exists() else ""
    targets_json = load(results, "targets") or {}
    cores = os.cpu_count() or 1
    load_average = {
        moment: (results / f"load-{moment}.txt").read_text().split()
        for moment in ("before", "after")
        if (results / f"load-{moment}.txt").exists()
    }
    load_text = ""
    if len(load_average) == 2:
        before, after = (", ".join(load_average[moment]) for moment in ("before", "after"))
        load_text = f" Load average (1, 5, 15 min) before the runs: {before}; after: {after}."
    text = f"""{BEGIN}
Measured on {date.today().isoformat()} by `make bench` (`bench/perf/run.sh`; raw figures in
`{results}/`, git-ignored).

**Machine.** {cpu_model()}, {cores} cores, {memory_total_gib():.0f} GiB of memory, Linux {platform.release()},
Python {platform.python_version()}, PostgreSQL {machine.get("postgresql", "?")}, Redis {machine.get("redis", "?")}.
The app servers are `make serve` (gunicorn, {2 * cores + 1} gthread workers of 4 threads = 2 × cores + 1, production
settings); wrk runs on the same machine (2 threads, {os.environ.get("BENCH_CONNECTIONS", "16")} connections,
{os.environ.get("BENCH_DURATION", "15")} s per address), so it takes its share of the same cores.{load_text}

**Archive.** {state.get("meetings", "?"):,} meetings ({state.get("published", "?"):,} published; the 2020 meeting
and {state.get("generated", "?"):,} generated), {targets_json.get("passages", "?"):,} published passages;
database size {machine.get("database_size", "?")}. {made}

{rows}

{target_table}

What the cache did with each address during the run:

```
{check}
```

**Memory.** {memory_text(memory)}

**Search plan** (`EXPLAIN (ANALYZE, BUFFERS)` of the queries the search page runs for `smuggling`):

```
{explain}
```
{END}"""
    return text, missed


def main(results: Path, doc: Path | None) -> int:
    text, missed = section(results)
    sys.stdout.write(table(results)[0] + "\n")
    sys.stdout.write(("Targets missed: " + "; ".join(missed) if missed else "Every target met.") + "\n")
    if doc:
        content = doc.read_text() if doc.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
        if BEGIN not in content:
            content += f"\n{BEGIN}\n{END}\n"
        start, end = content.index(BEGIN), content.index(END) + len(END)
        doc.write_text(content[:start] + text + content[end:])
        sys.stdout.write(f"Wrote the figures into {doc}.\n")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    doc_path = None
    if "--doc" in arguments:
        index = arguments.index("--doc")
        doc_path = Path(arguments[index + 1])
        del arguments[index : index + 2]
    sys.exit(main(Path(arguments[0]), doc_path))
