#!/usr/bin/env bash
# Load and fault tests of docs/reliability.md, run by hand (`make loadtest`), never by `make test`.
#
#   1. 50 readers for 60 s                          every answer a 200
#   2. 200 readers for 60 s                         200, 429 or 503 only: no 500, no dropped connection
#   3. 50 readers and one writer for 60 s, with PostgreSQL stopped for 10 s after 20 s:
#      503 while it is down, then 200 again without restarting anything, and every meeting the
#      writer was told was saved is in the database afterwards (rows counted before and after).
#   4. Popolo clients against cached pages, on an archive of $BENCH_ARCHIVE_MEETINGS generated meetings:
#      6 clients downloading the whole export without pause (a new address each time), a writer
#      saving a draft each second (each save makes the export stale), 20 readers of a cached page;
#      once with sync workers (4a), once with gthread (4b, the default): the cached page's p95; then (4c)
#      with gthread and no writer, the export and the page built once: the cached page's p95.
#   5. 200 readers with Redis paused (SIGSTOP: it accepts connections and never answers) for 10 s
#      after 20 s: 200, 429 or 503 only, no request held for seconds, /readyz within 200 ms while
#      Redis hangs, all 200 again afterwards by itself.
#
# Against `make serve` (gunicorn, production settings from the environment) on PostgreSQL (a cluster
# of its own, see bench/lib.sh) and Redis, on loopback addresses only. Locust runs headless from
# .venv-bench. Results: bench/results/<time>/ (JSON per run and summary.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

PORT="${BENCH_PORT:-8200}"
# A Redis of this run's own (run 5 pauses it): never the shared one.
REDIS_PORT="${BENCH_REDIS_PORT:-6380}"
ARCHIVE_MEETINGS="${BENCH_ARCHIVE_MEETINGS:-1000}"
REDIS_PID=""
DURATION="${BENCH_DURATION:-60}"
OUTAGE_AFTER="${BENCH_OUTAGE_AFTER:-20}"
OUTAGE_SECONDS="${BENCH_OUTAGE_SECONDS:-10}"
LOCUST=.venv-bench/bin/locust
RESULTS="bench/results/$(date +%Y%m%d-%H%M%S)"
LOCUST_PID=""
mkdir -p "$RESULTS"

cleanup() {
  local status=$?
  # Whatever happened, the database is started again, then everything this script started is stopped.
  pg_up || { log "restarting PostgreSQL ($BENCH_PG_CLUSTER)"; pg_start || true; }
  [ -n "$LOCUST_PID" ] && kill -TERM "$LOCUST_PID" 2>/dev/null || true
  stop_apps
  if [ -n "$REDIS_PID" ]; then kill -CONT "$REDIS_PID" 2>/dev/null || true; kill -TERM "$REDIS_PID" 2>/dev/null || true; fi
  drop_bench_cluster
  exit "$status"
}
trap cleanup EXIT INT TERM

[ -x "$LOCUST" ] || { echo "Locust is missing: run \`make loadtest\` (it installs .venv-bench)." >&2; exit 1; }
ensure_bench_cluster
production_env
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$RESULTS/redis.log" 2>&1 &
REDIS_PID=$!
wait_for 30 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping || { echo "Redis did not start" >&2; exit 1; }
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

log "database $BENCH_DB with the 2020 meeting"
fresh_database "$BENCH_DB"
$PY manage.py migrate --noinput >/dev/null
$PY manage.py loaddata som-2020 >/dev/null
$PY bench/benchdata.py urls "$RESULTS/urls.json"
BENCH_TOKEN="$($PY bench/benchdata.py token)"

log "make serve on 127.0.0.1:$PORT ($(nproc) cores)"
start_app "$PORT" "$RESULTS/serve.log" make serve
grep -m1 -o "Booting worker.*" "$RESULTS/serve.log" >/dev/null || true

# run NAME USERS [USER CLASSES…]: one headless locust run of $DURATION seconds, in the background.
run() {
  local name=$1 users=$2
  shift 2
  BENCH_URLS="$RESULTS/urls.json" BENCH_SUMMARY="$RESULTS/$name.json" BENCH_TOKEN="${RUN_TOKEN:-}" \
    timeout $((DURATION + 60)) "$LOCUST" -f bench/locustfile.py --headless --only-summary \
    --users "$users" --spawn-rate "$users" --run-time "${DURATION}s" --stop-timeout 10 \
    --host "http://127.0.0.1:$PORT" "$@" >"$RESULTS/$name.log" 2>&1 &
  LOCUST_PID=$!
}

finish() {
  wait "$LOCUST_PID" || true
  LOCUST_PID=""
}

log "one reader alone: the 2020 meeting's page 20 times in a row"
for _ in $(seq 1 20); do
  curl -fsS -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["meetings"][0])' "$RESULTS/urls.json")"
done | sort -n | awk '{t[NR]=$1} END {printf "{\"median_ms\": %d, \"max_ms\": %d}\n", t[int((NR+1)/2)]*1000, t[NR]*1000}' >"$RESULTS/single.json"
cat "$RESULTS/single.json"

log "run 1: 50 readers for ${DURATION}s"
run readers-50 50 Reader
finish

log "run 2: 200 readers for ${DURATION}s"
run readers-200 200 Reader
finish

log "run 3: 50 readers and a writer for ${DURATION}s, PostgreSQL stopped for ${OUTAGE_SECONDS}s after ${OUTAGE_AFTER}s"
$PY bench/benchdata.py counts >"$RESULTS/counts-before.json"
RUN_TOKEN="$BENCH_TOKEN" run outage 51 Reader Writer
sleep "$OUTAGE_AFTER"
log "stopping PostgreSQL"
pg_stop
STOPPED_AT=$(date +%s)
sleep "$OUTAGE_SECONDS"
log "starting PostgreSQL"
pg_start
STARTED_AT=$(date +%s)
# The site recovers by itself: nothing is restarted; /readyz says when.
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 1
done
READY_AT=$(date +%s)
finish
$PY bench/benchdata.py counts >"$RESULTS/counts-after.json"
$PY bench/benchdata.py saved "$RESULTS/outage.json" >"$RESULTS/saved.json" || true
echo "{\"stopped_for\": $((STARTED_AT - STOPPED_AT)), \"ready_after_start\": $((READY_AT - STARTED_AT))}" \
  >"$RESULTS/outage-times.json"

restart_app() {  # restart_app WORKER_CLASS: make serve again, with that gunicorn worker class
  stop_apps
  GUNICORN_WORKER_CLASS="$1" start_app "$PORT" "$RESULTS/serve-$1.log" make serve
}

log "an archive of $ARCHIVE_MEETINGS generated meetings for runs 4 and 5"
$PY manage.py generate_archive --meetings "$ARCHIVE_MEETINGS" >/dev/null
curl -fsS -o "$RESULTS/popolo.json" -w '{"bytes": %{size_download}, "first_s": %{time_total}}\n' \
  "http://127.0.0.1:$PORT/api/v1/export/popolo.json" >"$RESULTS/popolo-size.json"
cat "$RESULTS/popolo-size.json"
rm -f "$RESULTS/popolo.json"

for worker in sync gthread; do
  log "run 4 ($worker): 6 Popolo clients, a writer and 20 readers of a cached page for ${DURATION}s"
  restart_app "$worker"
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["meetings"][0])' "$RESULTS/urls.json")"
  RUN_TOKEN="$BENCH_TOKEN" run "popolo-$worker" 27 CachedPageReader PopoloClient Writer
  finish
done

# 4c: the finding of issue 17 itself, without the writer: every change makes every page and the export
# stale (the site's generation, docs/performance.md), so with a save each second nothing stays cached.
log "run 4 (gthread, no writer): 6 Popolo clients and 20 readers of a cached page for ${DURATION}s"
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/export/popolo.json"
curl -fsS -o /dev/null "http://127.0.0.1:$PORT$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["meetings"][0])' "$RESULTS/urls.json")"
run "popolo-quiet" 26 CachedPageReader PopoloClient
finish

log "run 5: 200 readers for ${DURATION}s, Redis paused for ${OUTAGE_SECONDS}s after ${OUTAGE_AFTER}s"
run redis-outage 200 Reader
sleep "$OUTAGE_AFTER"
log "pausing Redis"
kill -STOP "$REDIS_PID"
sleep 2
for _ in 1 2 3 4 5; do
  curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT/readyz"; sleep 1
done >"$RESULTS/readyz-during-redis-outage.txt"
sleep $((OUTAGE_SECONDS > 7 ? OUTAGE_SECONDS - 7 : 0))
log "resuming Redis"
kill -CONT "$REDIS_PID"
finish

log "results ($RESULTS)"
$PY bench/evaluate.py "$RESULTS" | tee "$RESULTS/summary.txt"
