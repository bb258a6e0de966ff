"""Facsimile pages in Chromium: text and images side by side (one above the other on a phone),
scrolling the text moves the viewer to the page being read, a click on the image brings the text
to its page, a local image zooms from file:// with no network, a remote image that cannot load is
said in words, and axe finds no serious accessibility violation.

Every request off the machine is refused (this machine has no internet, and a test must not
depend on it): legalkraus's images at the Wienbibliothek never load here, which is the case the
"cannot be loaded" message exists for. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from helpers import invoke
from facsimile_editions import facsimile_edition, legalkraus_edition

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def page(browser):
    """A fresh page that fails the test if anything is fetched from another host than the one the
    legalkraus edition allows for its images (those requests are refused: see open_page)."""
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("file://", "data:", "about:", "https://www.digital.wienbibliothek.at/")) else None)
    yield page
    context.close()
    assert not outside, f"requests left the machine: {outside}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The local-image fixture and three legalkraus documents, built: {name: html folder}."""
    out = {}
    for name, make in (("fixture", facsimile_edition), ("legalkraus", legalkraus_edition)):
        config = make(tmp_path_factory.mktemp(name))
        result = invoke(["build", "--only", "html", "--keep-going"], config.parent)
        assert result.exit_code in (0, 1), result.output
        out[name] = config.parent / "output" / "html"
    return out


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_page(page, sites, name: str, doc: str, viewport=DESKTOP):
    page.set_viewport_size(viewport)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.route("http*://**", lambda route: route.abort())
    page.goto((sites[name] / "documents" / doc).as_uri())
    expect(page.locator(".facsimile-viewer .openseadragon-canvas")).to_have_count(1)
    return problems


def scroll_marker_to(page, index: int, top: int) -> None:
    """Scroll so that the index-th page break of the text is `top` pixels below the window's top."""
    page.evaluate("([i, top]) => { const m = document.querySelectorAll('.facs-pb')[i];"
                  " window.scrollTo(0, m.getBoundingClientRect().top + window.scrollY - top); }", [index, top])


def marker_top(page, index: int) -> float:
    return page.locator(".facs-pb").nth(index).evaluate("e => e.getBoundingClientRect().top")


def marker_reaches_top(page, index: int) -> bool:
    """True once the index-th page break is at the window's top (within 30 s: a loaded machine
    scrolls smoothly but slowly; 10 s were once not enough beside a 10,000-document build)."""
    for _ in range(300):
        if abs(marker_top(page, index)) < 5:
            return True
        page.wait_for_timeout(100)
    return False


def test_text_and_image_side_by_side_and_in_step(page, sites):
    problems = open_page(page, sites, "fixture", "letter-local.html")
    text, viewer = page.locator(".document-text").bounding_box(), page.locator(".facsimile-viewer").bounding_box()
    assert viewer["x"] >= text["x"] + text["width"] and abs(viewer["y"] - text["y"]) < 200  # beside it
    expect(page.locator(".facsimile-position")).to_have_text("Image 1 of 2: 1r")
    page.wait_for_timeout(500)
    screenshot(page, "facsimile-desktop")
    # scrolling the text to the second page break shows the second image
    scroll_marker_to(page, 1, 100)  # the second page break above the reading line
    expect(page.locator(".facsimile-position")).to_have_text("Image 2 of 2: fol. 1v")
    # back up: the first image again
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator(".facsimile-position")).to_have_text("Image 1 of 2: 1r")
    # the viewer's "next" moves the text to the second page break
    page.locator(".facsimile-viewer [title='Next page']").click()
    expect(page.locator(".facsimile-position")).to_have_text("Image 2 of 2: fol. 1v")
    assert abs(marker_top(page, 1)) < 5, marker_top(page, 1)
    # read on down the first page, then a click on the image brings the text back to its page break
    scroll_marker_to(page, 0, -300)
    expect(page.locator(".facsimile-position")).to_have_text("Image 1 of 2: 1r")
    viewer = page.locator(".facsimile-viewer").bounding_box()
    page.mouse.click(viewer["x"] + viewer["width"] / 2, viewer["y"] + viewer["height"] / 2)
    assert marker_reaches_top(page, 0)
    expect(page.locator(".facsimile-position")).to_have_text("Image 1 of 2: 1r")
    assert not problems, problems


def test_a_local_image_zooms_from_disk_without_network(page, sites):
    problems = open_page(page, sites, "fixture", "letter-local.html")
    expect(page.locator(".facsimile-viewer canvas")).to_have_count(1)
    loaded: list[str] = []
    page.on("requestfinished", lambda r: loaded.append(r.url))
    page.locator(".facsimile-viewer [title='Zoom in']").click()
    page.locator(".facsimile-viewer [title='Zoom in']").click()
    page.locator(".facsimile-viewer [title='Zoom in']").click()
    page.wait_for_timeout(1500)
    tiles = [u for u in loaded if "/iiif/letter-local/1/" in u]
    # a deeper scale's tiles were fetched from disk: regions of the image at full resolution
    assert any("/512,512/0/default.jpg" in u and u.startswith("file://") for u in tiles), tiles
    expect(page.locator(".facsimile-status")).to_be_hidden()
    screenshot(page, "facsimile-zoomed")
    assert not problems, problems


def test_phone_puts_the_image_above_the_text(page, sites):
    open_page(page, sites, "fixture", "letter-local.html", PHONE)
    viewer, text = page.locator(".facsimile-viewer").bounding_box(), page.locator(".document-text").bounding_box()
    assert viewer["y"] + viewer["height"] <= text["y"] + 1
    assert viewer["x"] >= 0 and viewer["x"] + viewer["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out
    page.wait_for_timeout(500)
    screenshot(page, "facsimile-phone")
    scroll_marker_to(page, 1, 460)  # below the viewer (45% of the height), above the reading line
    expect(page.locator(".facsimile-position")).to_have_text("Image 2 of 2: fol. 1v")
    viewer = page.locator(".facsimile-viewer").bounding_box()
    assert 0 <= viewer["y"] < PHONE["height"] / 2  # still in view while the text scrolls under it


def test_legalkraus_remote_images_that_cannot_load_are_said_and_text_stays_in_step(page, sites):
    problems = open_page(page, sites, "legalkraus", "D_000012-011-000.html")
    status = page.locator(".facsimile-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("cannot be loaded from https://www.digital.wienbibliothek.at")
    expect(page.locator(".facsimile-position")).to_have_text("Image 2 of 3: 2540447 (recto)")
    screenshot(page, "facsimile-legalkraus")
    scroll_marker_to(page, 1, 100)
    expect(page.locator(".facsimile-position")).to_have_text("Image 3 of 3: 2540448 (verso)")
    scroll_marker_to(page, 1, -200)
    # (the image is still the third: wait for the viewer to say so before asking for its page,
    # or a slow machine clicks while the scroll is still being followed)
    expect(page.locator(".facsimile-position")).to_have_text("Image 3 of 3: 2540448 (verso)")
    page.get_by_role("button", name="Go to this page in the text").click()
    assert marker_reaches_top(page, 1)
    # the link beside a page break shows its image
    page.locator(".facs-pb").nth(0).get_by_role("link").click()
    expect(page.locator(".facsimile-position")).to_have_text("Image 2 of 3: 2540447 (recto)")
    assert page.locator(".facsimile-manifest").get_attribute("href") == "../iiif/D_000012-011-000/manifest.json"
    assert not problems, problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name,doc", [("fixture", "letter-local.html"), ("legalkraus", "D_000012-011-000.html")])
def test_no_serious_accessibility_violations(page, sites, name, doc, viewport):
    open_page(page, sites, name, doc, viewport)
    page.wait_for_timeout(500)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in serious)
