"""The one router of the partner API (``/api/v1/``), its OpenAPI description and its interactive docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from meetings.actor_api import CountryViewSet, OrganisationViewSet, PersonViewSet
from meetings.api import (
    CallForActionViewSet,
    InterventionViewSet,
    MeetingViewSet,
    ParticipationViewSet,
    PriorityGoalViewSet,
)

from .popolo import PopoloExportView
from .schema_view import DocsView, SchemaView
from .viewsets import PartnerAPIMixin


class APIRootView(PartnerAPIMixin, routers.APIRootView):
    """The API's root, `/api/v1/`: the list of resources, answered as every view of the API answers."""


router = DefaultRouter()
router.APIRootView = APIRootView
router.include_format_suffixes = False  # ?format=csv is the one way to ask for a format in the address
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("interventions", InterventionViewSet, basename="intervention")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("priority-goals", PriorityGoalViewSet, basename="priority-goal")
router.register("calls-for-action", CallForActionViewSet, basename="call-for-action")


@csrf_exempt  # a write to nowhere is answered 404, not 403 for a missing CSRF token
def not_found(request, *args, **kwargs):
    """Any other address under /api/ answers as the API does, in JSON, not with the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


READ_ONLY = ["get", "head"]

api_v1 = [
    *router.urls,
    path("export/popolo.json", PopoloExportView.as_view(), name="export-popolo"),
]

urlpatterns = [
    path("v1/", include((api_v1, "api"))),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # No OPTIONS: the description describes itself, and the page's renderer has no template for it (405,
    # `Allow: GET, HEAD`, like any other method but GET and HEAD).
    path(
        "docs/",
        DocsView.as_view(url_name="api-schema", metadata_class=None, http_method_names=READ_ONLY),
        name="api-docs",
    ),
    # Only addresses ending in a slash, so that CommonMiddleware still adds a forgotten one.
    re_path(r"^[\s\S]*/$", not_found),
]
