"""Translations of summaries: stored by language, published on their own, never faked, found in their own word forms.

The reader's language is chosen as readers choose it: Accept-Language (or the API's ?lang=).
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import override_settings
from django.utils import translation

from actors.models import Actor
from budapest.languages import page_in
from meetings.markup import strip_markup
from meetings.models import Passage, PriorityGoal, TranslatedText, Translation
from meetings.revisions import meeting_changes_draft, meeting_changes_publish
from meetings.search import stem
from meetings.translations import note_written, progress, search_config, translation_for, translation_publish

from .factories import (
    CountryFactory,
    FootnoteFactory,
    MeetingFactory,
    OrganisationFactory,
    ParagraphFactory,
    PassageFactory,
)
from .source_text import page_text

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
DRAFT_WORDS = "Черновик перевода о пограничниках"  # "a draft translation about border guards"


def address(url: str, language: str = "ru") -> str:
    """The page at `url` in `language` (its address says the language: /ru/…); the API's own are the same."""
    path, _, query = url.partition("?")
    return (page_in(path, language) or path) + (f"?{query}" if query else "")


def get(client, url, **params):
    """A page in Russian: its Russian address, and Russian asked of the API (which has one address)."""
    response = client.get(address(url), params, **RU)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


@pytest.fixture
def small_meeting(db):
    """A published meeting with one paragraph of two passages and a footnote, not translated."""
    meeting = MeetingFactory(title="Thematic Meeting on Border Guards")
    paragraph = ParagraphFactory(meeting=meeting, number=1, subject="Opening")
    PassageFactory(paragraph=paragraph, order=1, text="The Chair opened the meeting on border guards.")
    turkey = CountryFactory(name="Turkey", slug="turkey", iso_code="TR")
    PassageFactory(paragraph=paragraph, order=2, text="Turkey spoke of return.", speakers=[turkey])
    FootnoteFactory(meeting=meeting, number=1, text="A note.")
    return meeting


def write(meeting, words: dict[str, str] | None = None, title="Тематическое совещание по пограничникам"):
    """A translation into Russian with words written for every part (`words`: English text -> Russian)."""
    words = words or {}
    ru = translation_for(meeting, "ru")
    ru.draft_title = title
    ru.save()
    for row in ru.texts.select_related("paragraph", "passage", "footnote"):
        row.draft = words.get(row.english, f"{DRAFT_WORDS} {row.pk}")
        row.save()
    note_written(ru)
    return ru


# --- The 2020 meeting reads in Russian -------------------------------------------------------------------------


def test_the_2020_meeting_reads_completely_in_russian(client, som_2020):
    html = get(client, som_2020.get_absolute_url())
    text = page_text(html)
    assert "<h1>Ежегодное совещание старших должностных лиц</h1>" in html
    for row in TranslatedText.objects.filter(passage__isnull=False):
        assert strip_markup(row.text)[:80] in text
    for passage in Passage.objects.filter(paragraph__meeting=som_2020):
        assert strip_markup(passage.text)[:100] not in text  # no English passage left
    assert 'class="translation-note"' in html and 'lang="en"><p' not in html
    # No passage, subject or footnote is marked English: all are translated.
    assert not re.search(r'<(p|li|span class="subject")[^>]* lang="en"', html)
    # Countries by their ISO 3166 names in Russian, organisations by the names entered once.
    assert "Турция" in text and "Международный центр по развитию миграционной политики" in text
    assert "Кыргызстан" in text  # entered: the name the dialogue's Russian documents use, not ISO's «Киргизия»


def test_the_english_page_is_unchanged(client, som_2020):
    html = client.get(som_2020.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<h1>Annual Senior Officials Meeting</h1>" in article
    assert 'class="translation-note"' not in article and 'lang="en"' not in article
    assert "Ежегодное" not in html


# --- Missing is said, never faked ------------------------------------------------------------------------------


def test_an_untranslated_meeting_says_so_and_marks_its_english(client, small_meeting):
    html = get(client, small_meeting.get_absolute_url())
    assert 'class="translation-note"' in html
    with translation.override("ru"):
        assert (
            translation.pgettext(
                "translation note",
                "This summary has not been translated into this language yet. It is shown in English, the language it "
                "was written in.",
            )
            in html
        )
    assert '<h1 lang="en">Thematic Meeting on Border Guards</h1>' in html
    assert '<p lang="en">The Chair opened the meeting on border guards.</p>' in html
    assert '<span class="subject" lang="en">Opening</span>' in html
    assert re.search(r'<li id="fn1" value="1" lang="en">', html)


def test_a_partial_translation_marks_each_english_part(client, small_meeting):
    ru = write(small_meeting, {"The Chair opened the meeting on border guards.": "Председатель открыл совещание."})
    ru.texts.filter(passage__order=2).update(draft="")
    translation_publish(ru, user=None)
    html = get(client, small_meeting.get_absolute_url())
    assert "<p>Председатель открыл совещание.</p>" in html
    assert '<p lang="en">Turkey spoke of return.</p>' in html
    assert "1 part of this summary is not translated yet" in html or "translation-note" in html
    assert "<h1>Тематическое совещание по пограничникам</h1>" in html


# --- A draft is never public ---------------------------------------------------------------------------------


def public_everywhere(client, meeting) -> str:
    """Everything a reader or a partner can get in Russian about the meeting, as one text."""
    intervention = Passage.objects.filter(paragraph__meeting=meeting).with_speakers().get()
    parts = [
        get(client, meeting.get_absolute_url()),
        get(client, "/"),
        get(client, "/meetings/"),
        get(client, "/search/", q="пограничников"),
        get(client, "/search/", q="Тематическое"),
        get(client, "/meetings/feed.atom"),
        get(client, "/meetings/calendar.ics"),
        get(client, f"{meeting.get_absolute_url()}calendar.ics"),
        get(client, "/sitemap.xml"),
        get(client, "/api/v1/meetings/", lang="ru"),
        get(client, f"/api/v1/meetings/{meeting.slug}/", lang="ru"),
        get(client, f"/api/v1/interventions/{intervention.pk}/", lang="ru"),
        get(client, "/api/v1/interventions/", lang="ru", kind="statement"),
        get(client, "/api/v1/export/popolo.json"),
    ]
    return json.dumps(parts, ensure_ascii=False)


def test_a_draft_translation_is_hidden_everywhere_until_published(client, small_meeting):
    ru = write(small_meeting)
    assert Translation.objects.get(pk=ru.pk).status == Translation.Status.DRAFT
    seen = public_everywhere(client, small_meeting)
    assert DRAFT_WORDS not in seen and "Тематическое совещание" not in seen
    translation_publish(ru, user=None)
    seen = public_everywhere(client, small_meeting)
    assert DRAFT_WORDS in seen and "Тематическое совещание" in seen


def test_corrections_of_a_published_translation_wait_for_their_publication(client, small_meeting):
    ru = translation_publish(write(small_meeting), user=None)
    row = ru.texts.get(passage__order=1)
    row.draft = "Исправленный перевод"
    row.save()
    assert "Исправленный перевод" not in public_everywhere(client, small_meeting)
    assert progress(ru).changed == 1
    translation_publish(ru, user=None)
    assert "Исправленный перевод" in get(client, small_meeting.get_absolute_url())


def test_a_draft_meetings_translation_is_not_public(client, small_meeting):
    translation_publish(write(small_meeting), user=None)
    small_meeting.status, small_meeting.published_at = "draft", None
    small_meeting.save()
    assert not Translation.objects.public().exists()
    assert client.get(address(small_meeting.get_absolute_url()), **RU).status_code == 404


# --- Working copies carry their translations -----------------------------------------------------------------


def test_a_published_working_copy_keeps_its_translated_passages(client, small_meeting):
    translation_publish(write(small_meeting), user=None)
    passage = Passage.objects.get(paragraph__meeting=small_meeting, order=1)
    copy = meeting_changes_draft(small_meeting)
    copied = Passage.objects.get(paragraph__meeting=copy, order=1)
    copied.text = "The Chair opened the meeting on border guards and coast guards."
    copied.save()
    PassageFactory(paragraph=copy.paragraphs.get(), order=3, text="A new passage.")
    # The working copy's preview reads the live rows' translations through changes_of.
    staff = User.objects.create_superuser("boss", "boss@example.org", "a-long-password")
    client.force_login(staff)
    assert f"{DRAFT_WORDS}" in get(client, copy.get_absolute_url())
    client.logout()
    meeting_changes_publish(copy)
    html = get(client, small_meeting.get_absolute_url())
    row = TranslatedText.objects.get(passage=passage)  # the same live passage, the same translation
    assert f"<p>{row.text}</p>" in html
    assert '<p lang="en">A new passage.</p>' in html  # a passage added since: said, in English
    ru = Translation.objects.get()
    assert progress(ru).outdated == 1  # its English changed after it was translated
    assert translation_for(small_meeting, "ru").texts.count() == 5  # the new passage has its row to translate


# --- Search in Russian word forms --------------------------------------------------------------------------------


def test_russian_search_finds_word_forms(client, som_2020):
    html = get(client, "/search/", q="мигранты")
    assert "<mark>мигрантов</mark>" in html  # «мигранты» finds «мигрантов», on PostgreSQL and on SQLite
    assert 'href="/ru/meetings/2020-12-02-annual-senior-officials-meeting/#p6-5"' in html  # Bangladesh: «мигрантов»


def test_english_search_still_works_in_russian(client, som_2020):
    assert "#p6-15" in get(client, "/search/", q="Canary Islands")


def test_a_draft_translation_is_not_found(client, small_meeting):
    write(small_meeting)
    assert "#p1-1" not in get(client, "/search/", q="пограничников")


def test_sqlite_stems_cut_russian_endings():
    assert stem("Мигранты") == stem("мигрантов") == "мигрант"
    assert stem("migrants") == "migrants"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search configurations")
def test_search_configuration_is_named_after_the_language():
    assert search_config("ru") == "russian"
    assert search_config("tr") == "turkish"
    assert search_config("xx") == "simple"


# --- The API in the language asked ---------------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked(client, som_2020, small_meeting):
    record = client.get(f"/api/v1/meetings/{som_2020.slug}/?lang=ru").json()
    assert record["title"] == "Ежегодное совещание старших должностных лиц" and record["language"] == "ru"
    assert record["paragraphs"][0]["language"] == "ru" and record["paragraphs"][0]["subject"] == "Участники"
    assert record["paragraphs"][0]["passages"][0]["text"].startswith("В ежегодном совещании")
    assert record["footnotes"][1] == {"number": 2, "mark": "", "text": "см. выше", "language": "ru"}
    listing = client.get("/api/v1/meetings/", **RU)
    assert listing["Content-Language"] == "ru"
    by_slug = {row["slug"]: row for row in listing.json()["results"]}
    assert by_slug[som_2020.slug]["language"] == "ru"
    assert by_slug[small_meeting.slug] | {"language": "en"} == by_slug[small_meeting.slug]  # not translated: English
    assert by_slug[small_meeting.slug]["title"] == "Thematic Meeting on Border Guards"
    english = client.get(f"/api/v1/meetings/{som_2020.slug}/").json()
    assert english["title"] == "Annual Senior Officials Meeting" and english["language"] == "en"
    spain = client.get("/api/v1/interventions/615/?lang=ru").json()
    assert spain["language"] == "ru" and spain["text"].startswith("**Испания**")


@pytest.mark.parametrize("asked", ["xx", "", "r", "xx-RU", "ruRU", "../../etc"])
@pytest.mark.parametrize(
    "address", ["/api/v1/meetings/", "/api/v1/", "/api/schema/", "/api/schema/?format=json", "/api/docs/"]
)  # the OpenAPI description answered an unknown language 200, in English
def test_an_unknown_language_is_a_400_with_a_message(client, db, asked, address):
    response = client.get(address + ("&" if "?" in address else "?") + urlencode({"lang": asked}))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "Unknown language" in response.json()["lang"][0] and "en, ru" in response.json()["lang"][0]


@pytest.mark.parametrize("asked", ["ru", "RU", "ru-RU", "ru_ru", " ru "])
def test_a_language_tag_is_read_in_any_case_and_with_its_region(client, som_2020, asked):
    response = client.get(f"/api/v1/meetings/{som_2020.slug}/", {"lang": asked})
    assert response.status_code == 200 and response["Content-Language"] == "ru"
    assert response.json()["language"] == "ru"


# --- Names in Russian ----------------------------------------------------------------------------------------------


def test_names_of_countries_and_organisations(db):
    turkey = CountryFactory(name="Turkey", iso_code="TR")
    kyrgyzstan = CountryFactory(name="Kyrgyzstan", iso_code="KG", names={"ru": {"name": "Кыргызстан"}})
    unnamed = OrganisationFactory(name="Budapest Forum", short_name="BF")
    assert str(turkey.name_in("ru")) == "Турция" and turkey.name_in("ru").lang is None
    assert str(kyrgyzstan.name_in("ru")) == "Кыргызстан"
    assert unnamed.name_in("ru").lang == "en" and str(unnamed.label_in("ru")) == "BF"
    assert str(turkey.name_in("en")) == "Turkey"
    assert Actor.objects.get(pk=turkey.pk).name_in("ru").text == "Турция"


# --- The translators' admin ------------------------------------------------------------------------------------------


def _staff(client, username, group):
    user = User.objects.create_user(username, f"{username}@example.org", "a-long-password", is_staff=True)
    user.groups.set(Group.objects.filter(name=group))
    client.force_login(user)
    return user


def _form(client, url):
    html = client.get(url).content.decode()
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name in re.findall(r'<textarea name="([^"]+)"', html):
        data.setdefault(name, "")
    return html, data


def test_a_translator_writes_side_by_side_and_only_a_publisher_publishes(client, small_meeting):
    ru = translation_for(small_meeting, "ru")
    url = f"/admin/meetings/translation/{ru.pk}/change/"
    _staff(client, "translator", "Translators")
    html, data = _form(client, url)
    assert '<div lang="en" class="translation-source">The Chair opened the meeting on border guards.</div>' in html
    assert "_publish" not in html
    rows = list(
        ru.texts.order_by("footnote__number", "paragraph__number", "passage__paragraph__number", "passage__order")
    )
    data.update({f"texts-{i}-draft": f"Перевод {i}" for i in range(len(rows))}, draft_title="Заголовок")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ru.refresh_from_db()
    assert ru.status == Translation.Status.DRAFT and ru.texts.filter(draft__startswith="Перевод").count() == 4
    assert client.post(url, {**data, "_publish": "1"}).status_code == 403
    assert not Translation.objects.public().exists()
    client.logout()
    _staff(client, "publisher", "Publishers")
    assert "_publish" in client.get(url).content.decode()
    assert client.post(url, {**data, "_publish": "1"}).status_code == 302
    ru.refresh_from_db()
    assert ru.status == Translation.Status.PUBLISHED and ru.published_by.username == "publisher"
    assert "<h1>Заголовок</h1>" in get(client, small_meeting.get_absolute_url())
    listing = client.get("/admin/meetings/translation/").content.decode()
    assert "left to translate" in listing.lower()


def test_a_translation_is_asked_for_review_sent_back_and_cleared_as_a_meetings_change_is(client, small_meeting):
    """The review's steps, on a translation: who asked or answered, when, the comment; publishing clears it."""
    ru = translation_for(small_meeting, "ru")
    url = f"/admin/meetings/translation/{ru.pk}/change/"
    translator = _staff(client, "translator", "Translators")
    _, data = _form(client, url)
    assert client.post(url, {**data, "draft_title": "Заголовок", "_submit": "1"}).status_code == 302
    ru.refresh_from_db()
    assert (ru.review_status, ru.review_by, ru.review_comment) == (Translation.ReviewStatus.SUBMITTED, translator, "")
    asked_at = ru.review_at
    assert asked_at is not None
    client.logout()
    publisher = _staff(client, "publisher", "Publishers")
    _, data = _form(client, url)
    response = client.post(url, {**data, "_return": "1", "review_comment": "Пункт 1: не тот термин."})
    assert response.status_code == 302
    ru.refresh_from_db()
    assert (ru.review_status, ru.review_by) == (Translation.ReviewStatus.RETURNED, publisher)
    assert ru.review_comment == "Пункт 1: не тот термин." and ru.review_at >= asked_at
    assert "Sent back: Пункт 1: не тот термин." in client.get(url).content.decode()
    translation_publish(ru, user=publisher)
    ru.refresh_from_db()
    assert (ru.review_status, ru.review_comment) == (Translation.ReviewStatus.NONE, "")


def test_what_is_left_to_translate_at_a_glance(client, small_meeting):
    ru = translation_for(small_meeting, "ru")
    ru.texts.filter(passage__order=1).update(draft="Председатель открыл совещание.")
    counts = progress(ru)
    assert (counts.parts, counts.written, counts.left) == (4, 1, 3)


# --- A third language needs a catalogue and content, not code ---------------------------------------------------


@override_settings(LANGUAGES=[("en", "English"), ("ru", "Русский"), ("tr", "Türkçe")])
def test_a_third_language_needs_no_code(client, small_meeting):
    tr = translation_for(small_meeting, "tr")
    tr.draft_title = "Sınır Muhafızları Tematik Toplantısı"
    tr.save()
    translation_publish(tr, user=None)
    html = client.get(address(small_meeting.get_absolute_url(), "tr")).content.decode()
    assert "<h1>Sınır Muhafızları Tematik Toplantısı</h1>" in html
    assert '<p lang="en">The Chair opened the meeting on border guards.</p>' in html  # its passages: not yet
    assert str(CountryFactory(name="Turkey", iso_code="TR").name_in("tr")) == "Türkiye"
    assert client.get(f"/api/v1/meetings/{small_meeting.slug}/?lang=tr").json()["language"] == "tr"


def test_lists_of_interventions_show_the_translation_or_mark_the_english(client, som_2020, small_meeting):
    turkey = Actor.objects.get(iso_code="TR")
    html = get(client, turkey.get_absolute_url())
    assert "<p><strong>Турция</strong> выразила готовность" in html  # its 2020 intervention, in Russian
    assert '<p lang="en">Turkey spoke of return.</p>' in html  # the untranslated meeting's, marked English


def test_an_organisations_russian_name_is_entered_once_in_the_admin(client, db):
    from .admin_forms import change_form_data

    forum = OrganisationFactory(name="Budapest Forum", short_name="BF", slug="budapest-forum")
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "a-long-password"))
    url = f"/admin/actors/actor/{forum.pk}/change/"
    page = client.get(url)
    assert "name_ru" in page.context["adminform"].form.fields
    response = client.post(url, change_form_data(page, name_ru="Будапештский форум", short_name_ru="БФ"))
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.names == {"ru": {"name": "Будапештский форум", "short_name": "БФ"}}
    assert str(forum.name_in("ru")) == "Будапештский форум" and str(forum.label_in("ru")) == "БФ"
    turkey = CountryFactory(name="Turkey", iso_code="TR")
    help_text = client.get(f"/admin/actors/actor/{turkey.pk}/change/").context["adminform"].form.fields["name_ru"]
    assert "Турция" in str(help_text.help_text)  # what an empty field gives: the ISO 3166 name


# --- Words of the record with no translation ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/priority-goals/", "/priority-goals/matrix/", "/priority-goals/1/"])
def test_goals_are_named_in_russian_where_entered_and_marked_english_where_not(client, som_2020, url):
    """A goal's title in Russian is the one entered for it (its `names`); a text with none (a goal's full text,
    a Call for Action's description) stays English, marked lang="en" on a Russian page and only there."""
    goal = PriorityGoal.objects.get(framework__slug="2019-2024", number=1)
    assert goal.names == {"ru": {"title": "Нерегулярная миграция"}}
    russian = get(client, url)
    assert "Нерегулярная миграция" in russian and f">{goal.title}<" not in russian
    english = client.get(url).content.decode()
    assert goal.title in english and "Нерегулярная миграция" not in english
    if url.startswith("/priority-goals/") and "matrix" not in url:
        assert f'<span lang="en">{goal.text}</span>' in russian and f'<span lang="en">{goal.text}</span>' not in english


def test_series_and_calls_for_action_are_named_in_russian(client, som_2020):
    assert "Совещания старших должностных лиц" in get(client, "/series/")
    assert "Совещания старших должностных лиц" in get(client, "/meetings/")  # each meeting's series
    assert "Призыв к действию – пятилетний план (2019–2024)" in get(client, "/priority-goals/")
    assert "Senior Officials Meetings" in client.get("/series/").content.decode()


def test_a_record_without_words_in_a_language_is_marked_english(client, som_2020):
    goal = PriorityGoal.objects.get(framework__slug="2025-2030", number=3)
    goal.names = None
    goal.save()
    assert f'<span lang="en">{goal.title}</span>' in get(client, "/priority-goals/")
    assert f'<span lang="en">{goal.title}</span>' not in client.get("/priority-goals/").content.decode()


def test_a_profile_in_russian_names_the_country_its_speakers_and_its_meetings_in_russian(client, som_2020):
    html = get(client, "/countries/spain/")
    assert "Испания</h1>" in html and "<title>Испания –" in html
    assert ">Чешская Республика</a>" in html  # a speaker chip: the name entered for it
    assert "Ежегодное совещание старших должностных лиц, 2 декабря 2020 г." in html  # its meeting, translated
    assert "Annual Senior Officials Meeting" not in page_text(html)
    english = client.get("/countries/spain/").content.decode()
    assert "Spain</h1>" in english and ">Czech Republic</a>" in english
