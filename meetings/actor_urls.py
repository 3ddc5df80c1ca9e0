"""The pages of countries and organisations (the URL names keep the namespace "actors" they always had)."""

from django.urls import path

from actors.models import Actor

from . import actor_views as views
from . import calendars, feeds

app_name = "actors"

COUNTRY, ORGANISATION = {"kind": Actor.Kind.COUNTRY}, {"kind": Actor.Kind.ORGANISATION}

urlpatterns = [
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country-detail"),
    path("countries/<slug:slug>/feed.atom", feeds.CountryInterventionsFeed(), name="country-feed"),
    path("countries/<slug:slug>/calendar.ics", calendars.actor_calendar, COUNTRY, name="country-calendar"),
    path("countries/<slug:slug>/interventions.csv", views.interventions_csv, COUNTRY, name="country-csv"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<slug:slug>/feed.atom", feeds.OrganisationInterventionsFeed(), name="organisation-feed"),
    path(
        "organisations/<slug:slug>/calendar.ics",
        calendars.actor_calendar,
        ORGANISATION,
        name="organisation-calendar",
    ),
    path(
        "organisations/<slug:slug>/interventions.csv",
        views.interventions_csv,
        ORGANISATION,
        name="organisation-csv",
    ),
]
