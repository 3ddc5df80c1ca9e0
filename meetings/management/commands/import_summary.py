"""Import a meeting summary (.txt, .md or .docx) as a draft meeting, or show what it would import."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from meetings.documents import document_attach_source
from meetings.importer import SummaryError, summary_from_file
from meetings.services.importing import editable_draft_for, meeting_for_summary, meeting_import, meeting_reimport
from meetings.services.publishing import meeting_publish


class Command(BaseCommand):
    help = (
        "Import a summary (.txt, .md or .docx, at most 5 MB) as a new draft meeting with its participants, "
        "paragraphs, interventions, priority goals, officials and footnotes. --dry-run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The summary: plain text or Markdown (UTF-8), or a Word .docx file.")
        parser.add_argument("--dry-run", action="store_true", help="Show what was recognised; save nothing.")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print what was recognised as one JSON object."
        )
        parser.add_argument("--publish", action="store_true", help="Publish the meeting now instead of a draft.")
        parser.add_argument("--slug", default="", help="The meeting's slug (default: its date and title).")
        parser.add_argument(
            "--new",
            dest="as_new",
            action="store_true",
            help="Save a new meeting even if one of the same series, day and title exists (by default its draft "
            "is updated, and a published one is left as it is).",
        )

    def handle(self, *args, file: str, dry_run: bool, as_json: bool, publish: bool, slug: str, as_new: bool, **options):
        # With --json, stdout carries the JSON object alone; everything said to a person goes to stderr.
        say = self.stderr if as_json else self.stdout
        try:
            summary = summary_from_file(file)
            if as_json:
                self.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
            else:
                self._describe(summary)
            if dry_run:
                say.write("Dry run: nothing was saved.")
                return
            with transaction.atomic():  # the meeting and its source file, or nothing
                existing = None if as_new else meeting_for_summary(summary)
                if existing is not None:
                    # The same summary again (same series, same first day): its draft is updated, never doubled.
                    changes = meeting_reimport(meeting=existing, summary=summary)
                    meeting = existing
                else:
                    meeting = meeting_import(summary=summary, slug=slug, as_new=as_new)
                source = Path(file)
                try:
                    document_attach_source(
                        meeting=editable_draft_for(meeting=meeting),
                        uploaded=SimpleUploadedFile(source.name, source.read_bytes()),
                    )
                except ValidationError as refused:
                    say.write(self.style.WARNING(f"The file was not kept as the source: {' '.join(refused.messages)}"))
                if publish:
                    meeting = meeting_publish(meeting=meeting)
            if existing is not None:
                say.write(f"“{meeting.title}” ({meeting.slug}) was imported before: its draft is updated.")
                for change in changes or ["Nothing changed."]:
                    say.write(f"  {change}")
        except SummaryError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(f"The meeting could not be saved: {problems}") from error
        except DatabaseError as error:
            raise CommandError(
                f"The database could not be read or written ({error}). Has `migrate` been run?"
            ) from error
        state = "published" if publish else "saved as a draft"
        say.write(self.style.SUCCESS(f"“{meeting.title}” ({meeting.slug}) {state}: {meeting.get_absolute_url()}"))
        for actor in summary.new_actors:
            say.write(f"New {actor.kind}: {actor.name}" + (f" ({actor.code})" if actor.code else ""))
        if summary.unrecognised:
            say.write(self.style.WARNING("Left out, not recognised: " + "; ".join(summary.unrecognised)))

    def _describe(self, summary) -> None:
        when = summary.start_date.isoformat() if summary.start_date else "no date"
        if summary.end_date:
            when += f" to {summary.end_date.isoformat()}"
        place = summary.location or summary.format.replace("_", " ")
        passages = sum(len(paragraph.passages) for paragraph in summary.paragraphs)
        lines = [
            f"{summary.title or '(no title)'} – {place}, {when}",
            f"{summary.participant_count or 'unknown number of'} participants; "
            f"{len(summary.participants)} countries and organisations recognised",
            f"{len(summary.paragraphs)} paragraphs, {passages} passages, {len(summary.people)} officials, "
            f"{len(summary.footnotes)} footnotes",
        ]
        for role in ("chair", "co_chair", "secretariat"):
            match = getattr(summary, role)
            if match:
                lines.append(f"{role.replace('_', '-').capitalize()}: {match.name}")
        for actor in summary.new_actors:
            lines.append(f"New {actor.kind}: {actor.name}" + (f" ({actor.code})" if actor.code else ""))
        lines += [self.style.WARNING(f"Warning: {warning}") for warning in summary.warnings]
        if summary.unrecognised:
            lines.append(self.style.WARNING("Not recognised: " + "; ".join(summary.unrecognised)))
        self.stdout.write("\n".join(lines))
