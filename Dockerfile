# The app server image: gunicorn with production settings from the environment (docs/deployment.md).
# Untested here: this machine has no container engine. Build: docker build -t budapest-records .
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin budapest

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Static files are collected (and compressed, with hashed names) into the image; WhiteNoise serves
# them. The key below only lets settings load during the build; the real one comes at run time.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-at-build-time-only DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

USER budapest
# 0.0.0.0 inside the container: only the compose network reaches it, and X-Forwarded-For is believed
# only from DJANGO_TRUSTED_PROXIES (compose.yaml). Exports are kept in the container's own /tmp.
ENV DJANGO_DEBUG=false \
    GUNICORN_BIND=0.0.0.0:8000 \
    DJANGO_EXPORT_ROOT=/tmp/budapest-exports
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "budapest.wsgi"]
