"""Calls for Action as versioned frameworks: a goal number means the goal of the Call for Action in force."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from meetings.goals import goals_in_force
from meetings.importer import summary_from_text
from meetings.models import CallForAction, GoalCorrespondence, Meeting, PassageGoal, PriorityGoal
from meetings.services.importing import meeting_import

from .api_client import get_json
from .conftest import SOM_2020_SLUG
from .source_text import page_text

pytestmark = pytest.mark.django_db

SUMMARY_2025 = """Budapest Process

Senior Officials Meeting

Istanbul, 26–27 November 2025

Summary

1. The Senior Officials Meeting gathered **40 participants from 3 countries** – Hungary, Spain and Türkiye.
2. **Spain** presented its work on returns under priority goal 3 and on protection under priority goal 5.
"""


def test_the_2020_meeting_cites_the_2013_goals(som_2020):
    goals = goals_in_force(som_2020.start_date)
    assert {number: goal.title for number, goal in goals.items()} == {
        1: "Irregular migration",
        2: "Legal migration and mobility",
        3: "Integration",
        4: "Migration and development",
        5: "Trafficking in persons",
        6: "International protection",
    }
    assert {goal.framework.slug for goal in goals.values()} == {"2019-2024"}
    named = PassageGoal.objects.filter(passage__paragraph__meeting=som_2020)
    assert {link.prioritygoal.framework.slug for link in named} == {"2019-2024"}


def test_goal_numbers_change_meaning_on_new_year_2025(som_2020):
    assert goals_in_force(datetime.date(2024, 12, 31))[3].title == "Integration"
    assert goals_in_force(datetime.date(2025, 1, 1))[3].title == "Return, readmission and reintegration"
    assert goals_in_force(datetime.date(1993, 2, 15)) == {}  # before the 2013 goals, a number means nothing


def test_importing_a_2025_summary_files_goal_3_under_return(som_2020):
    meeting = meeting_import(summary=summary_from_text(SUMMARY_2025))
    spain = meeting.paragraphs.get(number=2).passages.get()
    goals = {goal.number: (goal.framework.slug, goal.title) for goal in spain.goals.all()}
    assert goals == {
        3: ("2025-2030", "Return, readmission and reintegration"),
        5: ("2025-2030", "International protection"),
    }
    assert set(spain.goal_links.values_list("provenance", flat=True)) == {"named"}


def test_correspondence_is_stored_between_the_goals_and_shown_on_both_pages(client, som_2020):
    trafficking = PriorityGoal.objects.get(framework__slug="2019-2024", number=5)
    integration = PriorityGoal.objects.get(framework__slug="2019-2024", number=3)
    protection = PriorityGoal.objects.get(framework__slug="2019-2024", number=6)
    assert [(g.framework.slug, g.number) for g in trafficking.carried_over_to.all()] == [("2025-2030", 1)]
    assert [(g.framework.slug, g.number) for g in integration.carried_over_to.all()] == [("2025-2030", 6)]
    assert [(g.framework.slug, g.number) for g in protection.carried_over_to.all()] == [("2025-2030", 5)]
    # Every 2025 goal carries over at least one 2013 subject: a profile can be read across both.
    later = PriorityGoal.objects.filter(framework__slug="2025-2030")
    assert all(goal.carried_over_from.exists() for goal in later)
    assert GoalCorrespondence.objects.count() == 7

    old = page_text(client.get("/priority-goals/5/").content.decode())
    assert "Carried over to 2025–2030 goal 1: Irregular migration, smuggling and border management" in old
    new = page_text(client.get("/priority-goals/2025-2030/1/").content.decode())
    assert "Call for Action 2025–2030" in new
    assert "Carries over 2019–2024 goal 5: Trafficking in persons" in new


def test_goal_addresses_old_and_new(client, som_2020):
    assert client.get("/priority-goals/3/").context["prioritygoal"].title == "Integration"
    assert client.get("/priority-goals/2025-2030/3/").context["prioritygoal"].title.startswith("Return")
    moved = client.get("/priority-goals/2019-2024/3/?country=ES")
    assert moved.status_code == 301 and moved["Location"] == "/priority-goals/3/?country=ES"
    assert client.get("/priority-goals/2040-2045/3/").status_code == 404
    assert client.get("/priority-goals/2025-2030/7/").status_code == 404
    matrix = client.get("/priority-goals/2025-2030/matrix/")
    assert matrix.status_code == 200 and matrix.context["framework"].slug == "2025-2030"
    # Its key of goals (a stored part's, read from the page): the six of 2025–2030, in order, each to its page.
    key = re.search(r'<ol class="goal-key">(.*?)</ol>', matrix.content.decode(), re.DOTALL)
    assert key is not None
    assert re.findall(r'<li value="(\d)"><a href="/priority-goals/2025-2030/\1/">', key.group(1)) == list("123456")
    listing = page_text(client.get("/priority-goals/").content.decode())
    assert listing.index("Call for Action – a five-year plan (2019–2024)") < listing.index("Call for Action 2025–2030")


def test_goal_filters_read_numbers_in_the_framework_named(client, som_2020):
    # ?goal=N alone means the 2019–2024 goals, as it always did; ?framework= names another.
    integration = get_json(client, "/api/v1/interventions/?goal=3")
    assert integration["count"] == 0
    assert get_json(client, "/api/v1/interventions/?goal=3&framework=2025-2030")["count"] == 0
    assert get_json(client, "/api/v1/meetings/?goal=1")["count"] == 1
    assert get_json(client, "/api/v1/meetings/?goal=1&framework=2025-2030")["count"] == 0
    goal = get_json(client, "/api/v1/priority-goals/3/?framework=2025-2030")
    assert goal["title"] == "Return, readmission and reintegration" and goal["framework"] == "2025-2030"
    assert [c["goal"]["number"] for c in goal["carries_over"]] == [1]
    assert "readmission" in goal["vocabulary"]
    # A Call for Action that does not exist is no list, as on every list (a filter naming no record): a 404.
    assert "2040-2045" in get_json(client, "/api/v1/priority-goals/?framework=2040-2045", status=404)["detail"]
    assert client.get("/api/v1/priority-goals/3/?framework=2040-2045").status_code == 404
    frameworks = get_json(client, "/api/v1/calls-for-action/")["results"]
    assert [f["slug"] for f in frameworks] == ["2019-2024", "2025-2030"]


def test_two_frameworks_cannot_be_in_force_on_one_day(som_2020):
    overlapping = CallForAction(name="Draft", slug="draft", period="2030", start_date=datetime.date(2030, 6, 1))
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()


def test_the_ministerial_conferences_are_linked_to_what_they_adopted(client, som_2020):
    call_command("loaddata", "dialogue-history", verbosity=0)
    call_command("loaddata", "som-2020", "dialogue-history", verbosity=0)  # idempotent, in make run's order
    conferences = Meeting.objects.published().filter(series__slug="ministerial-conferences").order_by("start_date")
    assert [(m.number, m.start_date.isoformat(), m.location.split(",")[0]) for m in conferences] == [
        (1, "1991-10-30", "Berlin"),
        (2, "1993-02-15", "Budapest"),
        (3, "1997-10-14", "Prague"),
        (4, "2003-06-25", "Rhodes"),
        (5, "2013-04-19", "Istanbul"),
        # 19–20 February 2019: budapestprocess.org, "The Istanbul Commitments on the Silk Routes Partnership
        # for Migration" ("held its 6th Ministerial Conference in Istanbul on 19-20 February 2019"); the UN
        # Secretary-General's message to it is dated 19 February 2019 (SG/SM/19464).
        (6, "2019-02-19", "Istanbul"),
        (7, "2024-11-12", "Budapest"),
    ]
    assert not any(m.paragraphs.exists() for m in conferences)
    assert CallForAction.objects.get(slug="2025-2030").adopted_at.number == 7
    first = CallForAction.objects.get(slug="2019-2024")
    assert (first.adopted_at.number, first.goals_set_at.number) == (6, 5)
    page = page_text(client.get(conferences.get(number=7).get_absolute_url()).content.decode())
    assert "7th Ministerial Conference" in page
    assert "Call for Action adoptedCall for Action 2025–2030" in page
    fifth = page_text(client.get(conferences.get(number=5).get_absolute_url()).content.decode())
    assert "Priority goals setthe goals of the Call for Action – a five-year plan (2019–2024)" in fifth
    assert "Call for Action adopted" not in fifth
    assert "No summary of this meeting is recorded." in page
    series = page_text(client.get("/series/ministerial-conferences/").content.decode())
    assert series.index("7th Ministerial Conference") < series.index("1st Ministerial Conference")
    # The 2020 meeting still has its own slug and page.
    assert client.get(f"/meetings/{SOM_2020_SLUG}/").status_code == 200
