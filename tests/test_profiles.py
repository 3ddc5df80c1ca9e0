"""Country profiles, CSV downloads, goal pages by country and year, and the country × goal matrix."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from actors.models import ALL_VOICES, VoiceKind
from meetings import profiles
from meetings.models import Meeting, Participation, Passage, PassageGoal

from .factories import (
    CountryFactory,
    GroupFactory,
    InstitutionFactory,
    MeetingFactory,
    ParagraphFactory,
    ParticipationFactory,
    PassageFactory,
    PriorityGoalFactory,
)
from .scale import count_queries, large_meeting
from .source_text import page_text

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_country_profile_shows_roles_goals_and_years(client, som_2020):
    html = get(client, "/countries/turkey/")
    text = page_text(html)
    roles = text[text.index("Meetings and roles Chair") :]
    assert roles.startswith("Meetings and roles Chair (1)Annual Senior Officials Meeting, 2020 (Directorate General")
    assert "All 1 meeting" not in text  # every meeting is listed: no link to more
    # What it said comes first, before its meetings and counts.
    assert text.index("What it said, latest first") < text.index("Meetings and roles Chair")
    # The goals it addressed, in a table, each linking to the goal page filtered by the country; no row of
    # zeros, and no chart of the same numbers.
    goals = re.search(r'<table class="counts[^"]*">.*?</table>', html, re.S).group(0)
    assert 'href="/priority-goals/5/?country=TR"' in goals and 'href="/priority-goals/1/?country=TR"' in goals
    assert "goal-chart" not in html
    # One year only: a chart of one bar says nothing the count does not.
    assert '<svg role="img"' not in html
    # Its statements: the opening and its intervention, not the Chair's five passages of procedure
    # ("The Chair gave the floor to organisations"), which are counted apart.
    facts = text[text.index("Interventions") : text.index("Atom feed")]
    assert "Interventions2" in facts.replace(" ", "")
    assert "Procedure5" in facts.replace(" ", "")


def test_country_profile_counts_group_interventions(client, som_2020):
    html = get(client, "/countries/austria/")
    # Its own and the joint one; the EU Member States' line is shown apart, not counted as Austria's.
    text = page_text(html)
    assert "Interventions2" in text.replace(" ", "")
    row = re.search(
        r'href="/priority-goals/1/\?country=AT">1\.[^<]*</a></th>\s*'
        r'<td class="num"[^>]*>(\d+)</td>\s*<td class="num"[^>]*>(\d+)</td>',
        html,
    )
    assert row and row.groups() == ("1", "1")  # goal 1 named in its own, tagged in the joint one
    assert "Through its groups1 (not counted as its interventions)" in text
    groups = text[text.index("Statements of EU Member States") :]
    assert "EU Member States highlighted the importance" in groups


def test_country_profile_over_several_years(client, db):
    country = CountryFactory(slug="testland")
    goal = PriorityGoalFactory(number=3)
    for year, count in [(2019, 2), (2021, 1)]:
        meeting = MeetingFactory(start_date=f"{year}-05-05")
        ParticipationFactory(meeting=meeting, actor=country, role=Participation.Role.CO_CHAIR)
        paragraph = ParagraphFactory(meeting=meeting)
        for order in range(count):
            PassageFactory(paragraph=paragraph, order=order + 1, speakers=[country], goals=[goal])
    html = get(client, "/countries/testland/")
    assert "2019: 2 interventions; 2021: 1 intervention" in html  # two years: the chart over time
    goals = re.search(r'<table class="counts[^"]*">.*?</table>', html, re.S).group(0)
    assert re.search(r"3\. .*?</a></th>\s*<td class=\"num\"[^>]*>3</td>", goals)
    assert "Co-chair" in page_text(html)


def test_a_long_attendance_shows_the_latest_meetings_and_links_to_the_rest(client, db):
    """A country at hundreds of meetings: the page lists the latest, counts all, and links to each list."""
    country = CountryFactory(slug="steadyland", iso_code="SL")
    for day in range(1, 13):
        role = Participation.Role.CHAIR if day % 2 else Participation.Role.PARTICIPANT
        ParticipationFactory(meeting=MeetingFactory(start_date=f"2019-03-{day:02}"), actor=country, role=role)
    ParticipationFactory(meeting=MeetingFactory(start_date="2019-04-01", status=Meeting.Status.DRAFT), actor=country)
    html = get(client, "/countries/steadyland/")
    table = re.search(r'<table class="attendance[^"]*">.*?</table>', html, re.S).group(0)
    assert re.findall(r'datetime="([\d-]+)"', table) == [f"2019-03-{day:02}" for day in range(12, 2, -1)]
    assert 'href="/meetings/?country=SL">All 12 meetings attended</a>' in html
    assert re.search(r"<dt>Meetings attended</dt><dd>12</dd>", html)
    chair = re.search(r"<dt>Chair.*?</dd>", html, re.S).group(0)
    assert "(6)" in chair and chair.count('href="/meetings/thematic-meeting-') == 5
    assert 'href="/meetings/?country=SL&amp;role=chair">all 6 meetings in this role</a>' in chair
    assert "Participant" not in re.search(r'<dl class="roles-held">.*?</dl>', html, re.S).group(0)
    # The links lead to exactly those meetings.
    listed = get(client, "/meetings/?country=SL&role=chair")
    assert len(re.findall(r'href="/meetings/thematic-meeting-\d+/"', listed)) == 6


def test_meetings_list_by_organisation_and_the_role_it_held(client, som_2020):
    html = get(client, "/meetings/?organisation=icmpd&role=secretariat")
    assert "Annual Senior Officials Meeting" in html
    html = get(client, "/meetings/?organisation=icmpd&role=chair")
    assert "Annual Senior Officials Meeting" not in page_text(html)
    # With a country too, both held the role: Turkey chaired, ICMPD did not.
    assert "Annual Senior Officials Meeting" not in page_text(
        get(client, "/meetings/?country=TR&organisation=icmpd&role=chair")
    )
    assert "Annual Senior Officials Meeting" in page_text(get(client, "/meetings/?country=TR&role=chair"))


def test_csv_download_of_a_countrys_interventions(client, som_2020):
    response = client.get("/countries/turkey/interventions.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="interventions-turkey.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # its statements, not the Chair's procedure
    goals_row = next(row for row in rows if row["priority_goals"])
    assert goals_row["priority_goals"] == "1 (named); 5 (named); 6 (tagged)"
    assert goals_row["url"] == f"http://testserver{som_2020.get_absolute_url()}#p6-16"
    assert goals_row["meeting_date"] == "2020-12-02"
    assert goals_row["text"].startswith("Turkey voiced its wish")  # no ** markup
    assert any("Ramazan Seçilmiş" in row["official"] for row in rows)


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, db):
    country = CountryFactory(slug="testland")
    PassageFactory(text='=HYPERLINK("http://example.invalid","click")', speakers=[country])
    rows = list(
        csv.reader(io.StringIO(client.get("/countries/testland/interventions.csv").content.decode("utf-8-sig")))
    )
    assert rows[1][-1].startswith("'=HYPERLINK")


def test_csv_leaves_out_drafts(client, db):
    country = CountryFactory(slug="testland")
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), text="Unpublished words.", speakers=[country])
    assert "Unpublished" not in client.get("/countries/testland/interventions.csv").content.decode()


def test_goal_page_by_country_and_year(client, som_2020):
    html = get(client, "/priority-goals/1/")
    text = page_text(html)
    for country in ["Afghanistan", "Austria", "Hungary", "Norway", "Turkey"]:
        assert country in text
    assert 'href="?country=TR#passages-title"' in html
    # Seven passages name goal 1; ten statements more are about it by the Secretariat's tags. One year:
    # no chart of one bar, the year's count in words.
    assert "goal-year-chart" not in html
    assert 'href="?year=2020#passages-title">2020</a> (17)' in html
    named = get(client, "/priority-goals/1/?named=1")
    assert ">2020</a> (7)" in named
    assert "Spain shared how both labour" in page_text(html) and "Spain shared" not in page_text(named)
    filtered = page_text(get(client, "/priority-goals/1/?country=TR"))
    assert "Turkey voiced its wish" in filtered
    assert "information campaigns to curb irregular migration" not in filtered  # Austria's
    assert "No interventions recorded yet." in page_text(get(client, "/priority-goals/1/?year=2019"))


# A NUL (country=%00) is refused with a 400 before any view: tests/test_exact_input.py.
@pytest.mark.parametrize("query", ["country=ZZ", "year=abc", "year=99999999999999999999"])
def test_goal_page_bad_filters_never_fail(client, som_2020, query):
    response = client.get(f"/priority-goals/1/?{query}")
    assert response.status_code == 200


def test_matrix_shows_who_addressed_what(client, som_2020):
    html = get(client, "/priority-goals/matrix/")
    rows = {
        re.sub(r"<[^>]+>", "", match.group(1)).strip(): match.group(0)
        for match in re.finditer(r'<tr>\s*<th scope="row">(.*?)</th>.*?</tr>', html, re.S)
    }
    turkey = next(row for name, row in rows.items() if name.endswith("Turkey"))
    assert 'href="/priority-goals/1/?country=TR#passages-title"' in turkey
    assert 'href="/priority-goals/5/?country=TR#passages-title"' in turkey
    assert 'href="/priority-goals/2/?country=TR' not in turkey
    spain = next(row for name, row in rows.items() if name.endswith("Spain"))
    # Spain named no goal; the Secretariat tagged its statement as about goals 1 and 2.
    assert 'href="/priority-goals/1/?country=ES#passages-title"' in spain
    assert 'href="/priority-goals/2/?country=ES#passages-title"' in spain
    assert len(rows) == 39  # every country that attended
    named = get(client, "/priority-goals/matrix/?named=1")
    spain_named = re.search(r'<tr>\s*<th scope="row"><a href="/countries/spain/">.*?</tr>', named, re.S).group(0)
    assert "?country=ES" not in spain_named


def test_matrix_cell_leads_to_the_interventions(client, som_2020):
    text = page_text(get(client, "/priority-goals/5/?country=AT#passages-title"))
    assert "information campaigns to curb irregular migration" in text


def test_matrix_leaves_out_drafts(client, db):
    country = CountryFactory(name="Draftland")
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    ParticipationFactory(meeting=draft, actor=country)
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), speakers=[country], goals=[PriorityGoalFactory()])
    assert "Draftland" not in get(client, "/priority-goals/matrix/")


def test_counts_through_every_voice_count_each_intervention_once(db):
    """A country speaks as itself, through its ministry and through its groups; a passage spoken by
    several of them counts once, for the country's profile, the goal page and the matrix alike."""
    land, other = CountryFactory(name="Voiceland"), CountryFactory(name="Otherland")
    ministry = InstitutionFactory(parent=land)
    group = GroupFactory()
    group.members.set([land, other])
    one, two = PriorityGoalFactory(number=1), PriorityGoalFactory(number=2)
    meeting = MeetingFactory()
    ParticipationFactory(meeting=meeting, actor=land)
    ParticipationFactory(meeting=meeting, actor=other)
    paragraph = ParagraphFactory(meeting=meeting)
    spoken = [
        ([land], [one]),
        ([land, ministry], [one, two]),  # the country and its ministry together: once
        ([ministry], [two]),
        ([group], [one]),  # the group: once for each member
        ([land, group], []),  # no goal: in the profile, not in the goal counts
        ([other], [two]),
    ]
    for order, (speakers, goals) in enumerate(spoken, start=1):
        PassageFactory(paragraph=paragraph, order=order, speakers=speakers, goals=goals)
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), order=1, speakers=[land], goals=[one])

    # Counted: its own voice and its ministry's; the group's line is its, but apart.
    mine = profiles.interventions_of(land)
    assert mine.count() == 4
    assert profiles.interventions_of(land, voice_kinds=ALL_VOICES).count() == 5
    assert profiles.interventions_of(land, voice_kinds=[VoiceKind.GROUP]).count() == 2
    assert [(goal.number, goal.count) for goal in profiles.goal_counts(mine)] == [(1, 2), (2, 2)]
    assert profiles.year_counts(mine) == [{"year": 2019, "count": 4}]
    by_goal_one = profiles.countries_addressing(Passage.objects.published().filter(goals=one))
    assert [(country.name, country.count) for country in by_goal_one] == [("Voiceland", 2)]
    matrix = profiles.goal_matrix([one, two])
    rows = {country.name: ({goal.number: n for goal, n in cells}, total) for country, cells, total in matrix}
    assert rows == {"Otherland": ({1: 0, 2: 1}, 1), "Voiceland": ({1: 2, 2: 2}, 3)}


# Constant, whatever the archive: the goals of every Call for Action with their correspondences, the
# group's statements apart and the passages of procedure add five to the profile's queries.
PROFILE_BUDGET = 16


def test_profile_pages_query_count_does_not_grow_with_the_archive(
    client, som_2020, django_assert_max_num_queries, rendered_afresh
):
    urls = [
        "/countries/turkey/",
        "/countries/turkey/interventions.csv",
        "/priority-goals/1/?country=TR",
        "/priority-goals/matrix/",
    ]
    before = [count_queries(client, url) for url in urls]
    large_meeting(turkey=som_2020.participants.get(iso_code="TR"))
    for url, count in zip(urls, before, strict=True):
        with django_assert_max_num_queries(PROFILE_BUDGET):
            client.get(url)
        assert count_queries(client, url) == count, url


@pytest.mark.parametrize(
    "address",
    [
        "/meetings/",
        "/search/?q=Canary",
        "/search/?country=ES",
        "/countries/spain/",
        "/organisations/icmpd/",
        "/priority-goals/1/",
        "/series/senior-officials-meetings/",
    ],
)
# Not numbers either: other scripts' digits and signs (int() reads "١٢" as 12, "+1" as 1), Django's "last".
@pytest.mark.parametrize("page", ["999", "0", "x", "-1", "١٢", "١", "²", "+1", "1.0", "1_0", "last", "9" * 5000])
def test_one_rule_for_a_page_that_is_not_there(client, som_2020, address, page):
    """Every list answers a page past its end, or a page number that is not one, the same way: not found."""
    joiner = "&" if "?" in address else "?"
    assert client.get(f"{address}{joiner}page=1").status_code == 200
    response = client.get(f"{address}{joiner}page={page}")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_profiles_counts_in_one_pass_are_those_of_its_interventions_and_procedure(monkeypatch):
    """`spoken_counts` counts, in one query, what `interventions_of` and `procedure_of` name: the
    statements by year and by goal (named, tagged) and the procedure, of public meetings only; a meeting
    published for later counts from its time on, with nothing written."""
    land = CountryFactory(name="Countland")
    ministry = InstitutionFactory(parent=land)
    one, two = PriorityGoalFactory(number=1), PriorityGoalFactory(number=2)
    later = timezone.now() + datetime.timedelta(days=30)
    meetings = {
        "2019": MeetingFactory(start_date=datetime.date(2019, 6, 1)),
        "2021": MeetingFactory(start_date=datetime.date(2021, 3, 1)),
        "draft": MeetingFactory(status=Meeting.Status.DRAFT, published_at=None),
        "scheduled": MeetingFactory(start_date=datetime.date(2022, 1, 1), published_at=later),
        "withdrawn": MeetingFactory(status=Meeting.Status.WITHDRAWN),
    }
    paragraphs = {name: ParagraphFactory(meeting=meeting) for name, meeting in meetings.items()}
    for paragraph in paragraphs.values():
        PassageFactory(paragraph=paragraph, speakers=[land], goals=[one])
        PassageFactory(paragraph=paragraph, speakers=[land], kind=Passage.Kind.PROCEDURE, goals=[two])
    PassageFactory(paragraph=paragraphs["2021"], speakers=[ministry], goals=[one, two])
    tagged = PassageFactory(paragraph=paragraphs["2021"], speakers=[land, ministry])
    tagged.goal_links.create(prioritygoal=two, provenance=PassageGoal.Provenance.TAGGED)
    PassageFactory(paragraph=paragraphs["2021"], speakers=[CountryFactory()], goals=[one])  # another's

    def by_the_rules():
        mine = profiles.interventions_of(land, voices=[land, ministry])
        return {
            "years": profiles.year_counts(mine),
            "goals": {
                (goal.pk, provenance): n
                for goal in profiles.goal_counts(mine)
                for provenance, n in (
                    (PassageGoal.Provenance.NAMED, goal.named),
                    (PassageGoal.Provenance.TAGGED, goal.tagged),
                )
                if n
            },
            "procedure": profiles.procedure_of(land, voices=[land, ministry]).count(),
        }

    counted = profiles.spoken_counts([land, ministry])
    assert counted == by_the_rules()
    assert counted == {
        "years": [{"year": 2019, "count": 1}, {"year": 2021, "count": 3}],
        "goals": {(one.pk, "named"): 3, (two.pk, "named"): 1, (two.pk, "tagged"): 1},
        "procedure": 2,
    }
    monkeypatch.setattr(timezone, "now", lambda: later + datetime.timedelta(seconds=1))
    counted = profiles.spoken_counts([land, ministry])
    assert counted == by_the_rules()
    assert counted["years"][-1] == {"year": 2022, "count": 1}
    assert counted["procedure"] == 3
