"""Saving an imported summary: a fixed number of queries, however many countries, officials and passages it brings.

The summaries here are a fictional Working Group on Return and Reintegration in Tirana, written as a
narrative report with "The delegation of X" openings and officials after their titles: a style the
held-out corpus does not use.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, Person, Position
from meetings.importer import summary_from_text
from meetings.models import Participation, Passage
from meetings.services.importing import meeting_import
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db

# Countries that make_actors() does not hold: each is created by the import.
NEW = ["Albania", "Armenia", "Azerbaijan", "Croatia", "Estonia", "Georgia", "Latvia", "Malta", "Portugal", "Slovakia"]
KNOWN = ["Austria", "Bulgaria", "Germany", "Hungary", "Serbia"]


def working_group(new: int, rounds: int) -> str:
    """A report with `new` new countries, as many new officials and `rounds` paragraphs of statements."""
    countries = KNOWN + NEW[:new]
    lines = [
        "BUDAPEST PROCESS",
        "Working Group on Return and Reintegration",
        "Tirana, 9 October 2024",
        "",
        f"1. Delegates of {len(countries)} states ({', '.join(countries)}) and of the ICMPD and the IOM took part.",
        "",
        "2. The Chair welcomed the delegates.",
    ]
    for index, name in enumerate(NEW[:new]):
        lines += [
            "",
            f"{3 + index}. Head of Unit **Ms. Officer {name}** from the Ministry of Interior of {name} "
            f"described the return counselling of {name} under goal 1.",
        ]
    for round_number in range(rounds):
        sentences = [f"**{name}** reported on reintegration grants under goals 1 and 2." for name in countries]
        lines += ["", f"{3 + new + round_number}. " + " ".join(sentences)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def actors():
    return make_actors()


def test_the_queries_of_a_save_do_not_grow_with_its_size(actors):
    counts = {}
    for new, rounds in ((1, 1), (10, 6)):
        summary = summary_from_text(working_group(new, rounds).replace("Return", f"Return {new}"))
        with CaptureQueriesContext(connection) as queries:
            meeting_import(summary=summary)
        counts[(new, rounds)] = len(queries)
    assert counts[(1, 1)] == counts[(10, 6)], counts
    assert counts[(10, 6)] <= 60, counts


def test_what_a_bulk_save_writes(actors):
    summary = summary_from_text(working_group(10, 2))
    meeting = meeting_import(summary=summary)
    for name in NEW:
        country = Actor.objects.get(name=name)
        assert country.kind == Actor.Kind.COUNTRY and len(country.iso_code) == 2
        assert country.history.filter(history_type="+").count() == 1
        institution = Actor.objects.get(kind=Actor.Kind.INSTITUTION, parent=country)
        assert institution.name == "Ministry of Interior"
        person = Person.objects.get(name=f"Officer {name}")
        assert person.history.count() == 1
        position = Position.objects.get(person=person)
        assert (position.title, position.actor) == ("Head of Unit", institution)
        assert position.history.count() == 1
        passage = Passage.objects.get(paragraph__meeting=meeting, official=position)
        assert list(passage.speakers.all()) == [country]
    assert Actor.objects.filter(slug="albania").exists()
    participants = meeting.participations.filter(role=Participation.Role.PARTICIPANT)
    assert sorted(participants.values_list("actor__name", flat=True)) == sorted([*KNOWN, *NEW])
    # Importing another meeting with the same new names finds them: nothing is created twice.
    before = Actor.objects.count(), Person.objects.count(), Position.objects.count()
    meeting_import(summary=summary_from_text(working_group(10, 1).replace("Return", "Readmission")))
    assert (Actor.objects.count(), Person.objects.count(), Position.objects.count()) == before
