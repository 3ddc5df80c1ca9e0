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

        # Translated texts loaded from a fixture or a backup are indexed for search as they arrive.
        from django.db.models.signals import post_save

        from .translations import index_loaded_row

        post_save.connect(index_loaded_row, sender="meetings.TranslatedText", dispatch_uid="index-translated-text")
        post_save.connect(index_loaded_row, sender="meetings.Translation", dispatch_uid="index-translation")


def next_publication():
    """When the next meeting published for later becomes public, or None."""
    from django.db.models import Min
    from django.utils import timezone

    from .models import Meeting

    later = Meeting.objects.filter(status=Meeting.Status.PUBLISHED, published_at__gt=timezone.now())
    return later.aggregate(due=Min("published_at"))["due"]
