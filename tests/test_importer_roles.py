"""The dialogue's roles beside the Chair (host, Reference Group Rapporteur, working-group co-chairs) and numbered
meeting kinds ("38th Senior Officials Meeting", "the Seventh Ministerial Conference"), read by the importer.

The summaries are fictional and written as a Secretariat's minutes with the roles in apposition, a style the
corpus does not use.
"""

import pytest

from actors.models import Actor
from meetings.importer import summary_from_text
from meetings.importer.roles import declared_roles, meeting_kind, ordinal_value
from meetings.models import MeetingSeries, Participation
from meetings.services.importing import meeting_import
from tests.test_importer_recognise import make_actors

pytestmark = pytest.mark.django_db

BATUMI = """\
BUDAPEST PROCESS

38th Senior Officials Meeting

Batumi, 4–5 June 2025

1. The meeting, hosted by the Government of Georgia, brought together 60 delegates from 7 countries \
(Austria, Bulgaria, Germany, Hungary, Serbia, Sweden and Turkey) as well as the ICMPD.

2. Hungary, as Chair, opened the meeting. Sweden, in its capacity as Reference Group Rapporteur, summed up the \
Reference Group's year.

3. Serbia and Türkiye, co-chairs of the thematic working group on return, reported on the group's visits.

4. **Austria** spoke about goal 3.
"""


@pytest.fixture
def actors():
    return make_actors()


@pytest.mark.parametrize(
    ("title", "first", "expected"),
    [
        ("38th Senior Officials Meeting", "", ("senior_officials_meeting", 38)),
        ("The Seventh Ministerial Conference", "", ("ministerial_conference", 7)),
        ("Senior Officials’ Meeting", "The thirty-eighth Senior Officials’ Meeting", ("senior_officials_meeting", 38)),
        ("7th Budapest Process Ministerial Conference", "", ("ministerial_conference", 7)),
        ("Thematic Working Group on Labour Migration", "", ("working_group", None)),
        ("Annual Senior Officials Meeting", "", ("senior_officials_meeting", None)),
        ("Meeting of the Reference Group", "", ("reference_group", None)),
        ("Regional Preparatory Meeting", "", ("preparatory", None)),
        ("Study Visit", "", ("", None)),
        # Minutes of a meeting of a series: its number is the ordinal before "Meeting".
        ("Working Group on Return – Minutes of the Third Meeting", "", ("working_group", 3)),
        ("Working Group on Return", "The 12th meeting of the Working Group", ("working_group", 12)),
        ("Working Group on Return – Minutes of the Officials Meeting", "", ("working_group", None)),
    ],
)  # fmt: skip
def test_the_kind_of_meeting_and_its_number(title, first, expected):
    assert meeting_kind(title, first) == expected


def test_ordinals_in_words_and_figures():
    assert [ordinal_value(word) for word in ("1st", "22nd", "Twelfth", "forty-first", "annual", "0th")] == [
        1, 22, 12, 41, None, None,
    ]  # fmt: skip


def test_the_roles_as_written():
    assert declared_roles(BATUMI.replace("\\\n", "")) == [
        ("host", "Georgia"),
        ("rapporteur", "Sweden"),
        ("working_group_co_chair", "Serbia and Türkiye"),
    ]


def test_an_import_saves_the_roles_the_kind_and_the_number(actors):
    summary = summary_from_text(BATUMI)
    assert (summary.kind, summary.number) == ("senior_officials_meeting", 38)
    assert [(role, match.name) for role, match in summary.roles] == [
        ("host", "Georgia"),
        ("rapporteur", "Sweden"),
        ("working_group_co_chair", "Serbia"),
        ("working_group_co_chair", "Turkey"),
    ]
    assert summary.to_dict()["roles"][0] == {"role": "host", "name": "Georgia", "kind": "country", "code": "GE"}
    meeting = meeting_import(summary=summary)
    roles = {p.actor.name: p.role for p in meeting.participations.select_related("actor")}
    assert roles["Georgia"] == Participation.Role.HOST
    assert roles["Sweden"] == Participation.Role.RAPPORTEUR
    assert roles["Serbia"] == roles["Turkey"] == Participation.Role.WORKING_GROUP_CO_CHAIR
    assert roles["Hungary"] == Participation.Role.CHAIR
    assert roles["Austria"] == Participation.Role.PARTICIPANT
    assert Actor.objects.get(name="Georgia").iso_code == "GE"
    assert meeting.number == 38
    assert meeting.series.kind == MeetingSeries.Kind.SENIOR_OFFICIALS_MEETING and meeting.series.numbered
    assert meeting.ordinal_title == "38th Senior Officials Meeting"


def test_a_number_another_meeting_of_the_series_has_is_left_for_the_officer(actors):
    first = meeting_import(summary=summary_from_text(BATUMI))
    second = meeting_import(summary=summary_from_text(BATUMI.replace("Batumi, 4–5 June", "Tbilisi, 9–10 July")))
    assert first.number == 38 and second.pk != first.pk and second.number is None


def test_the_host_at_whose_invitation_the_meeting_met():
    assert declared_roles("The Working Group met in Yerevan at the invitation of Armenia, chaired by Türkiye.") == [
        ("host", "Armenia")
    ]
    assert declared_roles("It met at the kind invitation of the Government of Georgia.") == [("host", "Georgia")]
    assert declared_roles("Delegations spoke at the invitation of the Chair.") == []
