"""Subjects with their provenance: goals the summary names, subjects the Secretariat tags, suggestions between."""

import re

import pytest

from meetings.importer import summary_from_text
from meetings.models import GoalSuggestion, Passage, PassageGoal, PriorityGoal
from meetings.services.importing import meeting_import
from meetings.subjects import suggest_goals

from .admin_forms import change_form_data
from .api_client import get_json
from .factories import PriorityGoalFactory
from .source_text import page_text
from .test_frameworks import SUMMARY_2025

pytestmark = pytest.mark.django_db


def test_vocabulary_suggests_goals_with_the_words_found(db):
    smuggling = PriorityGoalFactory(number=1, vocabulary="smuggl*\nborder*\nirregular migration")
    labour = PriorityGoalFactory(number=2, vocabulary="labour migration\nmobility")
    protection = PriorityGoalFactory(number=6, vocabulary="refugee*")
    text = "**Czechia** fought Smuggling networks at its borders and spoke of labour migration, not of refugeehood."
    found = suggest_goals(text, [smuggling, labour, protection])
    assert [(goal.number, words) for goal, words in found] == [
        (1, ["smuggling", "borders"]),
        (2, ["labour migration"]),
        (6, ["refugeehood"]),
    ]
    assert suggest_goals("Borderline reimbursements.", [labour]) == []
    assert suggest_goals("Mobilityless", [labour]) == []  # a word without * matches whole words only


def test_every_statement_of_2020_was_read_and_tagged_against_the_2013_goals(som_2020):
    statements = Passage.objects.filter(paragraph__meeting=som_2020, kind=Passage.Kind.STATEMENT)
    tagged = PassageGoal.objects.filter(passage__in=statements, provenance=PassageGoal.Provenance.TAGGED)
    assert {link.prioritygoal.framework.slug for link in tagged} == {"2019-2024"}
    assert (
        not PassageGoal.objects.filter(passage__paragraph__meeting=som_2020)
        .exclude(passage__in=statements)
        .filter(provenance=PassageGoal.Provenance.TAGGED)
    )  # procedure, reports and narrative keep only the goals they name
    spain = statements.get(text__startswith="**Spain** shared")
    assert sorted(spain.goals.filter(passage_links__provenance="tagged").values_list("number", flat=True)) == [1, 2]
    assert not spain.goal_links.filter(provenance="named").exists()
    unodc = statements.get(text__contains="**UNODC**")
    assert sorted(unodc.goals.values_list("number", flat=True)) == [1, 5]


def test_spains_profile_shows_its_tagged_subjects_apart_from_named_goals(client, som_2020):
    html = client.get("/countries/spain/").content.decode()
    table = html[html.index("<caption>Call for Action – a five-year plan (2019–2024)</caption>") :]
    table = table[: table.index("</table>")]
    rows = {
        page_text(row.split("</th>")[0]).strip(): re.findall(r'<td class="num"[^>]*>(\d+)</td>', row)
        for row in table.split("<tr>")[2:]
    }
    assert rows["1. Irregular migration"] == ["0", "1"]  # named 0, tagged 1
    assert rows["2. Legal migration and mobility"] == ["0", "1"]
    # The restyled profile lists only the goals it named or was tagged with (no rows of zeros): Integration,
    # neither named nor tagged for Spain, is left out of the table rather than shown as 0 and 0.
    assert "3. Integration" not in rows
    assert all(counts != ["0", "0"] for counts in rows.values())
    meeting = page_text(client.get(spain_statement_url(som_2020)).content.decode())
    meeting = meeting[meeting.index("Spain shared") :]
    meeting = meeting[: meeting.index("Cite the intervention of Spain")]
    # The restyled goal chip: a hidden "Subject tagged by the Secretariat: priority goal 1:" for screen readers,
    # the number shown apart (aria-hidden), then the title and "(tagged)".
    assert "Subject tagged by the Secretariat: priority goal 11: Irregular migration (tagged)" in meeting
    assert "Priority goal 11: Irregular migration" not in meeting  # not shown as named


def spain_statement_url(meeting) -> str:
    return Passage.objects.get(paragraph__meeting=meeting, text__startswith="**Spain** shared").get_absolute_url()


def test_api_says_which_goals_are_named_and_which_tagged(client, som_2020):
    (spain,) = get_json(client, "/api/v1/interventions/?country=ES&goal=2")["results"]
    assert spain["goals"] == []
    assert [(g["number"], g["provenance"], g["framework"]) for g in spain["tagged_goals"]] == [
        (1, "tagged", "2019-2024"),
        (2, "tagged", "2019-2024"),
    ]
    assert get_json(client, "/api/v1/interventions/?country=ES&goal=2&named=true")["count"] == 0


def test_the_importer_suggests_subjects_and_an_editor_confirms_them_in_one_click(admin_client, som_2020):
    meeting = meeting_import(summary=summary_from_text(SUMMARY_2025))
    spain = meeting.paragraphs.get(number=2).passages.get()
    # Named 3 and 5; its words ("returns", "protection") suggest nothing more of the 2025 goals.
    assert not spain.goal_suggestions.exists()
    spain.text += " It also fought smuggling networks."
    spain.save()
    GoalSuggestion.objects.create(passage=spain, goal=PriorityGoal.objects.get(framework__slug="2025-2030", number=1),
                                  words="smuggling")  # fmt: skip
    url = f"/admin/meetings/passage/{spain.pk}/change/"
    page = admin_client.get(url)
    assert "Suggested: 1. Irregular migration, smuggling and border management (smuggling)." in page.content.decode()
    response = admin_client.post(url, change_form_data(page, confirm_suggestions="on"))
    assert response.status_code == 302
    links = dict(spain.goal_links.values_list("prioritygoal__number", "provenance"))
    assert links == {1: "tagged", 3: "named", 5: "named"}
    assert not spain.goal_suggestions.exists()
    # The admin's list action does the same for many passages at once.
    GoalSuggestion.objects.create(passage=spain, goal=PriorityGoal.objects.get(framework__slug="2025-2030", number=2),
                                  words="mobility")  # fmt: skip
    admin_client.post(
        "/admin/meetings/passage/", {"action": "confirm_suggested_subjects", "_selected_action": [spain.pk]}
    )
    assert spain.goal_links.get(prioritygoal__number=2).provenance == "tagged"


def test_a_goal_is_not_both_named_and_tagged(admin_client, som_2020):
    passage = Passage.objects.get(paragraph__meeting=som_2020, text__startswith="**Turkey** voiced")
    # A published meeting's passages are edited on their paragraph's page (as unpublished changes); the same
    # subjects form (PassageSubjectsForm) checks its rows there.
    url = f"/admin/meetings/paragraph/{passage.paragraph_id}/change/"
    page = admin_client.get(url)
    formsets = page.context["inline_admin_formsets"]
    (formset,) = [inline.formset for inline in formsets if inline.formset.prefix == "passages"]
    (index,) = [i for i, form in enumerate(formset.forms) if form.instance.pk == passage.pk]
    named = formset.forms[index]["goals"].value()
    assert named  # Turkey's statement names goals
    tagged = {f"passages-{index}-tagged_goals": [str(v) for v in named]}
    response = admin_client.post(url, change_form_data(page, **tagged))
    assert response.status_code == 200
    assert "A goal the summary names is not tagged as well" in response.content.decode()


def test_importing_suggests_from_the_vocabulary(som_2020):
    text = SUMMARY_2025.replace("on returns under priority goal 3", "on smuggling networks at the border")
    meeting = meeting_import(summary=summary_from_text(text))
    spain = meeting.paragraphs.get(number=2).passages.get()
    suggestions = {s.goal.number: s.words for s in spain.goal_suggestions.all()}
    assert suggestions[1] == "smuggling, border"
    assert 5 not in suggestions  # named in the text: not suggested again
    assert set(spain.goal_links.values_list("provenance", flat=True)) == {"named"}  # nothing tagged unconfirmed
