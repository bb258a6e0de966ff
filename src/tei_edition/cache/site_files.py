"""Site files made in groups from known inputs, reused from the published site while unchanged.

A writer of site files (writers/html/extras.py) that makes many files per document (the DTS
answers of a document, say) asks, for each group, whether the published site already holds the
files of the same inputs; if so they are hard-linked into the new site instead of being made
again. What each group's files were made from is kept in a manifest inside the site itself
(`site-files.json`), so it is published by the same swap as the files it describes: a build
that stops before its swap leaves the old manifest beside the old files, never a new key beside
old content. (Not a dot-file: a published site holds no hidden files, which tests check.)
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from tei_edition.cache.keys import code_key
from tei_edition.cache.pages import link_or_copy
from tei_edition.cache.store import digest, read_json_object, remember_moved, write_json
from tei_edition.runtime.site_update import updating

MANIFEST = "site-files.json"


class SiteFileGroups:
    """The groups of one writer of site files (`name`), whose code is the cache kind `kind`."""

    def __init__(self, previous_site: Path, folder: Path, name: str, kind: str, incremental: bool):
        self.previous, self.folder, self.name = previous_site, folder, name
        self.code = code_key(kind)
        self.old: dict = _manifest(previous_site).get(name, {}) if incremental else {}
        self.new: dict[str, list] = {}  # group → [key, [paths relative to the site], data]
        self._folders: set[str] = set()  # folders made in the new site

    def key(self, *inputs: bytes | str) -> str:
        return digest(self.code, *inputs)

    def reuse(self, group: str, key: str) -> bool:
        """Link the group's files from the published site when they were made from `key`."""
        old = self.old.get(group)
        if not (isinstance(old, list) and len(old) == 3 and old[0] == key and isinstance(old[1], list)):
            return False
        update = updating(self.folder)
        if update is not None and os.path.normpath(self.previous) == str(update.final):
            if not update.keep_all(old[1]):  # the published files stay where they are
                return False  # the site was changed by hand: make the group again
            self.new[group] = old
            return True
        previous, folder = str(self.previous), str(self.folder)
        try:
            for path in old[1]:  # strings, not Paths: a group can hold thousands of files
                target = os.path.join(folder, path)
                parent = os.path.dirname(target)
                if parent not in self._folders:
                    os.makedirs(parent, exist_ok=True)
                    self._folders.add(parent)
                link_or_copy(Path(os.path.join(previous, path)), Path(target))
        except (FileNotFoundError, TypeError):
            return False  # the site was changed by hand: make the group again
        self.new[group] = old
        return True

    def data(self, group: str):
        """What the writer kept with a reused group (say, a summary other files are made from)."""
        return self.new[group][2]

    def made(self, group: str, key: str, paths: list[str], data=None) -> None:
        """Record a group's files, and data (JSON) worth keeping with them."""
        self.new[group] = [key, sorted(posixpath.normpath(p) for p in paths), data]

    def save(self) -> None:
        """Add this writer's groups to the new site's manifest."""
        manifest = {**_manifest(self.folder), self.name: self.new}
        with open(self.folder / MANIFEST, "w", encoding="utf-8") as out:  # a group at a time (store.write_json)
            write_json(out, manifest)
        # published by the same move or swap: read by the next build of this process (edition serve) from memory
        remember_moved(self.previous / MANIFEST, self.folder / MANIFEST, manifest)


def _manifest(site: Path) -> dict:
    return read_json_object(site / MANIFEST)
