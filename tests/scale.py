"""Measuring the cost of a page as the archive grows: a query counter and a meeting ten times the 2020 one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import (
    CountryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParagraphFactory,
    ParticipationFactory,
    PassageFactory,
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
    """A meeting several times the size of the 2020 one, in which Turkey speaks often."""
    meeting = MeetingFactory(title="Ministerial Conference", slug="large-meeting")
    goals = [PriorityGoalFactory(number=n) for n in range(1, 7)]
    countries = [CountryFactory() for _ in range(40)] + [turkey]
    organisations = [OrganisationFactory() for _ in range(15)]
    for actor in countries + organisations:
        ParticipationFactory(meeting=meeting, actor=actor)
    official = PositionFactory()
    for number in range(1, 13):
        paragraph = ParagraphFactory(meeting=meeting, number=number)
        for order in range(1, 8):
            PassageFactory(
                paragraph=paragraph,
                order=order,
                speakers=[turkey, countries[(number * order) % 40]],
                goals=goals[order % 6 : order % 6 + 2],
                official=official if order == 1 else None,
            )
    return meeting
