from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and summaries")

    def ready(self):
        # The page cache (budapest.cache): any committed write to the content makes every stored page
        # stale; so does the time a meeting published for later is due.
        from budapest import cache

        cache.watch_writes()
        cache.schedule(next_publication)


def next_publication():
    """When the next meeting published for later becomes public, or None."""
    from django.db.models import Min
    from django.utils import timezone

    from .models import Meeting

    later = Meeting.objects.filter(status=Meeting.Status.PUBLISHED, published_at__gt=timezone.now())
    return later.aggregate(due=Min("published_at"))["due"]
