"""Static full-text search for the web edition, with Pagefind (the `pagefind` Python package
ships the binary; nothing is downloaded and no search server runs).

Indexes the pages in <output>/html that mark their text with `data-pagefind-body` (documents,
register entries, About) and writes the search bundle to <output>/html/pagefind/. Each page
carries a `kind` filter (Document, Person, Place, ...), which the search page offers as
filters. The html writer runs the indexing on its staging folder, before the new site replaces the
old one; `edition build --only search` re-indexes an existing site without rebuilding it.

The index is written in shards (search_shards.py): a rebuild re-indexes only the shards whose
pages changed, and no Pagefind run has to hold the whole of a large site.

Two builds of the same site give byte-identical bundles: Pagefind writes its filter indexes in a
random order, which pagefind_order.stabilise puts in name order (see there). Pagefind runs as its
command line over the whole folder rather than through its Python API, whose service hands back
one reply per tenth of a second: far too slow for one call per page on a large edition.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..cache import Store
from ..diagnostics import Diagnostic
from . import BuildContext, atomic_output
from . import search_shards
from .pagefind_order import stabilise

BUNDLE = "pagefind"
OPTIONS = ["--glob", "**/*.html", "--exclude-selectors", "[data-pagefind-ignore]", "--force-language", "en",
           "--keep-index-url"]
TIMEOUT = 600  # seconds; Pagefind indexes thousands of pages a second, this only stops a hang


def write(ctx: BuildContext) -> list[Diagnostic]:
    site = ctx.config.output / "html"
    if not (site / "index.html").is_file():
        return [Diagnostic(str(site), 1, 1, "error", "no web edition to index: index.html is missing",
                           "search-no-site", "build the web edition first: edition build --only html --only search")]
    try:
        with atomic_output(site / BUNDLE) as tmp:
            outcome = index_site(site, tmp, previous=site / BUNDLE if ctx.incremental else None, jobs=ctx.jobs,
                                 cache=ctx.config.output if ctx.incremental else None)
    except SearchError as exc:  # atomic_output has kept the previous bundle
        return [search_failure(site, exc)]
    ctx.log(f"search: {summary(outcome)} → {site / BUNDLE}")
    return []


class SearchError(Exception):
    pass


def search_failure(site, exc: SearchError) -> Diagnostic:
    return Diagnostic(str(site), 1, 1, "error", str(exc), "search-pagefind",
                      "check that the pagefind package is installed (pip install 'pagefind[extended]')")


def index_site(site: Path, bundle: Path, previous: Path | None = None, jobs: int = 1,
               cache: Path | None = None) -> search_shards.Outcome:
    """Index the pages of `site` into `bundle` (new or empty), shard by shard, keeping the shards
    of `previous` (the last bundle) whose pages did not change; raise SearchError on failure.
    `cache`: the output folder whose build cache remembers the pages' hashes."""
    store = Store(cache, "search") if cache is not None else None
    stats = search_shards.PageStats(store.data if store is not None else None)
    outcome = search_shards.index(Path(site), Path(bundle), previous, jobs, run_pagefind, OPTIONS, stats)
    if store is not None:
        store.save(stats.data)
    return outcome


def run_pagefind(site: Path, out: Path) -> None:
    """One Pagefind run: the pages of `site` into the bundle folder `out`."""
    # Pagefind reads the pages (a bundle has no .html) and writes into out.
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), *OPTIONS, "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"Pagefind did not run: {exc}") from None
    if done.returncode != 0 or not (out / "pagefind-ui.js").is_file():
        raise SearchError("Pagefind failed: " + (done.stderr or done.stdout).strip()[-2000:])
    stabilise(out)


def summary(outcome: search_shards.Outcome) -> str:
    shards = outcome.indexed + outcome.reused
    if outcome.reused == 0:
        return f"{outcome.pages} page(s) indexed in {shards} shard(s)"
    return (f"{outcome.pages} page(s) in {shards} shard(s): {outcome.indexed} re-indexed, "
            f"{outcome.reused} unchanged and kept")
