"""Publishing a new version of a large output folder without copying what did not change.

`atomic_output` assembles a whole new folder and swaps it in: simple, and right for an output
made afresh. A rebuild of a large site changes a handful of its 100,000 files (pages, DTS
answers, search bundles); linking every other file into a new folder, then deleting the old
one, cost seconds. `updated_output` assembles only what changed in a staging folder. What the
new site takes over from the published one is *kept*: `cache.pages.link_or_copy`, the one way
writers reuse a published file, records a published file going to the same place as kept
instead of linking it (`SiteUpdate.keeps`). The commit moves each new file over the old one
(one atomic rename per file, so no file is ever half-written) and deletes the published files
that are neither kept nor new. When most files are new (a first or full build, a changed
stylesheet) the kept ones are linked into the staging folder and it is swapped in whole, as
`atomic_output` does: moving 100,000 files one by one costs more than one swap.

The commit is journalled: before the first file moves, the files to delete are written beside
the staging folder (`.<name>.commit-<pid>`). A build killed during the commit leaves the staging
folder and the journal, and the next build holding the output lock finishes the commit before
anything else (`finish_commit`, called by runtime.lock). Until the commit starts the published
folder is the old version; once it has started, it becomes the new one.

The files of the published folder are listed in the build cache (`.cache/<name>.files`), so a
rebuild need not walk 100,000 files to know what to delete; without the list (deleted, or made
stale by a crash) the folder is walked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from contextlib import contextmanager
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from tei_edition.cache.store import keep_written, remembered
from tei_edition.runtime.listing import Listing, grouped, top
from tei_edition.runtime.folders import link_or_copy_file, published_folder, replace_whole, staging_folder


class SiteUpdate:
    """A new version of `final` being assembled in `staging` (files written there are new)."""

    def __init__(self, final: Path, staging: Path):
        self.final, self.staging = final, staging
        self._final, self._staging = str(final), str(staging)
        self.kept: set[str] = set()  # paths relative to the folder, with "/"
        self.kept_groups: set[str] = set()  # top folders (runtime.listing.top) kept whole

    def keeps(self, source: Path | str, target: Path | str) -> bool:
        """Record `target` (in the staging folder) as kept when `source` is the published file
        at the same place; False when it is another file (the caller links or copies it).
        FileNotFoundError when the published file is gone, as a link would raise."""
        target, source = os.fspath(target), os.path.normpath(os.fspath(source))
        if not target.startswith(self._staging + os.sep):
            return False
        rel = target[len(self._staging) + 1:]
        if source != os.path.join(self._final, rel):
            return False
        rel = rel.replace(os.sep, "/")
        if rel not in self.published:
            raise FileNotFoundError(source)
        self.kept.add(rel)
        return True

    def keep(self, rel: str) -> bool:
        """Keep the published file `rel` (a relative path with "/"); False when it is not published."""
        if rel not in self.published:
            return False
        self.kept.add(rel)
        return True

    def keep_all(self, rels: Iterable[str]) -> bool:
        """Keep these published files (relative paths, a group a writer made together); False,
        keeping none, when one of them is not published (the site was changed by hand)."""
        rels = list(rels)
        if not self.published.issuperset(rels):  # so each is a plain path inside the folder, too
            return False
        self.kept.update(rels)
        return True

    @cached_property
    def published(self) -> Listing:
        """The files of the published folder (from the build cache's list, else by walking it)."""
        return published_files(self.final)

    def keep_published(self, owned: str | tuple[str, ...], inside: bool = True) -> int:
        """Keep the published top folders or files at the root `owned` names (or, `inside`
        False, all the others) whole, without looking at their files; how many files they hold."""
        names = {rel.rstrip("/") for rel in ((owned,) if isinstance(owned, str) else owned)}
        if any("/" in name for name in names):
            raise ValueError(f"keep_published takes top folders, not {sorted(names)}")
        groups = set(self.published.groups)
        chosen = groups & names if inside else groups - names
        self.kept_groups |= chosen
        return self.published.count(chosen)

    def is_kept(self, rel: str) -> bool:
        return rel in self.kept or top(rel) in self.kept_groups and rel in self.published

    def path(self, rel: str) -> Path:
        """Where the new version's file `rel` is now: written anew, or kept in the published folder."""
        if self.is_kept(rel):
            return Path(self._final, rel)
        return Path(self._staging, rel)

    def kept_files(self) -> set[str]:
        return self.kept.union(*(self.published.groups[name] for name in self.kept_groups))

    def files(self) -> set[str]:
        """Every file of the new version, relative to it."""
        return self.kept_files().union(walk(self.staging))


_ACTIVE: dict[str, SiteUpdate] = {}  # staging folder → its update, while one is assembled


def updating(target: Path | str) -> SiteUpdate | None:
    """The update whose staging folder holds `target` (or is it), if one is being assembled."""
    if not _ACTIVE:
        return None
    target = os.fspath(target)
    for staging, update in _ACTIVE.items():
        if target == staging or target.startswith(staging + os.sep):
            return update
    return None


@contextmanager
def updated_output(final: Path, incremental: bool = True) -> Iterator[Path]:
    """Yield a staging folder for the next version of `final` and publish it on success (see
    the module's text); `incremental` False: nothing is kept, the folder is replaced whole.
    On any exception nothing is published and the staging folder is removed."""
    final = published_folder(final)
    staging = staging_folder(final)
    update = SiteUpdate(final, staging)
    if incremental and final.is_dir():
        _ACTIVE[str(staging)] = update
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _ACTIVE.pop(str(staging), None)
    listing = files_list(final)
    listing.unlink(missing_ok=True)  # stale from here until the new version is listed
    written = walk(staging)
    kept = len(update.kept) + update.published.count(update.kept_groups) if update.kept or update.kept_groups else 0
    if kept > len(written):  # a rebuild: move the few new files in
        new = _commit(update, written)
    else:  # most files are new (a first or full build): link the kept ones, swap the folders
        kept_files = update.kept_files() if kept else set()
        for rel in kept_files:
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy_file(final / rel, staging / rel)
        replace_whole(staging, final)
        new = Listing.of(kept_files.union(written))
    if listing.parent.is_dir():  # a build that keeps a cache (a --no-cache build may have none)
        keep_written(listing, new, _write_listing)


def files_list(final: Path) -> Path:
    """Where the list of the published folder's files is kept (in the build cache)."""
    return final.parent / ".cache" / f"{final.name}.files"


def published_files(final: Path) -> Listing:
    """The files of the published folder, from its list or else by walking it."""
    listed = remembered(files_list(final), _read_listing)
    return listed if listed is not None else Listing.of(walk(final))


def _read_listing(path: Path) -> Listing | None:
    try:
        names = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return Listing.of(filter(_inside, names))  # a list changed by hand never names a file outside


def _write_listing(path: Path, names: Listing) -> None:
    """The names, one a line (as "\\n".join would), written some thousands at a time: at 10,000
    documents the whole text and its bytes held some 80 MB at the main process's highest."""
    left = iter(names)
    with open(path, "w", encoding="utf-8") as out:
        separator = ""
        while batch := list(islice(left, LISTING_BATCH)):
            out.write(separator + "\n".join(batch))
            separator = "\n"


LISTING_BATCH = 10_000


def _commit(update: SiteUpdate, written: list[str]) -> Listing:
    """Move the written files in and delete the published ones neither kept nor written again
    (journalled: see the module's text); the new version's listing. A top folder kept whole is
    not looked into."""
    published = update.published
    added, kept = grouped(written), grouped(update.kept)
    removed: dict[str, set[str]] = {}
    for name, files in published.groups.items():
        if name not in update.kept_groups:
            gone = files.difference(kept.get(name, ()), added.get(name, ()))
            if gone:
                removed[name] = gone
    journal = _journal(update.final, update.staging)
    tmp = update.staging / ".journal"  # written whole, then moved: a killed build leaves no half journal
    tmp.write_text(json.dumps({"delete": sorted(rel for gone in removed.values() for rel in gone)}), encoding="utf-8")
    os.replace(tmp, journal)  # from here on the commit is finished, even after a crash
    finish_commit(journal)
    return published.changed(removed, added)


def _journal(final: Path, staging: Path) -> Path:
    pid = staging.name.rsplit("-", 1)[1]
    return final.parent / f".{final.name}.commit-{pid}"


def finish_commit(journal: Path) -> None:
    """Carry out (or finish) the commit `journal` describes: move the staging folder's files
    into the published folder, delete the obsolete ones, remove the staging folder and journal."""
    name, pid = journal.name[1:].rsplit(".commit-", 1)
    final = journal.parent / name
    staging = journal.parent / f".{name}.staging-{pid}"
    try:
        obsolete = json.loads(journal.read_text(encoding="utf-8"))["delete"]
    except (OSError, ValueError, KeyError, TypeError):
        obsolete = []  # an unreadable journal: the new files still go in; old ones may remain
        files_list(final).unlink(missing_ok=True)
    made: set[str] = set()
    for rel in walk(staging):
        target = os.path.join(final, rel)
        folder = os.path.dirname(target)
        if folder not in made:
            _make_folder(folder)
            made.add(folder)
        os.replace(os.path.join(staging, rel), target)
    emptied: set[str] = set()
    for rel in obsolete:
        if not _inside(rel):
            continue  # never delete outside the published folder, whatever a journal says
        path = os.path.join(final, rel)
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        emptied.add(os.path.dirname(path))
    _prune(emptied, str(final))
    shutil.rmtree(staging, ignore_errors=True)
    journal.unlink(missing_ok=True)


def _inside(rel) -> bool:
    """A plain relative path ("a/b.json": no "..", ".", empty part or leading "/"), so inside the folder."""
    return isinstance(rel, str) and _PLAIN.fullmatch(rel) is not None


_PLAIN = re.compile(r"(?:(?!\.\.?/)[^/]+/)*(?!\.\.?$)[^/]+")


def _make_folder(folder: str) -> None:
    """Make `folder` in the published tree; a file standing where a folder must go is replaced."""
    try:
        os.makedirs(folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        parts, path = folder.split(os.sep), ""
        for part in parts:
            path = path + os.sep + part if path else part or os.sep
            if os.path.isfile(path):
                os.unlink(path)
        os.makedirs(folder, exist_ok=True)


def _prune(folders: set[str], root: str) -> None:
    """Remove the folders left empty by deletions, up to (not including) `root`."""
    for folder in sorted(folders, key=len, reverse=True):
        while folder != root and folder.startswith(root + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                break  # not empty (or gone): its parents are not empty either
            folder = os.path.dirname(folder)


def walk(folder: Path) -> list[str]:
    """Every file below `folder`, relative to it, with "/" (os.walk: pathlib costs seconds here)."""
    found = []
    root = os.fspath(folder)
    for parent, _dirs, names in os.walk(root):
        base = os.path.relpath(parent, root).replace(os.sep, "/")
        prefix = "" if base == "." else base + "/"
        found.extend(prefix + name for name in names)
    return found
