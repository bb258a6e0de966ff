"""Shared test fixtures: reference schemas, a fixed build date, the built bundled site, the browser.

Plain helpers (paths, the CLI runner, builders) are in helpers.py; no test module imports
another (tests/test_architecture.py checks it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from lxml import etree
from playwright.sync_api import sync_playwright

from helpers import EPOCH, TEI_ALL, bundled_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# In CI the property tests draw the same examples on every run, so a submission's result does
# not depend on luck; locally they explore new examples each run and report what they find.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the bundled edition instead of comparing with it")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """TEI P5 tei_all as RELAX NG, loaded once per test session (it takes seconds)."""
    assert TEI_ALL.is_file(), f"reference schema missing: {TEI_ALL} (the shared/ folder must sit beside the repo)"
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))


@pytest.fixture
def fixed_build_date(monkeypatch):
    """SOURCE_DATE_EPOCH fixed (worker processes inherit it), so builds compare byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="session")
def site() -> Path:
    """The bundled edition's web site with its search index (helpers.bundled_site: built once)."""
    return bundled_site()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that fails the test if anything is fetched from another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside, blocked = [], []
    # nothing may be fetched from anywhere but the local server or disk; a request the page's
    # Content-Security-Policy stops (a facsimile image on a host not allowed) never leaves it
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "file://", "data:", "about:")) else None)
    page.on("requestfailed", lambda r: blocked.append(r.url) if r.failure == "csp" else None)
    yield page
    context.close()
    left = [url for url in outside if url not in blocked]
    assert not left, f"requests left the machine: {left}"
