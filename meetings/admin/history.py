"""A meeting's history in the admin: every change to it and its parts, with what changed, and restore."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..history import history_baseline, meeting_changes
from ..models import Meeting
from ..services import meeting_restore


class MeetingHistoryAdminMixin:
    """Replaces the admin's “History” page of a meeting with the history of the meeting and all its parts."""

    def get_urls(self):
        restore = path(
            "<path:object_id>/history/restore/",
            self.admin_site.admin_view(self.restore_view),
            name="meetings_meeting_restore",
        )
        return [restore, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            meeting = self.get_object(request, object_id)
            if meeting is not None:
                # Rows loaded from a fixture get a first record now, so their first edit can be undone.
                history_baseline(meeting=meeting)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        meeting = self.get_object(request, object_id)
        if meeting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, meeting):
            raise PermissionDenied
        history_baseline(meeting=meeting)
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of %(meeting)s") % {"meeting": meeting},
            "subtitle": None,
            "opts": self.opts,
            "original": meeting,
            "object": meeting,
            "changes": meeting_changes(meeting),
            "can_restore": self.has_change_permission(request, meeting),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/meetings/meeting/changes.html", context)

    def restore_view(self, request, object_id):
        meeting = get_object_or_404(Meeting, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, meeting):
            raise PermissionDenied
        as_of = parse_datetime(request.POST.get("as_of", ""))
        history_url = reverse("admin:meetings_meeting_history", args=[meeting.pk])
        if as_of is None:
            self.message_user(request, _("Choose a point in the history to restore."), messages.ERROR)
            return redirect(history_url)
        try:
            meeting_restore(meeting=meeting, as_of=as_of)
        except (IntegrityError, ValidationError) as error:
            self.message_user(
                request,
                _("The meeting could not be restored to that point, and nothing was changed: %(error)s")
                % {"error": error},
                messages.ERROR,
            )
            return redirect(history_url)
        self.message_user(
            request,
            _("The meeting was restored as it was on %(when)s. The restore is in the history too, and can be undone.")
            % {"when": as_of.strftime("%d %B %Y %H:%M:%S")},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    def changes_since(self, obj, since):
        return meeting_changes(obj, since=since)
