"""A passage's and a participation's copy of their meeting's publication (`models.MeetingCopy`) is right
whatever writes: a save, `QuerySet.update()`, `bulk_create()`, `loaddata`, publication, withdrawal, a
paragraph moved, a stale row saved again; and the counts read through it show only public meetings,
a meeting published for later from its time on and not before.
"""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from actors.models import Actor
from meetings.models import (
    Meeting,
    MeetingReferences,
    Paragraph,
    Participation,
    Passage,
    PassageGoal,
    PriorityGoal,
)
from meetings.revisions import meeting_changes_compare, meeting_changes_draft, meeting_changes_publish
from meetings.services.publishing import meeting_publish, meeting_withdraw

from . import factories as f

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=30)


def assert_copies_right() -> None:
    """Every passage and participation carries its meeting's `public_from` and date; every goal link, its passage's."""
    passages = Passage.objects.exclude(
        public_from=F("paragraph__meeting__public_from"), meeting_date=F("paragraph__meeting__start_date")
    ).exclude(public_from__isnull=True, paragraph__meeting__public_from__isnull=True)
    participations = Participation.objects.exclude(
        public_from=F("meeting__public_from"), meeting_date=F("meeting__start_date")
    ).exclude(public_from__isnull=True, meeting__public_from__isnull=True)
    links = PassageGoal.objects.exclude(passage_public_from=F("passage__paragraph__meeting__public_from")).exclude(
        passage_public_from__isnull=True, passage__paragraph__meeting__public_from__isnull=True
    )
    assert list(passages.values_list("pk", flat=True)) == []
    assert list(participations.values_list("pk", flat=True)) == []
    assert list(links.values_list("pk", flat=True)) == []
    # Dates too, where the meeting's copy is NULL (a draft): compared on their own.
    assert not Passage.objects.exclude(meeting_date=F("paragraph__meeting__start_date")).exists()
    assert not Participation.objects.exclude(meeting_date=F("meeting__start_date")).exists()


def meeting_with(goal: PriorityGoal, **fields):
    meeting = f.MeetingFactory(**fields)
    f.ParticipationFactory(meeting=meeting)
    f.PassageFactory(paragraph=f.ParagraphFactory(meeting=meeting), goals=[goal])
    return meeting


@pytest.fixture
def goal():
    return f.PriorityGoalFactory()


def goal_count(goal: PriorityGoal) -> int:
    return PriorityGoal.objects.with_intervention_count().get(pk=goal.pk).intervention_count


def test_public_draft_scheduled_and_withdrawn_meetings_are_counted_by_their_copy(goal):
    public = meeting_with(goal)
    draft = meeting_with(goal, status=Meeting.Status.DRAFT, published_at=None)
    scheduled = meeting_with(goal, published_at=timezone.now() + LATER)
    withdrawn = meeting_with(goal, status=Meeting.Status.WITHDRAWN)
    assert_copies_right()
    assert set(Passage.objects.published().values_list("paragraph__meeting", flat=True)) == {public.pk}
    assert set(Participation.objects.published().values_list("meeting", flat=True)) == {public.pk}
    assert goal_count(goal) == 1
    assert Passage.objects.get(paragraph__meeting=draft).public_from is None
    assert Passage.objects.get(paragraph__meeting=scheduled).public_from == scheduled.published_at
    assert Passage.objects.get(paragraph__meeting=withdrawn).public_from is None


def test_a_meeting_scheduled_for_later_counts_from_its_time_on_with_no_write(goal, monkeypatch):
    meeting_with(goal)
    scheduled = meeting_with(goal, published_at=timezone.now() + LATER)
    assert goal_count(goal) == 1
    assert Passage.objects.published().count() == 1
    due = scheduled.published_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)  # the clock, not the database: nothing is written
    assert goal_count(goal) == 2
    assert Passage.objects.published().count() == 2
    assert Participation.objects.published().count() == 2


def test_a_change_of_status_time_or_date_by_update_reaches_the_rows(goal):
    meeting = meeting_with(goal, status=Meeting.Status.DRAFT, published_at=None)
    assert goal_count(goal) == 0
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED, published_at=timezone.now())
    assert_copies_right()
    assert goal_count(goal) == 1
    Meeting.objects.filter(pk=meeting.pk).update(start_date=datetime.date(2001, 2, 3))
    assert_copies_right()
    assert Passage.objects.get().meeting_date == datetime.date(2001, 2, 3)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.WITHDRAWN)  # withdrawn
    assert_copies_right()
    assert goal_count(goal) == 0


def test_publication_withdrawal_and_a_save_reach_the_rows(goal):
    meeting = meeting_with(goal, status=Meeting.Status.DRAFT, published_at=None)
    meeting_publish(meeting=meeting, published_at=timezone.now() + LATER)
    assert_copies_right()
    assert goal_count(goal) == 0
    meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
    assert_copies_right()
    assert goal_count(goal) == 1
    meeting_withdraw(meeting=Meeting.objects.get(pk=meeting.pk))
    assert_copies_right()
    assert goal_count(goal) == 0
    meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
    meeting.refresh_from_db()
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    assert_copies_right()
    assert goal_count(goal) == 0


def test_rows_written_in_bulk_or_saved_stale_or_moved_take_their_meetings(goal):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    public = f.MeetingFactory(start_date=datetime.date(2024, 5, 6))
    paragraph = Paragraph.objects.create(meeting=draft, number=1)
    # bulk_create, with values that are not the meeting's: the database gives them their meeting's.
    Passage.objects.bulk_create(
        [Passage(paragraph=paragraph, order=n, text="x", public_from=timezone.now(), meeting_date=None) for n in (1, 2)]
    )
    Participation.objects.bulk_create(
        [Participation(meeting=draft, actor=f.CountryFactory(), public_from=timezone.now())]
    )
    assert_copies_right()
    assert not Passage.objects.published().exists()
    stale = Passage.objects.first()
    Meeting.objects.filter(pk=draft.pk).update(status=Meeting.Status.PUBLISHED, published_at=timezone.now())
    stale.save()  # carries the draft's copy it was read with
    assert_copies_right()
    Paragraph.objects.filter(pk=paragraph.pk).update(meeting=public)  # a paragraph moved to another meeting
    assert_copies_right()
    assert set(Passage.objects.values_list("meeting_date", flat=True)) == {datetime.date(2024, 5, 6)}
    link = PassageGoal.objects.create(passage=stale, prioritygoal=goal, passage_public_from=None)
    assert_copies_right()
    assert goal_count(goal) == 1
    Passage.objects.update(public_from=None)  # a raw write of the copy itself is corrected
    Participation.objects.update(meeting_date=None)
    PassageGoal.objects.filter(pk=link.pk).update(passage_public_from=None)
    assert_copies_right()
    assert goal_count(goal) == 1


def test_the_2020_meeting_loaded_by_loaddata_carries_its_publication(som_2020):
    assert Passage.objects.exists()
    assert_copies_right()
    assert not Passage.objects.filter(public_from__isnull=True).exists()


def test_a_working_copy_is_never_counted_and_its_publication_keeps_the_copies(goal):
    live = meeting_with(goal)
    copy = meeting_changes_draft(live, user=None)
    assert_copies_right()
    assert goal_count(goal) == 1  # the working copy's passage (a draft's) is not counted
    assert meeting_changes_compare(copy) == []  # the copies are the database's, never a change
    f.PassageFactory(paragraph=Paragraph.objects.get(meeting=copy), goals=[goal])
    assert goal_count(goal) == 1
    meeting_changes_publish(copy, user=None)
    assert_copies_right()
    assert goal_count(goal) == 2


def meeting_naming_in_every_way(**fields) -> dict:
    """A meeting that names an actor in each way `MeetingReferences.actors` reads, and an official; what it names."""
    meeting = f.MeetingFactory.create(**fields)
    named: dict[str, Actor] = {
        "participant": f.CountryFactory.create(),
        "participant's country": f.CountryFactory.create(),
        "represented": f.CountryFactory.create(),
        "representing institution's country": f.CountryFactory.create(),
        "speaker": f.CountryFactory.create(),
        "speaking institution's country": f.CountryFactory.create(),
        "speaking group's member": f.CountryFactory.create(),
        "mentioned": f.OrganisationFactory.create(),
        "mentioned institution's country": f.CountryFactory.create(),
        "official's institution's country": f.CountryFactory.create(),
    }
    f.ParticipationFactory.create(meeting=meeting, actor=named["participant"])
    f.ParticipationFactory.create(
        meeting=meeting, actor=f.InstitutionFactory.create(parent=named["participant's country"])
    )
    f.ParticipationFactory.create(
        meeting=meeting,
        actor=named["represented"],
        represented_by=f.InstitutionFactory.create(parent=named["representing institution's country"]),
    )
    group = f.GroupFactory.create()
    group.members.add(named["speaking group's member"])
    official = f.PositionFactory.create(
        actor=f.InstitutionFactory.create(parent=named["official's institution's country"])
    )
    passage = f.PassageFactory.create(
        paragraph=f.ParagraphFactory.create(meeting=meeting),
        official=official,
        speakers=[named["speaker"], f.InstitutionFactory.create(parent=named["speaking institution's country"]), group],
    )
    passage.mentions.add(
        named["mentioned"], f.InstitutionFactory.create(parent=named["mentioned institution's country"])
    )
    return {"meeting": meeting, "actors": {actor.pk for actor in named.values()}, "position": official}


def public_records() -> tuple[set, set, set]:
    public = MeetingReferences.public()
    return (
        set(public.actors().values_list("pk", flat=True)),
        set(public.positions().values_list("pk", flat=True)),
        set(public.people().values_list("pk", flat=True)),
    )


def records_of(*meetings: dict) -> tuple[set, set, set]:
    """What these meetings name, found through their ids (`MeetingQuerySet.references`)."""
    references = Meeting.objects.filter(pk__in=[each["meeting"].pk for each in meetings]).references()
    return (
        set(references.actors().values_list("pk", flat=True)),
        set(references.positions().values_list("pk", flat=True)),
        set(references.people().values_list("pk", flat=True)),
    )


def test_the_publics_records_read_from_the_copy_are_those_public_meetings_name_in_every_way(monkeypatch):
    public = meeting_naming_in_every_way()
    draft = meeting_naming_in_every_way(status=Meeting.Status.DRAFT, published_at=None)
    scheduled = meeting_naming_in_every_way(published_at=timezone.now() + LATER)
    withdrawn = meeting_naming_in_every_way(status=Meeting.Status.WITHDRAWN)
    actors, positions, people = public_records()
    assert public["actors"] <= actors
    assert not actors & (draft["actors"] | scheduled["actors"] | withdrawn["actors"])
    assert positions == {public["position"].pk}
    assert people == {public["position"].person_id}
    assert public_records() == records_of(public)

    monkeypatch.setattr(timezone, "now", lambda: scheduled["meeting"].published_at + datetime.timedelta(seconds=1))
    actors, positions, people = public_records()  # due: public from its time on, with nothing written
    assert scheduled["actors"] <= actors
    assert not actors & (draft["actors"] | withdrawn["actors"])
    assert positions == {public["position"].pk, scheduled["position"].pk}
    assert public_records() == records_of(public, scheduled)
