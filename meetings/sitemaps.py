"""The sitemap (/sitemap.xml): every published meeting, country, organisation and priority goal."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actors.models import Actor

from .models import Meeting, PriorityGoal


class MeetingSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Meeting.objects.published().only("slug", "updated_at").order_by("-start_date", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class ActorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def __init__(self, kind: str):
        self.kind = kind

    def items(self):
        return Meeting.objects.published().actors().filter(kind=self.kind).only("kind", "slug").order_by("name", "pk")


class PriorityGoalSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return PriorityGoal.objects.order_by("number")


class PageSitemap(Sitemap):
    """The lists and overviews."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            "meetings:home",
            "meetings:list",
            "actors:country-list",
            "actors:organisation-list",
            "meetings:goal-list",
            "meetings:goal-matrix",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap(),
    "meetings": MeetingSitemap(),
    "countries": ActorSitemap(Actor.Kind.COUNTRY),
    "organisations": ActorSitemap(Actor.Kind.ORGANISATION),
    "goals": PriorityGoalSitemap(),
}
