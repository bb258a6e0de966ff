"""The search index in shards, so that a rebuild re-indexes only the part of the site that changed.

Pagefind has no incremental mode: it reads the whole folder it is given, every time (about 3 ms
a page here, 32,846 pages for 10,000 documents), and one run over a large site takes gigabytes.
So the searchable pages (those marked `data-pagefind-body`) are split into shards of about
SHARD_PAGES pages, each indexed by its own Pagefind run into its own bundle. The search page
loads the first shard's bundle (`pagefind/`, where a one-shard site has its only bundle) and
merges the others (`pagefind/shards/01/`, ...) with Pagefind's `mergeIndex`; the list is in
`pagefind/shards.json`.

A page's shard is fixed by a hash of its path (not by its place in a list, which an added page
would shift), so an edit touches few shards. Each shard has a key: the SHA-256 of its pages'
paths and bytes, the Pagefind version and the indexing options. A shard whose key is the one in
the previous bundle's shards.json keeps the previous bundle (hard-linked, not re-indexed).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tei_edition.cache.pages import link_or_copy
from tei_edition.runtime.folders import link_or_copy_file
from tei_edition.runtime.site_update import updating, walk

SHARD_PAGES = 1000  # about 3 s of Pagefind per shard; the browser merges one bundle per shard
MANIFEST = "shards.json"
SUBFOLDER = "shards"


@dataclass
class Shard:
    number: int
    pages: list[str]  # paths relative to the site, sorted
    key: str

    @property
    def folder(self) -> str:
        """Where its bundle goes, relative to the bundle root."""
        return "" if self.number == 0 else f"{SUBFOLDER}/{self.number:02d}/"


@dataclass
class Outcome:
    indexed: int  # shards Pagefind ran on
    reused: int   # shards kept from the previous bundle
    pages: int


class PageStats:
    """What the last build learnt of each page: (inode, mtime, size) → its SHA-256, or "" for a
    page that is not searched. A page the html writer kept from the last build is the same file
    (a hard link), so it is not read again: at 10,000 documents reading and hashing every page
    took about 5 s of a rebuild. A page written anew has a new inode and time, and is read."""

    def __init__(self, data: dict | None = None):
        self.previous = data if isinstance(data, dict) else {}
        self.data: dict[str, list] = {}

    def digest(self, path: Path, rel: str) -> str:
        st = path.stat()
        stamp = [st.st_ino, st.st_mtime_ns, st.st_size]
        known = self.previous.get(rel)
        if isinstance(known, list) and len(known) == 4 and known[:3] == stamp:
            found = known[3]
        else:
            data = path.read_bytes()
            found = hashlib.sha256(data).hexdigest() if b"data-pagefind-body" in data else ""
        self.data[rel] = [*stamp, found]
        return found


def plan(site: Path, options: list[str], shard_pages: int | None = None,
         stats: PageStats | None = None) -> list[Shard]:
    """The shards of `site`'s searchable pages (empty shards are left out)."""
    stats = stats or PageStats()
    digests: dict[str, str] = {}
    update = updating(site)  # a site being updated: its kept pages are in the published folder
    for rel in sorted(r for r in (update.files() if update else walk(site)) if r.endswith(".html")):
        found = stats.digest(update.path(rel) if update else site / rel, rel)
        if found:
            digests[rel] = found
    count = max(1, math.ceil(len(digests) / (shard_pages or SHARD_PAGES)))
    groups: list[list[str]] = [[] for _ in range(count)]
    for rel in digests:
        groups[_bucket(rel, count)].append(rel)
    basis = _digest(f"pagefind {importlib.metadata.version('pagefind')}", *options)
    return [Shard(n, pages, _digest(basis, *(f"{rel}\0{digests[rel]}" for rel in pages)))
            for n, pages in enumerate(groups) if pages or n == 0]


def index(site: Path, bundle: Path, previous: Path | None, jobs: int,
          run_pagefind: Callable[[Path, Path], None], shards: list[Shard]) -> Outcome:
    """Write the bundles of `shards` (plan()) under `bundle` (new or empty), reusing those of
    `previous` (an earlier bundle of the same site) whose key is unchanged."""
    known = _keys(previous)
    farms = site.parent / f".search.staging-{os.getpid()}"  # output_lock cleans it up after a kill
    shutil.rmtree(farms, ignore_errors=True)
    bundle.mkdir(parents=True, exist_ok=True)
    todo = []
    update = updating(site)
    try:
        for shard in shards:
            target = bundle / shard.folder
            if known.get(shard.folder) == shard.key and _reuse(previous, shard, target):
                continue
            farm = farms / f"{shard.number:02d}"
            for rel in shard.pages:  # the shard's pages alone, at their paths in the site
                (farm / rel).parent.mkdir(parents=True, exist_ok=True)
                link_or_copy_file(update.path(rel) if update else site / rel, farm / rel)
            if shard.number == 0 and not shard.pages:
                farm.mkdir(parents=True)  # a site with nothing to search still gets a (empty) bundle
            todo.append((farm, target))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            list(pool.map(lambda job: run_pagefind(*job), todo))  # each is a Pagefind process
    finally:
        shutil.rmtree(farms, ignore_errors=True)
    manifest = {"shards": [{"folder": s.folder, "pages": len(s.pages), "key": s.key} for s in shards]}
    (bundle / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return Outcome(indexed=len(todo), reused=len(shards) - len(todo), pages=sum(len(s.pages) for s in shards))


def _bucket(rel: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(rel.encode("utf-8")).digest()[:8], "big") % count


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _keys(previous: Path | None) -> dict[str, str]:
    """Shard folder → key, from the previous bundle's manifest (nothing if it is unreadable)."""
    try:
        data = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
        return {s["folder"]: s["key"] for s in data["shards"]}
    except (TypeError, OSError, ValueError, KeyError):
        return {}


def _reuse(previous: Path, shard: Shard, target: Path) -> bool:
    """Put the previous bundle of `shard` at `target`; False if it is not all there."""
    source = previous / shard.folder
    if not (source / "pagefind-entry.json").is_file():
        return False
    for rel in walk(source):
        if shard.number == 0 and (rel.startswith(SUBFOLDER + "/") or rel == MANIFEST):
            continue  # the first shard shares the bundle root with the others and the manifest
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(source / rel, target / rel)  # kept in place when the site is being updated
    return True
