"""The site in Russian: every public page has no English interface word, in Russian forms (plurals, dates),
at its own address (/ru/…) beside the English one, which stays where it was, with hreflang alternates.

The walker renders each page in English and in Russian, recording the strings the interface asks gettext
for: the Russian page asks for every string the English one does, and gets each translated. Then no
English word is left on the Russian page (text, the attributes read aloud, title and description) but the
records' own data (names, titles, passages not translated yet), proper nouns, and what is marked lang="en".
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import CharField, TextField
from django.test import override_settings
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.formats import date_format

from .conftest import SOM_2020_SLUG
from .routes import site_routes
from .source_text import page_texts

# A page of each public route, with the 2020 meeting's records (and a 404).
PAGES = [
    "/",
    "/about/",
    "/search/",
    "/search/?q=return",
    "/search/?q=zzxqv+qqzzx",
    "/meetings/",
    "/meetings/?year=2020&country=TR&goal=5",
    f"/meetings/{SOM_2020_SLUG}/",
    "/series/",
    "/series/senior-officials-meetings/",
    "/countries/",
    "/countries/turkey/",
    "/organisations/",
    "/organisations/icmpd/",
    "/priority-goals/",
    "/priority-goals/1/",
    "/priority-goals/1/?country=TR&year=2020",
    "/priority-goals/matrix/",
    "/priority-goals/2025-2030/matrix/",
    "/priority-goals/2025-2030/1/",
    "/no-such-page/",
]
# Names that are the same in every language: formats, standards, citation styles, the language's own name.
PROPER_NOUNS = {"api", "apa", "atom", "bibtex", "chicago", "csl", "csv", "icalendar", "ics", "icmpd", "iso", "json"}
PROPER_NOUNS |= {"ris", "english", "covid"}
# The search's own syntax, the same in every language: "return or readmission".
PROPER_NOUNS |= {"or"}
_WORD = re.compile(r"[A-Za-z]+")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|<[^>]*>|&\w+;|https?://\S+")


def words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(_PLACEHOLDER.sub(" ", text))}


@pytest.fixture
def interface(monkeypatch):
    """Records every string the interface asks gettext for, as (msgids, result)."""
    translation.gettext("warm up")  # the translation functions are bound on first use
    trans = translation._trans
    calls: list[tuple[tuple[str, ...], str]] = []

    def wrap(name, messages):
        real = getattr(trans, name)

        def recorded(*args):
            result = real(*args)
            calls.append((messages(args), result))
            return result

        monkeypatch.setattr(trans, name, recorded)

    wrap("gettext", lambda args: (args[0],))
    wrap("ngettext", lambda args: (args[0], args[1]))
    wrap("pgettext", lambda args: (args[1],))
    wrap("npgettext", lambda args: (args[1], args[2]))

    class Interface:
        def read(self, client, url):
            calls.clear()
            with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False):  # every string rendered
                response = client.get(url)
            return response, list(calls)

    return Interface()


def _not_data(found: set[str], data: set[str]) -> set[str]:
    """The words not in the data, nor a part of a data word (search results mark "return" in "returning")."""
    return {word for word in found - data if not any(word in known for known in data)}


def _our_messages() -> set[str]:
    """The msgids of this site's own catalogue (Django's own strings, month names and others, aside)."""
    with open(Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    return {(key[0] if isinstance(key, tuple) else key).split("\x04")[-1] for key in catalogue if key}


OUR_MESSAGES = _our_messages()


def data_words(url: str) -> set[str]:
    """The words of the records (every text of every row of this project's tables) and of the address's
    parameters: what a page shows as data, in the language it was entered in."""
    found = words(unquote_plus(urlsplit(url).query))
    for app in ("actors", "meetings"):
        for model in apps.get_app_config(app).get_models():
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (CharField, TextField))]
            for row in model._default_manager.values_list(*fields) if fields else ():
                found |= set().union(*(words(value) for value in row if value))
    return found


# What only the English summary says of itself: a translation is not the summary word for word (it says it
# is a translation instead, tests/test_translations.py).
ONLY_IN_THE_ORIGINAL = {("The text is the summary’s, word for word.",)}

# Every language but English: a language added to LANGUAGES is walked too.
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("url", PAGES)
def test_a_translated_page_has_no_english_interface_word(client, som_2020, interface, url, language):
    translated = f"/{language}{url}"
    for page in (url, translated):  # what is worded once per process (a FilterSet's ordering) is worded
        client.get(page)
    english_page, english_calls = interface.read(client, url)
    response, calls = interface.read(client, translated)
    assert response.status_code == english_page.status_code == (404 if "no-such" in url else 200)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # The page says what the English page says: each of its interface strings, translated.
    asked = {messages for messages, _ in calls}
    said = {messages for messages, _ in english_calls if messages[0] in OUR_MESSAGES} - ONLY_IN_THE_ORIGINAL
    assert said - asked == set()
    untranslated = [result for messages, result in calls if result in messages and words(result) - PROPER_NOUNS]
    assert untranslated == []
    # And no English word anywhere else (a string not marked for translation), but in the records' data,
    # in proper nouns and in what is marked lang="en".
    data = data_words(url) | PROPER_NOUNS
    english = {text: found for text in page_texts(html, skip_english=True) if (found := _not_data(words(text), data))}
    assert english == {}


def russian(url: str) -> str:
    return "/ru" + url


def test_the_walk_covers_every_public_page(db):
    """A page added later needs a line in PAGES: this fails until it has one. Files (feeds, calendars,
    citations, spreadsheets, documents), the admin and the API are no pages to read."""
    files = re.compile(r"\.|documents/")
    routes = {
        route
        for route, _ in site_routes()
        if not route.startswith((settings.ADMIN_PATH, "api/")) and not files.search(route)
    }
    walked = {resolve(url.split("?")[0]).route for url in PAGES if "no-such" not in url}
    assert routes - walked == set()


# --- Forms of the language: plurals, dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 встреча"), (2, "2 встречи"), (4, "4 встречи"), (5, "5 встреч"), (11, "11 встреч"), (12, "12 встреч"),
     (21, "21 встреча"), (22, "22 встречи"), (25, "25 встреч"), (101, "101 встреча"), (111, "111 встреч")],
)  # fmt: skip
def test_russian_plural_forms(count, expected):
    with translation.override("ru"):
        assert translation.ngettext("%(counter)s meeting", "%(counter)s meetings", count) % {"counter": count} == (
            expected
        )


def test_counts_on_a_russian_page_take_their_plural_form(client, som_2020):
    html = client.get(russian(f"/meetings/{SOM_2020_SLUG}/")).content.decode()
    # 39 countries and 12 organisations took part: «39 стран», «12 организаций».
    assert "39 стран" in html and "12 организаций" in html
    assert "39 countries" in client.get(f"/meetings/{SOM_2020_SLUG}/").content.decode()


def test_dates_are_written_in_each_language(client, som_2020):
    assert "2 December 2020" in client.get(f"/meetings/{SOM_2020_SLUG}/").content.decode()
    html = client.get(russian(f"/meetings/{SOM_2020_SLUG}/")).content.decode()
    assert "2 декабря 2020 г." in html and "Декабрь" not in html  # the genitive, in the text and the description
    with translation.override("ru"):
        assert date_format(som_2020.published_at, "DATETIME_FORMAT").startswith("15 декабря 2020 г.")
        assert date_format(som_2020.start_date, "SHORT_DATE_FORMAT") == "02.12.2020"
    with translation.override("en"):
        assert date_format(som_2020.start_date, "SHORT_DATE_FORMAT") == "2 Dec 2020"


def test_a_numbered_meeting_says_its_number_in_russian(som_2020):
    som_2020.number = 38
    assert som_2020.ordinal_title == "38th Senior Officials Meeting"
    with translation.override("ru"):
        assert som_2020.ordinal_title == "Совещание старших должностных лиц, 38-я встреча"
    som_2020.number = 21
    assert som_2020.ordinal_title == "21st Senior Officials Meeting"


def test_the_summary_heading_is_ours_not_djangos(client, som_2020):
    """Django's admin catalogue has "Summary" as «Краткая статистика»: ours, with its context, wins."""
    html = client.get(russian(f"/meetings/{SOM_2020_SLUG}/")).content.decode()
    assert '<h2 id="summary-title">Резюме</h2>' in html and "Краткая статистика" not in html
    assert "Начало" not in html  # Django's admin "Home"


# --- Addresses per language -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [url for url in PAGES if "no-such" not in url])
def test_the_english_addresses_are_where_they_were_and_russian_has_its_own(client, som_2020, url):
    english = client.get(url)
    assert english.status_code == 200 and english["Content-Language"] == "en"
    assert '<html lang="en">' in english.content.decode()
    page = russian(url)
    assert client.get(page)["Content-Language"] == "ru"
    # hreflang alternates: the page in each language and x-default (the English address), without parameters.
    path = url.split("?")[0]
    links = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', english.content.decode()))
    assert links == {
        ("en", f"http://testserver{path}"),
        ("ru", f"http://testserver/ru{path}"),
        ("x-default", f"http://testserver{path}"),
    }
    assert links == set(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', client.get(page).content.decode())
    )


def test_names_reverse_to_the_english_address_in_english_and_the_russian_one_in_russian(db):
    assert reverse("meetings:list") == "/meetings/"
    with translation.override("ru"):
        assert reverse("meetings:list") == "/ru/meetings/"
        assert reverse("admin:index") == f"/ru/{settings.ADMIN_PATH}"
        # The API, robots.txt and the sitemap have one address.
        assert reverse("django.contrib.sitemaps.views.sitemap") == "/sitemap.xml"
        assert reverse("api-docs") == "/api/docs/"


def test_the_api_has_no_russian_address(client, db):
    assert client.get("/ru/api/v1/meetings/").status_code == 404
    assert client.get("/api/v1/meetings/").status_code == 200


def test_the_sitemap_lists_each_page_in_each_language_with_its_alternates(client, som_2020):
    xml = client.get("/sitemap.xml").content.decode()
    meeting = f"http://testserver/meetings/{SOM_2020_SLUG}/"
    russian_meeting = f"http://testserver/ru/meetings/{SOM_2020_SLUG}/"
    assert f"<loc>{meeting}</loc>" in xml and f"<loc>{russian_meeting}</loc>" in xml
    entry = re.search(rf"<url><loc>{re.escape(russian_meeting)}</loc>.*?</url>", xml).group(0)
    assert f'<xhtml:link rel="alternate" hreflang="en" href="{meeting}"/>' in entry
    assert f'<xhtml:link rel="alternate" hreflang="ru" href="{russian_meeting}"/>' in entry
    assert f'<xhtml:link rel="alternate" hreflang="x-default" href="{meeting}"/>' in entry


def test_the_admin_is_in_russian_under_ru(client, db):
    html = client.get(f"/ru/{settings.ADMIN_PATH}login/").content.decode()
    assert '<html lang="ru"' in html and "Войти" in html and "Записи Будапештского процесса" in html
    assert '<html lang="en"' in client.get(f"/{settings.ADMIN_PATH}login/").content.decode()


# --- The catalogues -----------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt compiles the catalogues")
@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_the_committed_catalogue_is_its_translations_compiled(tmp_path, language):
    """The .mo files are committed (a fresh clone runs without gettext): each must be its .po, compiled."""
    folder = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", compiled, folder / "django.po"], check=True)  # noqa: S607
    with open(compiled, "rb") as fresh, open(folder / "django.mo", "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]


def test_a_review_asked_in_the_russian_admin_is_mailed_in_russian(client, som_2020):
    from django.contrib.auth.models import Group, User
    from django.core import mail

    from meetings.models import Meeting
    from meetings.revisions import meeting_changes_draft

    for name, group in (("editor", "Editors"), ("publisher", "Publishers")):
        user = User.objects.create_user(name, f"{name}@example.org", "a-long-password", is_staff=True)
        user.groups.set(Group.objects.filter(name=group))
    client.force_login(User.objects.get(username="editor"))
    copy = meeting_changes_draft(som_2020, user=None)
    Meeting.objects.filter(pk=copy.pk).update(participant_count=98)
    with translation.override("ru"):
        url = reverse("admin:meetings_meeting_review_submit", args=[copy.pk])
    assert url.startswith("/ru/") and client.post(url).status_code == 302
    [message] = mail.outbox
    assert message.subject == f"На проверку: {som_2020.title}"
    assert f"просит вас проверить «{som_2020.title}» перед публикацией: /ru/" in message.body
