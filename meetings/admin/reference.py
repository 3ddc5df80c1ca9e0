"""Admin of the reference data of meetings: priority goals and meeting series."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import MeetingSeries, PriorityGoal


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
