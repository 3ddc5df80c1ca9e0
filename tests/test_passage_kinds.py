"""Kinds of passage: the Chair's procedure and the Secretariat's reports are shown, but not counted as interventions."""

import pytest

from meetings.kinds import propose_kind
from meetings.models import Passage
from meetings.revisions import meeting_changes_publish, working_copy_of

from .admin_forms import change_form_data
from .api_client import get_json
from .conftest import SOM_2020_SLUG
from .factories import CountryFactory, ParagraphFactory, PassageFactory
from .source_text import page_text

# (text, speakers, kind, the words that decided)
PROPOSALS = [
    ("The Chair gave the floor to organisations.", 1, "procedure", "The Chair gave the floor"),
    ("The **Turkish Chair** thanked all participants and closed.", 1, "procedure", "The Turkish Chair thanked"),
    ("The Chair opened the **plenary for states' interventions**. Turkey invited countries", 1, "procedure",
     "The Chair opened"),
    ("The Co-Chair invited participants to the next meeting.", 1, "procedure", "The Co-Chair invited"),
    ("The Budapest Process Secretariat then presented the **next steps for 2021**.", 1, "report",
     "Secretariat then presented"),
    ("In a year marked by a pandemic, the Secretariat highlighted how the dialogue kept its focus.", 1, "report",
     "Secretariat highlighted"),
    # The Chair's official opening with words of substance is a statement: only "the Chair" as subject decides.
    ("Deputy Director General **Mr. X** opened the Senior Officials Meeting, representing Turkey as Chair.", 1,
     "statement", "a speaker, and no words of procedure or report"),
    ("**Spain** shared how labour migration was challenged. The Chair thanked Spain.", 1, "statement",
     "a speaker, and no words of procedure or report"),
    ("A Secretariat-wide review found gaps.", 1, "statement", "a speaker, and no words of procedure or report"),
    # The Secretariat with its organisation in brackets, or given the floor ("…, which presented"); in bold.
    ("The Secretariat (ICMPD) presented the new platform.", 1, "report", "Secretariat (ICMPD) presented"),
    ("The floor was then given to the Secretariat (ICMPD), which presented its survey.", 1, "report",
     "Secretariat (ICMPD), which presented"),
    ("the Secretariat, which presented the roadmap.", 1, "report", "Secretariat, which presented"),
    ("**Secretariat** outlined the calendar.", 1, "report", "Secretariat outlined"),
    ("The Secretariat, represented by its Director, presented a study.", 1, "report",
     "Secretariat, represented by its Director, presented"),
    ("**Türkiye (Chair)** opened the meeting.", 1, "procedure", "Türkiye (Chair) opened"),
    ("**ICMPD (Secretariat)** presented the agenda.", 1, "report", "Secretariat) presented"),
    ("The Secretariat, represented by Ms. Anna Weber, presented a study.", 1, "report",
     "Secretariat, represented by Ms. Anna Weber, presented"),
    ("On the second day, the Chair invited Montenegro to speak.", 1, "procedure",
     "On the second day, the Chair invited"),
    ("In its capacity as Chair, Türkiye stressed returns.", 1, "statement",
     "a speaker, and no words of procedure or report"),
    # What the Secretariat will do for the meeting is procedure, not a statement.
    ("The Secretariat will circulate the presentations to all participants.", 1, "procedure",
     "The Secretariat will circulate"),
    ("a) the Secretariat will compile a handbook by September;", 1, "procedure", "a) the Secretariat will compile"),
    # An action point of minutes; the Secretariat invited by another is that other speaking.
    ("The Secretariat to circulate the minutes by 30 June.", 1, "procedure", "The Secretariat to circulate"),
    ("Hungary invited the Secretariat to present a study.", 1, "statement",
     "a speaker, and no words of procedure or report"),
    # The co-chairs together, and a chair and a co-chair named each with their role.
    ("The co-chairs opened the meeting.", 2, "procedure", "The co-chairs opened"),
    ("The Republic of Uzbekistan, as Chair, and Hungary, as Co-Chair, opened the Conference.", 2, "procedure",
     "The Republic of Uzbekistan, as Chair, and Hungary, as Co-Chair, opened"),
    ("Germany, as host, and Hungary opened an exhibition.", 2, "statement",
     "a speaker, and no words of procedure or report"),
    # Whoever opens the meeting itself is chairing it; opening a session is speaking in it.
    ("Moldova opened the meeting and welcomed the participants to Chisinau.", 1, "procedure",
     "Moldova opened the meeting"),
    ("Germany opened the second session with a presentation on returns.", 1, "statement",
     "a speaker, and no words of procedure or report"),
    ("Overall, countries highlighted how cooperation remains a priority.", 0, "narrative", "no speaker"),
    ("", 0, "narrative", "no speaker"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "speakers", "kind", "words"), PROPOSALS)
def test_propose_kind_says_which_words_decided(text, speakers, kind, words):
    assert propose_kind(text, speakers=speakers) == (kind, words)


@pytest.mark.django_db
def test_the_2020_passages_have_the_kinds_their_words_give(som_2020):
    kinds = {}
    for passage in Passage.objects.filter(paragraph__meeting=som_2020).select_related("paragraph"):
        kinds.setdefault(passage.kind, []).append(passage.anchor)
    assert kinds["procedure"] == ["p3-1", "p4-2", "p5-1", "p7-1", "p8-1"]
    assert kinds["report"] == ["p3-2", "p4-1"]
    assert kinds["narrative"] == ["p1-1", "p5-2"]
    assert len(kinds["statement"]) == 27


@pytest.mark.django_db
def test_turkeys_interventions_leave_out_the_chairs_procedure(client, som_2020):
    page = page_text(client.get("/countries/turkey/").content.decode())
    facts = page[page.index("Interventions") : page.index("Atom feed")]
    assert facts.startswith("Interventions2 ")  # the opening and its statement in paragraph 6
    assert "Procedure5" in facts
    assert "The Chair gave the floor to organisations" not in page
    assert get_json(client, "/api/v1/interventions/?country=TR")["count"] == 2
    procedure = get_json(client, "/api/v1/interventions/?country=TR&kind=procedure")["results"]
    assert [p["kind"] for p in procedure] == ["procedure"] * 5
    assert "The Chair gave the floor to organisations." in [p["text"] for p in procedure]
    # The meeting page shows procedure as such, where it stands.
    html = client.get(f"/meetings/{SOM_2020_SLUG}/").content.decode()
    passage = html[html.index('id="p7-1"') :]
    passage = passage[: passage.index("</div>", passage.index("passage-foot"))]
    assert "kind-procedure" in passage and ">Procedure<" in passage


@pytest.mark.django_db
def test_an_editor_changes_a_passages_kind_in_the_admin(admin_client, som_2020):
    passage = Passage.objects.get(paragraph__meeting=som_2020, paragraph__number=7, order=1)
    # The 2020 meeting is published: its passages change on their paragraph's page, as unpublished changes of
    # the meeting's working copy (meetings.revisions), and reach the public record once published.
    url = f"/admin/meetings/paragraph/{passage.paragraph_id}/change/"
    page = admin_client.get(url)
    assert "The Chair gave the floor" in page.content.decode()  # the words that decided, shown read-only
    (formset,) = [
        inline.formset for inline in page.context["inline_admin_formsets"] if inline.formset.prefix == "passages"
    ]
    (index,) = [i for i, form in enumerate(formset.forms) if form.instance.pk == passage.pk]
    response = admin_client.post(url, change_form_data(page, **{f"passages-{index}-kind": "statement"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    passage.refresh_from_db()
    assert passage.kind == "procedure"  # an unpublished change: the public record is unchanged until published
    meeting_changes_publish(working_copy_of(som_2020))
    passage.refresh_from_db()
    assert passage.kind == "statement"
    assert passage.history.first().kind == "statement"  # a change of its own in the history


@pytest.mark.django_db
def test_a_passage_entered_by_hand_is_a_statement_unless_the_editor_says_otherwise(db):
    passage = PassageFactory(paragraph=ParagraphFactory(), speakers=[CountryFactory()])
    assert passage.kind == "statement" and Passage.objects.interventions().filter(pk=passage.pk).exists()
    passage.kind = Passage.Kind.REPORT
    passage.save()
    assert not Passage.objects.interventions().filter(pk=passage.pk).exists()
