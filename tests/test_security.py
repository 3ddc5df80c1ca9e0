"""Production settings, security headers, the Content Security Policy, cookies and the admin's protection."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from budapest.security import DebugPagesWithoutCSPMiddleware

from . import factories as f

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
ONE_YEAR = 365 * 24 * 3600

PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": ONE_YEAR,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def _production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="records.example.org",
        **extra,
    )
    return env


def _run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
get_wsgi_application()  # loads every middleware, the session engine among them
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": settings.SESSION_COOKIE_SAMESITE,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "DATABASE_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DATABASE_NAME": settings.DATABASES["default"]["NAME"],
    "LOG_FORMATTER": settings.LOGGING["handlers"]["console"]["formatter"],
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "ADMIN_URL": reverse("admin:index"),
}))
"""


def test_production_settings_come_from_the_environment():
    env = _production_env(
        DATABASE_URL="postgres://records:pw@db.internal:5432/records",
        REDIS_URL="redis://cache.internal:6379/0",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_ADMIN_PATH="office",
        DJANGO_SETTINGS_MODULE="budapest.settings",
    )
    result = _run_python(SHOW_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["records.example.org"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    # Django's Redis cache behind a circuit breaker (budapest/redis_cache.py, a subclass of Django's).
    assert values["CACHE_BACKEND"] == "budapest.redis_cache.RedisCache"
    assert values["CACHE_LOCATION"] == "redis://cache.internal:6379/0"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    # Django's PostgreSQL backend behind a circuit breaker (budapest/postgresql/base.py, a subclass of Django's).
    assert values["DATABASE_ENGINE"] == "budapest.postgresql"
    assert values["DATABASE_NAME"] == "records"
    assert values["LOG_FORMATTER"] == "json"
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["ADMIN_URL"] == "/office/"


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env(DJANGO_SETTINGS_MODULE="budapest.settings")
    del env["DJANGO_SECRET_KEY"]
    result = _run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_checks_pass_with_production_settings():
    env = _production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_public_pages_send_the_security_headers(client):
    meeting = f.MeetingFactory()
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["script-src"][0] == "'self'"
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@override_settings(**PRODUCTION)
def test_production_redirects_to_https_and_sends_hsts(client):
    plain = client.get("/meetings/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/meetings/", secure=True)
    assert secure.status_code == 200
    hsts = dict(
        part.strip().partition("=")[::2] for part in secure["Strict-Transport-Security"].split(";") if part.strip()
    )
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert "includeSubDomains" in hsts


@override_settings(**PRODUCTION, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_https_ended_at_the_load_balancer_is_recognised(client):
    response = client.get("/meetings/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


@override_settings(**PRODUCTION)
def test_production_cookies_are_secure_httponly_and_samesite(client):
    User.objects.create_superuser("officer", password="a-long-password-1")
    login_page = client.get("/admin/login/", secure=True)
    csrf = login_page.cookies["csrftoken"]
    response = client.post(
        "/admin/login/",
        {"username": "officer", "password": "a-long-password-1", "csrfmiddlewaretoken": csrf.value},
        secure=True,
        headers={"Referer": "https://testserver/admin/login/"},
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies.get(name) or login_page.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


class ScriptsAndStyles(HTMLParser):
    """Every <script> and <style> element, and every inline event handler or style attribute."""

    def __init__(self):
        super().__init__()
        self.elements, self.inline_attributes = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.elements.append((tag, attributes))
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.inline_attributes.append((tag, name))


def _runs_without_unsafe_inline(response) -> list[str]:
    """What a browser enforcing the response's CSP would block: inline code without the request's nonce."""
    csp = _directives(response["Content-Security-Policy"])
    nonces = {value[len("'nonce-") : -1] for value in csp["script-src"] if value.startswith("'nonce-")}
    parser = ScriptsAndStyles()
    parser.feed(response.content.decode())
    blocked = [f"{tag} {name}=" for tag, name in parser.inline_attributes]
    for tag, attributes in parser.elements:
        if tag == "script" and attributes.get("type") in ("application/json", "application/ld+json"):
            continue  # data, never run
        if tag == "script" and attributes.get("src"):
            assert attributes["src"].startswith("/"), attributes  # from the site itself
            continue
        if attributes.get("nonce") not in nonces:
            blocked.append(f"<{tag}> without the nonce")
    return blocked


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("admin-csp", password="a-long-password-1"))
    return client


def test_admin_pages_run_under_the_policy(staff_client):
    passage = f.PassageFactory(speakers=[f.CountryFactory()], official=f.PositionFactory())
    meeting = passage.paragraph.meeting
    f.ParticipationFactory(meeting=meeting)
    f.FootnoteFactory(meeting=meeting)
    urls = [
        reverse("admin:index"),
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:meetings_meeting_add"),
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_paragraph_change", args=[passage.paragraph.pk]),
        reverse("admin:meetings_passage_change", args=[passage.pk]),
        reverse("admin:actors_actor_changelist"),
        reverse("admin:actors_actor_change", args=[passage.speakers.get().pk]),
        reverse("admin:actors_person_add"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:actors_person_delete", args=[passage.official.person.pk]),
        reverse("admin:meetings_meeting_history", args=[meeting.pk]),
    ]
    checked = 0
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert _runs_without_unsafe_inline(response) == [], url
        checked += 1
    assert checked == len(urls)


def test_the_nonce_of_the_page_is_the_nonce_of_the_header(staff_client):
    """The changelist's inline <style> carries the nonce that the header allows, and only that one."""
    f.MeetingFactory()
    response = staff_client.get(reverse("admin:meetings_meeting_changelist"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    other = staff_client.get(reverse("admin:meetings_meeting_changelist"))
    assert nonce not in other["Content-Security-Policy"]


def test_api_docs_run_under_the_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert _runs_without_unsafe_inline(response) == []


def test_the_check_itself_catches_inline_script(client):
    """The helper above is not blind: an inline script without a nonce is reported."""
    response = client.get("/meetings/")
    response.content = response.content.replace(b"</body>", b"<script>alert(1)</script><b onclick=x>x</b></body>")
    assert _runs_without_unsafe_inline(response) == ["b onclick=", "<script> without the nonce"]


def _sign_in(client, password: str, address: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "officer", "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failed_sign_ins_lock_the_username_at_that_address(client):
    User.objects.create_superuser("officer", password="the-right-password-1")
    for _ in range(4):
        assert _sign_in(client, "wrong", "192.0.2.10").status_code == 200  # the form again, with an error
    fifth = _sign_in(client, "wrong", "192.0.2.10")
    assert fifth.status_code == 429
    locked = _sign_in(client, "the-right-password-1", "192.0.2.10")
    assert locked.status_code == 429, "the right password does not lift the lock"
    assert "Signing in is paused" in locked.content.decode()
    # The same person from another address is not locked out by someone guessing elsewhere.
    other = Client()
    assert _sign_in(other, "the-right-password-1", "198.51.100.7").status_code == 302


# Addresses a `?next=` may carry to send a person who signs in or out to another site; and their encodings.
FOREIGN_NEXTS = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example",
    "http:/\\evil.example",
    "https://testserver.evil.example/",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "%5C%5Cevil.example",
    "/%5Cevil.example",
]


def _followed(location: str, page: str) -> str | None:
    """The path a browser on `page` goes to for Location (reading a backslash as a slash), None if another site."""
    address = urlsplit(urljoin(f"http://testserver{page}", location.replace("\\", "/")))
    return address.path if (address.scheme, address.netloc) == ("http", "testserver") else None


@pytest.mark.parametrize("next_url", FOREIGN_NEXTS)
def test_signing_in_and_out_never_leads_to_another_site(client, next_url):
    """Django refused them all; an unsafe `next` then led to /accounts/profile/ (a 404 here) after signing in,
    and to the sign-out address itself (a 405) after signing out: now to the admin and to its sign-in page."""
    User.objects.create_superuser("officer", password="the-right-password-1")
    for query, data in ((f"?next={next_url}", {}), ("", {"next": next_url})):
        signed_in = client.post(
            f"/admin/login/{query}",
            {"username": "officer", "password": "the-right-password-1", **data},
            REMOTE_ADDR="192.0.2.40",
        )
        assert signed_in.status_code == 302
        path = _followed(signed_in["Location"], "/admin/login/")
        assert path is not None, signed_in["Location"]
        if "%" not in next_url:  # an encoded one stays an address of this site that is no page (%2F is no slash)
            assert client.get(path).status_code == 200, path
        signed_out = client.post(f"/admin/logout/{query}", data)
        assert signed_out.status_code == 302
        path = _followed(signed_out["Location"], "/admin/logout/")
        assert path is not None, signed_out["Location"]
        if "%" not in next_url:
            assert client.get(path).status_code == 200, path


def test_a_next_on_this_site_is_followed(client):
    User.objects.create_superuser("officer", password="the-right-password-1")
    signed_in = client.post(
        "/admin/login/?next=/admin/meetings/meeting/",
        {"username": "officer", "password": "the-right-password-1"},
        REMOTE_ADDR="192.0.2.41",
    )
    assert signed_in["Location"] == "/admin/meetings/meeting/"
    assert client.post("/admin/logout/?next=/meetings/")["Location"] == "/meetings/"


def test_a_successful_sign_in_resets_the_count(client):
    User.objects.create_superuser("officer", password="the-right-password-1")
    for _ in range(4):
        _sign_in(client, "wrong", "192.0.2.11")
    assert _sign_in(client, "the-right-password-1", "192.0.2.11").status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "wrong", "192.0.2.11").status_code == 200


def test_every_admin_post_is_logged_without_the_form(client, caplog):
    User.objects.create_superuser("officer", password="the-right-password-1")
    with caplog.at_level(logging.INFO, logger="budapest.audit"):
        _sign_in(client, "the-right-password-1", "192.0.2.12")
        region = f.RegionFactory()
        client.post(reverse("admin:actors_region_delete", args=[region.pk]), {"post": "yes"})
        client.get(reverse("admin:index"))
    records = [record for record in caplog.records if record.name == "budapest.audit"]
    assert [(r.path, r.user, r.status) for r in records] == [
        ("/admin/login/", "officer", 302),  # signed in by this very request
        (f"/admin/actors/region/{region.pk}/delete/", "officer", 302),
    ]
    assert records[0].client_ip == "192.0.2.12"
    assert all("the-right-password-1" not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("debug", "status", "without_policy"), [(True, 404, True), (True, 200, False), (False, 500, False)]
)
def test_only_djangos_debug_pages_go_without_the_policy(rf, settings, debug, status, without_policy):
    settings.DEBUG = debug
    response = DebugPagesWithoutCSPMiddleware(lambda request: HttpResponse("<p>x</p>", status=status))(rf.get("/"))
    assert (getattr(response, "_csp_config", None) == {}) is without_policy
