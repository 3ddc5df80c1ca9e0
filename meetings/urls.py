from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("priority-goals/", views.PriorityGoalListView.as_view(), name="goal-list"),
    path("priority-goals/<int:number>/", views.PriorityGoalDetailView.as_view(), name="goal-detail"),
]
