"""The meeting page of the admin: the meeting, its participants, numbered paragraphs and footnotes."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Footnote, Meeting, Paragraph, Participation
from ..revisions import is_working_copy, meeting_changes_publish, needs_working_copy
from ..services.publishing import meeting_make_draft, meeting_publish, meeting_withdraw
from .documents import DocumentInline
from .history import MeetingHistoryAdminMixin
from .importer import ImportSummaryAdminMixin
from .merging import MergingAdminMixin, MergingForm, MergingInlineForm
from .revisions import MeetingRevisionsAdminMixin, PublishedPartsReadOnlyMixin
from .widgets import CheapInlineMixin, actors_with_names


class ParticipationInline(CheapInlineMixin, admin.TabularInline):
    model = Participation
    form = MergingInlineForm
    fields = ["actor", "role", "represented_by"]
    autocomplete_fields = ["actor", "represented_by"]
    extra = 1
    verbose_name = _("participant")
    verbose_name_plural = _("participants: countries and organisations, with their roles")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "actor__parent", "represented_by__parent")


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    form = MergingInlineForm
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
    form = MergingInlineForm
    fields = ["number", "mark", "text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")


class MeetingForm(MergingForm):
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
            "number",
            "title",
            "slug",
            "start_date",
            "end_date",
            "format",
            "location",
            "participant_count",
            "outcome",
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
class MeetingAdmin(
    ImportSummaryAdminMixin, MeetingRevisionsAdminMixin, MeetingHistoryAdminMixin, MergingAdminMixin, admin.ModelAdmin
):
    form = MeetingForm
    list_display = ["title", "start_date", "series", "format", "status", "published_at", "review", "paragraph_count"]
    list_filter = ["status", "review_status", "format", "series"]
    list_select_related = ["series"]
    date_hierarchy = "start_date"
    search_fields = ["title", "slug", "location", "series__name"]
    prepopulated_fields = {"slug": ["start_date", "title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ParticipationInline, ParagraphInline, FootnoteInline, DocumentInline]
    actions = ["publish_now", "withdraw", "make_draft"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["series", "number", "title", "slug"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "format", "location", "participant_count"]}),
        (_("What it adopted"), {"fields": ["outcome"], "classes": ["collapse"]}),
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

    @admin.display(description=_("review"), ordering="review_status")
    def review(self, obj):
        if is_working_copy(obj):
            label = _("unpublished changes")
            return f"{label} · {obj.get_review_status_display()}" if obj.review_status else label
        return obj.get_review_status_display() if obj.review_status else ""

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and is_working_copy(obj) else super().get_prepopulated_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) or (
            obj is not None and (is_working_copy(obj) or needs_working_copy(obj))
        ):
            # Editors write drafts; only Publishers publish. A published meeting is withdrawn with the
            # actions, and its changes are published from their page: the form never changes its status.
            readonly += ["status", "published_at"]
        if obj is not None and is_working_copy(obj):
            readonly += ["slug"]  # the address of a published meeting stays
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

    def _apply(self, request, meetings, service, singular, plural):
        """Run a workflow service on each meeting: one save each, so that the history records who did it."""
        count = 0
        for meeting in meetings:
            service(meeting=meeting)
            count += 1
        self.message_user(request, ngettext(singular, plural, count) % count, messages.SUCCESS)

    @admin.action(
        description=_("Publish the selected meetings (or their unpublished changes) now"), permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        due = queryset.exclude(status=Meeting.Status.PUBLISHED, published_at__lte=timezone.now())

        def publish(*, meeting):
            if is_working_copy(meeting):
                return meeting_changes_publish(meeting, user=request.user)
            return meeting_publish(meeting=meeting)

        self._apply(request, due, publish, "%d meeting was published.", "%d meetings were published.")

    @admin.action(description=_("Turn the selected meetings back into drafts"), permissions=["publish"])
    def make_draft(self, request, queryset):
        self._apply(
            request,
            queryset.exclude(status=Meeting.Status.DRAFT),
            meeting_make_draft,
            "%d meeting is a draft again.",
            "%d meetings are drafts again.",
        )

    @admin.action(description=_("Withdraw the selected meetings from the public site"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._apply(
            request,
            queryset.published(),  # only a public meeting is withdrawn; one published for later is made a draft
            meeting_withdraw,
            "%d meeting was withdrawn.",
            "%d meetings were withdrawn.",
        )

    def has_delete_permission(self, request, obj=None):
        # A meeting that was ever public is withdrawn, never deleted: its address and history stay.
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk “delete selected” action checks objects one by one too.
        super().delete_queryset(request, queryset.filter(status=Meeting.Status.DRAFT))


@admin.register(Participation)
class ParticipationAdmin(PublishedPartsReadOnlyMixin, admin.ModelAdmin):
    list_display = ["actor", "role", "represented_by", "meeting"]
    list_filter = ["role", "actor__kind", "meeting"]
    list_select_related = ["meeting", "actor__parent", "represented_by__parent"]
    search_fields = ["actor__name", "actor__short_name", "represented_by__name", "meeting__title"]
    autocomplete_fields = ["meeting", "actor", "represented_by"]
