"""“Import a summary” in the admin: upload a summary, review what was recognised, save it as a draft.

Between the review and the save, the uploaded *text* waits in the session under a random token; the
browser sends back only the token, never the parsed structure, and saving parses the text again.
The slug is fixed when the review is shown, so that a second "Save" of the same review (a double
click, even two requests at once) finds the meeting the first one saved instead of making another:
the database's unique slug lets only one of them through.
"""

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import Actor

from ..importer import ActorMatch, Summary, SummaryError, max_bytes_for, read_text, summary_from_text, time_budget
from ..importer.parse import strip_bold
from ..importer.recognise import ParagraphEntry, PassageEntry
from ..models import Meeting, Participation, PriorityGoal
from ..services import meeting_import, meeting_slug_for

logger = logging.getLogger(__name__)

EXTENSIONS = (".txt", ".md", ".docx")
SESSION_KEY = "meetings_summary_imports"
# A summary runs to some 10-50 KB of text; the cap keeps a session row small whatever is uploaded.
MAX_SESSION_TEXT = 1024 * 1024
# Uploads waiting to be saved, per session: enough for a few browser tabs, the oldest goes first.
MAX_PENDING = 3
EXCERPT_WORDS = 50


class ImportSummaryForm(forms.Form):
    """Step 1: the summary file and, if wanted, the meeting's slug. Valid only if the importer can read it."""

    file = forms.FileField(
        label=gettext_lazy("Summary file"),
        help_text=gettext_lazy(
            "A Word .docx file (at most 25 MB, pictures included) or a .txt or .md file (at most 5 MB), "
            "with numbered paragraphs."
        ),
        allow_empty_file=True,  # the importer says "The file is empty." in its own words
        widget=forms.FileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        required=False,
        max_length=Meeting._meta.get_field("slug").max_length,
        help_text=gettext_lazy(
            "The last part of the meeting's page address. Leave empty to make one from its date and title."
        ),
    )

    text: str
    summary: Summary

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in EXTENSIONS:
            raise ValidationError(
                _("“%(name)s” is not a summary file: import a .txt, .md or .docx file."), params={"name": upload.name}
            )
        limit = max_bytes_for(upload.name)
        if upload.size > limit:
            # Checked before reading, so that a huge upload is never read into memory.
            raise ValidationError(
                _("The file is %(size).1f MB; a summary may be at most %(limit)d MB."),
                params={"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            )
        try:
            with time_budget():  # reading and recognising together, far within the server's timeout
                text = read_text(name=upload.name, data=upload.read())
                if len(text.encode()) > MAX_SESSION_TEXT:
                    raise SummaryError(_("The text of this file is longer than 1 MB: it cannot be a single summary."))
                summary = summary_from_text(text)
        except SummaryError as error:
            raise ValidationError(str(error)) from error
        except Exception as error:
            # A file the importer trips over must not cost the officer a server error page.
            logger.exception("The summary importer failed on %r", upload.name)
            raise ValidationError(
                _("The importer could not read this file (%(error)s). Please send it to the developers."),
                params={"error": error.__class__.__name__},
            ) from error
        self.text, self.summary = text, summary
        return upload

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Meeting.objects.filter(slug=slug).exists():
            raise ValidationError(_("There is already a meeting with this slug: choose another, or leave it empty."))
        return slug


# --- What the review shows ---------------------------------------------------------------------------------


@dataclass
class ParticipantRow:
    match: ActorMatch
    role: str
    represented_by: ActorMatch | None = None

    @property
    def kind(self) -> str:
        return Actor.Kind(self.match.kind).label


@dataclass
class PassageRow:
    entry: PassageEntry
    excerpt: str
    full_text: str
    goals: list[tuple[int, str]]  # number and title

    @property
    def is_cut(self) -> bool:
        return self.excerpt != self.full_text


def participant_rows(summary: Summary) -> list[ParticipantRow]:
    """The participants with the roles `meeting_import` gives them; the chair, co-chair and Secretariat first."""
    rows: dict[int, ParticipantRow] = {}
    for role, match in (
        (Participation.Role.CHAIR, summary.chair),
        (Participation.Role.CO_CHAIR, summary.co_chair),
        (Participation.Role.SECRETARIAT, summary.secretariat),
    ):
        if match is not None and id(match) not in rows:
            represented_by = summary.chair_represented_by if role == Participation.Role.CHAIR else None
            rows[id(match)] = ParticipantRow(match, role.label, represented_by)
    for match in summary.participants:
        rows.setdefault(id(match), ParticipantRow(match, Participation.Role.PARTICIPANT.label))
    return list(rows.values())


def paragraph_rows(summary: Summary) -> list[tuple[ParagraphEntry, list[PassageRow]]]:
    goal_titles = dict(PriorityGoal.objects.values_list("number", "title"))
    rows = []
    for paragraph in summary.paragraphs:
        passages = []
        for entry in paragraph.passages:
            plain = strip_bold(entry.text)
            goals = [(number, goal_titles.get(number, "")) for number in entry.goals]
            passages.append(PassageRow(entry, Truncator(plain).words(EXCERPT_WORDS), plain, goals))
        rows.append((paragraph, passages))
    return rows


def meeting_slug(summary: Summary, chosen: str) -> str:
    """The slug the meeting will be saved under: the one chosen, or its date and title made unique.

    The same slug `meeting_import` would make; fixed at the review, so that two saves of one review
    compete for one slug and the database's unique constraint lets only one of them through.
    """
    return chosen or meeting_slug_for(summary)


# --- The views -------------------------------------------------------------------------------------------------


class ImportSummaryAdminMixin:
    """Adds “Import a summary” (upload, review, save as draft) to the meeting admin."""

    import_form_template = "admin/meetings/meeting/import_form.html"
    import_review_template = "admin/meetings/meeting/import_review.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=name),
            path("import/save/", self.admin_site.admin_view(self.import_save_view), name=f"{name}_save"),
            *super().get_urls(),
        ]

    def _import_context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a summary"),
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def _check_import_permission(self, request: HttpRequest) -> None:
        if not self.has_add_permission(request):
            raise PermissionDenied

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1, the upload form; once a file is read, step 2, the review of what was recognised."""
        self._check_import_permission(request)
        request.current_app = self.admin_site.name
        if request.method != "POST":
            form = ImportSummaryForm()
        else:
            form = ImportSummaryForm(request.POST, request.FILES)
            if form.is_valid():
                return self._review_upload(request, form)
        context = self._import_context(request, form=form)
        return TemplateResponse(request, self.import_form_template, context)

    def _review_upload(self, request: HttpRequest, form: ImportSummaryForm) -> HttpResponse:
        summary, name = form.summary, form.cleaned_data["file"].name
        if not (summary.title and summary.start_date):
            return self._review(request, summary, name)  # shown, but with nothing to save
        slug = meeting_slug(summary, form.cleaned_data["slug"])
        token = secrets.token_urlsafe(16)
        pending = dict(request.session.get(SESSION_KEY, {}))
        while len(pending) >= MAX_PENDING:
            pending.pop(next(iter(pending)))  # dicts keep their order: the oldest goes first
        pending[token] = {"name": name, "text": form.text, "slug": slug}
        request.session[SESSION_KEY] = pending
        return self._review(request, summary, name, slug=slug, token=token)

    def _review(
        self, request: HttpRequest, summary: Summary, name: str, *, slug="", token="", error=""
    ) -> HttpResponse:
        context = self._import_context(
            request,
            subtitle=name,
            file_name=name,
            summary=summary,
            can_save=bool(token),
            slug=slug,
            token=token,
            error=error,
            participants=participant_rows(summary),
            paragraphs=paragraph_rows(summary),
            passage_count=sum(len(paragraph.passages) for paragraph in summary.paragraphs),
            format_label=Meeting.Format(summary.format).label if summary.format in Meeting.Format else summary.format,
        )
        return TemplateResponse(request, self.import_review_template, context)

    def import_save_view(self, request: HttpRequest) -> HttpResponse:
        """Step 3: save the reviewed summary as a draft meeting, once, and open it."""
        self._check_import_permission(request)
        request.current_app = self.admin_site.name
        upload_url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_import")
        if request.method != "POST":
            return HttpResponseRedirect(upload_url)
        pending = dict(request.session.get(SESSION_KEY, {}))
        token = request.POST.get("token", "")
        entry = pending.get(token)
        if entry is None:
            messages.error(
                request, _("There is no uploaded summary to save: the upload has expired. Please upload it again.")
            )
            return HttpResponseRedirect(upload_url)
        if "meeting" in entry:
            meeting = Meeting.objects.filter(pk=entry["meeting"]).first()
            if meeting is not None:
                return self._already_saved(request, meeting)
            messages.error(request, _("This summary was saved, but its meeting has since been deleted."))
            return HttpResponseRedirect(upload_url)

        try:
            # Parsed again, from the text kept on the server: the names are matched to today's actors.
            summary = summary_from_text(entry["text"])
        except SummaryError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(upload_url)
        # The same review saved before: by a first click, or by one a moment ago that took the slug.
        identical = Meeting.objects.filter(slug=entry["slug"], title=summary.title, start_date=summary.start_date)
        meeting = identical.first()
        if meeting is not None:
            return self._already_saved(request, meeting, pending=pending, token=token)
        try:
            meeting = meeting_import(summary=summary, publish=False, slug=entry["slug"])
        except (IntegrityError, ValidationError, SummaryError) as error:
            meeting = identical.first()
            if meeting is not None:
                return self._already_saved(request, meeting, pending=pending, token=token)
            problems = error.messages if isinstance(error, ValidationError) else [str(error)]
            messages.error(request, _("The meeting could not be saved: %s") % " ".join(problems))
            return HttpResponseRedirect(upload_url)
        except OperationalError:
            # SQLite refuses a second writer at once ("database is locked"), e.g. the other click's save.
            logger.warning("The import of %r met a busy database", entry["name"], exc_info=True)
            meeting = identical.first()
            if meeting is not None:
                return self._already_saved(request, meeting, pending=pending, token=token)
            busy = _("The database was busy, perhaps saving this summary already. Please press “Save as draft” again.")
            return self._review(request, summary, entry["name"], slug=entry["slug"], token=token, error=busy)

        self._remember_saved(request, pending, token, meeting)
        self.log_addition(request, meeting, _("Imported from the summary file “%s”.") % entry["name"])
        messages.success(
            request,
            _("“%(title)s” was saved as a draft with %(paragraphs)d paragraphs. Check it, then publish it.")
            % {"title": meeting.title, "paragraphs": len(summary.paragraphs)},
        )
        if summary.unrecognised:
            messages.warning(request, _("Left out, not recognised: %s") % "; ".join(summary.unrecognised))
        return HttpResponseRedirect(self._change_url(meeting))

    def _remember_saved(self, request: HttpRequest, pending: dict, token: str, meeting: Meeting) -> None:
        # The text goes; the token stays, pointing at the meeting, for a second click to find it.
        pending[token] = {"meeting": meeting.pk}
        request.session[SESSION_KEY] = pending

    def _already_saved(self, request: HttpRequest, meeting: Meeting, *, pending=None, token="") -> HttpResponse:
        if pending is not None:
            self._remember_saved(request, pending, token, meeting)
        messages.info(request, _("“%s” was already saved; here it is.") % meeting.title)
        return HttpResponseRedirect(self._change_url(meeting))

    def _change_url(self, meeting: Meeting) -> str:
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[meeting.pk])
