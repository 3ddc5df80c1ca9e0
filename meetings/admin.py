"""The admin where the Secretariat enters a meeting's summary.

The work goes from the meeting page (the meeting, its participants, its numbered paragraphs and its
footnotes) to each paragraph's page (its passages, with their speakers and priority goals).

Pages stay cheap in queries however long the summary: lists annotate their counts, and the inlines
load their rows' related objects with the rows, so that no row runs queries of its own.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actors.models import Actor, Position

from .models import Footnote, Meeting, MeetingSeries, Paragraph, Participation, Passage, PriorityGoal

admin.site.site_header = "Budapest Process records"
admin.site.site_title = "Budapest Process records"
admin.site.index_title = "Meetings, summaries and participants"


def excerpt(text, words=18):
    return Truncator(text).words(words)


# Querysets that carry what an object's name needs: an institution's name shows its country,
# a position's name shows the person and the institution.
def actors_with_names():
    return Actor.objects.select_related("parent")


def positions_with_names():
    return Position.objects.select_related("person", "actor__parent")


LABEL_QUERYSETS = {Actor: actors_with_names, Position: positions_with_names}


# --- Inlines that run no query per row ------------------------------------------------------------


class PreloadedChoicesMixin:
    """An autocomplete widget that shows its selected options from objects loaded with the inline's rows.

    Django's autocomplete widget runs one query per row to find the labels of the selected values;
    `preloaded` (pk as text -> object), set by `CheapInlineFormSet`, makes that query unnecessary.
    When the values are not all preloaded (a form re-shown with new choices), it queries as usual.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.preloaded is None or any(v not in self.preloaded for v in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance
        for pk in selected:
            obj = self.preloaded[pk]
            options.append(self.create_option(name, obj.pk, label(obj), True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PreloadedChoicesMixin, AutocompleteSelect):
    pass


class PreloadedAutocompleteSelectMultiple(PreloadedChoicesMixin, AutocompleteSelectMultiple):
    pass


def _loaded_related(instance, name):
    """The related objects of `instance` already in memory, as {pk as text: object}, or None."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        cache = getattr(instance, "_prefetched_objects_cache", {})
        if name not in cache:
            return None
        return {str(obj.pk): obj for obj in cache[name]}
    if not model_field.is_cached(instance):
        return None
    obj = getattr(instance, name)
    return {} if obj is None else {str(obj.pk): obj}


class CheapInlineFormSet(BaseInlineFormSet):
    """Gives each row's autocomplete widgets their preloaded objects, and all rows one list of checkboxes."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        shared_choices = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside Django's related-widget wrapper
            if isinstance(widget, PreloadedChoicesMixin):
                if form.instance.pk is not None:
                    widget.preloaded = _loaded_related(form.instance, name)
            elif isinstance(widget, forms.CheckboxSelectMultiple) and isinstance(field, forms.ModelMultipleChoiceField):
                # The same goals for every row: read them once, not once per row.
                if name not in shared_choices:
                    shared_choices[name] = list(iter(field.choices))  # iter(): no COUNT query first
                field.choices = shared_choices[name]


class CheapInlineMixin:
    """Use with an inline whose `get_queryset` selects and prefetches what its autocomplete fields show."""

    formset = CheapInlineFormSet
    checkbox_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        if db_field.related_model in LABEL_QUERYSETS and "queryset" not in kwargs:
            kwargs["queryset"] = LABEL_QUERYSETS[db_field.related_model]()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        elif db_field.name in self.checkbox_fields:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.related_model in LABEL_QUERYSETS and "queryset" not in kwargs:
            kwargs["queryset"] = LABEL_QUERYSETS[db_field.related_model]()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --- Priority goals and series ---------------------------------------------------------------------


@admin.register(PriorityGoal)
class PriorityGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "passage_count"]
    list_display_links = ["number", "title"]
    search_fields = ["title", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(passage_count=Count("passages"))

    @admin.display(description=_("passages"), ordering="passage_count")
    def passage_count(self, obj):
        return obj.passage_count

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "meeting_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


# --- Meetings ----------------------------------------------------------------------------------------


class ParticipationInline(CheapInlineMixin, admin.TabularInline):
    model = Participation
    fields = ["actor", "role", "represented_by"]
    autocomplete_fields = ["actor", "represented_by"]
    extra = 1
    verbose_name = _("participant")
    verbose_name_plural = _("participants: countries and organisations, with their roles")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "actor__parent", "represented_by__parent")


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["number", "subject", "passage_count"]
    readonly_fields = ["passage_count"]
    show_change_link = True
    view_on_site = False
    extra = 1
    verbose_name_plural = _("paragraphs of the summary (open a paragraph with “Change” to enter its text)")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(passage_count=Count("passages"))

    @admin.display(description=_("passages"))
    def passage_count(self, obj):
        return getattr(obj, "passage_count", "–")


class FootnoteInline(admin.StackedInline):
    model = Footnote
    fields = ["number", "text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")


class MeetingForm(forms.ModelForm):
    add_participants = forms.ModelMultipleChoiceField(
        queryset=actors_with_names(),
        required=False,
        label=_("Add participants"),
        help_text=_(
            "Type the names of several countries or organisations at once; they are added as participants "
            "when you save. Give chairs and co-chairs their role in the list below."
        ),
        widget=AutocompleteSelectMultiple(Participation._meta.get_field("actor"), admin.site),
    )

    class Meta:
        model = Meeting
        fields = [
            "series",
            "title",
            "slug",
            "start_date",
            "end_date",
            "format",
            "location",
            "participant_count",
            "status",
            "published_at",
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        if (
            cleaned.get("status") == Meeting.Status.PUBLISHED
            and not cleaned.get("published_at")
            and "published_at" not in self.errors
        ):
            self.add_error("published_at", _("A published meeting needs a publication time."))
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingForm
    list_display = ["title", "start_date", "series", "format", "status", "published_at", "paragraph_count"]
    list_filter = ["status", "format", "series"]
    list_select_related = ["series"]
    date_hierarchy = "start_date"
    search_fields = ["title", "slug", "location", "series__name"]
    prepopulated_fields = {"slug": ["start_date", "title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ParticipationInline, ParagraphInline, FootnoteInline]
    actions = ["publish_now", "make_draft"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["series", "title", "slug"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "format", "location", "participant_count"]}),
        (
            _("Publication"),
            {
                "fields": ["status", "published_at"],
                "description": _(
                    "A draft is seen only by staff. To publish, choose “Published” and a publication time: "
                    "a time in the future publishes the meeting at that time. Only Publishers may change these."
                ),
            },
        ),
        (_("Participants"), {"fields": ["add_participants"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_count=Count("paragraphs"))

    @admin.display(description=_("paragraphs"), ordering="paragraph_count")
    def paragraph_count(self, obj):
        url = reverse("admin:meetings_paragraph_changelist")
        return format_html('<a href="{}?meeting__id__exact={}">{}</a>', url, obj.pk, obj.paragraph_count)

    def view_on_site(self, obj):
        # Staff see drafts on the public page too, as a preview.
        return obj.get_absolute_url()

    def has_publish_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_meeting")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # Editors write drafts; only Publishers publish.
            readonly += ["status", "published_at"]
        return readonly

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        actors = form.cleaned_data.get("add_participants")
        if actors:
            meeting = form.instance
            present = set(meeting.participations.values_list("actor_id", flat=True))
            for actor in actors:
                if actor.pk not in present:
                    # One save each (not bulk_create), so that the change history records them.
                    Participation(meeting=meeting, actor=actor).save()

    @admin.action(description=_("Publish the selected meetings now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        from .services import meeting_publish  # imported here: the services module imports the importer

        count = 0
        for meeting in queryset.exclude(status=Meeting.Status.PUBLISHED, published_at__lte=timezone.now()):
            meeting_publish(meeting=meeting)
            count += 1
        self.message_user(
            request,
            ngettext("%d meeting was published.", "%d meetings were published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Turn the selected meetings back into drafts"), permissions=["publish"])
    def make_draft(self, request, queryset):
        count = 0
        for meeting in queryset.exclude(status=Meeting.Status.DRAFT):
            meeting.status = Meeting.Status.DRAFT
            meeting.save(update_fields=["status", "updated_at"])  # one save each, for the change history
            count += 1
        self.message_user(
            request,
            ngettext("%d meeting is a draft again.", "%d meetings are drafts again.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["actor", "role", "represented_by", "meeting"]
    list_filter = ["role", "actor__kind", "meeting"]
    list_select_related = ["meeting", "actor__parent", "represented_by__parent"]
    search_fields = ["actor__name", "actor__short_name", "represented_by__name", "meeting__title"]
    autocomplete_fields = ["meeting", "actor", "represented_by"]


# --- Paragraphs and passages -------------------------------------------------------------------------


PASSAGE_TEXT_WIDGET = forms.Textarea(attrs={"rows": 8, "cols": 100})


class PassageInline(CheapInlineMixin, admin.StackedInline):
    model = Passage
    fields = ["order", "text", "speakers", "official", "mentions", "goals", "regions"]
    autocomplete_fields = ["speakers", "official", "mentions"]
    checkbox_fields = ["goals", "regions"]
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
                "goals",
                "regions",
            )
        )


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
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


class PassageForm(forms.ModelForm):
    class Meta:
        model = Passage
        fields = ["paragraph", "order", "text", "speakers", "official", "mentions", "goals", "regions"]
        widgets = {
            "text": PASSAGE_TEXT_WIDGET,
            "goals": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
        }


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    form = PassageForm
    list_display = ["__str__", "text_excerpt", "speaker_list", "official"]
    list_filter = ["goals", "speakers__kind", "paragraph__meeting"]
    search_fields = ["text", "paragraph__subject", "paragraph__meeting__title"]
    autocomplete_fields = ["speakers", "official", "mentions"]
    fields = PassageForm.Meta.fields

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
class FootnoteAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "text_excerpt"]
    list_display_links = ["number", "text_excerpt"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["text", "meeting__title"]
    autocomplete_fields = ["meeting"]

    @admin.display(description=_("text"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)
