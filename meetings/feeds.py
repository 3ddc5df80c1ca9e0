"""Atom feeds: published meetings, and each country's or organisation's interventions (Django's syndication)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.languages import reading_language

from .markup import strip_markup
from .models import Meeting
from .profiles import interventions_of
from .publication import visible_actors
from .translations import title_in, with_translated_title, words_in

FEED_LENGTH = 50


class RecordsFeed(Feed):
    """What every feed of the site says of itself: its author (RFC 4287 requires one) and its rights."""

    feed_type = Atom1Feed
    author_name = gettext_lazy("Budapest Process Secretariat (ICMPD)")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["author_link"] = request.build_absolute_uri(reverse("meetings:about"))
        return feed


class MeetingsFeed(RecordsFeed):
    """The latest published meetings, newest publication first."""

    title = gettext_lazy("Budapest Process: meeting records")
    subtitle = gettext_lazy("Summaries of the meetings of the Budapest Process, a dialogue on migration.")
    link = reverse_lazy("meetings:list")

    def items(self):
        meetings = Meeting.objects.published().select_related("series").with_country_count()
        # In the reader's language (the feed's address says which): titles where a translation is published.
        return with_translated_title(meetings, reading_language()).order_by("-published_at", "-start_date")[
            :FEED_LENGTH
        ]

    def item_title(self, meeting):
        return f"{title_in(meeting, reading_language())[0]}, {date_format(meeting.start_date, 'DATE_FORMAT')}"

    def item_description(self, meeting):
        # Atom summaries are HTML: everything typed by staff is escaped.
        place = meeting.location or meeting.get_format_display()
        return escape(
            _("%(series)s, %(date)s, %(place)s. %(countries)s countries took part.")
            % {
                "series": meeting.series.name,
                "date": date_format(meeting.start_date, "DATE_FORMAT"),
                "place": place,
                "countries": meeting.country_count,
            }
        )

    def item_pubdate(self, meeting):
        return meeting.published_at

    def item_updateddate(self, meeting):
        return meeting.updated_at

    def item_categories(self, meeting):
        return [meeting.series.name]


class ActorInterventionsFeed(RecordsFeed):
    """The interventions of one country or organisation (the kind given by the URL), newest meeting first."""

    def get_object(self, request, slug, kind):
        return get_object_or_404(visible_actors(request), kind=kind, slug=slug)

    def title(self, actor):
        return _("%(name)s in the Budapest Process: interventions") % {"name": actor.name_in()}

    def subtitle(self, actor):
        return _("What %(name)s said at the meetings of the Budapest Process.") % {"name": actor.name_in()}

    def link(self, actor):
        return actor.get_absolute_url()

    def feed_url(self, actor):
        return actor.feed_url

    def items(self, actor):
        return interventions_of(actor).for_listing()[:FEED_LENGTH]  # with their translations (for_listing)

    def item_title(self, passage):
        meeting = passage.paragraph.meeting
        speakers = ", ".join(str(speaker.label_in()) for speaker in passage.speakers.all())
        return _("%(speakers)s at the %(meeting)s, %(date)s, paragraph %(number)s") % {
            "speakers": speakers,
            "meeting": meeting.title,
            "date": date_format(meeting.start_date, "DATE_FORMAT"),
            "number": passage.paragraph.number,
        }

    def item_description(self, passage):
        return escape(strip_markup(words_in(passage, passage.text, reading_language())[0]))

    def item_link(self, passage):
        return passage.get_absolute_url()

    def item_pubdate(self, passage):
        return passage.paragraph.meeting.published_at

    def item_updateddate(self, passage):
        return passage.paragraph.meeting.updated_at

    def item_categories(self, passage):
        return [str(link.prioritygoal) for link in passage.goal_links.all()]
