"""The web edition in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

The site is the bundled edition built once per session (helpers.bundled_site), served by
a local http.server thread (Pagefind's search needs fetch, which file:// forbids) and also
opened straight from disk. Screenshots land in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re

import functools
import importlib.util
import http.server
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from helpers import MEETING, QuietHandler, bundled_site

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def served():
    """The site on http://127.0.0.1:<free port>/edition/ — a sub-path, as on many static hosts."""
    root = bundled_site()
    mount = root.parent / "mount"
    mount.mkdir(exist_ok=True)
    link = mount / "edition"
    if not link.exists():
        link.symlink_to(root, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(mount)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/edition/"
    server.shutdown()
    server.server_close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_from_home_to_the_conference_to_liu_shaoqi(page, served):
    page.goto(served + "index.html")
    screenshot(page, "home")
    page.get_by_role("link", name="1st conference on mutual aid and cooperation, Beijing, 9–30 September 1951").click()
    expect(page).to_have_url(served + MEETING)
    expect(page.locator("h1")).to_have_text("1st conference on mutual aid and cooperation, Beijing, 9–30 September 1951")
    screenshot(page, "document")
    page.locator(".document-text").get_by_role("link", name="Liu Shaoqi", exact=True).first.click()
    expect(page).to_have_url(served + "persons/liu-shaoqi.html")
    expect(page.locator("h1")).to_contain_text("Liu Shaoqi")
    mentions = page.locator(".appears-in ul.documents li")
    expect(mentions.filter(has_text="1st conference on mutual aid and cooperation")).to_have_count(1)
    expect(mentions.first).to_contain_text("presided")
    screenshot(page, "person")


def test_search_for_mutual_aid_finds_the_document(page, served):
    page.goto(served + "search.html?q=mutual%20aid")
    results = page.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=15000)
    # Pagefind shows its results one by one as their fragments load: wait for the document's
    # (on a busy machine the first results shown may be register pages only)
    found = page.locator(f'.pagefind-ui__result-link[href$="{MEETING}"]').first
    expect(found).to_be_visible(timeout=15000)
    # the kind filter is offered and narrows the results to documents
    filters = page.locator(".pagefind-ui__filter-panel")
    expect(filters).to_contain_text("kind")
    screenshot(page, "search")
    # a result link leads to a page of the site (the sub-path is kept)
    link = found.get_attribute("href")
    assert link.startswith("/edition/"), link


def test_keyboard_focus_on_a_name_shows_its_card(page, served):
    page.goto(served + MEETING)
    link = page.locator(".document-text a.ref-link[href='../persons/liu-shaoqi.html']").first
    card = page.locator("#" + link.get_attribute("aria-describedby"))
    expect(card).to_be_hidden()
    for _ in range(200):  # Tab through the page until the name has the focus
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the name")
    expect(card).to_be_visible()
    # what a screen reader announces for the focused name: the card, drawn by CSS
    expect(link).to_have_accessible_description(re.compile("刘少奇.*1898–1969"))
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()


def test_hover_shows_a_card(page, served):
    page.goto(served + MEETING)
    link = page.locator(".document-text a.ref-link[href='../places/beijing.html']").first
    link.hover()
    expect(page.locator("#" + link.get_attribute("aria-describedby"))).to_be_visible()


@pytest.mark.parametrize("path", ["index.html", MEETING, "persons/liu-shaoqi.html", "places/beijing.html",
                                  "bibliography/zhao-2007.html", "chronology.html", "about.html", "registers.html",
                                  "persons/index.html", "search.html", "404.html"]
                         + (["guide.html"] if importlib.util.find_spec("tei_edition.writers.html.guide") else []))
def test_no_serious_accessibility_violations(page, served, path):
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)  # axe-core is bundled with the package: no network
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
                                  f"{[n['target'] for n in v['nodes']][:3]})" for v in serious)


def test_opening_from_disk_renders_and_navigates(page):
    root = bundled_site()
    page.goto((root / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Meetings of the Chinese Communist Party Leadership")
    assert "Garamond" in page.evaluate("getComputedStyle(document.body).fontFamily")  # the CSS loaded
    page.get_by_role("link", name="Registers").first.click()
    page.get_by_role("link", name="Persons").click()
    page.get_by_role("link", name="Mao Zedong").click()
    expect(page.locator("h1")).to_contain_text("毛泽东")
    page.locator(".appears-in").get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("1st conference on mutual aid")
    page.goto((root / "search.html").as_uri())
    expect(page.locator("#search-offline")).to_be_visible()  # explains why search needs a server


def test_small_screen_has_no_horizontal_scroll(browser, served):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path in ("index.html", MEETING, "persons/liu-shaoqi.html", "chronology.html", "guide.html"):
        if not (bundled_site() / path).exists():  # guide.html: only with tei_edition.writers.html.guide
            continue
        page.goto(served + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px screen"
    screenshot(page, "document-mobile")
    context.close()
