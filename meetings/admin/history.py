"""A meeting's history in the admin: one entry per save of it and its parts, and restore (with confirmation)."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..history import meeting_history
from ..models import Meeting
from ..revisions import meeting_restore_as_changes, needs_working_copy
from ..services.restoring import meeting_restore
from .bases import MeetingAdminBase


class MeetingHistoryAdminMixin(MeetingAdminBase):
    """Replaces the admin's “History” page of a meeting with the history of the meeting and all its parts."""

    def get_urls(self):
        restore = path(
            "<path:object_id>/history/restore/",
            self.admin_site.admin_view(self.restore_view),
            name="meetings_meeting_restore",
        )
        return [restore, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, meeting):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of %(meeting)s") % {"meeting": meeting},
            "subtitle": None,
            "opts": self.opts,
            "original": meeting,
            "object": meeting,
            "entries": meeting_history(meeting),
            "can_restore": self.has_change_permission(request, meeting),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/meetings/meeting/changes.html", context)

    def restore_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: what a restore to that point will undo, and a button; POST: the restore."""
        meeting = get_object_or_404(Meeting, pk=unquote(object_id))
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        as_of = parse_datetime(request.POST.get("as_of", "") or request.GET.get("as_of", ""))
        history_url = reverse("admin:meetings_meeting_history", args=[meeting.pk])
        if as_of is None:
            self.message_user(request, _("Choose a point in the history to restore."), messages.ERROR)
            return redirect(history_url)
        when = date_format(timezone.localtime(as_of), "DATETIME_FORMAT")
        if request.method != "POST" or "confirm" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Restore %(meeting)s as it was on %(when)s?") % {"meeting": meeting, "when": when},
                "opts": self.opts,
                "original": meeting,
                "as_of": as_of,
                "undone": [entry for entry in meeting_history(meeting) if entry.date > as_of],
                "as_changes": needs_working_copy(meeting),
            }
            return TemplateResponse(request, "admin/meetings/meeting/restore_confirm.html", context)
        try:
            if needs_working_copy(meeting):
                copy = meeting_restore_as_changes(meeting, as_of=as_of, user=request.user)
            else:
                copy = meeting_restore(meeting=meeting, as_of=as_of)
        except (IntegrityError, ValidationError) as error:
            self.message_user(
                request,
                _("The meeting could not be restored to that point, and nothing was changed: %(error)s")
                % {"error": error},
                messages.ERROR,
            )
            return redirect(history_url)
        if copy.pk != meeting.pk:
            message = _(
                "The meeting as it was on %(when)s is now its unpublished changes: the public site shows the "
                "published version until a Publisher publishes them."
            )
        else:
            message = _(
                "The meeting was restored as it was on %(when)s. The restore is in the history too, and can be undone."
            )
        self.message_user(request, message % {"when": when}, messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[copy.pk]))
