"""The search index is written while the html writer writes its site files (DTS, OAI-PMH, linked
data): Pagefind runs in a thread beside them (search.pagefind.indexing_beside). A failure of
either side still publishes nothing, and leaves no Pagefind staging folder behind.

The corpus is synthetic (benchmarks/generate_corpus.py).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tei_edition.build import build
from tei_edition.config import load_config
from tei_edition.diagnostics import Diagnostic
from tei_edition.search import pagefind
from tei_edition.writers.html import extras

from test_search_shards import make_corpus, run_build, tree

WAIT = 60  # seconds; far above a Pagefind start, it only bounds a failing test


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_corpus(tmp_path_factory.mktemp("beside") / "corpus")
    with pytest.MonkeyPatch.context() as mp:
        run_build(root, mp)
    return root


@pytest.fixture
def corpus(built, tmp_path):
    """A copy of the built edition, for one test to edit and build again."""
    return Path(shutil.copytree(built, tmp_path / "corpus"))


def edit(root) -> None:
    doc = root / "tei" / "meetings" / "meeting-00002.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Synthetic marker", "Edited marker", 1), encoding="utf-8")


def with_site_writer(monkeypatch, writer) -> None:
    monkeypatch.setattr(extras, "SITE_FILES", (*extras.SITE_FILES, writer))


def failed_build(root, monkeypatch) -> list[str]:
    log: list[str] = []
    monkeypatch.chdir(root)
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
