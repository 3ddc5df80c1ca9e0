"""Publishing a meeting (now or for later), withdrawing it, making it a draft again."""

import datetime

from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting
from meetings.versions import version_bump


def _meeting_set_status(meeting: Meeting, *, status: str, published_at: datetime.datetime | None) -> Meeting:
    meeting.status = status
    meeting.published_at = published_at
    version_bump(meeting)  # an editor's form opened before this change is now stale
    meeting.full_clean()
    meeting.save(update_fields=["status", "published_at", "version", "updated_at"])
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting, published_at: datetime.datetime | None = None) -> Meeting:
    """Make a meeting public now, or at a time to come."""
    return _meeting_set_status(meeting, status=Meeting.Status.PUBLISHED, published_at=published_at or timezone.now())


@transaction.atomic
def meeting_withdraw(*, meeting: Meeting) -> Meeting:
    """Take a public meeting off the public site; its address then says that it was withdrawn.

    One that was never public keeps no publication time (``Meeting.clean``): its address is a 404, as before.
    """
    return _meeting_set_status(meeting, status=Meeting.Status.WITHDRAWN, published_at=meeting.published_at)


@transaction.atomic
def meeting_make_draft(*, meeting: Meeting) -> Meeting:
    """Turn a meeting back into a draft, seen by staff only."""
    return _meeting_set_status(meeting, status=Meeting.Status.DRAFT, published_at=None)
