"""A reader in a real browser: Debian's chromium, driven by Playwright, against the live test server.

The journey of a reader, the citation with and without JavaScript, axe-core on every page type, and
screenshots at phone and desktop widths in test-artifacts/ (git-ignored). One browser per test session.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import SOM_2020_SLUG

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
# No network beyond the test server, nothing downloaded, nothing synced.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MEETING = f"/meetings/{SOM_2020_SLUG}/"
SPAIN = "p6-15"

pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


def _unavailable(*, axe: bool = True) -> str | None:
    if not CHROMIUM.exists():
        return f"Debian's chromium is not at {CHROMIUM}: apt-get install -y chromium (CI installs it)"
    if axe and not AXE.exists():
        return f"axe-core is not at {AXE.relative_to(ROOT)}: run npm ci (make test does)"
    return None


def launch_chromium(*, axe: bool = True):
    """Debian's chromium under Playwright, for one module of tests (a generator for a fixture)."""
    reason = _unavailable(axe=axe)
    if reason:
        # Locally a missing browser skips these tests; in CI, which installs it, it is a failure.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the tests around it are
    # synchronous all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


@pytest.fixture
def site(browser, live_server):
    """The live server with the 2020 meeting loaded."""
    call_command("loaddata", "som-2020", verbosity=0)
    return live_server.url


class Reader:
    """A browser tab that remembers every console error and uncaught exception."""

    def __init__(self, browser, base_url: str, **options):
        self.context = browser.new_context(base_url=base_url, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def close(self):
        self.context.close()


@pytest.fixture
def reader(browser, site):
    reader = Reader(browser, site, viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    yield reader
    reader.close()


def test_reader_journey(reader, site):
    page = reader.page
    # Home: the 2020 meeting is among the latest.
    page.goto("/")
    assert page.locator("h1").inner_text() == "Meeting records of the Budapest Process"
    page.get_by_role("link", name="Annual Senior Officials Meeting").first.click()
    page.wait_for_url(f"**{MEETING}")
    assert page.locator("h1").inner_text() == "Annual Senior Officials Meeting"

    # Follow a country from the list of participants.
    page.locator("#participants").get_by_role("link", name="Spain").click()
    page.wait_for_url("**/countries/spain/")
    assert "Spain" in page.locator("h1").inner_text()
    assert page.locator('svg[role="img"]').count() == 2  # goals and years

    # Search from the header and land on Spain's intervention.
    page.get_by_role("searchbox", name="Search the records").fill("Canary Islands")
    page.get_by_role("searchbox", name="Search the records").press("Enter")
    page.wait_for_url("**/search/?q=Canary+Islands")
    hit = page.locator(".search-hits li").first
    assert hit.locator("mark").first.inner_text() == "Canary Islands"
    hit.get_by_role("heading").get_by_role("link", name="Spain").click()
    page.wait_for_url(f"**{MEETING}#{SPAIN}")
    assert page.evaluate("document.querySelector(':target').id") == SPAIN
    assert page.locator(f"#{SPAIN}").is_visible()
    assert "Canary Islands" in page.locator(f"#{SPAIN}").inner_text()

    # Copy its citation.
    intervention = page.locator(f"#{SPAIN}")
    intervention.locator("summary").click()
    citation = intervention.locator(".citation").inner_text()
    assert citation.endswith(f"{MEETING}#{SPAIN}") and citation.startswith("Spain, in: Budapest Process")
    intervention.get_by_role("button", name="Copy citation").click()
    expect(intervention.get_by_role("button", name="Citation copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == citation
    expect(page.locator("#copy-status")).to_have_text("Citation copied")

    # Open the matrix and follow a cell to the interventions it counts.
    page.get_by_role("link", name="Who addressed which goal").click()
    page.wait_for_url("**/priority-goals/matrix/")
    matrix = page.get_by_role("table", name="Interventions naming each priority goal, by country")
    turkey = matrix.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Turkey"))
    turkey.get_by_role("link", name="1 intervention of Turkey naming goal 5").click()
    page.wait_for_url("**/priority-goals/5/?country=TR#passages-title")
    assert "Turkey voiced its wish" in page.locator(".interventions").inner_text()

    assert reader.errors == []


def test_citation_without_javascript_and_in_print(browser, site):
    reader = Reader(browser, site, viewport=DESKTOP, java_script_enabled=False)
    page = reader.page
    page.goto(f"{MEETING}#{SPAIN}")
    intervention = page.locator(f"#{SPAIN}")
    intervention.locator("summary").click()
    assert intervention.locator(".citation").is_visible()
    assert intervention.locator(".citation").inner_text().endswith(f"#{SPAIN}")
    # Without the script there is nothing to click that would not work.
    assert not intervention.locator(".copy-citation").is_visible()
    # Printed, the page is the summary and its address: no navigation, no controls.
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not intervention.locator(".cite").is_visible()
    assert page.locator(".print-only").first.inner_text().endswith(MEETING)
    assert intervention.is_visible()
    reader.close()
    assert reader.errors == []


def _artifacts() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


PAGES = {
    "home": "/",
    "meeting": MEETING,
    "country": "/countries/spain/",
    "goal": "/priority-goals/1/",
    "search": "/search/?q=Canary+Islands",
    "matrix": "/priority-goals/matrix/",
}


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))
            }));
        }"""
    )


def test_pages_pass_axe_and_are_photographed(browser, site):
    """axe-core finds nothing on each page type, at phone and desktop widths; screenshots for people to look at."""
    report: dict[str, list[dict]] = {}
    errors: list[str] = []
    for width, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        # axe-core is injected as a script of its own, which the site's Content Security Policy rightly
        # refuses; this context lets the test tool in. The journey above runs under the policy.
        reader = Reader(browser, site, viewport=viewport, bypass_csp=True)
        for name, url in PAGES.items():
            reader.page.goto(url)
            reader.page.screenshot(path=str(_artifacts() / f"{name}-{viewport['width']}.png"), full_page=True)
            report[f"{name} ({width})"] = _axe_violations(reader.page)
        errors += reader.errors
        reader.close()
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    violations = {page: found for page, found in report.items() if found}
    assert violations == {}, json.dumps(violations, indent=2, ensure_ascii=False)
    assert errors == []
    for name in PAGES:
        for viewport in (PHONE, DESKTOP):
            assert (_artifacts() / f"{name}-{viewport['width']}.png").stat().st_size > 10_000
