"""The reading experience: upcoming meetings, citations, navigation, the language switcher, no inline script."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import translation

from meetings.models import Meeting

from .factories import MeetingFactory
from .source_text import page_text, page_texts

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, headers=headers or None)
    assert response.status_code == 200
    return response.content.decode()


def test_upcoming_meeting_shows_on_home_and_list(client, db):
    today = datetime.date.today()
    upcoming = MeetingFactory(title="Ministerial Conference", start_date=today + datetime.timedelta(days=40))
    past = MeetingFactory(title="Thematic Meeting on Return", start_date=today - datetime.timedelta(days=40))
    home = page_text(get(client, "/"))
    upcoming_section = home[home.index("Upcoming meetings") : home.index("Latest meetings")]
    assert "Ministerial Conference" in upcoming_section and "Thematic Meeting on Return" not in upcoming_section
    assert "Thematic Meeting on Return" in home[home.index("Latest meetings") :]
    listing = get(client, "/meetings/")
    item = re.search(rf'<li class="meeting-item is-upcoming">.*?{upcoming.get_absolute_url()}.*?</li>', listing, re.S)
    assert item and "Upcoming" in item.group(0)
    assert f'<li class="meeting-item">\n  <a href="{past.get_absolute_url()}"' in listing
    page = page_text(get(client, upcoming.get_absolute_url()))
    assert "Upcoming" in page and "Add this meeting to your calendar (.ics)" in page


def test_an_upcoming_draft_is_not_announced(client, db):
    MeetingFactory(
        title="Secret summit",
        start_date=datetime.date.today() + datetime.timedelta(days=10),
        status=Meeting.Status.DRAFT,
        published_at=None,
    )
    assert "Secret summit" not in get(client, "/") and "Secret summit" not in get(client, "/meetings/")


def test_pages_run_no_inline_script(client, som_2020):
    # A Content Security Policy without 'unsafe-inline' comes later: scripts are files, JSON-LD is data.
    for url in ["/", som_2020.get_absolute_url(), "/countries/turkey/", "/search/?q=Canary", "/priority-goals/matrix/"]:
        html = get(client, url)
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert 'src="' in attributes or 'type="application/ld+json"' in attributes, (url, attributes)
            assert 'src="' not in attributes or not body.strip()
        assert not re.search(r"\son[a-z]+=", html), url  # no onclick= and the like
        assert ' style="' not in html, url
    assert '<script src="/static/js/cite.js" defer></script>' in get(client, som_2020.get_absolute_url())


def test_the_citation_script_and_stylesheet_are_ours(client, db):
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/cite.js"), encoding="utf-8").read()
    assert "navigator.clipboard" in script and "http" not in script.replace("https://", "")
    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert "@media print" in css and "@import" not in css and "url(" not in css
    print_rules = css[css.index("@media print") :]
    assert ".cite" in print_rules and ".main-nav" in print_rules


def test_navigation_marks_the_current_section(client, som_2020):
    html = get(client, "/countries/turkey/")
    assert '<a href="/countries/" aria-current="true">Countries</a>' in html
    assert '<a href="/countries/" aria-current="page">Countries</a>' in get(client, "/countries/")
    breadcrumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', html, re.S).group(0)
    assert 'href="/countries/"' in breadcrumbs and 'aria-current="page">Turkey<' in breadcrumbs
    for url, crumb in [("/search/", "Search"), ("/priority-goals/matrix/", "Who addressed which goal")]:
        assert f'aria-current="page">{crumb}<' in get(client, url)


def test_the_language_switch_links_to_the_same_page_in_the_other_language(client, som_2020):
    """A plain link per language, the current one marked: no form, nothing posted, no cookie."""
    html = get(client, "/countries/turkey/?page=1")
    switch = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert "<form" not in switch and "<select" not in switch
    assert '<a href="/countries/turkey/?page=1" lang="en" hreflang="en" aria-current="true">English</a>' in switch
    assert '<a href="/ru/countries/turkey/?page=1" lang="ru" hreflang="ru">Русский</a>' in switch
    russian = get(client, "/ru/countries/turkey/")
    assert '<html lang="ru">' in russian
    assert '<a href="/countries/turkey/" lang="en" hreflang="en">English</a>' in russian
    assert '<a href="/ru/countries/turkey/" lang="ru" hreflang="ru" aria-current="true">Русский</a>' in russian


def test_an_address_without_a_page_switches_to_the_home_page(client, db):
    response = client.get("/ru/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and '<html lang="ru">' in html
    assert '<a href="/" lang="en" hreflang="en">English</a>' in html
    assert 'hreflang="x-default"' not in html  # a page that is not there has no alternates


def test_the_address_names_the_language_not_the_browser(client, db):
    assert '<html lang="en">' in get(client, "/", accept_language="ru,en;q=0.5")
    assert client.get("/", headers={"accept-language": "ru"})["Content-Language"] == "en"
    assert client.get("/ru/", headers={"accept-language": "en"})["Content-Language"] == "ru"
    assert '<html lang="ru">' in get(client, "/ru/", accept_language="de")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/meetings/",
        "/countries/",
        "/organisations/",
        "/priority-goals/",
        "/priority-goals/matrix/",
        "/search/",
        "/search/?q=!!!",
        "/search/?q=nothing+here",
        "/no-such-page/",
    ],
)
def test_every_interface_string_is_marked_for_translation(client, db, monkeypatch, url):
    """With no records, everything a page says is interface: each piece must come through gettext."""
    translation.gettext("warm up")  # the translation functions are bound on first use
    trans = translation._trans
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        real = getattr(trans, name)
        monkeypatch.setattr(trans, name, lambda *args, _real=real: f"⟪{_real(*args)}⟫")
    response = client.get(url)
    # Pieces that are only punctuation or numbers, and the language names (each in its own language), need none.
    # django-filter words its "(descending)" ordering choices once, when a FilterSet class is made.
    unmarked = [
        text
        for text in page_texts(response.content.decode())
        if "⟪" not in text
        and "⟫" not in text
        and re.search(r"[^\W\d_]", text)
        and text not in {"English", "Русский"}
        and not text.endswith("(descending)")
    ]
    assert unmarked == []


STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


def test_the_dark_scheme_sets_colours_only():
    """What the dark scheme changes is the colour variables of :root, so that axe's colour rules are all the
    browser tests check in dark (tests/test_browser.py: COLOUR_RULES)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    blocks = re.findall(r"@media \(prefers-color-scheme: dark\) \{(.*?\})\s*\}", css, re.DOTALL)
    assert blocks, "no dark scheme found in site.css"
    for block in blocks:
        rules = re.findall(r"([^{}]+)\{([^{}]*)\}", block)
        assert [selector.strip() for selector, _ in rules] == [":root"] * len(rules), block
        declarations = [d.strip() for _, body in rules for d in body.split(";") if d.strip()]
        assert declarations and all(d.startswith("--") for d in declarations), declarations
