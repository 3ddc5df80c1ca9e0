#!/usr/bin/env bash
# Two app servers behind nginx on this machine, sharing one PostgreSQL and one Redis, as
# docs/deployment.md describes with more servers. Shows, with curl, that
#   1. nginx spreads requests over both app servers;
#   2. an edit saved through one app server is read, fresh, through the other, although the other
#      had the page in the (shared) page cache;
#   3. a session opened by signing in through one is valid on the other;
#   4. the API's throttle counts are shared: a client gets no more by switching servers;
#   5. static files come from WhiteNoise, with long cache lifetimes, through nginx;
#   6. with one app server stopped, nginx keeps answering from the other, and the other's gunicorn
#      control socket is still there (gunicorn 27's default path is one per user).
# Loopback addresses only; every loop bounded. Installs nginx from Debian when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
source bench/lib.sh

NGINX_PORT="${SCALE_NGINX_PORT:-8300}"
A_PORT="${SCALE_A_PORT:-8301}"
B_PORT="${SCALE_B_PORT:-8302}"
BENCH_DB=budapest_scale
SLUG=2020-12-02-annual-senior-officials-meeting
WORK="$(mktemp -d)"
chmod 755 "$WORK"   # nginx workers run as an unprivileged user and write their temporary files here
NGINX_PID=""
FAILED=0

cleanup() {
  local status=$?
  [ -n "$NGINX_PID" ] && kill -TERM "$NGINX_PID" 2>/dev/null || true
  stop_apps
  drop_bench_cluster
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

check() {  # check DESCRIPTION COMMAND…: run the command, say PASS or FAIL
  local description=$1
  shift
  if "$@"; then printf 'PASS  %s\n' "$description"; else printf 'FAIL  %s\n' "$description"; FAILED=1; fi
}

install_nginx() {
  command -v nginx >/dev/null 2>&1 && return
  log "installing nginx from Debian"
  apt-get update -q >/dev/null
  # Keep the package from starting a server of its own on port 80 while it installs.
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null
  [ -n "$added" ] && rm -f "$policy"
  command -v nginx >/dev/null 2>&1 || { echo "nginx could not be installed" >&2; exit 1; }
}

install_nginx
ensure_redis
ensure_bench_cluster
production_env
export API_ANON_RATE=6/minute    # low, so that the shared count shows within a few requests
export WEB_CONCURRENCY=2
redis-cli -h 127.0.0.1 -p 6379 -n "$BENCH_REDIS_DB" flushdb >/dev/null

log "database $BENCH_DB with the 2020 meeting (migrated once, before any app server starts)"
fresh_database "$BENCH_DB"
$PY manage.py migrate --noinput >/dev/null
$PY manage.py loaddata som-2020 >/dev/null
$PY manage.py collectstatic --noinput --verbosity 0
PASSWORD="$($PY -c 'import secrets; print(secrets.token_urlsafe(16))')"
TOKEN="$($PY bench/benchdata.py token "$PASSWORD")"

log "app server A on 127.0.0.1:$A_PORT, B on 127.0.0.1:$B_PORT"
# Each server its own control socket (gunicorn 27's default path is one per user: they would fight over it).
GUNICORN_CONTROL_SOCKET="$WORK/a.ctl" start_app "$A_PORT" "$WORK/a.log" .venv/bin/gunicorn --config deploy/gunicorn.conf.py budapest.wsgi
GUNICORN_CONTROL_SOCKET="$WORK/b.ctl" start_app "$B_PORT" "$WORK/b.log" .venv/bin/gunicorn --config deploy/gunicorn.conf.py budapest.wsgi

log "nginx on 127.0.0.1:$NGINX_PORT in front of both"
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log $WORK/nginx/logs/access.log;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream budapest_app {
        server 127.0.0.1:$A_PORT max_fails=1 fail_timeout=10s;
        server 127.0.0.1:$B_PORT max_fails=1 fail_timeout=10s;
        keepalive 8;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        # For this demonstration only: which app server answered.
        add_header X-Upstream \$upstream_addr always;
        location / {
            proxy_pass http://budapest_app;
            include $REPO/deploy/nginx-proxy.conf;
        }
    }
}
EOF
nginx -q -t -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
setsid nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
wait_for 20 curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz"

NGINX="http://127.0.0.1:$NGINX_PORT"
A="http://127.0.0.1:$A_PORT"
B="http://127.0.0.1:$B_PORT"
echo

# 1. Round robin.
upstreams() { for _ in 1 2 3 4 5 6; do curl -fsS -o /dev/null -D - "$NGINX/healthz" | tr -d '\r' | sed -n 's/^X-Upstream: //Ip'; done | sort -u | tr '\n' ' '; }
SEEN="$(upstreams)"
check "nginx spreads requests over both app servers ($SEEN)" \
  test "$SEEN" = "127.0.0.1:$A_PORT 127.0.0.1:$B_PORT "

# 2. An edit through A, read through B.
NEW_TITLE="Annual Senior Officials Meeting (edited through A at $(date +%H:%M:%S))"
B_BEFORE="$(curl -fsS "$B/meetings/$SLUG/")"   # B renders the page and stores it in the shared page cache
B_CACHED="$(curl -fsS -D - -o /dev/null "$B/meetings/$SLUG/" | tr -d '\r' | sed -n 's/^X-Page-Cache: //Ip')"
check "B serves the page from the page cache before the edit (X-Page-Cache: ${B_CACHED:-none})" \
  test "$B_CACHED" = hit
STATUS="$(curl -sS -o "$WORK/patch.json" -w '%{http_code}' -X PATCH "$A/api/v1/meetings/$SLUG/" \
  -H "Authorization: Token $TOKEN" -H "Content-Type: application/json" -H "X-Forwarded-For: 127.3.0.1" \
  --data "{\"title\": \"$NEW_TITLE\"}")"
check "the edit is saved through A (HTTP $STATUS)" test "$STATUS" = 200
check "B had shown the old title before" bash -c '! grep -qF "$1" <<<"$2"' _ "$NEW_TITLE" "$B_BEFORE"
check "B's page shows the new title at once" bash -c 'curl -fsS "$1" | grep -qF "$2"' _ "$B/meetings/$SLUG/" "$NEW_TITLE"
check "B's API shows the new title at once" \
  bash -c 'curl -fsS -H "Authorization: Token $3" "$1" | grep -qF "$2"' _ "$B/api/v1/meetings/$SLUG/" "$NEW_TITLE" "$TOKEN"

# 3. Sign in through A, use the session on B (cookies are sent by hand: they are Secure, this is plain HTTP).
CSRF="$(curl -fsS -D - -o /dev/null "$A/admin/login/" | tr -d '\r' | sed -n 's/^Set-Cookie: csrftoken=\([^;]*\).*/\1/Ip')"
SESSION="$(curl -sS -D - -o /dev/null "$A/admin/login/?next=/admin/" -H "Cookie: csrftoken=$CSRF" \
  --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "username=bench-writer" \
  --data-urlencode "password=$PASSWORD" | tr -d '\r' | sed -n 's/^Set-Cookie: sessionid=\([^;]*\).*/\1/Ip')"
check "signing in through A opens a session" test -n "$SESSION"
check "the session opened on A is valid on B (the admin greets bench-writer)" \
  bash -c 'curl -fsS -H "Cookie: sessionid=$2" "$1/admin/" | grep -q "bench-writer"' _ "$B" "$SESSION"

# 4. The throttle count is shared: 6 anonymous API requests a minute per address, wherever they land.
CODES=""
for i in 1 2 3 4 5 6 7 8; do
  if [ $((i % 2)) = 1 ]; then server=$A; else server=$B; fi
  CODES+="$(curl -sS -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 127.4.0.1' "$server/api/v1/priority-goals/") "
done
check "requests alternating between A and B share one count: 6 answered, then 429 ($CODES)" \
  test "$CODES" = "200 200 200 200 200 200 429 429 "

# 5. Static files through nginx, from WhiteNoise.
CSS="$(curl -fsS "$NGINX/" | grep -o '/static/css/site\.[0-9a-f]*\.css' | head -n1)"
check "the stylesheet has a hashed name ($CSS)" test -n "$CSS"
check "and is served with a cache lifetime of a year" \
  bash -c 'curl -fsS -D - -o /dev/null "$1" | tr -d "\r" | grep -qi "^Cache-Control: .*max-age=315360000"' _ "$NGINX$CSS"

# 6. One app server down: nginx answers from the other.
check "each app server has a control socket of its own" test -S "$WORK/a.ctl" -a -S "$WORK/b.ctl"
kill -TERM -- "-${APP_PIDS[0]}"
for _ in $(seq 1 30); do kill -0 "${APP_PIDS[0]}" 2>/dev/null || break; sleep 1; done
CODES=""
for _ in 1 2 3 4 5 6; do CODES+="$(curl -sS -o /dev/null -w '%{http_code}' "$NGINX/meetings/$SLUG/") "; done
check "with A stopped, every request through nginx is still answered by B ($CODES)" \
  test "$CODES" = "200 200 200 200 200 200 "
check "stopping A left B's control socket in place" test -S "$WORK/b.ctl"

echo
if [ "$FAILED" = 0 ]; then echo "scale-out: all checks passed"; else echo "scale-out: some checks FAILED"; exit 1; fi
