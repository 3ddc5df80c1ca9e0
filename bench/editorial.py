"""Time the editorial admin: a meeting's history after 200 saves, and saving a meeting with 50 participations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> .venv/bin/python bench/editorial.py

Makes a throwaway test database from DATABASE_URL (`test_<name>`, dropped at the end), a meeting with
50 participations, 8 paragraphs and 100 passages, and prints, each the median of 5 runs after one
to warm up, with its number of queries:
- the history page of that meeting after 200 saves (and `meeting_history` alone);
- the admin's save of its meeting form (50 participation rows) as a draft, with its history rows;
- the first save to it once published (which makes the working copy) and a save of the copy;
- publishing the copy's changes.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budapest.settings")
os.environ.setdefault("DJANGO_PAGE_CACHE", "off")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 5


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def timed(label: str, action, *, prepare=None) -> None:
    """Run `action` once to warm up, then RUNS times; print the median time and the queries of the last run."""
    figures, queries = [], 0
    for run in range(RUNS + 1):
        if prepare is not None:
            prepare()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            elapsed = time.perf_counter() - start
        if run:
            figures.append(elapsed)
            queries = len(captured)
    say(f"{label:<62} {statistics.median(figures) * 1000:8.1f} ms  {queries:5d} queries")


def build():
    from actors.models import Actor
    from meetings.models import Meeting, Paragraph, Participation, Passage, PriorityGoal
    from tests import factories as f

    goals = [
        PriorityGoal.objects.get_or_create(number=n, defaults={"title": f"Goal {n}", "text": "…"})[0] for n in (1, 2)
    ]
    meeting = f.MeetingFactory(title="Benchmark meeting", status=Meeting.Status.DRAFT, published_at=None)
    countries = [f.CountryFactory() for _ in range(50)]
    for country in countries:
        Participation.objects.create(meeting=meeting, actor=country)
    for number in range(1, 9):
        paragraph = Paragraph.objects.create(meeting=meeting, number=number, subject=f"Subject {number}")
        for order in range(1, 14 if number < 8 else 10):
            passage = Passage.objects.create(
                paragraph=paragraph, order=order, text=f"**{countries[order]}** said {order}."
            )
            passage.speakers.add(countries[order])
            if order % 3 == 0:
                passage.goals.add(goals[order % 2])
    assert Passage.objects.filter(paragraph__meeting=meeting).count() == 100
    return meeting, countries, Actor


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    say(f"database: {connection.vendor} ({name})")
    try:
        run()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run() -> None:
    from django.contrib.auth.models import User
    from django.urls import reverse
    from simple_history.utils import update_change_reason  # noqa: F401  (simple-history is loaded)

    from meetings.history import meeting_history
    from meetings.models import Meeting, Passage
    from meetings.revisions import meeting_changes_draft, meeting_changes_publish, working_copy_of
    from tests.admin_forms import change_form_data

    meeting, countries, _actor = build()
    admin = User.objects.create_superuser("bench", "bench@example.org", "a-long-password")
    client = Client()
    client.force_login(admin)

    # 200 saves: the meeting's own fields and passages' text and speakers, by two people.
    other = User.objects.create_user("other", is_staff=True)
    passages = list(Passage.objects.filter(paragraph__meeting=meeting))
    for number in range(200):
        user = admin if number % 2 else other
        if number % 4 == 0:
            meeting.participant_count = 100 + number
            meeting._history_user = user
            meeting.save()
        else:
            passage = passages[number % len(passages)]
            passage.text = f"Text of save {number}."
            passage._history_user = user  # type: ignore[attr-defined]  # simple-history reads it
            passage.save()
            if number % 3 == 0:
                passage.speakers.set([countries[number % 50]])
    entries = meeting_history(meeting)
    say(f"history: {len(entries)} entries for 200 saves")
    history_url = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    timed("meeting_history() after 200 saves", lambda: meeting_history(meeting))
    timed("GET the history page after 200 saves", lambda: client.get(history_url))

    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    pages = {}
    counter = iter(range(10_000))

    def open_page(url=change_url):
        pages["page"] = client.get(url)  # each save from a page opened after the last one (no merge)

    def save_draft(url=change_url):
        response = client.post(url, change_form_data(pages["page"], location=f"Place {next(counter)}"))
        assert response.status_code == 302, response.content[:2000]

    timed("POST the meeting form, 50 participations (a draft)", save_draft, prepare=open_page)

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED, published_at=meeting.created_at)
    meeting.refresh_from_db()

    def discard():
        copy = working_copy_of(meeting)
        if copy is not None:
            copy.delete()
        open_page()

    timed("POST to the published meeting: makes its working copy", save_draft, prepare=discard)
    copy = meeting_changes_draft(meeting, user=admin)
    copy_url = reverse("admin:meetings_meeting_change", args=[copy.pk])
    timed(
        "POST the working copy's form, 50 participations",
        lambda: save_draft(copy_url),
        prepare=lambda: open_page(copy_url),
    )

    state = {}

    def fresh_copy():
        discard()
        state["copy"] = meeting_changes_draft(meeting, user=admin)
        Meeting.objects.filter(pk=state["copy"].pk).update(location=f"Place {next(counter)}")
        Passage.objects.filter(paragraph__meeting=state["copy"], order=1).update(text="Changed for publication.")

    timed("publish the working copy's changes (8 passages changed)", lambda: meeting_changes_publish(
        Meeting.objects.get(pk=state["copy"].pk), user=admin), prepare=fresh_copy)  # fmt: skip


if __name__ == "__main__":
    main()
