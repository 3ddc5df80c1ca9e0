"""Reading, writing and publishing translations of summaries (the models: meetings.translation_models).

One rule places a translation: it belongs to the live meeting, each of its texts to a live part. A
working copy (meetings.revisions) reads them through `changes_of`, and publishing the copy keeps the
live rows' pks, so a translated passage stays attached; a part the copy adds has no translation
until a translator writes one (`sync_texts` makes its empty row), and a part it deletes takes its
translations with it. Where a translation or a part of one is missing, the English is shown and
marked as English (`Shown.lang`): nothing is ever presented as translated that is not.
"""

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import CharField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from actors.languages import content_language_codes

from .models import Footnote, Meeting, Paragraph, Passage
from .translation_models import TranslatedText, Translation

User = Any  # a user or AnonymousUser or None, as request.user gives it
logger = logging.getLogger(__name__)
ENGLISH = settings.LANGUAGE_CODE


def live_meeting(meeting: Meeting) -> Meeting:
    """The meeting a translation belongs to: a working copy's live meeting, else the meeting itself."""
    return meeting.changes_of if meeting.changes_of_id else meeting  # type: ignore[return-value]


def live_pk(row: Model) -> int:
    """The live row a part stands for: a working copy's row points at it, a live row is it."""
    return getattr(row, "changes_of_id", None) or row.pk  # type: ignore[return-value]


# --- Search configurations ---------------------------------------------------------------------------------


@functools.cache
def _text_search_configs() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def search_config(language: str) -> str:
    """PostgreSQL's text search configuration for a language, found by the language's English name.

    Django names each language ("Russian", "Turkish") and PostgreSQL names its configurations the
    same way ("russian", "turkish"): nothing to add for another language; 'simple' where there is none.
    """
    from django.conf.locale import LANG_INFO

    name = LANG_INFO.get(language, {}).get("name", "").lower()
    return name if name in _text_search_configs() else "simple"


# --- What a page shows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """Words as a page shows them: `lang` is set (to English) when they are not in the reader's language."""

    text: str
    lang: str | None = None

    @property
    def missing(self) -> bool:
        return self.lang is not None

    @property
    def lang_attr(self) -> SafeString:
        """` lang="en"` for an element holding English words on a page in another language, else nothing."""
        return format_html(' lang="{}"', self.lang) if self.lang else mark_safe("")  # noqa: S308

    def __str__(self) -> str:
        return self.text


@dataclass
class PageTranslation:
    """What a meeting's page says of its translation into the reader's language."""

    language: str
    translation: Translation | None = None
    draft: bool = False  # a staff preview of the words being written
    parts: int = 0
    missing: int = 0
    texts: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def is_original(self) -> bool:
        return self.language == ENGLISH

    @property
    def untranslated(self) -> bool:
        """No translation into this language is public (or, in a preview, written) at all."""
        return not self.is_original and self.translation is None

    @property
    def partial(self) -> bool:
        return not self.is_original and self.translation is not None and self.missing > 0

    def shown(self, kind: str, row: Model, english: str) -> Shown:
        if self.is_original or not english:
            return Shown(english)
        self.parts += 1
        words = self.texts.get((kind, live_pk(row)), "")
        if words.strip():
            return Shown(words)
        self.missing += 1
        return Shown(english, lang=ENGLISH)


def _words(translation: Translation, *, draft: bool) -> dict[tuple[str, int], str]:
    column = "draft" if draft else "text"
    texts = {}
    for paragraph, passage, footnote, words in translation.texts.values_list(
        "paragraph_id", "passage_id", "footnote_id", column
    ):
        kind, pk = (
            ("paragraph", paragraph) if paragraph else ("passage", passage) if passage else ("footnote", footnote)
        )
        texts[(kind, pk)] = words
    return texts


def page_translation(meeting: Meeting, language: str, *, draft: bool = False) -> PageTranslation:
    """Give the meeting and its prefetched parts `shown_*` attributes in the language, and say what is missing.

    Published words only, unless `draft` (a staff preview): then the words being written. One or two
    queries, whatever the length of the summary.
    """
    page = PageTranslation(language=language, draft=draft)
    if not page.is_original:
        statuses = [Translation.Status.PUBLISHED] + ([Translation.Status.DRAFT] if draft else [])
        page.translation = Translation.objects.filter(
            meeting=live_meeting(meeting), language=language, status__in=statuses
        ).first()
        if page.translation is not None:
            page.texts = _words(page.translation, draft=draft)
    title = (page.translation.draft_title if draft else page.translation.title) if page.translation else ""
    if page.is_original or not title.strip():
        title = ""
    # The words each element shows, set on the rows the page's query prefetched (templates read `shown_*`).
    meeting.shown_title = Shown(title) if title else page.shown("title", meeting, meeting.title)  # type: ignore[attr-defined]
    for paragraph in meeting.paragraphs.all():
        paragraph.shown_subject = page.shown("paragraph", paragraph, paragraph.subject)  # type: ignore[attr-defined]
        for passage in paragraph.passages.all():
            passage.shown_text = page.shown("passage", passage, passage.text)  # type: ignore[attr-defined]
    for footnote in meeting.footnotes.all():
        footnote.shown_text = page.shown("footnote", footnote, footnote.text)  # type: ignore[attr-defined]
    return page


def public_titles(meetings, language: str) -> dict[int, str]:
    """The published titles of these meetings in a language, by meeting pk (absent where none is public)."""
    if language == ENGLISH:
        return {}
    rows = Translation.objects.public().filter(meeting__in=meetings, language=language).exclude(title="")
    return dict(rows.values_list("meeting_id", "title"))


def public_passage_texts(passages, language: str) -> dict[int, str]:
    """The published translations of these passages in a language, by passage pk."""
    if language == ENGLISH:
        return {}
    rows = public_texts(language).filter(passage__in=passages).exclude(text="")
    return dict(rows.values_list("passage_id", "text"))


def public_texts(language: str) -> QuerySet:
    """Every translated text the public may read in a language: of published translations of public meetings."""
    return TranslatedText.objects.filter(translation__in=Translation.objects.public().filter(language=language))


# --- Writing and publishing --------------------------------------------------------------------------------------


def translation_for(meeting: Meeting, language: str) -> Translation:
    """The meeting's translation into a language, made (not translated, with an empty row per part) if needed."""
    if language not in content_language_codes():
        raise ValueError(f"{language!r} is not a language summaries are translated into.")
    translation, _created = Translation.objects.get_or_create(meeting=live_meeting(meeting), language=language)
    sync_texts(translation)
    return translation


def parts_of(meeting: Meeting) -> dict[str, QuerySet]:
    """The translatable parts of a (live) meeting: paragraphs with a subject, passages, footnotes."""
    return {
        "paragraph": Paragraph.objects.filter(meeting=meeting).exclude(subject=""),
        "passage": Passage.objects.filter(paragraph__meeting=meeting),
        "footnote": Footnote.objects.filter(meeting=meeting),
    }


def sync_texts(translation: Translation) -> int:
    """Give every translatable part of the meeting its (empty) row in the translation; how many were added."""
    new = []
    for kind, parts in parts_of(translation.meeting).items():
        have = translation.texts.filter(**{f"{kind}__isnull": False}).values(kind)
        new += [
            TranslatedText(translation=translation, **{f"{kind}_id": pk})
            for pk in parts.exclude(pk__in=have).values_list("pk", flat=True)
        ]
    TranslatedText.objects.bulk_create(new)
    return len(new)


@dataclass
class Progress:
    parts: int
    written: int  # with words being written
    published: int  # with published words
    changed: int  # words written that are not published yet
    outdated: int  # published words whose English has changed since

    @property
    def left(self) -> int:
        return self.parts - self.written


def progress(translation: Translation) -> Progress:
    """What is left to translate, at a glance."""
    rows = list(translation.texts.select_related("paragraph", "passage", "footnote"))
    return Progress(
        parts=len(rows),
        written=sum(1 for row in rows if row.draft.strip()),
        published=sum(1 for row in rows if row.text.strip()),
        changed=sum(1 for row in rows if row.draft != row.text) + (translation.draft_title != translation.title),
        outdated=sum(1 for row in rows if row.text and row.source != row.english),
    )


def note_written(translation: Translation) -> None:
    """A translation not translated yet becomes a draft once it has any words."""
    if translation.status == Translation.Status.NOT_TRANSLATED and (
        translation.draft_title.strip() or translation.texts.exclude(draft="").exists()
    ):
        translation.status = Translation.Status.DRAFT
        translation.save(update_fields=["status", "updated_at"])


def can_publish_translation(user: User) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm("meetings.publish_translation"))


@transaction.atomic
def translation_publish(translation: Translation, *, user: User) -> Translation:
    """Make the words being written the published ones, at once, with what each was translated from."""
    translation = Translation.objects.select_for_update().get(pk=translation.pk)
    rows = list(translation.texts.select_related("paragraph", "passage", "footnote"))
    for row in rows:
        row.text, row.source, row.search_text = row.draft, row.english, row.draft.lower()
    TranslatedText.objects.bulk_update(rows, ["text", "source", "search_text"])
    translation.title = translation.draft_title
    translation.status = Translation.Status.PUBLISHED
    translation.published_at = timezone.now()
    translation.published_by = user if user is not None and user.is_authenticated else None
    translation.clear_review()
    translation.save()
    index_for_search(translation.language, Translation.objects.filter(pk=translation.pk), translation.texts.all())
    return translation


def index_for_search(language: str, translations: QuerySet, texts: QuerySet) -> None:
    """On PostgreSQL, the published words' search vectors, in the language's own word forms.

    Written when a translation is published (and when rows are loaded), not generated by the database:
    a row's configuration is its translation's language, which a generated column cannot look up.
    """
    if connection.vendor != "postgresql":
        return
    config = search_config(language)
    translations.update(search_vector=SearchVector("title", config=config))
    texts.update(search_vector=SearchVector("text", config=config))


def index_loaded_row(sender, instance, raw=False, **kwargs) -> None:
    """A row saved as loaded (loaddata, a restore) is indexed: nothing else writes its vector then."""
    if not raw:
        return
    if isinstance(instance, Translation):
        index_for_search(instance.language, Translation.objects.filter(pk=instance.pk), TranslatedText.objects.none())
    else:
        language = Translation.objects.filter(pk=instance.translation_id).values_list("language", flat=True).first()
        if language:
            index_for_search(language, Translation.objects.none(), TranslatedText.objects.filter(pk=instance.pk))


@transaction.atomic
def translation_unpublish(translation: Translation) -> Translation:
    """Take a translation off the site: its words stay, as a draft."""
    translation.status = Translation.Status.DRAFT
    translation.published_at = None
    translation.save(update_fields=["status", "published_at", "updated_at"])
    return translation


def translation_review(translation: Translation, *, status: str, user: User, comment: str = "") -> Translation:
    """A translator asks for review (status submitted), or a Publisher sends it back with a comment."""
    translation.set_review(status, user=user, comment=comment)
    return translation


def untranslated_counts(meetings, language: str) -> dict[int, int]:
    """For each meeting (by pk): how many of its parts have no words in its translation into a language."""
    counts = {}
    for meeting in meetings:
        translation = Translation.objects.filter(meeting=meeting, language=language).first()
        parts = sum(parts.count() for parts in parts_of(meeting).values())
        written = translation.texts.exclude(draft="").count() if translation else 0
        counts[meeting.pk] = parts - written
    return counts


def passages_matching(language: str, condition: Q) -> QuerySet:
    """The pks of passages whose public translation in a language meets a condition on TranslatedText."""
    return public_texts(language).filter(condition, passage__isnull=False).values("passage")


# --- Querysets that carry their published translation (the API, feeds, calendars) ---------------------------


def with_translated_words(queryset: QuerySet, kind: str, language: str) -> QuerySet:
    """Rows of a kind ("paragraph", "passage", "footnote") with `translated`: their public words in a language."""
    if language == ENGLISH:
        return queryset
    words = public_texts(language).filter(**{kind: OuterRef("pk")}).exclude(text="").values("text")[:1]
    return queryset.annotate(translated=Subquery(words))


def with_translated_title(meetings: QuerySet, language: str) -> QuerySet:
    """Meetings with `translated_title`: their public title in a language (None where there is none)."""
    if language == ENGLISH:
        return meetings
    titles = Translation.objects.public().filter(meeting=OuterRef("pk"), language=language).exclude(title="")
    return meetings.annotate(translated_title=Subquery(titles.values("title")[:1]))


def with_translated_meeting_title(rows: QuerySet, language: str, meeting: str = "paragraph__meeting") -> QuerySet:
    """Rows (passages; participations with `meeting="meeting"`) with `meeting_translated_title`: their meeting's
    public title in a language (None where there is none)."""
    if language == ENGLISH:
        return rows.annotate(meeting_translated_title=Value(None, output_field=CharField()))
    titles = Translation.objects.public().filter(meeting=OuterRef(meeting), language=language)
    return rows.annotate(meeting_translated_title=Subquery(titles.exclude(title="").values("title")[:1]))


def words_in(row: Model, english: str, language: str, attribute: str = "translated") -> tuple[str, str]:
    """A row's words and the language they are in: its translation's, where one is public, else the English."""
    words = getattr(row, attribute, None)
    return (words, language) if words else (english, ENGLISH)


def title_in(meeting: Meeting, language: str) -> tuple[str, str]:
    return words_in(meeting, meeting.title, language, "translated_title")
