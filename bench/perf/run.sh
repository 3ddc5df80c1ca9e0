#!/usr/bin/env bash
# The archive-scale benchmark of docs/performance.md (`make bench`).
#
# PostgreSQL (a database of its own, budapest_perf, on 127.0.0.1:5432) with the 2020 meeting and 10,000
# generated meetings, Redis (database 6, flushed), two app servers started with `make serve` (gunicorn,
# production settings): one with the page cache, one without (DJANGO_PAGE_CACHE=off). wrk measures
# requests per second and latency of each address against the floor, /healthz, measured in the same
# run; one worker's memory is read from /proc over 10,000 requests; EXPLAIN shows how search runs.
# The figures go to bench/results/perf-<time>/ and into docs/performance.md.
#
# Loopback addresses only; every load run is bounded in time (wrk -d, timeout) and in requests.
# BENCH_MEETINGS, BENCH_DURATION (s), BENCH_CONNECTIONS, BENCH_FRESH=1 (generate again) change the run.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
MEETINGS="${BENCH_MEETINGS:-10000}"
DURATION="${BENCH_DURATION:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
MAX_PER_THREAD="${BENCH_MAX_REQUESTS:-500000}"
MEMORY_REQUESTS="${BENCH_MEMORY_REQUESTS:-10000}"
DB="${BENCH_PERF_DB:-budapest_perf}"
PG="postgres://postgres@127.0.0.1:5432"
REDIS_DB="${BENCH_PERF_REDIS_DB:-6}"
CACHED=8301 UNCACHED=8302 SINGLE=8303 PEER=8304
RESULTS="bench/results/perf-$(date +%Y%m%d-%H%M%S)"
ARCHIVE_RECORD=bench/results/perf-archive.json
SERVER_PIDS=()
mkdir -p "$RESULTS"

log() { printf '\n== %s\n' "$*" >&2; }

wait_for() {  # wait_for TRIES COMMAND…: at most TRIES tries, one second apart
  local tries=$1; shift
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}
trap stop_servers EXIT INT TERM

# start_server PORT LOGFILE [VAR=value…]: `make serve` in a process group of its own, ready on /readyz.
start_server() {
  local port=$1 logfile=$2
  shift 2
  env "$@" PORT="$port" setsid make --no-print-directory serve >"$logfile" 2>&1 &
  SERVER_PIDS+=("$!")
  wait_for 90 curl -fsS "http://127.0.0.1:$port/readyz" || { tail -20 "$logfile" >&2; exit 1; }
}

log "tools"
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || {
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/bench.log
  wait_for 30 redis-cli -h 127.0.0.1 ping || { echo "Redis did not start" >&2; exit 1; }
}
pg_isready -q -h 127.0.0.1 -p 5432 || {
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  wait_for 30 pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
}

# Production settings from the environment, as on a server; no TLS on the loopback, no API rate limit
# in the way of the load (the throttle still counts every request in Redis).
export DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=false
DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
export DJANGO_SECRET_KEY DJANGO_LOG_LEVEL=WARNING API_ANON_RATE=100000000/minute
export DATABASE_URL="$PG/$DB" REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" CACHE_KEY_PREFIX=perf

log "database $DB with the 2020 meeting and $MEETINGS generated meetings"
state="$($PY bench/perf/tools.py state 2>/dev/null || echo '{"migrated": false, "generated": 0}')"
if [ "${BENCH_FRESH:-}" = 1 ] || [ "$($PY -c "import json,sys; s=json.loads(sys.argv[1]); print(s['migrated'] and s['generated'] == $MEETINGS)" "$state")" != True ]; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  $PY manage.py migrate --noinput >/dev/null
  $PY manage.py loaddata som-2020 >/dev/null
  started=$(date +%s.%N)
  $PY manage.py generate_archive --meetings "$MEETINGS" --seed 1 --batch 200 | tail -1 | tee "$RESULTS/generate.log"
  finished=$(date +%s.%N)
  psql -q -h 127.0.0.1 -U postgres -d "$DB" -c "VACUUM ANALYZE"
  $PY - "$started" "$finished" "$MEETINGS" "$RESULTS/generate.log" >"$ARCHIVE_RECORD" <<'EOF'
import datetime, json, sys
started, finished, meetings, output = sys.argv[1:]
print(json.dumps({"meetings": int(meetings), "seconds": round(float(finished) - float(started), 1),
                  "output": open(output).read().strip(), "date": datetime.date.today().isoformat()}))
EOF
else
  echo "reusing it: $state" >&2
fi
cp "$ARCHIVE_RECORD" "$RESULTS/archive.json" 2>/dev/null || echo '{}' >"$RESULTS/archive.json"
$PY bench/perf/tools.py state >"$RESULTS/state.json"
$PY bench/perf/tools.py machine >"$RESULTS/machine.json"
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

# Other work on the machine takes cores from the servers and from wrk: the load is recorded with the figures.
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/load-before.txt"
log "make serve twice: with the page cache on :$CACHED, without it on :$UNCACHED ($(nproc) cores, load $(cat "$RESULTS/load-before.txt"))"
start_server "$CACHED" "$RESULTS/serve-cached.log"
start_server "$UNCACHED" "$RESULTS/serve-uncached.log" DJANGO_PAGE_CACHE=off
# The peer of the uncached meeting page: the same summary as one Wagtail page, the same gunicorn settings.
[ -f .venv-wagtail/peer/db.sqlite3 ] || bench/perf/wagtail_peer.sh build >"$RESULTS/wagtail-build.log" 2>&1
setsid bench/perf/wagtail_peer.sh serve "$PEER" >"$RESULTS/serve-wagtail.log" 2>&1 &
SERVER_PIDS+=("$!")
wait_for 90 curl -fsS -o /dev/null "http://127.0.0.1:$PEER/" || { tail -20 "$RESULTS/serve-wagtail.log" >&2; exit 1; }
$PY bench/perf/tools.py targets >"$RESULTS/targets.json"
target() { $PY -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$RESULTS/targets.json" "$1"; }
MEETING=$(target meeting) COUNTRY=$(target country) SEARCH=$(target search) SEARCH_RARE=$(target search_rare)
GENERATED=$(target generated_meeting) API_LIST=$(target api_list) STATIC=$(target static)

# A returning reader who chose a language sends the site's language cookie; pages set no other.
LANGUAGE_COOKIE="django_language=en"

# name, port, address [returning|gzip|single]: what wrk measures, in this order: the floor first, the fast
# addresses before the slow ones. A first visit sends no cookie (as wrk does); "returning" sends the
# language cookie; "gzip" asks for compression, as every browser does (wrk asks for none); "single" is
# one connection, for the time a request takes when it does not wait.
RUNS=(
  "floor $CACHED /healthz"
  "static $CACHED $STATIC"
  "meeting_cached $CACHED $MEETING"
  "meeting_cached_gzip $CACHED $MEETING gzip"
  "meeting_cached_returning $CACHED $MEETING returning"
  "country_cached $CACHED $COUNTRY"
  "meeting_uncached $UNCACHED $MEETING"
  "wagtail_peer $PEER /"
  "generated_meeting_uncached $UNCACHED $GENERATED"
  "country_uncached $UNCACHED $COUNTRY"
  "api_list $CACHED $API_LIST"
  "search_uncached $UNCACHED $SEARCH"
  "search_rare_uncached $UNCACHED $SEARCH_RARE"
  "search_single $UNCACHED $SEARCH single"
  "search_rare_single $UNCACHED $SEARCH_RARE single"
)

# Wait until a server has answered what wrk left in its queue: /healthz answers at once again.
drain() {
  for _ in $(seq 1 180); do
    time=$(curl -fsS -o /dev/null -m 60 -w '%{time_total}' "http://127.0.0.1:$1/healthz" 2>/dev/null || echo 99)
    awk -v t="$time" 'BEGIN { exit !(t < 0.05) }' && return 0
    sleep 1
  done
}

log "warming up and checking what is cached"
for run in "${RUNS[@]}"; do
  read -r name port address _ <<<"$run"
  for _ in 1 2 3; do curl -fsS -o /dev/null "http://127.0.0.1:$port$address"; done
  printf '%-28s %s\n' "$name" "$(curl -fsS -o /dev/null -D - "http://127.0.0.1:$port$address" | tr -d '\r' \
    | awk -F': ' 'tolower($1)=="x-page-cache"{v=$2} END{print v ? "page cache: " v : "not page-cached"}')"
done | tee "$RESULTS/cache-check.txt"

for run in "${RUNS[@]}"; do
  read -r name port address option <<<"$run"
  options=(-t2 -c"$CONNECTIONS")
  [ "$option" = returning ] && options+=(-H "Cookie: $LANGUAGE_COOKIE")
  [ "$option" = gzip ] && options+=(-H "Accept-Encoding: gzip, deflate, br")
  [ "$option" = single ] && options=(-t1 -c1)
  drain "$CACHED"; drain "$UNCACHED"
  log "$name: wrk ${options[*]} -d${DURATION}s http://127.0.0.1:$port$address"
  # A slow answer is measured (up to 30 s), not counted as an error after wrk's default 2 s.
  timeout $((DURATION + 60)) wrk "${options[@]}" -d"${DURATION}s" --timeout 30s -s bench/perf/wrk.lua \
    "http://127.0.0.1:$port$address" -- "$MAX_PER_THREAD" | tee "$RESULTS/$name.wrk" | tail -1 >"$RESULTS/$name.json"
  cat "$RESULTS/$name.json"
done
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/load-after.txt"
drain "$CACHED"; drain "$UNCACHED"
stop_servers

log "memory: one worker over $MEMORY_REQUESTS requests"
# As in production (page cache on) but one worker that is never renewed. The addresses: 1,000
# meetings, 10 countries and four searches in turn; a first pass renders them, later passes are mostly
# served from the cache.
start_server "$SINGLE" "$RESULTS/serve-single.log" WEB_CONCURRENCY=1 GUNICORN_CMD_ARGS="--max-requests 0"
# The gunicorn master is the oldest gunicorn process of the server's process group; its child, the worker.
master=$(pgrep -g "${SERVER_PIDS[0]}" -o -f "bin/gunicorn")
worker=$(pgrep -P "$master" | head -1)
psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT '/meetings/' || slug || '/' FROM meetings_meeting WHERE status = 'published' AND published_at <= now() ORDER BY md5(slug) LIMIT 1000" >"$RESULTS/memory-urls.txt"
psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT '/countries/' || slug || '/' FROM actors_actor WHERE kind = 'country' ORDER BY md5(slug) LIMIT 10" >>"$RESULTS/memory-urls.txt"
printf '%s\n' "$SEARCH" "$SEARCH_RARE" "/search/?q=return+readmission" "/search/?country=TR&goal=5" >>"$RESULTS/memory-urls.txt"
$PY bench/perf/memory.py "http://127.0.0.1:$SINGLE" "$worker" "$RESULTS/memory-urls.txt" "$MEMORY_REQUESTS" 900 \
  | tee "$RESULTS/memory.json"
stop_servers

log "EXPLAIN of the search"
$PY bench/perf/tools.py explain smuggling >"$RESULTS/explain.txt"
grep -n "Bitmap Index Scan\|Index Scan\|Seq Scan" "$RESULTS/explain.txt" | head -8

log "results ($RESULTS)"
$PY bench/perf/report.py "$RESULTS" --doc docs/performance.md
