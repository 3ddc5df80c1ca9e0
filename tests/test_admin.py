"""The admin the Secretariat uses to enter meetings and their summaries."""

import datetime
import itertools
import zoneinfo

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Actor
from meetings.models import (
    Document,
    GoalCorrespondence,
    GoalSuggestion,
    Meeting,
    Paragraph,
    Participation,
    Passage,
    PriorityGoal,
)
from meetings.translations import translation_for

from . import factories as f

pytestmark = pytest.mark.django_db

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")


_numbers = itertools.count()


def _passage():
    return f.PassageFactory(
        speakers=[f.CountryFactory(), f.OrganisationFactory()],
        goals=[f.PriorityGoalFactory(number=1)],
        official=f.PositionFactory(),
    )


def _token():
    token_model = apps.get_model("authtoken", "TokenProxy")
    return token_model.objects.create(user=OBJECT_MAKERS["auth.User"]())


# One maker per registered model, by label. A model registered without a maker here fails the tests below.
OBJECT_MAKERS = {
    "actors.Region": f.RegionFactory,
    "actors.Actor": f.InstitutionFactory,
    "actors.Person": f.PersonFactory,
    "actors.Position": f.PositionFactory,
    "meetings.PriorityGoal": f.PriorityGoalFactory,
    "meetings.MeetingSeries": lambda: f.MeetingSeriesFactory(
        name=f"Series {next(_numbers)}", slug=f"s-{next(_numbers)}"
    ),
    "meetings.Meeting": f.MeetingFactory,
    "meetings.Participation": f.ParticipationFactory,
    "meetings.Paragraph": f.ParagraphFactory,
    "meetings.Passage": _passage,
    "meetings.Footnote": f.FootnoteFactory,
    "meetings.CallForAction": f.CallForActionFactory,
    "meetings.GoalCorrespondence": lambda: GoalCorrespondence.objects.create(
        earlier=f.PriorityGoalFactory.create(number=next(_numbers) + 1),
        later=f.PriorityGoalFactory.create(
            number=next(_numbers) + 1,
            framework=f.CallForActionFactory.create(
                slug="2025-2030", start_date=datetime.date(2025, 1, 1), end_date=None
            ),
        ),
    ),
    "meetings.PassageGoal": lambda: _passage().goal_links.get(),
    "meetings.Translation": lambda: translation_for(_passage().paragraph.meeting, "ru"),
    "meetings.TranslatedText": lambda: translation_for(_passage().paragraph.meeting, "ru").texts.first(),
    "meetings.GoalSuggestion": lambda: GoalSuggestion.objects.create(
        passage=_passage(), goal=f.PriorityGoalFactory.create(number=2), words="mobility"
    ),
    "meetings.Document": lambda: Document.objects.create(
        meeting=f.MeetingFactory.create(),
        kind="agenda",
        title="Agenda",
        file="documents/agenda.pdf",
        content_type="application/pdf",
        size=10,
    ),  # fmt: skip
    "auth.User": lambda: User.objects.create_user(f"officer-{next(_numbers)}", password="a-long-password"),
    "auth.Group": lambda: Group.objects.create(name=f"Team {next(_numbers)}"),
    "authtoken.TokenProxy": _token,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _errors(response):
    """Every error of the admin form and its inlines, as text."""
    form = response.context["adminform"].form
    found = [str(form.errors)]
    for inline in response.context["inline_admin_formsets"]:
        found.append(str(inline.formset.errors))
        found.append(str(inline.formset.non_form_errors()))
    return " ".join(found)


# --- Every registered model ---------------------------------------------------------------------------


def test_every_project_model_is_registered():
    for label in ("actors", "meetings"):
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):
                continue  # a change-history table of django-simple-history, not a model of its own
            if not model._meta.managed:
                continue  # a database view (actors.Voice): read, never edited
            assert model in admin.site._registry, f"{model._meta.label} has no admin"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_answer(admin_client, model):
    assert model._meta.label in OBJECT_MAKERS, f"No maker for {model._meta.label}: add one to OBJECT_MAKERS"
    obj = OBJECT_MAKERS[model._meta.label]()

    changelist = admin_client.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert obj.pk in [row.pk for row in changelist.context["cl"].result_list]
    assert admin_client.get(_url(model, "changelist"), {"q": "something"}).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == 200
    change = admin_client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert change.context["original"] == obj


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelists_run_no_query_per_row(admin_client, model):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(_url(model, "changelist")).status_code == 200
        return len(queries)

    OBJECT_MAKERS[model._meta.label]()
    with_one = count_queries()
    for _ in range(4):
        OBJECT_MAKERS[model._meta.label]()
    assert count_queries() == with_one


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_list_filter_choice_answers(admin_client, model):
    OBJECT_MAKERS[model._meta.label]()
    changelist = admin_client.get(_url(model, "changelist"))
    for spec in changelist.context["cl"].filter_specs:
        for choice in spec.choices(changelist.context["cl"]):
            response = admin_client.get(_url(model, "changelist") + choice["query_string"])
            assert response.status_code == 200, choice["query_string"]


@pytest.mark.parametrize("make", [f.CountryFactory, f.OrganisationFactory, f.InstitutionFactory, f.GroupFactory])
def test_actor_change_page_for_every_kind(admin_client, make):
    actor = make()
    assert admin_client.get(_url(Actor, "change", actor.pk)).status_code == 200


def test_the_2020_meeting_and_its_paragraphs_open(admin_client, som_2020):
    assert admin_client.get(_url(Meeting, "change", som_2020.pk)).status_code == 200
    for paragraph in som_2020.paragraphs.all():
        assert admin_client.get(_url(Paragraph, "change", paragraph.pk)).status_code == 200


def test_site_header(admin_client):
    assert "Budapest Process records" in admin_client.get(reverse("admin:index")).content.decode()


# --- Search ---------------------------------------------------------------------------------------------


def test_actor_search_finds_other_names_and_iso_codes(admin_client):
    czechia = f.CountryFactory(name="Czech Republic", slug="czech-republic", iso_code="CZ", other_names="Czechia")
    f.CountryFactory(name="Hungary", slug="hungary", iso_code="HU")
    for term in ("Czechia", "czech", "cz"):
        response = admin_client.get(_url(Actor, "changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [czechia], term


def test_meeting_search(admin_client):
    wanted = f.MeetingFactory(title="Annual Senior Officials Meeting")
    f.MeetingFactory(title="Thematic meeting on return")
    response = admin_client.get(_url(Meeting, "changelist"), {"q": "annual"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_passage_search_and_filters(admin_client):
    goal = f.PriorityGoalFactory(number=2)
    country = f.CountryFactory()
    wanted = f.PassageFactory(text="Labour migration pathways", speakers=[country], goals=[goal])
    f.PassageFactory(text="Something else", speakers=[f.OrganisationFactory()])
    changelist = _url(Passage, "changelist")
    assert list(admin_client.get(changelist, {"q": "labour"}).context["cl"].result_list) == [wanted]
    assert list(admin_client.get(changelist, {"goals__id__exact": goal.pk}).context["cl"].result_list) == [wanted]
    by_kind = admin_client.get(changelist, {"speakers__kind": "country"}).context["cl"].result_list
    assert list(by_kind) == [wanted]
    by_meeting = admin_client.get(changelist, {"paragraph__meeting__id__exact": wanted.paragraph.meeting_id})
    assert list(by_meeting.context["cl"].result_list) == [wanted]


# --- Saving a meeting with its inlines ---------------------------------------------------------------------


def _meeting_data(meeting, **changes):
    data = {
        "series": meeting.series_id,
        "title": meeting.title,
        "slug": meeting.slug,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat() if meeting.end_date else "",
        "format": meeting.format,
        "location": meeting.location,
        "participant_count": meeting.participant_count or "",
        "status": meeting.status,
        "published_at_0": "2020-12-03",
        "published_at_1": "10:00:00",
        **_management("participations", 0, 0),
        **_management("paragraphs", 0, 0),
        **_management("footnotes", 0, 0),
        **_management("documents", 0, 0),
    }
    data.update(changes)
    return data


def test_saving_a_meeting_with_its_inlines(admin_client):
    # A draft: a published meeting's saves are unpublished changes (tests/test_revisions.py).
    meeting = f.MeetingFactory(title="Old title", status=Meeting.Status.DRAFT, published_at=None)
    turkey = f.CountryFactory(name="Turkey")
    dgmm = f.InstitutionFactory(name="Directorate General for Migration Management", parent=turkey)
    hungary = f.CountryFactory(name="Hungary")
    icmpd = f.OrganisationFactory(name="ICMPD")
    kept = f.ParticipationFactory(meeting=meeting, actor=turkey)
    opening = f.ParagraphFactory(meeting=meeting, number=1, subject="Opening")
    old_note = f.FootnoteFactory(meeting=meeting, number=1)

    data = _meeting_data(
        meeting,
        title="Annual Senior Officials Meeting",
        status=Meeting.Status.PUBLISHED,
        add_participants=[str(icmpd.pk)],
        **_management("participations", 2, 1),
        **{
            "participations-0-id": kept.pk,
            "participations-0-meeting": meeting.pk,
            "participations-0-actor": turkey.pk,
            "participations-0-role": Participation.Role.CHAIR,
            "participations-0-represented_by": dgmm.pk,
            "participations-1-meeting": meeting.pk,
            "participations-1-actor": hungary.pk,
            "participations-1-role": Participation.Role.PARTICIPANT,
        },
        **_management("paragraphs", 2, 1),
        **{
            "paragraphs-0-id": opening.pk,
            "paragraphs-0-meeting": meeting.pk,
            "paragraphs-0-number": 1,
            "paragraphs-0-subject": "Welcome",
            "paragraphs-1-meeting": meeting.pk,
            "paragraphs-1-number": 2,
            "paragraphs-1-subject": "Interventions",
        },
        **_management("footnotes", 2, 1),
        **{
            "footnotes-0-id": old_note.pk,
            "footnotes-0-meeting": meeting.pk,
            "footnotes-0-number": 1,
            "footnotes-0-text": old_note.text,
            "footnotes-0-DELETE": "on",
            "footnotes-1-meeting": meeting.pk,
            "footnotes-1-number": 2,
            "footnotes-1-text": "The **Call for Action** of 2019.",
        },
    )
    response = admin_client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 302, _errors(response)
    meeting.refresh_from_db()
    assert meeting.title == "Annual Senior Officials Meeting"
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at == datetime.datetime(2020, 12, 3, 10, tzinfo=VIENNA)
    roles = {(p.actor, p.role, p.represented_by) for p in meeting.participations.all()}
    assert roles == {
        (turkey, Participation.Role.CHAIR, dgmm),
        (hungary, Participation.Role.PARTICIPANT, None),
        (icmpd, Participation.Role.PARTICIPANT, None),
    }
    assert list(meeting.paragraphs.values_list("number", "subject")) == [(1, "Welcome"), (2, "Interventions")]
    assert list(meeting.footnotes.values_list("number", "text")) == [(2, "The **Call for Action** of 2019.")]


def test_adding_a_meeting_with_a_paragraph(admin_client):
    series = f.MeetingSeriesFactory()
    data = _meeting_data(
        Meeting(
            series=series,
            title="Thematic Meeting on Return",
            slug="2021-05-04-return",
            start_date=datetime.date(2021, 5, 4),
            format=Meeting.Format.ONLINE,
            status=Meeting.Status.DRAFT,
        ),
        published_at_0="",
        published_at_1="",
        **_management("paragraphs", 1, 0),
        **{"paragraphs-0-number": 1, "paragraphs-0-subject": "Opening"},
    )
    response = admin_client.post(_url(Meeting, "add"), data)

    assert response.status_code == 302, _errors(response)
    meeting = Meeting.objects.get(slug="2021-05-04-return")
    assert meeting.published_at is None
    assert list(meeting.paragraphs.values_list("number", "subject")) == [(1, "Opening")]


def test_end_date_before_start_date_is_refused(admin_client):
    meeting = f.MeetingFactory(title="Old title", start_date=datetime.date(2020, 12, 2))
    data = _meeting_data(
        meeting,
        title="New title",
        end_date="2020-12-01",
        **_management("paragraphs", 1, 0),
        **{"paragraphs-0-number": 1, "paragraphs-0-subject": "Opening"},
    )
    response = admin_client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert "end_date" in response.context["adminform"].form.errors
    assert "The last day cannot be before the first day." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Old title"
    assert meeting.end_date is None
    assert not meeting.paragraphs.exists()


def test_published_without_publication_time_is_refused(admin_client):
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    data = _meeting_data(meeting, status=Meeting.Status.PUBLISHED, published_at_0="", published_at_1="")
    response = admin_client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert "published_at" in response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_two_paragraphs_with_the_same_number_are_refused(admin_client):
    meeting = f.MeetingFactory(title="Old title")
    data = _meeting_data(
        meeting,
        title="New title",
        **_management("paragraphs", 2, 0),
        **{
            "paragraphs-0-number": 3,
            "paragraphs-0-subject": "Opening",
            "paragraphs-1-number": 3,
            "paragraphs-1-subject": "Interventions",
        },
    )
    response = admin_client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for number" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Old title"
    assert not meeting.paragraphs.exists()


def test_paragraph_number_already_taken_in_its_meeting_is_refused(admin_client):
    first = f.ParagraphFactory(number=1)
    second = f.ParagraphFactory(meeting=first.meeting, number=2, subject="Interventions")
    data = {
        "meeting": first.meeting_id,
        "number": 1,
        "subject": "Changed",
        **_management("passages", 0, 0),
    }
    response = admin_client.post(_url(Paragraph, "change", second.pk), data)

    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    second.refresh_from_db()
    assert (second.number, second.subject) == (2, "Interventions")


# --- Saving a paragraph with its passages ----------------------------------------------------------------------


def _paragraph_data(paragraph, passages):
    data = {
        "meeting": paragraph.meeting_id,
        "number": paragraph.number,
        "subject": paragraph.subject,
        **_management("passages", len(passages), 0),
    }
    for index, passage in enumerate(passages):
        for name, value in passage.items():
            data[f"passages-{index}-{name}"] = value
        data[f"passages-{index}-paragraph"] = paragraph.pk
    return data


def test_saving_a_paragraph_with_a_passage_with_two_speakers_and_two_goals(admin_client):
    paragraph = f.ParagraphFactory(
        number=4, subject="Interventions", meeting__status=Meeting.Status.DRAFT, meeting__published_at=None
    )
    hungary, turkey, afghanistan = (f.CountryFactory() for _ in range(3))
    official = f.PositionFactory(actor=f.InstitutionFactory(parent=hungary))
    goal_1, goal_2 = f.PriorityGoalFactory(number=1), f.PriorityGoalFactory(number=2)
    silk_routes = f.RegionFactory(name="Silk Routes Region")

    data = _paragraph_data(
        paragraph,
        [
            {
                "order": 1,
                "text": "**Hungary** and **Turkey** welcomed the Call for Action.",
                "speakers": [hungary.pk, turkey.pk],
                "official": official.pk,
                "mentions": [afghanistan.pk],
                "goals": [goal_1.pk, goal_2.pk],
                "regions": [silk_routes.pk],
            }
        ],
    )
    response = admin_client.post(_url(Paragraph, "change", paragraph.pk), data)

    assert response.status_code == 302, _errors(response)
    passage = paragraph.passages.get()
    assert passage.order == 1
    assert passage.text.startswith("**Hungary**")
    assert set(passage.speakers.all()) == {hungary, turkey}
    assert set(passage.goals.all()) == {goal_1, goal_2}
    assert passage.official == official
    assert list(passage.mentions.all()) == [afghanistan]
    assert list(passage.regions.all()) == [silk_routes]


def test_two_passages_in_the_same_place_are_refused(admin_client):
    paragraph = f.ParagraphFactory(subject="Old subject")
    data = _paragraph_data(paragraph, [{"order": 1, "text": "One."}, {"order": 1, "text": "Two."}])
    data["subject"] = "New subject"
    response = admin_client.post(_url(Paragraph, "change", paragraph.pk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for order" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.subject == "Old subject"
    assert not paragraph.passages.exists()


def test_paragraph_page_links_back_to_its_meeting(admin_client):
    paragraph = f.ParagraphFactory()
    page = admin_client.get(_url(Paragraph, "change", paragraph.pk)).content.decode()
    link = f'href="{_url(Meeting, "change", paragraph.meeting_id)}"'
    assert page.count(link) == 2  # in the breadcrumbs and in the "back to the meeting" field


def test_meeting_page_opens_its_paragraphs(admin_client):
    paragraph = f.ParagraphFactory()
    page = admin_client.get(_url(Meeting, "change", paragraph.meeting_id)).content.decode()
    assert _url(Paragraph, "change", paragraph.pk) in page


def test_passage_text_and_goals_widgets(admin_client):
    paragraph = f.ParagraphFactory()
    goals = [f.PriorityGoalFactory(number=n) for n in range(1, 7)]
    page = admin_client.get(_url(Paragraph, "change", paragraph.pk)).content.decode()
    assert 'rows="8"' in page
    for goal in goals:
        assert f'type="checkbox" name="passages-0-goals" value="{goal.pk}"' in page


# --- Actors ---------------------------------------------------------------------------------------------------


def _actor_data(**fields):
    return {
        "kind": Actor.Kind.COUNTRY,
        "name": "Czech Republic",
        "slug": "czech-republic",
        "short_name": "",
        "other_names": "",
        "website": "",
        "iso_code": "",
        "organisation_kind": "",
        "parent": "",
        **fields,
    }


def test_country_iso_code_is_written_in_capitals(admin_client):
    response = admin_client.post(_url(Actor, "add"), _actor_data(iso_code="cz"))
    assert response.status_code == 302
    assert Actor.objects.get(slug="czech-republic").iso_code == "CZ"


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"iso_code": ""}, "iso_code"),
        ({"kind": Actor.Kind.ORGANISATION, "iso_code": "CZ"}, "iso_code"),
        ({"iso_code": "CZ", "organisation_kind": Actor.OrganisationKind.UN_AGENCY}, "organisation_kind"),
        ({"kind": Actor.Kind.INSTITUTION}, "parent"),
    ],
)
def test_actor_fields_that_do_not_fit_the_kind_are_refused(admin_client, fields, field_in_error):
    response = admin_client.post(_url(Actor, "add"), _actor_data(**fields))
    assert response.status_code == 200
    assert field_in_error in response.context["adminform"].form.errors
    assert not Actor.objects.exists()


def test_only_groups_have_members(admin_client):
    member = f.CountryFactory()
    response = admin_client.post(
        _url(Actor, "add"), _actor_data(kind=Actor.Kind.ORGANISATION, name="X", slug="x", members=[member.pk])
    )
    assert response.status_code == 200
    assert "members" in response.context["adminform"].form.errors


# --- Autocomplete ---------------------------------------------------------------------------------------------


def _autocomplete(client, model_name, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "meetings", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_actor_autocomplete_finds_the_searched_country(admin_client):
    czechia = f.CountryFactory(name="Czech Republic", slug="czech-republic", iso_code="CZ", other_names="Czechia")
    f.CountryFactory(name="Hungary", slug="hungary", iso_code="HU")
    expected = [{"id": str(czechia.pk), "text": "Czech Republic"}]
    assert _autocomplete(admin_client, "participation", "actor", "Czech") == expected
    assert _autocomplete(admin_client, "passage", "speakers", "Czechia") == expected


def test_autocomplete_suggests_only_the_kinds_that_fit(admin_client):
    turkey = f.CountryFactory(name="Turkey", slug="turkey", iso_code="TR")
    dgmm = f.InstitutionFactory(name="Directorate General for Migration Management", parent=turkey)
    assert [r["id"] for r in _autocomplete(admin_client, "participation", "actor", "Turkey")] == [str(turkey.pk)]
    represented = _autocomplete(admin_client, "participation", "represented_by", "Turkey")
    assert represented == [{"id": str(dgmm.pk), "text": "Directorate General for Migration Management (Turkey)"}]


def test_official_autocomplete_finds_positions(admin_client):
    position = f.PositionFactory(person=f.PersonFactory(name="Martijn Pluim"), title="Director")
    results = _autocomplete(admin_client, "passage", "official", "Pluim")
    assert [r["id"] for r in results] == [str(position.pk)]


# --- View on site ---------------------------------------------------------------------------------------------


def _view_on_site(page):
    return 'class="viewsitelink"' in page


def test_view_on_site_for_countries_and_organisations_only(admin_client):
    country, organisation = f.CountryFactory(), f.OrganisationFactory()
    for actor in (country, organisation):
        page = admin_client.get(_url(Actor, "change", actor.pk)).content.decode()
        assert f'href="{actor.get_absolute_url()}" class="viewsitelink"' in page
    group = f.GroupFactory()
    assert not _view_on_site(admin_client.get(_url(Actor, "change", group.pk)).content.decode())


def test_view_on_site_for_meetings_and_their_paragraphs(admin_client):
    # Staff preview drafts on the public page, so drafts have the link too.
    for meeting in (f.MeetingFactory(), f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)):
        page = admin_client.get(_url(Meeting, "change", meeting.pk)).content.decode()
        assert f'href="{meeting.get_absolute_url()}" class="viewsitelink"' in page
    passage = f.PassageFactory()
    page = admin_client.get(_url(Paragraph, "change", passage.paragraph_id)).content.decode()
    assert f'href="{passage.paragraph.get_absolute_url()}" class="viewsitelink"' in page
    page = admin_client.get(_url(Passage, "change", passage.pk)).content.decode()
    assert f'href="{passage.get_absolute_url()}" class="viewsitelink"' in page


def test_view_on_site_for_goals(admin_client):
    goal = f.PriorityGoalFactory(number=3)
    page = admin_client.get(_url(PriorityGoal, "change", goal.pk)).content.decode()
    assert f'href="{goal.get_absolute_url()}" class="viewsitelink"' in page


# --- Actions --------------------------------------------------------------------------------------------------


def test_publish_and_draft_actions(admin_client):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    changelist = _url(Meeting, "changelist")
    response = admin_client.post(changelist, {"action": "publish_now", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_public

    response = admin_client.post(changelist, {"action": "make_draft", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT


@pytest.fixture
def editor_client(client):
    """A member of staff who may write meetings but not publish them."""
    editor = User.objects.create_user("editor", "editor@example.org", "a-long-password", is_staff=True)
    codenames = [f"{action}_meeting" for action in ("view", "add", "change")]
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="meetings", codename__in=codenames))
    client.force_login(editor)
    return client


def test_editors_cannot_publish(editor_client):
    draft = f.MeetingFactory(title="Old title", status=Meeting.Status.DRAFT, published_at=None)
    page = editor_client.get(_url(Meeting, "change", draft.pk))
    assert "status" not in page.context["adminform"].form.fields
    changelist = editor_client.get(_url(Meeting, "changelist"))
    action_form = changelist.context["action_form"]
    actions = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert "publish_now" not in actions

    data = _meeting_data(draft, title="New title", status=Meeting.Status.PUBLISHED)
    response = editor_client.post(_url(Meeting, "change", draft.pk), data)
    assert response.status_code == 302, _errors(response)
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.published_at) == ("New title", Meeting.Status.DRAFT, None)

    response = editor_client.post(
        _url(Meeting, "changelist"), {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT


# --- Query budgets --------------------------------------------------------------------------------------------

# Budgets that hold for a few rows and for many: a query per row breaks them. Measured on SQLite and
# PostgreSQL: 8 queries for the meeting list, 7 for a meeting's page, 11 for a paragraph's page,
# whatever the number of rows; the budgets leave two queries of headroom.
MEETING_CHANGELIST_BUDGET = 10
# The meeting page also lists its documents (one query); the paragraph page also reads the Call for
# Action in force, the choices of tagged subjects, the subjects' provenance and the suggestions (four).
MEETING_CHANGE_PAGE_BUDGET = 10
PARAGRAPH_CHANGE_PAGE_BUDGET = 17


@pytest.mark.parametrize("count", [3, 30])
def test_meeting_changelist_query_budget(admin_client, django_assert_max_num_queries, count):
    series = f.MeetingSeriesFactory()
    for meeting in f.MeetingFactory.create_batch(count, series=series):
        f.ParagraphFactory.create_batch(2, meeting=meeting)
    with django_assert_max_num_queries(MEETING_CHANGELIST_BUDGET):
        response = admin_client.get(_url(Meeting, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    assert all(meeting.paragraph_count == 2 for meeting in response.context["cl"].result_list)


@pytest.mark.parametrize("count", [2, 20])
def test_meeting_change_page_query_budget(admin_client, django_assert_max_num_queries, count):
    meeting = f.MeetingFactory()
    for number in range(1, count + 1):
        country = f.CountryFactory()
        f.ParticipationFactory(meeting=meeting, actor=country, represented_by=f.InstitutionFactory(parent=country))
        f.ParagraphFactory(meeting=meeting, number=number)
        f.FootnoteFactory(meeting=meeting, number=number)
    with django_assert_max_num_queries(MEETING_CHANGE_PAGE_BUDGET):
        response = admin_client.get(_url(Meeting, "change", meeting.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(str(p.represented_by) in page for p in meeting.participations.all())


@pytest.mark.parametrize("count", [1, 10])
def test_paragraph_change_page_query_budget(admin_client, django_assert_max_num_queries, count):
    paragraph = f.ParagraphFactory()
    goals = [f.PriorityGoalFactory(number=n) for n in range(1, 7)]
    region = f.RegionFactory()
    for order in range(1, count + 1):
        passage = f.PassageFactory(
            paragraph=paragraph,
            order=order,
            speakers=[f.CountryFactory(), f.OrganisationFactory()],
            goals=goals[:2],
            official=f.PositionFactory(),
        )
        passage.mentions.add(f.InstitutionFactory())
        passage.regions.add(region)
    with django_assert_max_num_queries(PARAGRAPH_CHANGE_PAGE_BUDGET):
        response = admin_client.get(_url(Paragraph, "change", paragraph.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(str(p.official) in page for p in paragraph.passages.all())


def test_query_counts_do_not_grow_with_rows(admin_client):
    """The budgets above are upper bounds; here the counts must be equal for a small and a large meeting."""

    def count_queries(url):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    small, large = f.MeetingFactory(), f.MeetingFactory()
    for meeting, size in ((small, 1), (large, 8)):
        for number in range(1, size + 1):
            country = f.CountryFactory()
            f.ParticipationFactory(meeting=meeting, actor=country, represented_by=f.InstitutionFactory(parent=country))
            f.FootnoteFactory(meeting=meeting, number=number)
            paragraph = f.ParagraphFactory(meeting=meeting, number=number)
            passage = f.PassageFactory(paragraph=paragraph, order=1, speakers=[country], official=f.PositionFactory())
            passage.mentions.add(f.OrganisationFactory())
    assert count_queries(_url(Meeting, "change", small.pk)) == count_queries(_url(Meeting, "change", large.pk))
    small_paragraph, large_paragraph = small.paragraphs.first(), large.paragraphs.first()
    for order in range(2, 9):
        f.PassageFactory(paragraph=large_paragraph, order=order, speakers=[f.CountryFactory()])
    assert count_queries(_url(Paragraph, "change", small_paragraph.pk)) == count_queries(
        _url(Paragraph, "change", large_paragraph.pk)
    )


@pytest.mark.parametrize(
    "value, attrs",
    [
        ("42", {"id": "initial-id_participations-0-actor"}),
        (None, {}),
        (7, {"id": "x", "data-n": 3}),
        ('Vienna "old" <town> & co', {"id": "initial-id_location"}),
        ("", {"required": True, "disabled": False, "class": 'a"b'}),
        (datetime.date(2020, 12, 2), {"id": "initial-id_start_date"}),
    ],
)
def test_the_quick_hidden_input_draws_what_djangos_templates_draw(value, attrs):
    from django import forms

    from meetings.admin.widgets import QuickHiddenInput

    for name in ("initial-location", 'odd"name'):
        assert QuickHiddenInput().render(name, value, attrs) == forms.HiddenInput().render(name, value, attrs)


def test_the_merges_base_values_are_quick_hidden_inputs_and_lists_stay_lists(som_2020):
    from django import forms

    from meetings.admin.meetings import MeetingForm
    from meetings.admin.widgets import QuickHiddenInput

    form = MeetingForm(instance=som_2020)
    assert form.fields["title"].show_hidden_initial and form.fields["title"].hidden_widget is QuickHiddenInput
    assert form.fields["add_participants"].hidden_widget is forms.MultipleHiddenInput
    html = str(form["title"])
    assert f'type="hidden" name="initial-title" value="{som_2020.title}" aria-describedby="id_title_helptext"' in html
