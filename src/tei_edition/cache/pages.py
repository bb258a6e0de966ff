"""Page-level reuse for incremental builds of the web edition.

A page is a pure function of (stylesheets, its TEI source, its `site` slice of the index).
Its key is the hash of all three; when the key equals the one recorded by the last build and
that build's file is still there, the file is hard-linked (or copied) into the new site instead
of being rendered again. The reason for every page that is rendered is kept, so the log can
say what was rebuilt and why ("documents/x.html: source changed").

A page that `site_changes.SiteChanges` shows cannot have changed is kept without even
computing its inputs (`keep`): its hashes are carried over from the last build.

The warnings the stylesheets gave about a page (unknown elements, ...) are kept with it, so a
page reused from the last build still reports them.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import astuple
from pathlib import Path
from typing import Callable

from tei_edition.cache.store import Store, digest
from tei_edition.diagnostics import Diagnostic
from tei_edition.runtime.folders import link_or_copy_file
from tei_edition.runtime.site_update import SiteUpdate, updating

SHOW_REASONS = 40  # beyond this many rebuilt pages, the log counts them by reason
FORMAT = 2  # 2: pages carry their diagnostics


class PageCache:
    def __init__(self, previous_site: Path, store: Store | None, renderer: str):
        """`previous_site`: the last build's folder; `store`: None disables reuse;
        `renderer`: a hash of the stylesheets and code every page depends on."""
        self.previous_site, self.store, self.renderer = previous_site, store, renderer
        usable = store is not None and store.data.get("renderer-format") == FORMAT
        self.previous: dict = store.data.get("pages", {}) if usable else {}
        # what the last build recorded of the site as a whole (site_changes.SiteChanges.record)
        self.previous_site_record: dict | None = store.data.get("site") if usable else None
        self.site_record: dict | None = None
        self.entries: dict[str, dict] = {}
        self.rebuilt: dict[str, str] = {}   # path → why
        self.reused = 0
        self._in_place: SiteUpdate | None = None  # see update_in_place()

    def update_in_place(self, update: SiteUpdate | None) -> None:
        """The site is being updated in place by `update` (runtime.site_update): a kept page
        stays where it is published, and keep() need not build its paths (32,000 at 10,000
        documents). Only for the update of the folder the last build's pages are in."""
        if update is not None and os.path.normpath(self.previous_site) == str(update.final):
            self._in_place = update

    def fresh(self, path: str, source: bytes, site: bytes, extra: str = "",
              kind: str = "page") -> bool:
        """Record the page's inputs; True when the last build's file can be reused."""
        entry = {"renderer": self.renderer, "source": digest(source), "site": digest(site, extra)}
        self.entries[path] = entry
        old = self.previous.get(path)
        if self.store is None:
            reason = "full build"
        elif old is None:
            reason = "new page"
        elif old.get("renderer") != entry["renderer"]:
            reason = "stylesheets changed"
        elif old.get("source") != entry["source"]:
            reason = "source changed"
        elif old.get("site") != entry["site"]:
            reason = "mentions changed" if kind == "entry" else "linked data changed"
        elif not (self.previous_site / path).is_file():
            reason = "previous file missing"
        else:
            if old.get("diagnostics"):
                entry["diagnostics"] = old["diagnostics"]
            return True
        self.rebuilt[path] = reason
        return False

    def keep(self, path: str, target: Callable[[], Path | str]) -> bool:
        """Reuse the last build's page without comparing its inputs (the caller knows they are
        unchanged); False when the last build has no such page, then it must be computed.
        `target()`: where the page goes in the new site (asked only when it is linked there)."""
        old = self.previous.get(path)
        if self.store is None or old is None or old.get("renderer") != self.renderer:
            return False
        if self._in_place is not None:
            if not self._in_place.keep(path):
                return False
            self.reused += 1
        else:
            try:
                self.reuse(path, target())
            except FileNotFoundError:
                return False
        self.entries[path] = old
        return True

    def keep_file(self, path: str, target: Callable[[], Path | str]) -> bool:
        """Bring a file of the last build that is no page into the new site (a source's copy);
        False when it is gone."""
        if self._in_place is not None:
            return self._in_place.keep(path)
        try:
            link_or_copy(os.path.join(self.previous_site, path), target())
        except FileNotFoundError:
            return False
        return True

    def reuse(self, path: str, target: Path | str) -> None:
        """Bring the last build's file into the new site (a hard link costs no copy)."""
        link_or_copy(os.path.join(self.previous_site, path), target)
        self.reused += 1

    def note(self, path: str, diagnostics: list[Diagnostic]) -> None:
        """The stylesheets' diagnostics about a page just rendered, kept for its reuse."""
        if diagnostics and path in self.entries:
            self.entries[path]["diagnostics"] = [list(astuple(d)) for d in diagnostics]

    def diagnostics(self) -> list[Diagnostic]:
        """The diagnostics of every page of the new site, rendered or reused."""
        return [Diagnostic(*d) for entry in self.entries.values() for d in entry.get("diagnostics", ())]

    def forget(self, path: str) -> None:
        """A page that failed: never recorded, so the next build renders it again."""
        self.entries.pop(path, None)

    def forget_previous(self) -> None:
        """Remove the record of the last build just before the new site replaces it: a build
        killed between the swap and save() must not leave a record that describes the old
        site beside the new one (the next build then renders every page, which is safe)."""
        if self.store is not None:
            self.store.path.unlink(missing_ok=True)

    def save(self) -> None:
        if self.store is not None:
            self.store.save({"renderer-format": FORMAT, "pages": self.entries, "site": self.site_record})

    def report(self) -> list[str]:
        """What was rebuilt and why, for the log."""
        if not self.rebuilt:
            return [f"html: nothing changed, {self.reused} page(s) reused"]
        if self.store is None or all(r == "new page" for r in self.rebuilt.values()) and not self.reused:
            return []  # a first or full build: every page is new, nothing to explain
        lines = [f"html: rebuilt {len(self.rebuilt)} page(s), reused {self.reused}"]
        if len(self.rebuilt) <= SHOW_REASONS:
            lines += [f"  {path}: {why}" for path, why in sorted(self.rebuilt.items())]
        else:
            counts = Counter(self.rebuilt.values())
            lines += [f"  {n} page(s): {why}" for why, n in sorted(counts.items())]
        return lines


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Hard-link `source` as `target` (a copy where links are not possible); FileNotFoundError
    when `source` is missing. Where `target` is in the staging folder of an update of the
    folder `source` is published in, at the same place, the published file is kept instead
    (runtime.site_update: nothing is linked, the commit leaves it where it is)."""
    update = updating(target)
    if update is not None and update.keeps(source, target):
        return
    link_or_copy_file(source, target)
