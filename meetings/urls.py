from django.urls import path, register_converter

from . import calendars, citations, feeds, views


class GoalNumberConverter:
    """A goal's number as its address writes it: 1, never 01 or 001 (one address for each goal)."""

    regex = "[1-9][0-9]{0,8}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(GoalNumberConverter, "goal")

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    # Names with a dot never collide with a meeting's slug.
    path("meetings/feed.atom", feeds.MeetingsFeed(), name="feed"),
    path("meetings/calendar.ics", calendars.all_meetings, name="calendar"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("meetings/<slug:slug>/calendar.ics", calendars.meeting_calendar, name="detail-calendar"),
    path("meetings/<slug:slug>/documents/<int:pk>/", views.document, name="document"),
    path("series/", views.SeriesListView.as_view(), name="series-list"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("meetings/<slug:slug>/citation.<str:extension>", citations.download, name="citation"),
    path(
        "meetings/<slug:slug>/paragraphs/<int:number>/citation.<str:extension>",
        citations.download,
        name="paragraph-citation",
    ),
    path("priority-goals/", views.PriorityGoalListView.as_view(), name="goal-list"),
    # The first Call for Action keeps the short addresses its goals always had; later ones go by their slug.
    path("priority-goals/matrix/", views.GoalMatrixView.as_view(), name="goal-matrix"),
    path("priority-goals/<goal:number>/", views.PriorityGoalDetailView.as_view(), name="goal-detail"),
    path("priority-goals/<slug:framework>/matrix/", views.GoalMatrixView.as_view(), name="goal-matrix"),
    path("priority-goals/<slug:framework>/<goal:number>/", views.PriorityGoalDetailView.as_view(), name="goal-detail"),
]
