"""The admin side of unpublished changes (meetings.revisions): saves to a published meeting go to its working copy.

The meeting page and the paragraph page of a published meeting look as usual; what they send on save
is turned, before Django's admin reads it, into a save of the working copy (created at the first
save): the ids of the rows are the copy's. Once a copy exists, opening the published meeting opens
the copy. The copy's page says whose changes it holds and offers to compare, preview, submit for
review, send back, publish and discard them; the review queue lists what waits for a Publisher.
"""

import re

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ..history import meeting_editors
from ..models import Footnote, Meeting, Paragraph, Participation, Passage
from ..revisions import (
    is_working_copy,
    meeting_changes_compare,
    meeting_changes_discard,
    meeting_changes_draft,
    meeting_changes_publish,
    meeting_review_return,
    meeting_review_submit,
    needs_working_copy,
    working_copy_of,
)
from ..services.publishing import meeting_publish
from .bases import MeetingAdminBase

_INLINE_ROW = re.compile(
    r"^(?P<prefix>participations|paragraphs|footnotes|passages)-(?P<index>\d+)-(?P<name>id|meeting|paragraph)$"
)
_MODELS: dict[str, type[Model]] = {
    "participations": Participation,
    "paragraphs": Paragraph,
    "footnotes": Footnote,
    "passages": Passage,
}


def copy_ids(copy: Meeting) -> dict[type[Model], dict[str, str]]:
    """For each kind of part: the pk of each live row (as text) -> the pk of the copy's row standing for it."""
    ids = {
        Participation: copy.participations.values_list("changes_of_id", "pk"),
        Paragraph: copy.paragraphs.values_list("changes_of_id", "pk"),
        Footnote: copy.footnotes.values_list("changes_of_id", "pk"),
        Passage: Passage.objects.filter(paragraph__meeting=copy).values_list("changes_of_id", "pk"),
    }
    return {model: {str(live): str(pk) for live, pk in rows if live is not None} for model, rows in ids.items()}


def post_for_copy(post: QueryDict, *, live: Meeting, copy: Meeting) -> QueryDict:
    """What a page of the live meeting sent, as the same page of its working copy would have sent it."""
    ids = copy_ids(copy)
    data = post.copy()
    for key in list(data.keys()):
        value = data[key]  # the last of the key's values
        if not isinstance(value, str):  # none at all (only a QueryDict built in code can have that)
            continue
        if key == "meeting" and value == str(live.pk):
            data[key] = str(copy.pk)
            continue
        match = _INLINE_ROW.match(key)
        if not match:
            continue
        if match["name"] == "meeting":
            data[key] = str(copy.pk) if value == str(live.pk) else value
        elif match["name"] == "paragraph":
            data[key] = ids[Paragraph].get(value, value)
        else:
            data[key] = ids[_MODELS[match["prefix"]]].get(value, value)
    return data


def _saved_as_changes(request: HttpRequest) -> None:
    messages.info(
        request,
        _(
            "This meeting is published: what you saved is kept as unpublished changes. The public site shows "
            "the published version until a Publisher publishes the changes."
        ),
    )


class ParagraphRevisionsAdminMixin:
    """A paragraph of a published meeting is edited in the meeting's working copy."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        paragraph = self.get_object(request, unquote(object_id)) if object_id else None
        if paragraph is None or not needs_working_copy(paragraph.meeting):
            return super().changeform_view(request, object_id, form_url, extra_context)
        live = paragraph.meeting
        copy = working_copy_of(live)
        if request.method == "POST" and self.has_change_permission(request, paragraph):
            copy = meeting_changes_draft(live, user=request.user)
            counterpart = copy.paragraphs.filter(changes_of=paragraph).first()
            if counterpart is None:
                messages.warning(request, _("This paragraph is deleted in the unpublished changes."))
                return redirect(reverse("admin:meetings_meeting_change", args=[copy.pk]))
            request.POST = post_for_copy(request.POST, live=live, copy=copy)
            _saved_as_changes(request)
            return super().changeform_view(request, str(counterpart.pk), form_url, extra_context)
        if copy is not None:
            counterpart = copy.paragraphs.filter(changes_of=paragraph).first()
            target = counterpart or copy
            messages.info(request, _("This meeting has unpublished changes: you are editing them."))
            return redirect(reverse(f"admin:meetings_{target._meta.model_name}_change", args=[target.pk]))
        extra_context = {**(extra_context or {}), "published_live": True}
        return super().changeform_view(request, object_id, form_url, extra_context)


class MeetingRevisionsAdminMixin(MeetingAdminBase):
    """Working copies, their comparison with the live meeting, their review and their publication."""

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.publish_meeting")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.review_queue_view), name="meetings_meeting_review_queue"),
            path("<path:object_id>/changes/", view(self.changes_view), name="meetings_meeting_changes"),
            path("<path:object_id>/changes/publish/", view(self.publish_changes_view),
                 name="meetings_meeting_publish_changes"),
            path("<path:object_id>/changes/discard/", view(self.discard_changes_view),
                 name="meetings_meeting_discard_changes"),
            path("<path:object_id>/review/submit/", view(self.review_submit_view),
                 name="meetings_meeting_review_submit"),
            path("<path:object_id>/review/return/", view(self.review_return_view),
                 name="meetings_meeting_review_return"),
            *super().get_urls(),
        ]  # fmt: skip

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        meeting = self.get_object(request, unquote(object_id)) if object_id else None
        if meeting is not None and needs_working_copy(meeting):
            copy = working_copy_of(meeting)
            if request.method == "POST" and self.has_change_permission(request, meeting):
                copy = meeting_changes_draft(meeting, user=request.user)
                request.POST = post_for_copy(request.POST, live=meeting, copy=copy)
                _saved_as_changes(request)
                return super().changeform_view(request, str(copy.pk), form_url, extra_context)
            if copy is not None:
                messages.info(request, _("This meeting has unpublished changes: you are editing them."))
                return redirect(reverse("admin:meetings_meeting_change", args=[copy.pk]))
            extra_context = {**(extra_context or {}), "published_live": True}
        elif meeting is not None and is_working_copy(meeting):
            extra_context = {**(extra_context or {}), **self._copy_context(request, meeting)}
        else:
            extra_context = {**(extra_context or {}), "can_publish": self.has_publish_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _copy_context(self, request: HttpRequest, copy: Meeting) -> dict:
        editors = sorted({user.get_username() for user in meeting_editors(copy)})
        return {
            "working_copy": copy,
            "live": copy.changes_of,
            "copy_editors": editors,
            "can_publish": self.has_publish_permission(request),
        }

    def _copy_or_404(self, request: HttpRequest, object_id: str) -> Meeting:
        meeting = get_object_or_404(Meeting, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, meeting):
            raise PermissionDenied
        return meeting

    def changes_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The unpublished changes of a meeting against its published version, part by part."""
        copy = self._copy_or_404(request, object_id)
        if not is_working_copy(copy):
            copy = working_copy_of(copy) or copy
        context = {
            **self.admin_site.each_context(request),
            **(self._copy_context(request, copy) if is_working_copy(copy) else {}),
            "title": _("Unpublished changes of %(meeting)s") % {"meeting": copy.changes_of or copy},
            "opts": self.opts,
            "original": copy,
            "changes": meeting_changes_compare(copy),
        }
        return TemplateResponse(request, "admin/meetings/meeting/unpublished_changes.html", context)

    def _post_only(self, request: HttpRequest, *, publish: bool = False) -> None:
        if request.method != "POST":
            raise PermissionDenied
        if publish and not self.has_publish_permission(request):
            raise PermissionDenied

    def publish_changes_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        self._post_only(request, publish=True)
        meeting = self._copy_or_404(request, object_id)
        if is_working_copy(meeting):
            live = meeting_changes_publish(meeting, user=request.user)
            self.message_user(
                request, _("The changes are published: the public site shows them now."), messages.SUCCESS
            )
        else:
            live = meeting_publish(meeting=meeting)
            self.message_user(request, _("The meeting is published."), messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[live.pk]))

    def discard_changes_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        self._post_only(request)
        copy = self._copy_or_404(request, object_id)
        if not is_working_copy(copy) or not self.has_change_permission(request, copy):
            raise PermissionDenied
        live = meeting_changes_discard(copy)
        self.message_user(request, _("The unpublished changes were discarded."), messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[live.pk]))

    def review_submit_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        self._post_only(request)
        meeting = self._copy_or_404(request, object_id)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        meeting_review_submit(meeting, user=request.user)
        self.message_user(request, _("Submitted for review: the Publishers are told."), messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    def review_return_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        self._post_only(request, publish=True)
        meeting = self._copy_or_404(request, object_id)
        comment = request.POST.get("comment", "").strip()
        if not comment:
            self.message_user(request, _("Say what should change before sending it back."), messages.ERROR)
        else:
            meeting_review_return(meeting, user=request.user, comment=comment[:2000])
            self.message_user(request, _("Sent back with your comment."), messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    def review_queue_view(self, request: HttpRequest) -> HttpResponse:
        """Meetings awaiting review, each with what it would change."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        waiting = Meeting.objects.filter(review_status=Meeting.ReviewStatus.SUBMITTED).select_related(
            "changes_of", "review_by"
        )
        rows = [
            (meeting, meeting_changes_compare(meeting) if is_working_copy(meeting) else None) for meeting in waiting
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Awaiting review"),
            "opts": self.opts,
            "rows": rows,
            "can_publish": self.has_publish_permission(request),
        }
        return TemplateResponse(request, "admin/meetings/meeting/review_queue.html", context)


class PublishedPartsReadOnlyMixin:
    """Parts of a published meeting change through its page (as unpublished changes), never on their own here."""

    meeting_path = "meeting"

    def _meeting(self, obj) -> Meeting | None:
        for name in self.meeting_path.split("__"):
            obj = getattr(obj, name, None)
        return obj

    def has_change_permission(self, request, obj=None):
        meeting = self._meeting(obj) if obj is not None else None
        if meeting is not None and (meeting.status == Meeting.Status.PUBLISHED or meeting.changes_of_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        meeting = self._meeting(obj) if obj is not None else None
        if meeting is not None and meeting.status == Meeting.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "meeting":
            field.queryset = field.queryset.exclude(status=Meeting.Status.PUBLISHED)
        elif db_field.name == "paragraph":
            field.queryset = field.queryset.exclude(meeting__status=Meeting.Status.PUBLISHED)
        return field
