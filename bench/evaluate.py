"""Read the results of bench/loadtest.sh and say, run by run, whether the site held; exit 1 if not."""

import json
import sys
from pathlib import Path


def load(folder: Path, name: str):
    return json.loads((folder / name).read_text())


def describe(run: dict) -> str:
    codes = ", ".join(f"{code}: {n}" for code, n in run["status"].items())
    return (
        f"{run['requests']} requests ({codes}); "
        f"p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, p99 {run['p99_ms']} ms, max {run['max_ms']} ms"
    )


def main(folder: Path) -> int:
    verdicts = []
    out = sys.stdout

    single = load(folder, "single.json")
    out.write(
        f"0. one reader alone: the meeting page in {single['median_ms']} ms (median of 20),"
        f" {single['max_ms']} ms at most\n"
    )

    run = load(folder, "readers-50.json")
    ok = run["requests"] > 0 and set(run["status"]) == {"200"}
    verdicts.append(ok)
    out.write(f"1. 50 readers: {'PASS' if ok else 'FAIL'}: every answer a 200\n   {describe(run)}\n")

    run = load(folder, "readers-200.json")
    ok = run["requests"] > 0 and set(run["status"]) <= {"200", "429", "503"}
    verdicts.append(ok)
    out.write(f"2. 200 readers: {'PASS' if ok else 'FAIL'}: only 200, 429 or 503\n   {describe(run)}\n")

    run = load(folder, "outage.json")
    times = load(folder, "outage-times.json")
    saved = load(folder, "saved.json")
    before, after = load(folder, "counts-before.json"), load(folder, "counts-after.json")
    timeline = {int(second): counts for second, counts in run["timeline"].items()}
    unavailable = sorted(second for second, counts in timeline.items() if "503" in counts)
    last = max(timeline) if timeline else 0
    tail = [timeline[s] for s in range(last - 9, last + 1) if s in timeline]
    recovered = bool(tail) and all(set(counts) <= {"200", "201"} for counts in tail)
    statuses_ok = set(run["status"]) <= {"200", "201", "429", "503"}
    grew = {label: after[label] - before[label] for label in before if after.get(label) != before[label]}
    rows_ok = (
        not saved["missing"]
        and grew.get("meetings.meeting", 0) == saved["acknowledged"]
        and all(label in ("meetings.meeting", "meetings.historicalmeeting") for label in grew)
    )
    ok = statuses_ok and bool(unavailable) and recovered and rows_ok
    verdicts.append(ok)
    out.write(
        f"3. database stopped for {times['stopped_for']} s: {'PASS' if ok else 'FAIL'}\n"
        f"   {describe(run)}\n"
        f"   503s from second {unavailable[0] if unavailable else '-'} to {unavailable[-1] if unavailable else '-'}"
        f" of the run; /readyz answered 200 {times['ready_after_start']} s after the database was back;"
        f" the last 10 s {'all 200/201' if recovered else 'NOT all 200/201'}\n"
        f"   writes acknowledged: {saved['acknowledged']}, found afterwards: {saved['found']},"
        f" missing: {len(saved['missing'])}; rows that changed: {grew or 'none'}\n"
    )

    size = load(folder, "popolo-size.json")
    out.write(
        f"4. Popolo clients against cached pages (export {size['bytes'] / 1e6:.1f} MB, first built in"
        f" {size['first_s']:.1f} s):\n"
    )
    cached_p95 = {}
    for worker in ("sync", "gthread"):
        run = load(folder, f"popolo-{worker}.json")
        page, export = run["by_name"].get("cached meeting page", {}), run["by_name"].get("popolo export", {})
        cached_p95[worker] = page.get("p95_ms", 10**9)
        out.write(
            f"   {worker:8}: cached page p50 {page.get('p50_ms')} ms, p95 {page.get('p95_ms')} ms,"
            f" max {page.get('max_ms')} ms ({page.get('n')} requests); exports: {export.get('n')},"
            f" p50 {export.get('p50_ms')} ms, p95 {export.get('p95_ms')} ms; statuses {run['status']}\n"
        )
    ok = cached_p95["gthread"] < 250 and "500" not in load(folder, "popolo-gthread.json")["status"]
    verdicts.append(ok)
    out.write(f"   {'PASS' if ok else 'FAIL'}: with gthread the cached page's p95 stays under 250 ms\n")
    run = load(folder, "popolo-quiet.json")
    page, export = run["by_name"].get("cached meeting page", {}), run["by_name"].get("popolo export", {})
    ok = page.get("p95_ms", 10**9) < 250 and "500" not in run["status"]
    verdicts.append(ok)
    out.write(
        f"   no writer: cached page p50 {page.get('p50_ms')} ms, p95 {page.get('p95_ms')} ms,"
        f" max {page.get('max_ms')} ms"
        f" ({page.get('n')} requests); exports: {export.get('n')}, p50 {export.get('p50_ms')} ms,"
        f" p95 {export.get('p95_ms')} ms; statuses {run['status']}\n"
        f"   {'PASS' if ok else 'FAIL'}: without a writer (the export and the page built once) the cached page's p95"
        " stays under 250 ms\n"
    )

    run = load(folder, "redis-outage.json")
    timeline = {int(second): counts for second, counts in run["timeline"].items()}
    unavailable = sorted(second for second, counts in timeline.items() if "503" in counts)
    last = max(timeline) if timeline else 0
    tail = [timeline[s] for s in range(last - 7, last + 1) if s in timeline]
    recovered = bool(tail) and all(set(counts) <= {"200", "429"} for counts in tail)
    probes = [line.split() for line in (folder / "readyz-during-redis-outage.txt").read_text().splitlines()]
    probe_ms = [round(float(seconds) * 1000) for _, seconds in probes]
    readyz = ", ".join(f"{code} in {ms} ms" for (code, _), ms in zip(probes, probe_ms, strict=True))
    statuses_ok = set(run["status"]) <= {"200", "429", "503"}
    ok = statuses_ok and recovered and run["max_ms"] < 5000 and probe_ms and max(probe_ms) < 200
    verdicts.append(ok)
    out.write(
        f"5. Redis paused under 200 readers: {'PASS' if ok else 'FAIL'}\n"
        f"   {describe(run)}\n"
        f"   503s from second {unavailable[0] if unavailable else '-'} to {unavailable[-1] if unavailable else '-'};"
        f" /readyz while Redis hung: {readyz};"
        f" the last 8 s {'all 200/429' if recovered else 'NOT all 200/429'}\n"
    )
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
