"""The held-out corpus (tests/data/corpus): at least 95% right on every kind of record, nothing made up guessed.

Each summary is read against the archive as it stands after the 2020 meeting (fixtures/som-2020.json): the
names that archive does not hold must come back as actors to create (from ISO 3166, Kosovo, or the
reference list of organisations) or be reported, never be matched to something else.
"""

import pytest

from actors.models import Actor, Position
from meetings.models import Footnote, Passage
from meetings.services.importing import meeting_import

from .corpus import NAMES, expected, key, passage_starting, read, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(som_2020):
    """The 2020 meeting (in the test database already, tests/conftest.py), which the summaries name."""
    return som_2020


@pytest.mark.parametrize("name", NAMES)
def test_each_kind_of_record_is_at_least_95_percent_right(archive, tmp_path, name):
    summary = read(name, tmp_path)
    scores = score(summary, expected(name))
    shares = {kind: round(value.share, 3) for kind, value in scores.items()}
    problems = {kind: value.wrong for kind, value in scores.items() if value.wrong}
    assert all(share >= 0.95 for share in shares.values()), (shares, problems)


@pytest.mark.parametrize("name", NAMES)
def test_every_made_up_name_is_reported_and_none_is_guessed(archive, tmp_path, name):
    summary = read(name, tmp_path)
    record = expected(name)
    assert set(record["made_up"]) <= set(summary.unrecognised)
    matched = {match.name for match in summary._all_matches()} | {key(m) for m in summary._all_matches()}
    assert not matched & set(record["made_up"])
    # Nothing else is reported: every other name was recognised.
    assert set(summary.unrecognised) == set(record["made_up"])


@pytest.mark.parametrize("name", NAMES)
def test_the_meeting_itself(archive, tmp_path, name):
    summary = read(name, tmp_path)
    record = expected(name)
    assert summary.title == record["title"]
    assert (summary.start_date, summary.end_date) == (record["start_date"], record["end_date"])
    assert (summary.format, summary.location) == (record["format"], record["location"])
    assert len(summary.paragraphs) == record["paragraphs"]
    if "kind" in record:  # the series' kind and the meeting's number in it, where the .yaml gives them
        assert (summary.kind, summary.number) == (record["kind"], record["number"])
    assert [text for _number, text in summary.footnotes] == record["footnotes"]
    assert [key(summary.chair), key(summary.co_chair), key(summary.secretariat)] == [
        record["chair"],
        record["co_chair"],
        record["secretariat"],
    ]


@pytest.mark.parametrize("name", NAMES)
def test_saved_every_official_has_a_post_and_speaks_for_it(archive, tmp_path, name):
    summary = read(name, tmp_path)
    record = expected(name)
    if summary.start_date is None:  # a date the importer could not read surely, set by hand as the officer does
        summary.start_date = record["date_set_by_hand"]
    meeting = meeting_import(summary=summary)
    for official in record["officials"]:
        position = Position.objects.select_related("actor__parent").get(person__name=official["name"])
        assert (position.title, position.actor.name) == (official["title"], official["institution"])
        assert (position.actor.parent.name if position.actor.parent_id else None) == official["of"]
        passage = Passage.objects.get(paragraph__meeting=meeting, official=position)
        assert [key_of(actor) for actor in passage.speakers.all()] == [
            item["speakers"] for item in record["interventions"] if item["starts"].endswith(official["name"])
        ][0]
    assert Footnote.objects.filter(meeting=meeting).count() == len(record["footnotes"])


def key_of(actor: Actor) -> str:
    return actor.iso_code or actor.short_name or actor.name


def test_the_word_summary_keeps_its_notes_numbered_and_linked(archive, tmp_path):
    summary = read("tbilisi-2023", tmp_path)
    kosovo = passage_starting(summary, "Albania, Serbia and Kosovo")
    # "Kosovo*" (a custom mark, kept as written) and the numbered note after it: each points at its own note.
    assert "**Kosovo**[^*]" in kosovo.text and "goals 2 and 4²" in kosovo.text
    notes = dict(summary.footnotes)
    assert notes[3].startswith("This designation is without prejudice") and summary.footnote_marks[3] == "*"
    assert notes[2].endswith("3. Promote integration and social cohesion.")
    # The tracked deletion is gone, the insertion kept; the comment is not text.
    germany = passage_starting(summary, "Germany and Norway")
    assert "Armenia" not in germany.text and "programmes for families." in germany.text
    assert "Check the spelling" not in " ".join(paragraph.text for paragraph in summary.paragraphs)
    # The list restarted at 1 stays inside paragraph 4; the main numbering goes on after it.
    fourth = summary.paragraphs[3]
    assert fourth.number == 4 and "1. map the reintegration services" in fourth.text
    assert summary.paragraphs[4].subject == "Session II – Sustainable reintegration"
