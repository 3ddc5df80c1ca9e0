# Shared by bench/loadtest.sh and bench/scale_out.sh: services, a PostgreSQL cluster of their own,
# app servers started and stopped by process group. Loopback addresses only; every wait is bounded.
# shellcheck shell=bash

PY=.venv/bin/python
PG_VERSION="${PG_VERSION:-$(ls /etc/postgresql | sort -V | tail -n1)}"
# The fault test stops PostgreSQL. It uses a cluster of its own ("bench", port 5433) so that nobody
# else's database goes down with it; BENCH_PG_CLUSTER=main BENCH_PG_PORT=5432 stops the main one.
BENCH_PG_CLUSTER="${BENCH_PG_CLUSTER:-bench}"
BENCH_PG_PORT="${BENCH_PG_PORT:-5433}"
BENCH_DB="${BENCH_DB:-budapest_bench}"
BENCH_REDIS_DB="${BENCH_REDIS_DB:-5}"
CREATED_CLUSTER=""
APP_PIDS=()

log() { printf '\n== %s\n' "$*" >&2; }

# Wait until "$@" succeeds: at most $1 tries, one second apart.
wait_for() {
  local tries=$1; shift
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return; fi
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/bench.log
  wait_for 30 redis-cli -h 127.0.0.1 -p 6379 ping || { echo "Redis did not start" >&2; exit 1; }
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "$BENCH_PG_PORT"; }

pg_start() {
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$BENCH_PG_CLUSTER" start 2>/dev/null || true
  wait_for 30 pg_up
}

pg_stop() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$BENCH_PG_CLUSTER" stop -m fast; }

ensure_bench_cluster() {
  # listen_addresses stays at its default, localhost: the loopback only.
  if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/$BENCH_PG_CLUSTER"; then
    log "creating PostgreSQL cluster $PG_VERSION/$BENCH_PG_CLUSTER on 127.0.0.1:$BENCH_PG_PORT"
    pg_createcluster "$PG_VERSION" "$BENCH_PG_CLUSTER" --port "$BENCH_PG_PORT" \
      -o max_connections=200 -- --auth=trust >/dev/null
    CREATED_CLUSTER=1
  fi
  pg_start || { echo "PostgreSQL ($BENCH_PG_CLUSTER) did not start" >&2; exit 1; }
}

drop_bench_cluster() {
  if [ -n "$CREATED_CLUSTER" ] && [ "${BENCH_KEEP_CLUSTER:-}" != 1 ]; then
    pg_dropcluster --stop "$PG_VERSION" "$BENCH_PG_CLUSTER" || true
  fi
}

fresh_database() {
  psql -q -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
    -c "CREATE DATABASE $1" >/dev/null
}

# Production settings from the environment, as on a server; only TLS is missing on the loopback.
production_env() {
  export DJANGO_DEBUG=false
  DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
  export DJANGO_SECRET_KEY
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
  export DATABASE_URL="postgres://postgres@127.0.0.1:$BENCH_PG_PORT/$BENCH_DB"
  export REDIS_URL="redis://127.0.0.1:6379/$BENCH_REDIS_DB"
  export CACHE_KEY_PREFIX="bench"
  # TLS ends at the load balancer in production; here there is none, so no redirect to https.
  export DJANGO_SECURE_SSL_REDIRECT=false
  # Locust and nginx connect from 127.0.0.1, a trusted proxy by default (DJANGO_TRUSTED_PROXIES): the
  # X-Forwarded-For they send counts each reader by its own address.
  export DJANGO_LOG_LEVEL=WARNING
}

# Start an app server with the command given (`make serve`, or gunicorn as it runs it) in a process
# group of its own, and wait until it is ready on its loopback port.
start_app() {
  local port=$1 logfile=$2
  shift 2
  PORT="$port" setsid "$@" >"$logfile" 2>&1 &
  APP_PIDS+=("$!")
  wait_for 60 curl -fsS "http://127.0.0.1:$port/readyz" || { echo "app on :$port did not get ready" >&2; tail -20 "$logfile" >&2; exit 1; }
}

stop_apps() {
  local pid
  for pid in "${APP_PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${APP_PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  APP_PIDS=()
}
