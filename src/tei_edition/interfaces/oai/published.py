"""The OAI files of the last build, linked into the new site while what they were made from is unchanged.

A rebuild after one edit writes the files that changed, not 2,000 copies of TEI files and a
static.xml of the same records.

`.cache/oai-files.json` keeps, for each file, the key it was made from and the file's size,
mtime and inode as written. A file is linked from the published site only while both still
match, so a build that stopped before its swap (the published file is another one), or a
published file changed by hand, makes the file again.
"""

from __future__ import annotations

import os
from pathlib import Path

from tei_edition.cache.pages import link_or_copy
from tei_edition.cache.store import Store, file_stamp


def _stamp(path: str) -> list[int] | None:
    stamp = file_stamp(path)
    return list(stamp) if stamp is not None else None  # as JSON keeps it


class PublishedFiles:
    """Files below the site written as `rel` paths from a key; None store: make every file."""

    def __init__(self, store: Store | None, previous_site: Path, folder: Path):
        self.store, self.previous, self.folder = store, str(previous_site), str(folder)
        self.old: dict = store.data if store is not None else {}
        self.new: dict[str, list] = {}

    def reuse(self, rel: str, key: str) -> bool:
        """Link `rel` from the published site when it was made from `key` and is as it was written."""
        old = self.old.get(rel)
        source = os.path.join(self.previous, rel)
        if not (isinstance(old, list) and len(old) == 2 and old[0] == key and old[1] == _stamp(source)):
            return False
        target = os.path.join(self.folder, rel)
        try:  # kept where it is when the site is updated in place (runtime.site_update), else linked
            link_or_copy(source, target)
        except OSError:
            return False
        self.new[rel] = [key, _stamp(target) if os.path.exists(target) else old[1]]
        return True

    def write(self, rel: str, key: str, body: bytes) -> None:
        target = os.path.join(self.folder, rel)
        with open(target, "wb") as out:
            out.write(body)
        self.new[rel] = [key, _stamp(target)]

    def save(self) -> None:
        if self.store is not None and self.new != self.old:
            self.store.save(self.new)
