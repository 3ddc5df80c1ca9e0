#!/usr/bin/env bash
# The peer of the uncached meeting page (issue 17): the same 2020 summary served by Wagtail, the CMS a
# Secretariat would otherwise pick, built here in an environment of its own.
#
#   bench/perf/wagtail_peer.sh build        # .venv-wagtail (Wagtail from the package index), `wagtail start`,
#                                           # one page whose rich text is the 2020 summary's text
#   bench/perf/wagtail_peer.sh serve PORT   # gunicorn with deploy/gunicorn.conf.py (the app's settings), no cache
#
# The page: Wagtail's own HomePage model with a RichTextField, its template rendering `page.body|richtext`
# inside the project's base template, production settings (DEBUG off), SQLite (wagtail start's default),
# no cache of any kind. bench/perf/run.sh measures it with wrk beside the uncached meeting page.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
VENV="$ROOT/.venv-wagtail"
PEER="$VENV/peer"  # inside its environment: apart from the app, ignored by git and the linters
SUMMARY="$ROOT/fixtures/sources/2020-12-02-annual-som.txt"
PYTHON_BOOTSTRAP="${PYTHON_BOOTSTRAP:-python3}"

build() {
  [ -x "$VENV/bin/wagtail" ] || {
    "$PYTHON_BOOTSTRAP" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet wagtail gunicorn
  }
  rm -rf "$PEER" && mkdir -p "$PEER"
  (cd "$PEER" && "$VENV/bin/wagtail" start peer .)
  # One rich-text field on the home page, shown by its template.
  cat >>"$PEER/home/models.py" <<'PY'


from wagtail.fields import RichTextField  # noqa: E402

HomePage.add_to_class("body", RichTextField(blank=True))
HomePage.content_panels = HomePage.content_panels + ["body"]
PY
  cat >"$PEER/home/templates/home/home_page.html" <<'HTML'
{% extends "base.html" %}{% load wagtailcore_tags %}
{% block body_class %}template-homepage{% endblock %}
{% block content %}<article><h1>{{ page.title }}</h1>{{ page.body|richtext }}</article>{% endblock content %}
HTML
  # What wagtail start leaves to the deployment: the secret key and the hosts.
  cat >"$PEER/peer/settings/local.py" <<'PY'
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "peer-only-on-the-loopback")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PY
  cd "$PEER"
  export DJANGO_SETTINGS_MODULE=peer.settings.dev
  "$VENV/bin/python" manage.py makemigrations home --name body -v0
  "$VENV/bin/python" manage.py migrate -v0
  "$VENV/bin/python" manage.py shell -c "
import html, re
from home.models import HomePage
text = open('$SUMMARY', encoding='utf-8').read()
blocks = [b.strip() for b in re.split(r'\n\s*\n', text) if b.strip()]
body = ''.join('<p>' + re.sub(r'\*\*(.+?)\*\*', r'<b>\1</b>', html.escape(b)) + '</p>' for b in blocks)
page = HomePage.objects.get(depth=2)
page.title = 'Annual Senior Officials Meeting, 2 December 2020'
page.body = body
page.save_revision().publish()
print(f'the 2020 summary: {len(blocks)} paragraphs, {len(body)} characters of rich text')
"
  "$VENV/bin/python" manage.py collectstatic --noinput -v0 --settings=peer.settings.production
}

serve() {
  cd "$PEER"
  # The app's gunicorn settings (workers, threads, backlog, timeouts), with Wagtail's production settings.
  PORT="$1" DJANGO_SETTINGS_MODULE=peer.settings.production DJANGO_SECRET_KEY="peer-$RANDOM-$RANDOM-$RANDOM" \
    exec "$VENV/bin/gunicorn" --config "$ROOT/deploy/gunicorn.conf.py" peer.wsgi
}

case "${1:-}" in
  build) build ;;
  serve) serve "${2:?PORT}" ;;
  *) echo "usage: $0 build | serve PORT" >&2; exit 2 ;;
esac
