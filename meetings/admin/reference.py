"""Admin of the reference data of meetings: priority goals and meeting series."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import CallForAction, GoalCorrespondence, MeetingSeries, PriorityGoal


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
