"""Translations of a meeting's summary, one per language, each with its own status, reviewer and publication.

Storage is keyed by language code (never a column per language), so that another language needs its
catalogue (settings.LANGUAGES, locale/) and its content, not code:

- `Translation`: one meeting in one language: its title, status (not translated / draft / published),
  its review and who published it when.
- `TranslatedText`: the translated words of one part of that meeting: a paragraph's subject, a
  passage or a footnote. Each holds the published words (`text`, what readers see) and the words
  being written (`draft`, what translators edit); publishing copies the one onto the other, so a
  correction of a published translation is never public before a Publisher publishes it.

A translation belongs to the live meeting and each text to a live part (meetings.revisions keeps
their pks when a working copy is published; a working copy's parts find theirs through
`changes_of`). `source` keeps the English a published text was made from, to say when it changed.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.languages import content_languages

from .models import Footnote, Meeting, Paragraph, Passage, published_meeting
from .reviews import Reviewed


class TranslationQuerySet(models.QuerySet):
    def public(self):
        """Translations the public may read: published, of a meeting the public may read."""
        return self.filter(status=Translation.Status.PUBLISHED).filter(published_meeting("meeting__"))


class Translation(Reviewed):
    """A meeting's summary in one language other than English."""

    class Status(models.TextChoices):
        NOT_TRANSLATED = "not_translated", _("Not translated")
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=content_languages)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_TRANSLATED, editable=False
    )
    title = models.CharField(_("published title"), max_length=300, blank=True, editable=False)
    draft_title = models.CharField(_("title"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = TranslationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector", "review_by", "review_at"])

    class Meta:
        ordering = ["meeting", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        permissions = [
            ("translate_meeting", _("Can translate meetings")),
            ("publish_translation", _("Can publish translations")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="translation_unique_language_per_meeting"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="translation_published_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.meeting.title} ({self.get_language_display()})"


class TranslatedText(models.Model):
    """The words of one part of a meeting (a paragraph's subject, a passage, a footnote) in a translation."""

    translation = models.ForeignKey(
        Translation, verbose_name=_("translation"), on_delete=models.CASCADE, related_name="texts"
    )
    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("paragraph subject"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    passage = models.ForeignKey(
        Passage, verbose_name=_("passage"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    footnote = models.ForeignKey(
        Footnote, verbose_name=_("footnote"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("published text"), blank=True, editable=False)
    draft = models.TextField(_("translation"), blank=True)
    source = models.TextField(
        _("translated from"), blank=True, editable=False, help_text=_("The English text when it was published.")
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)  # SQLite: lower-cased `text`
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_vector", "search_text"])

    class Meta:
        ordering = ["translation", "pk"]
        verbose_name = _("translated text")
        verbose_name_plural = _("translated texts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(paragraph__isnull=False, passage__isnull=True, footnote__isnull=True)
                    | Q(paragraph__isnull=True, passage__isnull=False, footnote__isnull=True)
                    | Q(paragraph__isnull=True, passage__isnull=True, footnote__isnull=False)
                ),
                name="translated_text_one_part",
            ),
            models.UniqueConstraint(fields=["translation", "paragraph"], name="translated_text_unique_paragraph"),
            models.UniqueConstraint(fields=["translation", "passage"], name="translated_text_unique_passage"),
            models.UniqueConstraint(fields=["translation", "footnote"], name="translated_text_unique_footnote"),
        ]
        indexes = [models.Index(fields=["passage"], name="translated_text_passage_idx")]

    def __str__(self):
        return f"{self.translation.language}: {self.part}"

    @property
    def part(self) -> models.Model:
        return self.paragraph or self.passage or self.footnote  # type: ignore[return-value]

    @property
    def english(self) -> str:
        """The English words of the part it translates."""
        part = self.part
        return part.subject if isinstance(part, Paragraph) else part.text  # type: ignore[attr-defined]
