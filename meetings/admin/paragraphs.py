"""The paragraph page of the admin, where passages are entered with their speakers and goals; footnotes."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Footnote, Paragraph, Passage
from .merging import MergingAdminMixin, MergingForm, MergingInlineForm
from .revisions import ParagraphRevisionsAdminMixin, PublishedPartsReadOnlyMixin
from .subjects import SUBJECT_FIELDS, PassageSubjectsForm, SubjectFieldsMixin, confirm_suggested_subjects
from .widgets import LABEL_QUERYSETS, CheapInlineMixin, actors_with_names, excerpt

PASSAGE_TEXT_WIDGET = forms.Textarea(attrs={"rows": 8, "cols": 100})


class PassageInlineForm(PassageSubjectsForm, MergingInlineForm):
    """A passage row of the paragraph page: its subjects (named and tagged goals), merged with a colleague's save."""

    # `goals` is merged as the goals the summary names: the model's `goals` holds every linked goal, named
    # and tagged, so a merge read the tagged ones into "the goals the summary names" and refused the save.
    def current_values(self, obj, names: list[str]) -> dict:
        values = super().current_values(obj, names)
        if "goals" in values:
            values["goals"] = self._named_now(obj)
        return values

    def current_value(self, obj, name: str, field):
        return self._named_now(obj) if name == "goals" else super().current_value(obj, name, field)


class PassageInline(SubjectFieldsMixin, CheapInlineMixin, admin.StackedInline):
    model = Passage
    form = PassageInlineForm
    template = "admin/meetings/paragraph/passage_inline.html"
    subject_fields = ["order", "kind", "kind_reason", "text", "speakers", "official", "mentions", *SUBJECT_FIELDS]
    subject_fields += ["regions"]
    readonly_fields = ["kind_reason"]
    autocomplete_fields = ["speakers", "official", "mentions"]
    checkbox_fields = ["regions"]
    view_on_site = False
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = PASSAGE_TEXT_WIDGET
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("paragraph__meeting", "official__person", "official__actor__parent")
            .prefetch_related(
                Prefetch("speakers", queryset=actors_with_names()),
                Prefetch("mentions", queryset=actors_with_names()),
                "goals",  # the form's initial data reads it, though `goals` is saved with its provenance
                "goal_links",
                "goal_suggestions__goal",
                "regions",
            )
        )


class ParagraphForm(MergingForm):
    class Meta:
        model = Paragraph
        fields = ["meeting", "number", "subject"]


@admin.register(Paragraph)
class ParagraphAdmin(ParagraphRevisionsAdminMixin, MergingAdminMixin, admin.ModelAdmin):
    form = ParagraphForm
    list_display = ["meeting", "number", "subject", "passage_count"]
    list_display_links = ["number", "subject"]
    list_filter = ["meeting"]
    search_fields = ["subject", "meeting__title", "passages__text"]
    autocomplete_fields = ["meeting"]
    inlines = [PassageInline]
    save_on_top = True

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["meeting", "number", "subject"]})]
        return [
            (None, {"fields": ["meeting_link"]}),
            (
                _("Paragraph"),
                {
                    "fields": ["meeting", "number", "subject"],
                    "description": _(
                        "Enter the paragraph's text below as passages, in order. A passage spoken by someone "
                        "gets its speakers; the Secretariat's own words have none."
                    ),
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["meeting_link"] if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting").annotate(passage_count=Count("passages"))

    @admin.display(description=_("back to the meeting"))
    def meeting_link(self, obj):
        url = reverse("admin:meetings_meeting_change", args=[obj.meeting_id])
        return format_html('<a href="{}">{}</a>', url, obj.meeting)

    @admin.display(description=_("passages"), ordering="passage_count")
    def passage_count(self, obj):
        return obj.passage_count

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class PassageForm(PassageSubjectsForm):
    class Meta:
        model = Passage
        fields = ["paragraph", "order", "kind", "text", "speakers", "official", "mentions", "regions"]
        widgets = {
            "text": PASSAGE_TEXT_WIDGET,
            "regions": forms.CheckboxSelectMultiple,
        }


@admin.register(Passage)
class PassageAdmin(SubjectFieldsMixin, PublishedPartsReadOnlyMixin, admin.ModelAdmin):
    meeting_path = "paragraph__meeting"
    form = PassageForm
    list_display = ["__str__", "kind", "text_excerpt", "speaker_list", "official"]
    list_filter = [
        "kind",
        "goals__framework",
        "goals",
        "goal_links__provenance",
        "speakers__kind",
        "paragraph__meeting",
    ]
    search_fields = ["text", "paragraph__subject", "paragraph__meeting__title"]
    autocomplete_fields = ["speakers", "official", "mentions"]
    subject_fields = [*PassageForm.Meta.fields[:3], "kind_reason", *PassageForm.Meta.fields[3:], *SUBJECT_FIELDS]
    readonly_fields = ["kind_reason"]
    actions = [confirm_suggested_subjects]

    def get_queryset(self, request):
        # Also for the list: Django ignores list_select_related once get_queryset selects anything.
        return (
            super()
            .get_queryset(request)
            .select_related("paragraph__meeting", "official__person", "official__actor__parent")
            .prefetch_related("speakers")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "paragraph":
            # A paragraph's own name ("¶3 Opening") does not say which meeting it belongs to.
            kwargs["queryset"] = Paragraph.objects.select_related("meeting")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda paragraph: f"{paragraph.meeting} – {paragraph}"
            return field
        if db_field.related_model in LABEL_QUERYSETS:
            kwargs.setdefault("queryset", LABEL_QUERYSETS[db_field.related_model]())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("text"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)

    @admin.display(description=_("speakers"))
    def speaker_list(self, obj):
        return ", ".join(actor.label for actor in obj.speakers.all())

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(Footnote)
class FootnoteAdmin(PublishedPartsReadOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "number", "mark", "text_excerpt"]
    list_display_links = ["number", "text_excerpt"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["text", "meeting__title"]
    autocomplete_fields = ["meeting"]

    @admin.display(description=_("text"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)
