"""The sitemap (/sitemap.xml): every published meeting, country, organisation and priority goal, each with
the time it last changed (`lastmod`): a page changes when a published meeting it shows does.

Each section is read in one query and handed to the sitemap as a list, so that it needs no count query.
Every page is listed in each language of LANGUAGES, with its addresses in the others (hreflang) and the
English one as x-default.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor

from .models import Meeting, MeetingReferences, PriorityGoal


def _published(prefix: str) -> Q:
    """Published meetings, reached through `prefix` (a relation path ending in the meeting)."""
    return Q(**{f"{prefix}__status": Meeting.Status.PUBLISHED, f"{prefix}__published_at__lte": timezone.now()})


def last_published_change():
    """When a published meeting last changed: the lists and overviews change then."""
    return Meeting.objects.published().aggregate(changed=Max("updated_at"))["changed"]


def _changed(prefix: str):
    """When the published meetings a page shows last changed, or else any published meeting (a page that
    shows none yet still says when the site last changed): in the same query as the page's rows."""
    latest = Meeting.objects.published().order_by("-updated_at").values("updated_at")[:1]
    return Coalesce(Max(f"{prefix}__updated_at", filter=_published(prefix)), Subquery(latest))


class _Sitemap(Sitemap):
    """Each page in every language, with its alternates: Django's own i18n sitemaps."""

    i18n = True
    alternates = True
    x_default = True


class MeetingSitemap(_Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return list(Meeting.objects.published().only("slug", "updated_at").order_by("-start_date", "pk"))

    def lastmod(self, meeting):
        return meeting.updated_at


class ActorSitemap(_Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def __init__(self, kind: str):
        self.kind = kind

    def items(self):
        return list(
            MeetingReferences.public()
            .actors()
            .filter(kind=self.kind)
            .only("kind", "slug")
            .annotate(changed=_changed("participations__meeting"))
            .order_by("name", "pk")
        )

    def lastmod(self, actor):
        return actor.changed


class PriorityGoalSitemap(_Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        # A goal's address names its Call for Action: read with the goal, not once per goal.
        goals = PriorityGoal.objects.select_related("framework")
        return list(goals.annotate(changed=_changed("passages__paragraph__meeting")).order_by("number"))

    def lastmod(self, goal):
        return goal.changed


class PageSitemap(_Sitemap):
    """The lists and overviews: they change when any published meeting does."""

    changefreq = "weekly"
    priority = 0.5
    names = (
        "meetings:home",
        "meetings:list",
        "actors:country-list",
        "actors:organisation-list",
        "meetings:goal-list",
        "meetings:goal-matrix",
        "meetings:about",
    )

    def items(self):
        changed = last_published_change()
        return [(name, changed) for name in self.names]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "pages": PageSitemap(),
    "meetings": MeetingSitemap(),
    "countries": ActorSitemap(Actor.Kind.COUNTRY),
    "organisations": ActorSitemap(Actor.Kind.ORGANISATION),
    "goals": PriorityGoalSitemap(),
}
