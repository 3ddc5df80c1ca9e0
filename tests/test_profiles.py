"""Country profiles, CSV downloads, goal pages by country and year, and the country × goal matrix."""

import csv
import io
import re

import pytest

from meetings.models import Meeting, Participation

from .factories import (
    CountryFactory,
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
    assert roles.startswith("Meetings and roles ChairAnnual Senior Officials Meeting, 2020 (Directorate General")
    # The goals chart: an image with a text alternative that gives every count.
    chart = re.search(r'<svg role="img" aria-labelledby="goal-chart-title goal-chart-desc".*?</svg>', html, re.S).group(
        0
    )
    assert "Goal 1: 1 intervention; Goal 2: 0 interventions" in chart
    assert "Goal 5: 1 intervention" in chart
    assert chart.count("<rect") == 6
    # The same counts in a table, each goal linking to the goal page filtered by the country.
    assert 'href="/priority-goals/5/?country=TR"' in html
    assert "2020: 7 interventions" in html  # the year chart


def test_country_profile_counts_group_interventions(client, som_2020):
    html = get(client, "/countries/austria/")
    assert "2020: 3 interventions" in html  # its own, the joint one, and the EU Member States'
    assert "Goal 1: 1 intervention" in html


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
    assert "2019: 2 interventions; 2021: 1 intervention" in html
    assert "Goal 3: 3 interventions" in html
    assert "Co-chair" in page_text(html)


def test_csv_download_of_a_countrys_interventions(client, som_2020):
    response = client.get("/countries/turkey/interventions.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="interventions-turkey.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 7
    goals_row = next(row for row in rows if row["priority_goals"])
    assert goals_row["priority_goals"] == "1; 5"
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
    assert '<desc id="goal-year-chart-desc">2020: 7 passages</desc>' in html
    filtered = page_text(get(client, "/priority-goals/1/?country=TR"))
    assert "Turkey voiced its wish" in filtered
    assert "information campaigns to curb irregular migration" not in filtered  # Austria's
    assert "No interventions recorded yet." in page_text(get(client, "/priority-goals/1/?year=2019"))


@pytest.mark.parametrize("query", ["country=ZZ", "country=%00", "year=abc", "year=99999999999999999999", "page=x"])
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
    assert "?country=ES" not in spain  # Spain named no goal
    assert len(rows) == 39  # every country that attended


def test_matrix_cell_leads_to_the_interventions(client, som_2020):
    text = page_text(get(client, "/priority-goals/5/?country=AT#passages-title"))
    assert "information campaigns to curb irregular migration" in text


def test_matrix_leaves_out_drafts(client, db):
    country = CountryFactory(name="Draftland")
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    ParticipationFactory(meeting=draft, actor=country)
    PassageFactory(paragraph=ParagraphFactory(meeting=draft), speakers=[country], goals=[PriorityGoalFactory()])
    assert "Draftland" not in get(client, "/priority-goals/matrix/")


PROFILE_BUDGET = 10


def test_profile_pages_query_count_does_not_grow_with_the_archive(client, som_2020, django_assert_max_num_queries):
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
