"""The site's URLs and one more, /slow/, whose query takes as long as ?seconds= says (PostgreSQL's pg_sleep)."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path

from budapest.urls import handler500
from budapest.urls import urlpatterns as site_urlpatterns


def slow(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("seconds", "1"))])
    return HttpResponse("done")


def slow_in_a_transaction(request):
    """As an admin save runs: its statements inside a transaction."""
    with transaction.atomic():
        return slow(request)


urlpatterns = [path("slow/", slow), path("slow/atomic/", slow_in_a_transaction), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
