"""What the mixins of the meeting admin build on, for mypy.

At run time nothing (`object`): `admin.ModelAdmin` comes last in `MeetingAdmin`'s bases. To mypy, the
mixins are model admins of meetings, so that what they call of the admin is checked against it.
"""

from typing import TYPE_CHECKING

from django.contrib import admin

from ..models import Meeting

if TYPE_CHECKING:
    MeetingAdminBase = admin.ModelAdmin[Meeting]
else:
    MeetingAdminBase = object
