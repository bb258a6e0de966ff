"""The Pagefind search bundle of a web edition.

The `pagefind` Python package ships the binary; nothing is downloaded and no search server runs.

Indexes the pages of a site that mark their text with `data-pagefind-body` (documents, register
entries, About). Each page carries a `kind` filter (Document, Person, Place, ...), which the
search page offers as filters. The index is written in shards (shards.py): a rebuild re-indexes
only the shards whose pages changed, and no Pagefind run has to hold the whole of a large site.

Two builds of the same site give byte-identical bundles: Pagefind writes its filter indexes in a
random order, which order.stabilise puts in name order (see there). Pagefind runs as its command
line over the whole folder rather than through its Python API, whose service hands back one
reply per tenth of a second: far too slow for one call per page on a large edition.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from tei_edition.cache.store import Store
from tei_edition.diagnostics import Diagnostic
from tei_edition.runtime.site_update import updated_output, updating
from tei_edition.search import shards as search_shards
from tei_edition.search.order import stabilise

BUNDLE = "pagefind"
OPTIONS = ["--glob", "**/*.html", "--exclude-selectors", "[data-pagefind-ignore]", "--force-language", "en",
           "--keep-index-url"]
TIMEOUT = 600  # seconds; Pagefind indexes thousands of pages a second, this only stops a hang


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
    return planned(site, bundle, previous, jobs, cache)()


def planned(site: Path, bundle: Path, previous: Path | None = None, jobs: int = 1,
            cache: Path | None = None) -> Callable[[], search_shards.Outcome]:
    """index_site() in two halves: the shards of the pages `site` has now, planned at once, and
    the function that indexes them."""
    store = Store(cache, "search") if cache is not None else None
    stats = search_shards.PageStats(store.data if store is not None else None)
    shards = search_shards.plan(Path(site), OPTIONS, stats=stats)

    def index() -> search_shards.Outcome:
        outcome = search_shards.index(Path(site), Path(bundle), previous, jobs, run_pagefind, shards)
        if store is not None:
            store.save(stats.data)
        return outcome

    return index


@contextmanager
def indexing_beside(site: Path, bundle: Path, previous: Path | None = None, jobs: int = 1,
                    cache: Path | None = None) -> Iterator[Callable[[], search_shards.Outcome]]:
    """index_site() of the pages `site` has now, run in a thread while the block writes other
    files: the html writer's site files (DTS, OAI-PMH, linked data) are written by one thread,
    so Pagefind's processes get the core it leaves idle. The block must not change the pages.
    Yields a function that waits for the index and gives its outcome, or raises SearchError.
    The block's exit waits for the index too, so that a failed block leaves no Pagefind behind."""
    index = planned(site, bundle, previous, jobs, cache)
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(index).result


def keep_published_bundle(site: Path) -> search_shards.Outcome | None:
    """In the staging folder `site` of an update of a published site, keep its search bundle as
    it is (the pages go out first; `reindex_published` follows); None when there is none to keep."""
    update = updating(site)
    if update is None or not (update.final / BUNDLE / "pagefind-entry.json").is_file():
        return None
    kept = update.keep_published(BUNDLE)
    return search_shards.Outcome(indexed=0, reused=kept, pages=0)


def reindex_published(site: Path, jobs: int = 1, cache: Path | None = None) -> search_shards.Outcome:
    """Bring the search bundle of the published `site` up to date with its pages, re-indexing the
    shards whose pages changed, and publish it (`edition serve` does this after the pages, so that
    an edit shows at once and its words are found a few seconds later); raise SearchError."""
    with updated_output(site) as tmp:
        updating(tmp).keep_published(BUNDLE, inside=False)
        return index_site(tmp, tmp / BUNDLE, previous=Path(site) / BUNDLE, jobs=jobs, cache=cache)


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
