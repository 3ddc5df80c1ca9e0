"""The translators' admin: a meeting's translation into one language, the English and its translation side by side.

A Translator (the Translators group: the `translate_meeting` and change permissions on translations)
writes the words; they are saved as the translation's draft words and are not public. Only a
Publisher (`publish_translation`) publishes them: then the published words become what readers see,
all at once. A published translation's corrections wait the same way. The list shows, per meeting
and language, what is left to translate, what is written but not published, and what was published
before its English changed.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..markup import strip_markup
from ..translation_models import TranslatedText, Translation
from ..translations import (
    can_publish_translation,
    live_meeting,
    note_written,
    progress,
    sync_texts,
    translation_publish,
    translation_review,
    translation_unpublish,
)


def _english_changed() -> Q:
    """A translated text whose part's English is no longer what it was translated from (for a Count over texts)."""
    return (
        (Q(texts__passage__isnull=False) & ~Q(texts__source=F("texts__passage__text")))
        | (Q(texts__paragraph__isnull=False) & ~Q(texts__source=F("texts__paragraph__subject")))
        | (Q(texts__footnote__isnull=False) & ~Q(texts__source=F("texts__footnote__text")))
    )


class TranslatedTextForm(forms.ModelForm):
    class Meta:
        model = TranslatedText
        fields = ["draft"]
        widgets = {"draft": forms.Textarea(attrs={"rows": 4, "class": "translation-draft"})}


class TranslatedTextInline(admin.TabularInline):
    """Each part of the summary: its English (read-only) beside the translation being written."""

    model = TranslatedText
    form = TranslatedTextForm
    fields = ["part_label", "english_text", "draft", "state"]
    readonly_fields = ["part_label", "english_text", "state"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = gettext_lazy("part of the summary")
    verbose_name_plural = gettext_lazy("the summary, part by part")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("paragraph", "passage__paragraph", "footnote")
            .order_by("footnote__number", "paragraph__number", "passage__paragraph__number", "passage__order")
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("part"))
    def part_label(self, row: TranslatedText) -> str:
        if row.paragraph is not None:
            return _("¶%(number)s subject") % {"number": row.paragraph.number}
        if row.passage is not None:
            return f"¶{row.passage.paragraph.number}.{row.passage.order}"
        return _("footnote %(number)s") % {"number": row.footnote.number if row.footnote else ""}

    @admin.display(description=gettext_lazy("English"))
    def english_text(self, row: TranslatedText) -> str:
        return format_html('<div lang="en" class="translation-source">{}</div>', strip_markup(row.english))

    @admin.display(description=gettext_lazy("state"))
    def state(self, row: TranslatedText) -> str:
        if not row.draft.strip():
            return _("to translate")
        if row.draft != row.text:
            return _("not published yet")
        if row.source != row.english:
            return _("published; the English has changed since")
        return _("published")


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    change_form_template = "admin/meetings/translation/change_form.html"
    list_display = ["meeting", "language", "left", "unpublished", "outdated", "status", "review_status", "published_at"]
    list_filter = ["language", "status", "review_status"]
    search_fields = ["meeting__title", "title", "draft_title"]
    autocomplete_fields = ["meeting"]
    inlines = [TranslatedTextInline]
    actions = ["publish_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("meeting")
            .annotate(
                left_count=Count("texts", filter=Q(texts__draft="")),
                unpublished_count=Count("texts", filter=~Q(texts__draft=F("texts__text"))),
                outdated_count=Count("texts", filter=~Q(texts__text="") & _english_changed()),
            )
        )

    def get_fields(self, request, obj=None):
        return ["meeting", "language"] if obj is None else ["english_title", "draft_title", "publication"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["english_title", "publication"]

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    @admin.display(description=gettext_lazy("left to translate"), ordering="left_count")
    def left(self, obj: Translation) -> int:
        return obj.left_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("written, not published"), ordering="unpublished_count")
    def unpublished(self, obj: Translation) -> int:
        return obj.unpublished_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("English changed since"), ordering="outdated_count")
    def outdated(self, obj: Translation) -> int:
        return obj.outdated_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("English title"))
    def english_title(self, obj: Translation) -> str:
        return format_html('<span lang="en">{}</span>', obj.meeting.title)

    @admin.display(description=gettext_lazy("publication"))
    def publication(self, obj: Translation) -> str:
        counts = progress(obj)
        summary = _(
            "%(written)s of %(parts)s parts translated; %(changed)s changes not published; %(outdated)s published "
            "before their English changed."
        ) % {"written": counts.written, "parts": counts.parts, "changed": counts.changed, "outdated": counts.outdated}
        state = obj.get_status_display()
        if obj.published_at:
            who = obj.published_by.get_username() if obj.published_by else _("someone")
            state = _("%(state)s on %(when)s by %(who)s") % {
                "state": state,
                "when": obj.published_at.strftime("%d %B %Y %H:%M"),
                "who": who,
            }
        review = f" {obj.get_review_status_display()}: {obj.review_comment}" if obj.review_status else ""
        return f"{state}. {summary}{review}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.meeting = live_meeting(obj.meeting)  # a translation belongs to the live meeting
        super().save_model(request, obj, form, change)
        sync_texts(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note_written(form.instance)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        translation = self.get_object(request, object_id)
        if translation is not None and request.method == "GET":
            sync_texts(translation)  # parts added to the meeting since get their row to translate
        extra_context = {**(extra_context or {}), "can_publish_translation": can_publish_translation(request.user)}
        if translation is not None:
            extra_context["preview_url"] = translation.meeting.get_absolute_url() + "?translation=draft"
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        for name, step in (("_publish", self._publish), ("_unpublish", self._unpublish), ("_submit", self._submit)):
            if name in request.POST:
                step(request, obj)
                return HttpResponseRedirect(reverse("admin:meetings_translation_change", args=[obj.pk]))
        if "_return" in request.POST:
            self._return(request, obj)
            return HttpResponseRedirect(reverse("admin:meetings_translation_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def _require_publisher(self, request) -> None:
        if not can_publish_translation(request.user):
            raise PermissionDenied(_("Only a Publisher publishes a translation."))

    def _publish(self, request, obj: Translation) -> None:
        self._require_publisher(request)
        translation_publish(obj, user=request.user)
        messages.success(request, _("The translation is published: readers see its words now."))

    def _unpublish(self, request, obj: Translation) -> None:
        self._require_publisher(request)
        translation_unpublish(obj)
        messages.success(request, _("The translation is no longer public; its words are kept as a draft."))

    def _submit(self, request, obj: Translation) -> None:
        translation_review(obj, status=Translation.ReviewStatus.SUBMITTED, user=request.user)
        messages.success(request, _("Submitted: a Publisher will review the translation."))

    def _return(self, request, obj: Translation) -> None:
        self._require_publisher(request)
        comment = request.POST.get("review_comment", "").strip()[:2000]
        translation_review(obj, status=Translation.ReviewStatus.RETURNED, user=request.user, comment=comment)
        messages.success(request, _("Sent back to the translator."))

    @admin.action(description=gettext_lazy("Publish the selected translations"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        for translation in queryset:
            translation_publish(translation, user=request.user)
        messages.success(request, _("%(count)s translations published.") % {"count": queryset.count()})

    def has_publish_permission(self, request) -> bool:
        return can_publish_translation(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_publish_translation(request.user) and super().has_delete_permission(request, obj)


@admin.register(TranslatedText)
class TranslatedTextAdmin(admin.ModelAdmin):
    """Every translated text, to find one by its words; they are written on their translation's page."""

    list_display = ["__str__", "translation", "draft"]
    list_filter = ["translation__language"]
    search_fields = ["draft", "text"]
    list_select_related = [
        "translation__meeting",
        "paragraph__meeting",
        "passage__paragraph__meeting",
        "footnote__meeting",
    ]
    autocomplete_fields = ["translation"]
    raw_id_fields = ["paragraph", "passage", "footnote"]
    fields = ["translation", "paragraph", "passage", "footnote", "draft"]
