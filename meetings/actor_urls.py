"""The pages of countries and organisations: one set of views for both kinds, the kind given here.

The URL names keep the namespace "actors" they always had: actors:country-detail, actors:organisation-feed, …
(``Actor.page_url`` builds them from the kind).
"""

from django.urls import path

from actors.models import Actor

from . import actor_views as views
from . import calendars, feeds

app_name = "actors"


def _pages(kind: str, prefix: str) -> list:
    """The pages of one kind of actor: its list, and each one's profile, feed, calendar and spreadsheet."""
    by_kind = {"kind": kind}
    return [
        path(f"{prefix}/<slug:slug>/", views.ActorDetailView.as_view(), by_kind, name=f"{kind}-detail"),
        path(f"{prefix}/<slug:slug>/feed.atom", feeds.ActorInterventionsFeed(), by_kind, name=f"{kind}-feed"),
        path(f"{prefix}/<slug:slug>/calendar.ics", calendars.actor_calendar, by_kind, name=f"{kind}-calendar"),
        path(f"{prefix}/<slug:slug>/interventions.csv", views.interventions_csv, by_kind, name=f"{kind}-csv"),
    ]


urlpatterns = [
    path("countries/", views.CountryListView.as_view(), {"kind": Actor.Kind.COUNTRY}, name="country-list"),
    *_pages(Actor.Kind.COUNTRY, "countries"),
    path(
        "organisations/",
        views.OrganisationListView.as_view(),
        {"kind": Actor.Kind.ORGANISATION},
        name="organisation-list",
    ),
    *_pages(Actor.Kind.ORGANISATION, "organisations"),
]
