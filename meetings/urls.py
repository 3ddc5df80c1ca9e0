from django.urls import path

from . import calendars, feeds, views

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    # Names with a dot never collide with a meeting's slug.
    path("meetings/feed.atom", feeds.MeetingsFeed(), name="feed"),
    path("meetings/calendar.ics", calendars.all_meetings, name="calendar"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("meetings/<slug:slug>/calendar.ics", calendars.meeting_calendar, name="detail-calendar"),
    path("priority-goals/", views.PriorityGoalListView.as_view(), name="goal-list"),
    path("priority-goals/matrix/", views.GoalMatrixView.as_view(), name="goal-matrix"),
    path("priority-goals/<int:number>/", views.PriorityGoalDetailView.as_view(), name="goal-detail"),
]
