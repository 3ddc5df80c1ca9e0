"""The review as an officer uses it: every unknown name mapped, created or left out, interventions corrected,
passages split and merged, the meeting's facts fixed, and a summary imported again updating its draft.

The review is a plain form: each test posts what a browser without JavaScript would post.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actors.models import Actor
from meetings.importer.review import passage_key
from meetings.models import Meeting, Passage

from .corpus_docx import build

pytestmark = pytest.mark.django_db

ISTANBUL_2022 = Path(settings.BASE_DIR) / "tests" / "data" / "2022-03-14-thematic-meeting-istanbul.txt"
SOURCE_2020 = Path(settings.BASE_DIR) / "fixtures" / "sources" / "2020-12-02-annual-som.txt"


def upload(client, name: str, data: bytes):
    return client.post(reverse("admin:meetings_meeting_import"), {"file": SimpleUploadedFile(name, data)})


def send(client, review, button: str = "_apply", **fields):
    data = {"token": review.context["token"], button: "1", **fields}
    return client.post(reverse("admin:meetings_meeting_import_save"), data)


def name_fields(review, written: str, action: str, **values) -> dict:
    index = review.context["summary"].unrecognised.index(written)
    fields = {"names-count": len(review.context["summary"].unrecognised), f"name-{index}-written": written}
    fields[f"name-{index}-action"] = action
    fields.update({f"name-{index}-{key}": value for key, value in values.items()})
    return fields


def passage(summary, words: str):
    for paragraph in summary.paragraphs:
        for entry in paragraph.passages:
            if words in entry.text:
                return paragraph.number, entry
    raise AssertionError(words)


def key_of(summary, words: str) -> str:
    number, entry = passage(summary, words)
    return passage_key(number, entry.text)


def test_a_name_mapped_to_an_existing_actor_speaks_and_is_saved(admin_client, som_2020):
    review = upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    assert review.context["summary"].unrecognised == ["Atlantis"]
    applied = send(admin_client, review, **name_fields(review, "Atlantis", "map", actor="norway"))
    summary = applied.context["summary"]
    assert summary.unrecognised == []
    assert [speaker.name for speaker in passage(summary, "**Atlantis** described")[1].speakers] == ["Norway"]
    assert "Norway" in [match.name for match in summary.participants]
    saved = send(admin_client, applied, "_save")
    meeting = Meeting.objects.get(start_date=datetime.date(2022, 3, 14))
    assert saved["Location"] == reverse("admin:meetings_meeting_change", args=[meeting.pk])
    atlantis = Passage.objects.get(paragraph__meeting=meeting, text__contains="**Atlantis** described")
    assert list(atlantis.speakers.values_list("name", flat=True)) == ["Norway"]


def test_an_organisation_is_created_from_the_review_with_the_name_and_acronym_of_the_text(
    admin_client, som_2020, tmp_path
):
    path = build(tmp_path / "tbilisi.docx", photo_bytes=1000)
    review = upload(admin_client, path.name, path.read_bytes())
    written = "Black Sea Mobility Observatory (BSMO)"
    form = review.content.decode()
    assert 'value="Black Sea Mobility Observatory"' in form and 'value="BSMO"' in form  # prefilled from the text
    fields = {
        **name_fields(review, written, "organisation", name="Black Sea Mobility Observatory", acronym="BSMO"),
        **name_fields(review, "Vestoria", "omit"),
    }
    fields["names-count"] = 2
    applied = send(admin_client, review, **fields)
    summary = applied.context["summary"]
    # Every name now ends matched, to be created or left out: none is left unanswered.
    assert summary.unrecognised == [] and summary.left_out == ["Vestoria"]
    assert [speaker.code for speaker in passage(summary, "The **BSMO** shared")[1].speakers] == ["BSMO"]
    assert "Vestoria" in applied.content.decode().split('id="import-left-out"')[1].split("</ul>")[0]
    send(admin_client, applied, "_save")
    observatory = Actor.objects.get(short_name="BSMO")
    assert (observatory.name, observatory.kind) == ("Black Sea Mobility Observatory", "organisation")
    assert not Actor.objects.filter(name="Vestoria").exists()
    kosovo = Actor.objects.get(iso_code="XK")
    assert kosovo.name == "Kosovo"


def test_speakers_goals_date_place_and_roles_are_corrected_before_saving(admin_client, som_2020):
    review = upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    summary = review.context["summary"]
    czech = key_of(summary, "**Czechia** presented")
    fields = {
        "passage-keys": [czech],
        f"passage-{czech}-speakers": "Czech Republic; Hungary",
        f"passage-{czech}-speakers-shown": "Czech Republic",
        f"passage-{czech}-goals": "1, 9",
        f"passage-{czech}-goals-shown": "2, 3, 4",
        "meeting-start_date": "2022-03-15",
        "meeting-start_date-shown": "2022-03-14",
        "meeting-end_date": "2022-03-16",
        "meeting-end_date-shown": "2022-03-15",
        "meeting-location": "Ankara",
        "meeting-location-shown": "Istanbul",
        "role-co_chair": "Norway",
        "role-co_chair-shown": "Hungary",
    }
    applied = send(admin_client, review, **fields)
    corrected = applied.context["summary"]
    entry = passage(corrected, "**Czechia** presented")[1]
    assert ([speaker.name for speaker in entry.speakers], entry.goals) == (["Czech Republic", "Hungary"], [1])
    assert "there is no goal 9 on this date" in " ".join(corrected.warnings)
    assert (corrected.start_date, corrected.end_date) == (datetime.date(2022, 3, 15), datetime.date(2022, 3, 16))
    assert corrected.location == "Ankara" and corrected.co_chair.name == "Norway"
    # A second round keeps the first round's corrections.
    again = send(admin_client, applied)
    assert passage(again.context["summary"], "**Czechia** presented")[1].goals == [1]
    send(admin_client, again, "_save")
    meeting = Meeting.objects.get(start_date=datetime.date(2022, 3, 15))
    assert meeting.location == "Ankara"
    assert meeting.participations.get(role="co_chair").actor.name == "Norway"
    saved = Passage.objects.get(paragraph__meeting=meeting, text__startswith="**Czechia** presented")
    assert sorted(saved.speakers.values_list("name", flat=True)) == ["Czech Republic", "Hungary"]
    assert list(saved.goals.values_list("number", flat=True)) == [1]


def test_passages_are_split_and_merged(admin_client, som_2020):
    review = upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    summary = review.context["summary"]
    number, opening = passage(summary, "Ms. Ayşe Demir")
    assert len(opening.text.split(". ")) >= 2
    first = passage_key(number, opening.text)
    kyrgyz = key_of(summary, "The **Kyrgyz Republic**")
    fields = {"passage-keys": [first, kyrgyz], f"passage-{first}-split": "1", f"passage-{kyrgyz}-merge": "1"}
    applied = send(admin_client, review, **fields)
    paragraphs = {paragraph.number: paragraph for paragraph in applied.context["summary"].paragraphs}
    texts = [entry.text for entry in paragraphs[number].passages]
    assert texts[0].endswith("representing Türkiye as Chair.") and texts[1].startswith("She recalled")
    merged = passage(applied.context["summary"], "The **Kyrgyz Republic**")[1]
    assert "**Germany and Uzbekistan** reported" in merged.text
    assert [speaker.name for speaker in merged.speakers] == ["Kyrgyzstan", "Germany", "Uzbekistan"]


def test_a_draft_imported_again_is_updated_and_the_review_says_what_changes(admin_client, som_2020):
    review = upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    send(admin_client, review, "_save")
    meeting = Meeting.objects.get(start_date=datetime.date(2022, 3, 14))
    changed = ISTANBUL_2022.read_text().replace("seasonal work programme", "seasonal work scheme")
    again = upload(admin_client, "istanbul-v2.txt", changed.encode())
    changes = again.content.decode().split('id="import-changes"')[1].split("</ul>")[0]
    assert "Paragraph 3 is changed." in changes and "Paragraph 2" not in changes
    assert 'value="Update the draft"' in again.content.decode()
    response = send(admin_client, again, "_save")
    assert Meeting.objects.filter(start_date=datetime.date(2022, 3, 14)).get().pk == meeting.pk
    assert Passage.objects.filter(paragraph__meeting=meeting, text__contains="seasonal work scheme").exists()
    assert not Passage.objects.filter(paragraph__meeting=meeting, text__contains="seasonal work programme").exists()
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[meeting.pk])


def test_a_published_meeting_imported_again_becomes_unpublished_changes(admin_client, som_2020):
    from meetings.revisions import working_copy_of

    texts = list(Passage.objects.filter(paragraph__meeting=som_2020).values_list("pk", "text"))
    review = upload(admin_client, SOURCE_2020.name, SOURCE_2020.read_bytes())
    page = review.content.decode()
    assert "This meeting is published" in page and "Saving makes unpublished changes" in page
    assert 'name="_save"' in page
    send(admin_client, review, "_save")
    # Readers keep the published version; the import waits in its working copy for a Publisher.
    assert list(Passage.objects.filter(paragraph__meeting=som_2020).values_list("pk", "text")) == texts
    copy = working_copy_of(som_2020)
    assert copy is not None and copy.status == Meeting.Status.DRAFT
    assert Meeting.objects.published().count() == 1


def test_paragraphs_with_nothing_to_fix_are_folded_and_problems_come_first(admin_client, som_2020):
    review = upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    page = review.content.decode()
    assert (
        page.index('id="import-attention"') < page.index('id="import-meeting"') < page.index('id="import-paragraphs"')
    )
    folded = {paragraph.number: problem for paragraph, _rows, problem in review.context["paragraphs"]}
    assert folded[3] is True and folded[4] is False  # Atlantis has no speaker in 3; 4 is all right
    assert '<details class="import-paragraph import-paragraph-problem" id="import-paragraph-3" open>' in page
    assert '<details class="import-paragraph" id="import-paragraph-4">' in page
    assert '<datalist id="import-actors">' in page and 'list="import-actors"' in page  # the type-ahead, no script


def test_a_tampered_review_form_gets_a_page_not_an_error(admin_client, som_2020):
    review = upload(admin_client, ISTANBUL_2022.name, ISTANBUL_2022.read_bytes())
    fields = {
        "names-count": "many",
        "passage-keys": ["nothing-like-a-key"],
        "passage-nothing-like-a-key-split": "7",
        "meeting-start_date": "31 February",
        "meeting-format": "by carrier pigeon",
        "role-chair": "x" * 5000,
    }
    response = send(admin_client, review, **fields)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.start_date == datetime.date(2022, 3, 14) and summary.format == "in_person"
    assert "x" * 1000 in summary.unrecognised  # an unknown chair is reported, cut to a sane length


def test_an_official_whose_workplace_is_unknown_gets_a_post_once_the_officer_answers(admin_client, som_2020):
    text = (
        "Budapest Process\n\nThematic Meeting on Return\n\nVienna, 5 May 2023\n\n"
        "1. The meeting gathered **20 participants** from Austria and Hungary.\n\n"
        "2. **Ms. Vera Lind**, Head of Office at the Northern Return Office (NRO), opened the meeting.\n"
    )
    review = upload(admin_client, "return.txt", text.encode())
    summary = review.context["summary"]
    assert summary.unrecognised == ["Northern Return Office (NRO)"]
    assert "Officials without a post" in review.content.decode()
    fields = name_fields(
        review, "Northern Return Office (NRO)", "organisation", name="Northern Return Office", acronym="NRO"
    )
    applied = send(admin_client, review, **fields)
    [person] = applied.context["summary"].people
    assert (person.title, person.affiliation.name, person.affiliation.code) == (
        "Head of Office",
        "Northern Return Office",
        "NRO",
    )
    assert [speaker.code for speaker in passage(applied.context["summary"], "Ms. Vera Lind")[1].speakers] == ["NRO"]
    send(admin_client, applied, "_save")
    meeting = Meeting.objects.get(start_date=datetime.date(2023, 5, 5))
    opening = Passage.objects.get(paragraph__meeting=meeting, paragraph__number=2)
    assert (opening.official.title, opening.official.actor.short_name) == ("Head of Office", "NRO")
    assert list(opening.speakers.values_list("short_name", flat=True)) == ["NRO"]


def test_footnotes_with_marks_of_their_own_are_listed_by_their_marks(admin_client, som_2020, tmp_path):
    path = build(tmp_path / "tbilisi.docx", photo_bytes=1000)
    review = upload(admin_client, path.name, path.read_bytes())
    html = review.content.decode()
    table = html[html.index('id="import-footnotes"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table, re.S)
    marks = [re.sub(r"<[^>]+>", "", mark) for mark, _text in rows]
    assert marks == ["1", "2", "*", "**"]  # as the summary marks them: no number beside a mark of its own
    assert "Kosovo" in rows[2][1] and "The European Border" in rows[3][1]
