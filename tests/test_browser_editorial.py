"""Two Secretariat officers in real browsers (chromium, Playwright) on the 2020 meeting in the admin.

An Editor's change to the published meeting stays off the public page until a Publisher publishes it;
two officers' saves of different fields are merged; a clash on one field shows both values; a restore
of the published meeting waits for a Publisher; leaving with unsaved changes asks first. Screenshots of
the admin screens at 390 and 1280 px go to test-artifacts/screenshots/admin-*.png.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting

from . import test_browser
from .conftest import SOM_2020_SLUG
from .test_browser import DESKTOP, PHONE, Reader, _artifacts, launch_chromium

site = test_browser.site  # the live server with the 2020 meeting, as the reader's tests have it

# serialized_rollback: the Editors and Publishers groups, made by a migration, come back after each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ADMIN_MEETING = "/admin/meetings/meeting/{pk}/change/"


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium(axe=False)  # the admin's screens need no axe-core here


def officer(browser, site, username: str, group: str, viewport=DESKTOP) -> Reader:
    """A browser signed in as a new staff member of that group (the session made by Django's test client)."""
    user = User.objects.create_user(username, f"{username}@example.org", "a-long-password", is_staff=True)
    user.groups.set(Group.objects.filter(name=group))
    client = Client()
    client.force_login(user)
    reader = Reader(browser, site, viewport=viewport)
    cookie = client.cookies["sessionid"]
    reader.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": site}])
    return reader


def shoot(reader: Reader, name: str) -> None:
    # The top of the page, as the officer first sees it (a full page of 50 participants is too tall to look at).
    reader.page.screenshot(path=str(_artifacts() / f"admin-{name}-{reader.page.viewport_size['width']}.png"))


def save(page) -> None:
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()


def public_title(site) -> str:
    return Client().get(f"/meetings/{SOM_2020_SLUG}/").content.decode()


def test_an_editors_change_is_public_only_once_a_publisher_publishes_it(browser, site):
    meeting = Meeting.objects.get(slug=SOM_2020_SLUG)
    editor = officer(browser, site, "editor", "Editors")
    page = editor.page
    page.goto(ADMIN_MEETING.format(pk=meeting.pk))
    expect(page.get_by_text("becomes unpublished changes")).to_be_visible()
    shoot(editor, "published-meeting")
    page.get_by_label("Place").fill("Vienna, Austria")
    save(page)
    expect(page.get_by_text("Unpublished changes", exact=True).first).to_be_visible()
    expect(page.locator(".working-copy-banner")).to_contain_text("Made by editor")
    shoot(editor, "working-copy")
    assert "Vienna, Austria" not in public_title(site)  # readers still see the published version

    page.get_by_role("link", name="Compare with the published version").click()
    expect(page.locator(".part-changes")).to_contain_text("Vienna, Austria")
    shoot(editor, "compare")
    page.go_back()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review")).to_be_visible()
    assert page.get_by_role("button", name="Publish the changes").count() == 0  # not an Editor's to press

    publisher = officer(browser, site, "publisher", "Publishers")
    page = publisher.page
    page.goto("/admin/")
    expect(page.locator(".waiting-for-you")).to_contain_text("To review:")
    shoot(publisher, "index")
    page.goto("/admin/meetings/meeting/review/")
    expect(page.locator(".review-queue")).to_contain_text("Vienna, Austria")
    shoot(publisher, "review-queue")
    page.goto(ADMIN_MEETING.format(pk=meeting.pk))  # opens the changes
    page.get_by_role("button", name="Publish the changes").click()
    expect(page.get_by_text("The changes are published")).to_be_visible()
    assert "Vienna, Austria" in public_title(site)
    assert not Meeting.objects.filter(changes_of=meeting).exists()
    assert editor.errors == [] and publisher.errors == [], (editor.errors, publisher.errors)
    editor.close(), publisher.close()


def _draft_2020() -> Meeting:
    Meeting.objects.filter(slug=SOM_2020_SLUG).update(status=Meeting.Status.DRAFT, published_at=None)
    return Meeting.objects.get(slug=SOM_2020_SLUG)


def test_two_officers_changes_to_different_fields_are_both_kept(browser, site):
    meeting = _draft_2020()
    anna, bela = officer(browser, site, "anna", "Editors"), officer(browser, site, "bela", "Editors")
    for reader in (anna, bela):
        reader.page.goto(ADMIN_MEETING.format(pk=meeting.pk))
    anna.page.get_by_label("Place").fill("Vienna, Austria")
    save(anna.page)
    bela.page.get_by_label("Number of participants").fill("187")
    save(bela.page)
    expect(bela.page.locator(".messagelist")).to_contain_text("their changes are kept with yours")
    expect(bela.page.locator(".messagelist")).to_contain_text("Vienna, Austria")
    shoot(bela, "merged")
    meeting.refresh_from_db()
    assert (meeting.location, meeting.participant_count) == ("Vienna, Austria", 187)
    anna.close(), bela.close()


def test_a_clash_on_one_field_shows_both_values(browser, site):
    meeting = _draft_2020()
    anna, bela = officer(browser, site, "anna", "Editors"), officer(browser, site, "bela", "Editors", PHONE)
    for reader in (anna, bela):
        reader.page.goto(ADMIN_MEETING.format(pk=meeting.pk))
    anna.page.get_by_label("Place").fill("Vienna, Austria")
    save(anna.page)
    bela.page.get_by_label("Place").fill("Ankara, Turkey")
    save(bela.page)
    error = bela.page.locator(".field-location .errorlist")
    expect(error).to_contain_text("“Vienna, Austria”")
    expect(error).to_contain_text("“Ankara, Turkey”")
    expect(bela.page.get_by_label("Place")).to_have_value("Ankara, Turkey")
    shoot(bela, "conflict")
    meeting.refresh_from_db()
    assert meeting.location == "Vienna, Austria"  # nothing of bela's saved until bela chooses
    save(bela.page)  # having seen both, bela keeps "Ankara, Turkey"
    meeting.refresh_from_db()
    assert meeting.location == "Ankara, Turkey"
    anna.close(), bela.close()


def test_restore_of_the_published_meeting_waits_for_a_publisher(browser, site):
    meeting = Meeting.objects.get(slug=SOM_2020_SLUG)
    before = timezone.now()
    editor = officer(browser, site, "editor", "Editors")
    page = editor.page
    page.goto(ADMIN_MEETING.format(pk=meeting.pk))
    page.get_by_label("Title").fill("A wrong title")
    save(page)
    copy = Meeting.objects.get(changes_of=meeting)
    page.goto(f"/admin/meetings/meeting/{copy.pk}/changes/")
    page.get_by_role("button", name="Discard the changes").click()

    publisher_client = Client()
    publisher = User.objects.create_user("p", is_staff=True)
    publisher.groups.set(Group.objects.filter(name="Publishers"))
    publisher_client.force_login(publisher)
    # A wrong title published earlier, which the editor now restores away.
    Meeting.objects.filter(pk=meeting.pk).update(title="Published wrongly")
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/history/")
    shoot(editor, "history")
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/history/restore/?as_of={before.isoformat()}".replace("+", "%2B"))
    expect(page.get_by_text("becomes its unpublished changes")).to_be_visible()
    shoot(editor, "restore-confirm")
    page.get_by_role("button", name="Restore as unpublished changes").click()
    expect(page.locator(".working-copy-banner").first).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.title == "Published wrongly"  # the public still sees what is published
    assert Meeting.objects.get(changes_of=meeting).title == "Annual Senior Officials Meeting"
    editor.close()


def test_the_paragraph_page_is_compact_and_leaving_unsaved_changes_asks_first(browser, site):
    meeting = Meeting.objects.get(slug=SOM_2020_SLUG)
    paragraph = meeting.paragraphs.get(number=6)
    for viewport in (PHONE, DESKTOP):
        editor = officer(browser, site, f"editor{viewport['width']}", "Editors", viewport)
        page = editor.page
        page.goto(f"/admin/meetings/paragraph/{paragraph.pk}/change/")
        rows = page.locator("details.passage-row")
        assert rows.count() == paragraph.passages.count()
        expect(rows.nth(15).locator(".passage-who")).to_contain_text("Turkey")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 6000, height  # was about 16,000 px with every passage's form open
        rows.nth(15).locator("summary").click()
        expect(rows.nth(15).locator("textarea")).to_be_visible()
        rows.nth(2).locator("summary").click()  # one open at a time
        expect(rows.nth(15).locator("textarea")).not_to_be_visible()
        shoot(editor, "paragraph")
        rows.nth(2).locator("textarea").fill("Changed, not saved.")
        dialogs: list[str] = []

        def answer(dialog, seen=dialogs):
            seen.append(dialog.type)
            dialog.dismiss()

        page.on("dialog", answer)
        page.locator(".breadcrumbs a").first.click()
        page.wait_for_timeout(300)
        assert dialogs == ["beforeunload"]
        assert re.search(r"/paragraph/\d+/change/", page.url)
        editor.close()


def test_the_admin_screens_at_phone_and_desktop_widths(browser, site):
    """Screenshots of every admin screen this work changed, at 390 and 1280 px, for people to look at."""
    from meetings.revisions import meeting_changes_draft, meeting_review_submit

    meeting = Meeting.objects.get(slug=SOM_2020_SLUG)
    copy = meeting_changes_draft(meeting, user=None)
    Meeting.objects.filter(pk=copy.pk).update(location="Vienna, Austria")
    paragraph = copy.paragraphs.get(number=6)
    screens = {
        "index": "/admin/",
        "working-copy": ADMIN_MEETING.format(pk=copy.pk),
        "compare": f"/admin/meetings/meeting/{copy.pk}/changes/",
        "review-queue": "/admin/meetings/meeting/review/",
        "history": f"/admin/meetings/meeting/{meeting.pk}/history/",
        "restore-confirm": f"/admin/meetings/meeting/{meeting.pk}/history/restore/?as_of=2020-12-01T00:00:00%2B01:00",
        "paragraph": f"/admin/meetings/paragraph/{paragraph.pk}/change/",
    }
    for viewport in (PHONE, DESKTOP):
        publisher = officer(browser, site, f"publisher{viewport['width']}", "Publishers", viewport)
        meeting_review_submit(copy, user=User.objects.get(username=f"publisher{viewport['width']}"))
        for name, url in screens.items():
            response = publisher.page.goto(url)
            assert response.status == 200, (name, response.status)
            shoot(publisher, name)
        assert publisher.errors == [], publisher.errors
        publisher.close()
    for name in screens:
        for viewport in (PHONE, DESKTOP):
            assert (_artifacts() / f"admin-{name}-{viewport['width']}.png").stat().st_size > 10_000
