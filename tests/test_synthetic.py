"""The synthetic archive for benchmarks: realistic shape, deterministic, on top of the 2020 fixture."""

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting, Participation, Passage
from meetings.synthetic import SLUG_PREFIX, delete_archive, generate_archive

pytestmark = pytest.mark.django_db


def _fingerprint():
    meetings = Meeting.objects.filter(slug__startswith=SLUG_PREFIX)
    return [
        (m.slug, m.title, m.start_date, m.status, sorted(m.participations.values_list("actor__name", "role")))
        for m in meetings.order_by("slug")
    ], list(
        Passage.objects.filter(paragraph__meeting__in=meetings)
        .order_by("paragraph__meeting__slug", "paragraph__number", "order")
        .values_list("text", flat=True)
    )


def test_shape_of_the_generated_meetings(som_2020):
    sizes = generate_archive(meetings=12, seed=3, batch=5)
    assert sizes.meetings == 12
    for meeting in Meeting.objects.filter(slug__startswith=SLUG_PREFIX):
        roles = list(meeting.participations.values_list("role", flat=True))
        assert 20 <= len(roles) <= 61
        assert roles.count(Participation.Role.CHAIR) == 1
        assert roles.count(Participation.Role.SECRETARIAT) == 1
        assert 6 <= meeting.paragraphs.count() <= 12
        passages = Passage.objects.filter(paragraph__meeting=meeting)
        assert passages.exists() and not passages.filter(speakers__isnull=True).exists()
    assert Passage.objects.filter(paragraph__meeting__slug__startswith=SLUG_PREFIX, goals__isnull=False).exists()
    assert Meeting.objects.get(slug=som_2020.slug).paragraphs.count() == 8  # the fixture is untouched


def test_the_same_seed_gives_the_same_archive(som_2020):
    generate_archive(meetings=4, seed=7)
    first = _fingerprint()
    delete_archive()
    assert not Meeting.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    generate_archive(meetings=4, seed=7)
    assert _fingerprint() == first
    delete_archive()
    generate_archive(meetings=4, seed=8)
    assert _fingerprint() != first


def test_the_command_reports_and_refuses_bad_numbers(som_2020, capsys):
    call_command("generate_archive", "--meetings", "2")
    assert "Generated 2 meetings" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("generate_archive", "--meetings", "0")


def test_the_command_needs_the_priority_goals(db):
    with pytest.raises(CommandError, match="loaddata"):
        call_command("generate_archive", "--meetings", "1")
