"""“Import a summary” in the admin: upload a summary, review and correct what was recognised, save it as a draft.

Between the review and the save, the uploaded *text* and the officer's corrections (plain data, see
`meetings.importer.review`) wait in the session under a random token; the browser sends back the token and
the review's form, never the parsed structure, and every round parses the text again with the corrections.
The review is one form that works without JavaScript: "Apply" shows it again corrected, "Save" saves.
The slug is fixed when the review is shown, so that a second "Save" of the same review (a double
click, even two requests at once) finds the meeting the first one saved instead of making another:
the database's unique slug lets only one of them through.
"""

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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

from ..documents import source_attach_staged, source_forget, source_stage
from ..goals import goals_in_force
from ..importer import ActorMatch, Summary, SummaryError, max_bytes_for, read_text, summary_from_text, time_budget
from ..importer.parse import split_sentences, strip_bold
from ..importer.recognise import ParagraphEntry, PassageEntry
from ..importer.review import (
    FORMATS,
    Corrections,
    goals_text,
    name_answer,
    passage_key,
    speakers_text,
    split_written,
    summary_with,
)
from ..models import Meeting, Participation
from ..services.importing import (
    editable_draft_for,
    meeting_changes,
    meeting_for_summary,
    meeting_import,
    meeting_slug_for,
)
from .bases import MeetingAdminBase

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

EXTENSIONS = (".txt", ".md", ".docx")
SESSION_KEY = "meetings_summary_imports"
# A summary runs to some 10-50 KB of text; the cap keeps a session row small whatever is uploaded.
MAX_SESSION_TEXT = 1024 * 1024
# Uploads waiting to be saved, per session: enough for a few browser tabs, the oldest goes first.
MAX_PENDING = 3
EXCERPT_WORDS = 50
# What one review's form may carry: far more than any summary has, far less than a session should hold.
MAX_NAMES = 500
MAX_PASSAGES = 2000


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
    role: "StrOrPromise"  # the role's label, translated when shown
    represented_by: ActorMatch | None = None

    @property
    def kind(self) -> "StrOrPromise":
        return Actor.Kind(self.match.kind).label


@dataclass
class PassageRow:
    entry: PassageEntry
    excerpt: str
    full_text: str
    goals: list[tuple[int, str]]  # number and title
    key: str = ""
    speakers: str = ""  # as the form shows them: "Albania; Serbia"
    goal_numbers: str = ""  # "2, 4"
    sentences: int = 1
    last: bool = False

    @property
    def is_cut(self) -> bool:
        return self.excerpt != self.full_text

    @property
    def problem(self) -> bool:
        """An intervention whose speaker is not known, or an official without a post."""
        person = self.entry.person
        return (self.entry.kind == "intervention" and not self.entry.speakers) or bool(
            person and person.affiliation is None
        )

    @property
    def split_points(self) -> range:
        return range(1, self.sentences)


@dataclass
class NameRow:
    """An unrecognised name, with what the officer may do with it."""

    index: int
    written: str
    name: str
    acronym: str


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
    for role_name, match in summary.roles:  # host, rapporteur, working-group co-chair
        rows.setdefault(id(match), ParticipantRow(match, Participation.Role(role_name).label))
    for match in summary.participants:
        rows.setdefault(id(match), ParticipantRow(match, Participation.Role.PARTICIPANT.label))
    return list(rows.values())


def paragraph_rows(summary: Summary) -> list[tuple[ParagraphEntry, list[PassageRow], bool]]:
    """Each paragraph, its passages as the form shows them, and whether it needs the officer's attention."""
    goal_titles = {number: goal.title for number, goal in goals_in_force(summary.start_date).items()}
    rows = []
    for paragraph in summary.paragraphs:
        passages = []
        for index, entry in enumerate(paragraph.passages):
            plain = strip_bold(entry.text)
            goals = [(number, goal_titles.get(number, "")) for number in entry.goals]
            passages.append(
                PassageRow(
                    entry,
                    Truncator(plain).words(EXCERPT_WORDS),
                    plain,
                    goals,
                    key=passage_key(paragraph.number, entry.text),
                    speakers=speakers_text(entry),
                    goal_numbers=goals_text(entry),
                    sentences=len(split_sentences(entry.text)),
                    last=index == len(paragraph.passages) - 1,
                )
            )
        rows.append((paragraph, passages, any(row.problem for row in passages)))
    return rows


def name_rows(summary: Summary) -> list[NameRow]:
    return [NameRow(index, written, *split_written(written)) for index, written in enumerate(summary.unrecognised)]


def _actor_by_name(name: str) -> Actor | None:
    """The actor the officer picked in the type-ahead: by name, acronym or another name, any case."""
    name = " ".join(name.split())
    if not name:
        return None
    found = Actor.objects.filter(name__iexact=name).first() or Actor.objects.filter(short_name__iexact=name).first()
    if found is None:
        for actor in Actor.objects.filter(other_names__icontains=name):
            if name.casefold() in {line.strip().casefold() for line in actor.other_names.splitlines()}:
                return actor
    return found


def corrections_from_post(data, corrections: Corrections) -> tuple[Corrections, list[str]]:
    """The corrections of one round of the review, added to those of the rounds before; and what was refused."""
    problems = []
    count = data.get("names-count", "")
    for index in range(min(int(count), MAX_NAMES) if count.isdigit() else 0):
        written = data.get(f"name-{index}-written", "")[:300]
        action = data.get(f"name-{index}-action", "")
        if not written or not action:
            continue
        actor = _actor_by_name(data.get(f"name-{index}-actor", "")) if action == "map" else None
        answer = name_answer(
            action,
            actor_pk=actor.pk if actor else None,
            name=data.get(f"name-{index}-name", ""),
            acronym=data.get(f"name-{index}-acronym", ""),
            iso=data.get(f"name-{index}-iso", ""),
        )
        if answer is None:
            problems.append(
                _("“%(name)s”: choose an existing actor from the list, or give a name (and, for a country, its "
                  "two-letter ISO code).") % {"name": written}
            )  # fmt: skip
            continue
        corrections.names[written] = answer
    for field in ("title", "start_date", "end_date", "location", "format"):
        value = data.get(f"meeting-{field}")
        if value is not None and value != data.get(f"meeting-{field}-shown", ""):
            corrections.meeting[field] = value[:1000]
    for role in ("chair", "co_chair", "secretariat"):
        value = data.get(f"role-{role}")
        if value is not None and value != data.get(f"role-{role}-shown", ""):
            corrections.roles[role] = value[:1000]
    keys = data.getlist("passage-keys")[:MAX_PASSAGES] if hasattr(data, "getlist") else []
    for key in keys:
        edit = dict(corrections.passages.get(key, {}))
        for field in ("speakers", "goals"):
            value = data.get(f"passage-{key}-{field}")
            if value is not None and value != data.get(f"passage-{key}-{field}-shown", ""):
                edit[field] = value[:1000]
        if edit:
            corrections.passages[key] = edit
        if data.get(f"passage-{key}-split", "").isdigit() and len(corrections.structure) < MAX_PASSAGES:
            corrections.structure.append(["split", key, int(data[f"passage-{key}-split"])])
        if data.get(f"passage-{key}-merge"):
            corrections.structure.append(["merge", key])
    return corrections, problems


def meeting_slug(summary: Summary, chosen: str) -> str:
    """The slug the meeting will be saved under: the one chosen, or its date and title made unique.

    The same slug `meeting_import` would make; fixed at the review, so that two saves of one review
    compete for one slug and the database's unique constraint lets only one of them through.
    """
    return chosen or meeting_slug_for(summary)


# --- The views -------------------------------------------------------------------------------------------------


class ImportSummaryAdminMixin(MeetingAdminBase):
    """Adds “Import a summary” (upload, review and correct, save as draft) to the meeting admin."""

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
        # A summary without a title or a date that can be read ("2/12/2020": which month?) is kept for the
        # review too: the officer gives them under "The meeting", and the slug is fixed once they are there.
        chosen = form.cleaned_data["slug"]
        slug = meeting_slug(summary, chosen) if summary.title and summary.start_date else chosen
        token = secrets.token_urlsafe(16)
        pending = dict(request.session.get(SESSION_KEY, {}))
        while len(pending) >= MAX_PENDING:
            oldest = pending.pop(next(iter(pending)))  # dicts keep their order: the oldest goes first
            source_forget(oldest.get("source", ""))
        upload = form.cleaned_data["file"]
        upload.seek(0)
        source = source_stage(token=token, name=name, data=upload.read())  # kept as the meeting's source
        pending[token] = {"name": name, "text": form.text, "slug": slug, "corrections": {}, "source": source}
        request.session[SESSION_KEY] = pending
        return self._review(request, summary, name, slug=slug, token=token)

    def _review(
        self, request: HttpRequest, summary: Summary, name: str, *, slug="", token="", error="", problems=()
    ) -> HttpResponse:
        existing = meeting_for_summary(summary)
        changes = meeting_changes(meeting=existing, summary=summary) if existing is not None else []
        paragraphs = paragraph_rows(summary)
        unspoken = [
            (paragraph.number, row)
            for paragraph, rows, _problem in paragraphs
            for row in rows
            if row.entry.kind == "intervention" and not row.entry.speakers
        ]
        context = self._import_context(
            request,
            subtitle=name,
            file_name=name,
            summary=summary,
            footnote_rows=[
                (number, summary.footnote_marks.get(number, ""), text) for number, text in summary.footnotes
            ],
            can_save=bool(summary.title and summary.start_date),
            slug=slug,
            token=token,
            error=error,
            problems=list(problems),
            participants=participant_rows(summary),
            paragraphs=paragraphs,
            names=name_rows(summary),
            roles=[
                ("chair", _("Chair"), summary.chair),
                ("co_chair", _("Co-Chair"), summary.co_chair),
                ("secretariat", _("Secretariat"), summary.secretariat),
            ],
            unspoken=unspoken,
            unposted=[person for person in summary.people if person.affiliation is None],
            existing=existing,
            existing_is_draft=existing is not None and existing.status == Meeting.Status.DRAFT,
            existing_is_published=existing is not None and existing.status == Meeting.Status.PUBLISHED,
            existing_url=self._change_url(existing) if existing is not None else "",
            changes=changes,
            actor_names=list(
                Actor.objects.filter(kind__in=[Actor.Kind.COUNTRY, Actor.Kind.ORGANISATION, Actor.Kind.GROUP])
                .order_by("name")
                .values_list("name", flat=True)
            ),
            formats=[(value, Meeting.Format(value).label) for value in FORMATS if value in Meeting.Format],
            passage_count=sum(len(paragraph.passages) for paragraph in summary.paragraphs),
            format_label=Meeting.Format(summary.format).label if summary.format in Meeting.Format else summary.format,
        )
        return TemplateResponse(request, self.import_review_template, context)

    def import_save_view(self, request: HttpRequest) -> HttpResponse:
        """Step 3: apply the review's corrections and show it again ("Apply"), or save the draft once and open it."""
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

        corrections, problems = corrections_from_post(request.POST, Corrections.from_data(entry.get("corrections")))
        entry = {**entry, "corrections": corrections.to_data()}
        pending[token] = entry
        request.session[SESSION_KEY] = pending
        try:
            # Parsed again, from the text kept on the server: the names are matched to today's actors.
            summary = summary_with(entry["text"], corrections)
        except SummaryError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(upload_url)
        if not entry["slug"] and summary.title and summary.start_date:
            entry = pending[token] = {**entry, "slug": meeting_slug(summary, "")}  # the title and date just given
            request.session[SESSION_KEY] = pending
        if "_apply" in request.POST or problems:
            return self._review(request, summary, entry["name"], slug=entry["slug"], token=token, problems=problems)
        if not (summary.title and summary.start_date):
            missing = _("A meeting needs a title and a date: give them under “The meeting”.")
            return self._review(request, summary, entry["name"], slug=entry["slug"], token=token, error=missing)

        # The same review saved before: by a first click, or by one a moment ago that took the slug.
        identical = Meeting.objects.filter(slug=entry["slug"], start_date=summary.start_date)
        meeting = identical.first()
        if meeting is not None:
            return self._already_saved(request, meeting, pending=pending, token=token)
        existing = meeting_for_summary(summary)
        changes: list[str] = []
        try:
            if existing is not None:
                # The same meeting imported again: its draft is updated, never a second meeting.
                editable_draft_for(meeting=existing, user=request.user)
                changes = meeting_changes(meeting=existing, summary=summary)
            meeting = meeting_import(summary=summary, publish=False, slug=entry["slug"])
        except (IntegrityError, ValidationError, SummaryError) as error:
            meeting = identical.first()
            if meeting is not None:
                return self._already_saved(request, meeting, pending=pending, token=token)
            problems = error.messages if isinstance(error, ValidationError) else [str(error)]
            error_text = _("The meeting could not be saved: %s") % " ".join(problems)
            return self._review(request, summary, entry["name"], slug=entry["slug"], token=token, error=error_text)
        except OperationalError:
            # SQLite refuses a second writer at once ("database is locked"), e.g. the other click's save.
            logger.warning("The import of %r met a busy database", entry["name"], exc_info=True)
            meeting = identical.first()
            if meeting is not None:
                return self._already_saved(request, meeting, pending=pending, token=token)
            busy = _("The database was busy, perhaps saving this summary already. Please press “Save as draft” again.")
            return self._review(request, summary, entry["name"], slug=entry["slug"], token=token, error=busy)

        source = entry.get("source", "")
        self._remember_saved(request, pending, token, meeting)
        if (
            source
            and source_attach_staged(meeting=editable_draft_for(meeting=meeting, user=request.user), staged=source)
            is None
        ):
            messages.warning(request, _("The summary file could not be kept as the meeting's source document."))
        if existing is not None:
            self.log_change(request, meeting, _("Imported again from the summary file “%s”.") % entry["name"])
            messages.success(
                request,
                _("“%(title)s” was imported before: its draft is updated. %(changes)s")
                % {"title": meeting.title, "changes": " ".join(changes) or _("Nothing changed.")},
            )
        else:
            self.log_addition(request, meeting, _("Imported from the summary file “%s”.") % entry["name"])
            messages.success(
                request,
                _("“%(title)s” was saved as a draft with %(paragraphs)d paragraphs. Check it, then publish it.")
                % {"title": meeting.title, "paragraphs": len(summary.paragraphs)},
            )
        if summary.unrecognised:
            messages.warning(request, _("Left out, not recognised: %s") % "; ".join(summary.unrecognised))
        if summary.left_out:
            messages.info(request, _("Left out, as you chose: %s") % "; ".join(summary.left_out))
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
