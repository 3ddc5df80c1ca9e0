"""How long the importer takes: hostile files, and a large meeting from upload to review to saved draft.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/importer.py

Run on a migrated database holding the 2020 meeting (`manage.py loaddata som-2020`). Prints, for each hostile
file of tests/hostile_summaries.py, the time to read it or refuse it (target: under 1 s); then, for a summary of
50 participations and 40 interventions, the admin's upload-to-review and its save (each the median of 3, target:
under 2 s), with the rows of history and the queries the save wrote (about the same with 0 and 10 new
countries). Everything the run writes is rolled back; the files it keeps go to a temporary folder.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budapest.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-importer-")  # the summary files an import keeps

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from meetings.importer import SummaryError, summary_from_upload  # noqa: E402
from tests.hostile_summaries import SHAPES  # noqa: E402

# Countries the 2020 fixture does not hold: the import creates them (as a meeting with new participants does).
NEW_COUNTRIES = "Croatia Cyprus Estonia Kazakhstan Malta Portugal Slovakia Tajikistan Uzbekistan Armenia".split()
GOALS = ["priority goal 1", "goals 2 and 4", "goals 3 to 5", "the second priority goal", "goal 6"]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def participants(new: int) -> tuple[list[str], list[str]]:
    """50 participants of the archive: its countries and organisations, `new` of the countries replaced by new ones."""
    from actors.models import Actor

    organisations = list(Actor.objects.organisations().exclude(short_name="").values_list("short_name", flat=True))
    countries = list(Actor.objects.countries().values_list("name", flat=True))[: 50 - len(organisations)]
    return NEW_COUNTRIES[:new] + countries[new:], organisations


def large_summary(new: int = 0) -> bytes:
    """50 participations and 40 interventions (goal wordings of all kinds) in 7 paragraphs."""
    COUNTRIES, ORGANISATIONS = participants(new)
    lines = [
        "Budapest Process",
        "",
        "Thematic Meeting on Labour Mobility",
        "",
        "Budapest, 14–15 May 2025",
        "",
        f"1. The meeting gathered **180 participants from {len(COUNTRIES)} countries** ({', '.join(COUNTRIES)}) "
        f"as well as the {', the '.join(ORGANISATIONS[:-1])} and the {ORGANISATIONS[-1]}.",
        "",
        "2. **Mr. Ádám Kovács**, Deputy State Secretary at the Ministry of Interior of Hungary, opened the meeting, "
        "representing Hungary as Co-Chair. **Ms. Elif Demir**, Director General of the Presidency of Migration "
        "Management of Türkiye, spoke for Türkiye as Chair.",
    ]
    speakers = (COUNTRIES + ORGANISATIONS)[:40]
    for paragraph in range(4):
        sentences = []
        for index in range(10):
            speaker = speakers[paragraph * 10 + index]
            goal = GOALS[(paragraph + index) % len(GOALS)]
            sentences.append(f"**{speaker}** presented its work on labour mobility under {goal}.")
        lines += ["", f"{paragraph + 3}. " + " ".join(sentences)]
    lines += ["", "7. The Chair thanked the participants and closed the meeting."]
    return "\n".join(lines).encode()


def history_rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


def main() -> None:
    setup_test_environment()
    say(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    say("Hostile files (read, parsed and recognised, or refused):")
    for label, (name, make) in SHAPES.items():
        data = make()
        start = time.perf_counter()
        try:
            summary = summary_from_upload(name=name, data=data)
            outcome = f"read: {len(summary.paragraphs)} paragraphs"
        except SummaryError as error:
            outcome = f"refused: {error}"
        say(f"  {label:45} {len(data):>9,} bytes  {time.perf_counter() - start:6.3f} s  {outcome[:70]}")

    for new in (0, len(NEW_COUNTRIES)):
        measure_large(new)


def measure_large(new: int) -> None:
    data = large_summary(new)
    uploads, saves, rows, queries = [], [], [], []
    for _run in range(3):
        with transaction.atomic():
            user = get_user_model().objects.create_superuser("bench-importer", "bench@example.org", "x")
            client = Client()
            client.force_login(user)
            start = time.perf_counter()
            review = client.post(
                reverse("admin:meetings_meeting_import"), {"file": SimpleUploadedFile("large.txt", data)}
            )
            uploads.append(time.perf_counter() - start)
            assert review.status_code == 200, review.status_code
            summary = review.context["summary"]
            before = history_rows()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                saved = client.post(reverse("admin:meetings_meeting_import_save"), {"token": review.context["token"]})
            saves.append(time.perf_counter() - start)
            queries.append(len(captured))
            assert saved.status_code == 302, saved.content[:500]
            rows.append(history_rows() - before)
            transaction.set_rollback(True)
    interventions = sum(1 for p in summary.paragraphs for e in p.passages if e.kind == "intervention")
    say(
        f"Large summary, {new} new countries: {len(summary.participants)} participations, {interventions} "
        f"interventions, {len(summary.new_actors)} actors to create, {len(summary.unrecognised)} not recognised"
    )
    each = ", ".join(f"{seconds:.3f}" for seconds in uploads)
    say(f"  upload to review (median of 3): {statistics.median(uploads):.3f} s  (each: {each})")
    each = ", ".join(f"{seconds:.3f}" for seconds in saves)
    say(
        f"  save as draft (median of 3):    {statistics.median(saves):.3f} s  (each: {each}), "
        f"{rows[0]} history rows, {queries[0]} queries"
    )


if __name__ == "__main__":
    main()
