"""Where a command-line build renders a few pages: in a worker when the edition is large (Saxon
in the main process would stay beside the index for the rest of the build), in the process
itself for a small edition or in `edition serve` (which keeps Saxon for its next rebuild)."""

from __future__ import annotations

from tei_edition.cache import store
from tei_edition.writers.html.writer import PARALLEL_FROM, pool_from


def test_a_large_edition_sends_even_one_page_to_a_worker(monkeypatch):
    monkeypatch.setattr(store, "_KEEP", False)
    assert pool_from(32_000) == 1
    assert pool_from(PARALLEL_FROM) == 1
    assert pool_from(PARALLEL_FROM - 1) == PARALLEL_FROM  # small: a few pages are rendered here


def test_edition_serve_renders_a_few_pages_itself(monkeypatch):
    monkeypatch.setattr(store, "_KEEP", True)
    assert pool_from(32_000) == PARALLEL_FROM
