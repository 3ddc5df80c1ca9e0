from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and summaries")

    def ready(self):
        # What a change to a meeting, an actor or a goal makes stale in the page cache (budapest.cache).
        from . import invalidation

        invalidation.connect()
