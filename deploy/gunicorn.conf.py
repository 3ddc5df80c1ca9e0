"""gunicorn settings for `make serve` and the deployment (docs/deployment.md); each can be changed by environment.

Threaded workers (gthread): cores × 2 + 1 processes of 4 threads each. A page is mostly Python work,
so the processes keep the cores busy; the threads keep a request that waits (for an export another
request is building, for a slow query, for a slow client) from holding a whole process, so that cached
pages are still answered meanwhile: docs/reliability.md has the figures, sync against gthread.
Requests beyond what the threads can take wait in the listen backlog; nginx in front sheds what is
beyond that (deploy/nginx.conf).
"""

import json
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Each thread holds its own database connection: workers × threads per app server (20 on 2 cores).
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
# A request that takes longer than this is stuck: its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are renewed now and then, so that no slow leak can grow for ever. Rarely: at 2,000 a worker
# was replaced every ~3 s under load, which cost a fifth of the floor's requests per second
# (docs/performance.md); worker memory is flat after its first 2,000 requests.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# Load the app before forking: a broken configuration fails at start, not at the first request.
preload_app = True
# The proxies whose X-Forwarded-Proto gunicorn believes: the same list as the app's (DJANGO_TRUSTED_PROXIES,
# budapest/settings.py), which reads the client's address from X-Forwarded-For only when a request comes
# from one of them. Loopback by default: nginx on the same machine (or a unix socket, GUNICORN_BIND=unix:…).
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
# gunicorn 27 opens a control socket for gunicornc at one path per user ($XDG_RUNTIME_DIR or
# ~/.gunicorn/gunicorn.ctl): a second server on the machine would take the first one's, and remove it
# when it stops. None, unless GUNICORN_CONTROL_SOCKET names one for this server.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Access log as JSON lines on stderr, like the application's log (budapest/logging.py).
accesslog = "-"
errorlog = "-"
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "logger": "gunicorn.access",
        "client": "%(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "user_agent": "%(a)s",
    }
)
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
