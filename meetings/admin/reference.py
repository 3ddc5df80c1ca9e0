"""Admin of the reference data of meetings: priority goals and meeting series."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import (
    CallForAction,
    Document,
    GoalCorrespondence,
    GoalSuggestion,
    MeetingSeries,
    PassageGoal,
    PriorityGoal,
)
from .documents import DocumentForm


class GoalInline(admin.StackedInline):
    model = PriorityGoal
    fields = ["number", "title", "text", "vocabulary"]
    extra = 0


@admin.register(CallForAction)
class CallForActionAdmin(admin.ModelAdmin):
    list_display = ["name", "period", "start_date", "end_date", "adopted_at"]
    list_select_related = ["adopted_at"]
    autocomplete_fields = ["adopted_at", "goals_set_at"]
    prepopulated_fields = {"slug": ["period"]}
    inlines = [GoalInline]


class CorrespondenceInline(admin.TabularInline):
    model = GoalCorrespondence
    fk_name = "later"
    fields = ["earlier", "note"]
    extra = 0
    verbose_name_plural = _("goals of an earlier Call for Action whose subject this goal carries over")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "earlier":
            kwargs["queryset"] = PriorityGoal.objects.select_related("framework")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda goal: f"{goal.framework.period}: {goal}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PriorityGoal)
class PriorityGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "framework", "passage_count"]
    list_display_links = ["number", "title"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["title", "text", "vocabulary"]
    fields = ["framework", "number", "title", "text", "vocabulary"]
    inlines = [CorrespondenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(passage_count=Count("passages"))

    @admin.display(description=_("passages"), ordering="passage_count")
    def passage_count(self, obj):
        return obj.passage_count

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "numbered", "meeting_count"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


@admin.register(GoalCorrespondence)
class GoalCorrespondenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    list_select_related = ["earlier__framework", "later__framework"]
    search_fields = ["note", "earlier__title", "later__title"]


@admin.register(PassageGoal)
class PassageGoalAdmin(admin.ModelAdmin):
    """Every subject of every passage, to review the tags: edit them on the passage's page."""

    list_display = ["passage", "prioritygoal", "provenance"]
    list_filter = ["provenance", "prioritygoal__framework"]
    list_select_related = ["passage__paragraph__meeting", "prioritygoal"]
    search_fields = ["passage__text"]
    raw_id_fields = ["passage"]


@admin.register(GoalSuggestion)
class GoalSuggestionAdmin(admin.ModelAdmin):
    list_display = ["passage", "goal", "words"]
    list_select_related = ["passage__paragraph__meeting", "goal"]
    search_fields = ["words", "passage__text"]
    raw_id_fields = ["passage"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    list_display = ["title", "kind", "meeting", "content_type", "size"]
    list_filter = ["kind"]
    list_select_related = ["meeting"]
    search_fields = ["title", "text", "meeting__title"]
    autocomplete_fields = ["meeting"]
    fields = ["meeting", "kind", "title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]
