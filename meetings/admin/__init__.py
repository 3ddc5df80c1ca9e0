"""The admin where the Secretariat enters a meeting's summary.

The work goes from the meeting page (the meeting, its participants, its numbered paragraphs and its
footnotes) to each paragraph's page (its passages, with their speakers and priority goals).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import meetings, paragraphs, reference, translations  # noqa: F401 - registers the model admins

admin.site.site_header = _("Budapest Process records")
admin.site.site_title = _("Budapest Process records")
admin.site.index_title = _("Meetings, summaries and participants")
