"""Measuring the cost of a page as the archive grows: a query counter and a meeting ten times the 2020 one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Paragraph, Participation, Passage, PassageGoal

from .factories import (
    CountryFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PriorityGoalFactory,
)


def read(client, url, **headers):
    """(response, number of queries) of one GET of `url`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def count_queries(client, url):
    """How many queries one successful GET of `url` runs."""
    response, queries = read(client, url)
    assert response.status_code == 200
    return queries


def large_meeting(turkey):
    """A meeting several times the size of the 2020 one, in which Turkey speaks often.

    Its many rows (participations, paragraphs, passages and their speakers and goals) are inserted in bulk,
    as the archive generator does (meetings.synthetic): the database's triggers keep their copies of the
    meeting's publication, and no history is written, which no page reads.
    """
    meeting = MeetingFactory(title="Ministerial Conference", slug="large-meeting")
    goals = [PriorityGoalFactory(number=n) for n in range(1, 7)]
    countries = [CountryFactory() for _ in range(40)] + [turkey]
    organisations = [OrganisationFactory() for _ in range(15)]
    Participation.objects.bulk_create(
        Participation(meeting=meeting, actor=actor, role=Participation.Role.PARTICIPANT)
        for actor in countries + organisations
    )
    official = PositionFactory()
    paragraphs = Paragraph.objects.bulk_create(
        Paragraph(meeting=meeting, number=number, subject="Interventions") for number in range(1, 13)
    )
    shapes = [(paragraph, order) for paragraph in paragraphs for order in range(1, 8)]
    passages = Passage.objects.bulk_create(
        Passage(
            paragraph=paragraph,
            order=order,
            text=f"Passage number {number} of the summary.",
            official=official if order == 1 else None,
        )
        for number, (paragraph, order) in enumerate(shapes, start=1)
    )
    Passage.speakers.through.objects.bulk_create(
        Passage.speakers.through(passage=passage, actor=actor)
        for passage, (paragraph, order) in zip(passages, shapes, strict=True)
        for actor in (turkey, countries[(paragraph.number * order) % 40])
    )
    PassageGoal.objects.bulk_create(
        PassageGoal(passage=passage, prioritygoal=goal)
        for passage, (_, order) in zip(passages, shapes, strict=True)
        for goal in goals[order % 6 : order % 6 + 2]
    )
    return meeting
