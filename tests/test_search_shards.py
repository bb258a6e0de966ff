"""The search index in shards: each shard is its own Pagefind bundle, the search page merges
them, and a rebuild re-indexes only the shards whose pages changed, with the same bytes as a
clean build.

The corpus is synthetic (benchmarks/generate_corpus.py); each document gets a made-up word of
its own, so a search can aim at one page. Shards are made small here (SHARD_PAGES = 8) so that
a small corpus has several.

The html writer writes the index while it writes its site files (DTS, OAI-PMH, linked data):
Pagefind runs in a thread beside them (search.pagefind.indexing_beside). A failure of either
side still publishes nothing, and leaves no Pagefind staging folder behind.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tei_edition.build import build
from tei_edition.config import load_config
from tei_edition.diagnostics import Diagnostic
from tei_edition.search import pagefind, shards as search_shards
from tei_edition.writers.html import extras

from helpers import REPO, QuietHandler

DOCS = 12
EPOCH = "1700000000"


def word(n: int) -> str:
    """A made-up word for document n (letters only, so Pagefind keeps it whole)."""
    return "qz" + "abcdefghijklmnop"[n] * 4 + "x"


def make_corpus(root: Path) -> Path:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", str(DOCS),
                    "--persons", "10", "--seed", "3", "--out", str(root)], check=True, capture_output=True)
    for n in range(DOCS):
        path = root / "tei" / "meetings" / f"meeting-{n:05d}.xml"
        text = path.read_text(encoding="utf-8")
        field = "<head>Attendance:</head>"
        assert field in text
        path.write_text(text.replace(field, f"{field}<p>Synthetic marker {word(n)}.</p>", 1), encoding="utf-8")
    return root


def run_build(root: Path, monkeypatch, **options) -> list[str]:
    monkeypatch.setattr(search_shards, "SHARD_PAGES", 8)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(root)
    log: list[str] = []
    assert build(load_config(root / "edition.toml"), only=["html"], jobs=2, log=log.append, **options) == 0, log
    return log


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    root = make_corpus(tmp_path_factory.mktemp("shards") / "corpus")
    with pytest.MonkeyPatch.context() as mp:
        run_build(root, mp)
    return root


def test_the_index_is_split_into_shards_that_hold_every_searchable_page_once(sharded):
    site = sharded / "output" / "html"
    manifest = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    searchable = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                        if b"data-pagefind-body" in p.read_bytes())
    assert len(manifest) >= 4, manifest
    assert sum(s["pages"] for s in manifest) == len(searchable)
    assert manifest[0]["folder"] == "" and all(s["folder"].startswith("shards/") for s in manifest[1:])
    for shard in manifest:  # each one a complete Pagefind bundle
        assert (site / "pagefind" / shard["folder"] / "pagefind-entry.json").is_file(), shard


def test_a_rebuild_reindexes_only_the_changed_shard_and_matches_a_clean_build(tmp_path, monkeypatch):
    root = make_corpus(tmp_path / "corpus")
    run_build(root, monkeypatch)
    before = json.loads((root / "output" / "html" / "pagefind" / "shards.json").read_text())["shards"]
    doc = root / "tei" / "meetings" / "meeting-00004.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Synthetic marker", "Synthetic edited marker", 1),
                   encoding="utf-8")
    log = run_build(root, monkeypatch)
    summary = next(line for line in log if line.startswith("search: "))
    assert f"in {len(before)} shard(s): 1 re-indexed, {len(before) - 1} unchanged and kept" in summary, log

    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("output"))
    run_build(clean, monkeypatch, incremental=False)
    assert tree(root / "output" / "html" / "pagefind") == tree(clean / "output" / "html" / "pagefind")


@pytest.fixture(scope="module")
def served(sharded):
    site = sharded / "output" / "html"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_the_search_page_finds_pages_in_every_shard(sharded, served, page):
    site = sharded / "output" / "html"
    shards = search_shards.plan(site, [], shard_pages=8)
    # one document from each shard that holds one (the first shard is the bundle the page loads)
    wanted = {}
    for shard in shards:
        for rel in shard.pages:
            if rel.startswith("documents/") and rel.endswith(".html"):
                wanted[shard.number] = int(rel.removesuffix(".html").rsplit("-", 1)[1])
                break
    assert len(wanted) >= 3 and any(n > 0 for n in wanted), wanted
    for number, doc in sorted(wanted.items()):
        page.goto(served + f"search.html?q={word(doc)}")
        found = page.locator(".pagefind-ui__result-link")
        expect(found.first).to_be_visible(timeout=15000)
        assert found.count() == 1 and found.first.get_attribute("href").endswith(f"meeting-{doc:05d}.html"), \
            (number, doc, [found.nth(i).get_attribute("href") for i in range(found.count())])
    # the kind filter counts pages of all shards together
    page.goto(served + "search.html?q=synthetic")
    expect(page.locator(".pagefind-ui__result-link").first).to_be_visible(timeout=15000)
    panel = page.locator(".pagefind-ui__filter-panel")
    expect(panel).to_contain_text("Document")
    panel.locator("summary, .pagefind-ui__filter-name").first.click()
    expect(panel).to_contain_text(f"Document ({DOCS})")


def test_a_page_kept_from_the_last_build_is_not_read_again(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_bytes(b'<main data-pagefind-body="">words</main>')
    first = search_shards.PageStats()
    digest = first.digest(page, "page.html")
    assert digest == hashlib.sha256(page.read_bytes()).hexdigest()
    linked = tmp_path / "next-site.html"
    linked.hardlink_to(page)  # how the html writer keeps an unchanged page: the same file

    def no_reading(self):
        raise AssertionError(f"{self} was read")

    with monkeypatch.context() as mp:
        mp.setattr(Path, "read_bytes", no_reading)
        assert search_shards.PageStats(first.data).digest(linked, "page.html") == digest
    page.unlink()
    linked.unlink()
    linked.write_bytes(b'<main data-pagefind-body="">other words</main>')  # written anew: read again
    assert search_shards.PageStats(first.data).digest(linked, "page.html") != digest


# -- the index beside the site files --------------------------------------------------------

WAIT = 60  # seconds; far above a Pagefind start, it only bounds a failing test


@pytest.fixture
def corpus(sharded, tmp_path):
    """A copy of the built edition, for one test to edit and build again."""
    return Path(shutil.copytree(sharded, tmp_path / "corpus"))


def edit(root) -> None:
    doc = root / "tei" / "meetings" / "meeting-00002.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Synthetic marker", "Edited marker", 1), encoding="utf-8")


def with_site_writer(monkeypatch, writer) -> None:
    monkeypatch.setattr(extras, "SITE_FILES", (*extras.SITE_FILES, writer))


def failed_build(root, monkeypatch) -> list[str]:
    monkeypatch.setattr(search_shards, "SHARD_PAGES", 8)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(root)
    log: list[str] = []
    assert build(load_config(root / "edition.toml"), only=["html"], jobs=2, log=log.append) != 0, log
    return log


def test_pagefind_runs_while_the_site_files_are_written(corpus, monkeypatch):
    started = threading.Event()
    run_pagefind = pagefind.run_pagefind

    def noted(site, out):
        started.set()
        run_pagefind(site, out)

    seen: list[bool] = []

    def site_writer(ctx, site, folder) -> list[Diagnostic]:
        seen.append(started.wait(WAIT))  # a search index made after the site files never sets it
        return []

    monkeypatch.setattr(pagefind, "run_pagefind", noted)
    with_site_writer(monkeypatch, site_writer)
    edit(corpus)
    log = run_build(corpus, monkeypatch)
    assert seen == [True], log
    assert any(line.startswith("search: ") and "1 re-indexed" in line for line in log), log


def test_a_failed_site_file_publishes_nothing_and_waits_for_pagefind(corpus, monkeypatch):
    before = tree(corpus / "output" / "html")
    running = threading.Event()
    finished = threading.Event()
    run_pagefind = pagefind.run_pagefind

    def slow(site, out):
        running.set()
        run_pagefind(site, out)
        finished.set()

    def broken_writer(ctx, site, folder) -> list[Diagnostic]:
        running.wait(WAIT)
        return [Diagnostic("made-up.xml", 1, 1, "error", "a made-up failure", "test-site-files", "none")]

    monkeypatch.setattr(pagefind, "run_pagefind", slow)
    with_site_writer(monkeypatch, broken_writer)
    edit(corpus)
    log = failed_build(corpus, monkeypatch)
    assert finished.is_set(), "Pagefind did not run beside the site files, or the build did not wait for it"
    assert tree(corpus / "output" / "html") == before
    assert not list(corpus.glob("output/.search.staging-*")) and not list(corpus.glob("output/*.staging*")), log


def test_a_failed_search_index_publishes_nothing(corpus, monkeypatch):
    before = tree(corpus / "output" / "html")

    def failing(site, out):
        raise pagefind.SearchError("Pagefind failed: a made-up failure")

    monkeypatch.setattr(pagefind, "run_pagefind", failing)
    edit(corpus)
    log = failed_build(corpus, monkeypatch)
    assert tree(corpus / "output" / "html") == before
    assert any("a made-up failure" in line for line in log), log
