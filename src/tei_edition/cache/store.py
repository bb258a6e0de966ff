"""The build cache in <output>/.cache/: fingerprints of the inputs of the last build.

Incremental builds compare what a unit of work depends on (a document's bytes, the schemas,
the stylesheets, the page's slice of the index) with what it depended on last time; when
nothing changed, the previous result is reused. Keys are content hashes, never timestamps, so
a checkout, a copy or a clock change cannot fool the cache, and a cache that is deleted or
corrupt only makes the next build a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from tei_edition.runtime.gc_pause import gc_paused



def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: ("ab","c") ≠ ("a","bc")
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """The hash of a file's bytes. Several caches ask for the same file in one build: the hash
    is kept for this process while the file's size, times and inode stay the same (the key
    is still the content: a stat only tells whether the content must be read again). A file
    changed in the last seconds is always read: file times are coarse, and a second write
    within the same tick would keep them."""
    path = os.fspath(path)  # keyed by string: comparing Path objects costs more than the stat
    try:
        stat = os.stat(path)
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        known = _file_digests.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        value = digest(Path(path).read_bytes())
    except OSError:
        return "missing"
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLED_NS:
        _file_digests[path] = (stamp, value)
    return value


SETTLED_NS = 3 * 10**9  # a file unchanged this long (3 s) has settled: its times tell a new write
_file_digests: dict[str, tuple[tuple, str]] = {}


def load_file_digests(output: Path) -> None:
    """Take over the hashes the last build in `output` took of settled files (as git's index
    does: a file whose size, times and inode are all unchanged is not read again; an edit, a
    checkout or a copy changes them). At 10,000 documents this saves reading 123 MB per build."""
    for path, entry in Store(output, "files").data.items():
        if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[4], str):
            _file_digests.setdefault(path, (tuple(entry[:4]), entry[4]))


def save_file_digests(output: Path) -> None:
    Store(output, "files").save({p: [*stamp, value] for p, (stamp, value) in _file_digests.items()})


@lru_cache(maxsize=None)
def tree_digest(folder: Path, suffixes: tuple[str, ...] = ()) -> str:
    """One hash of every file below `folder` (names and contents), e.g. all stylesheets."""
    parts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if not suffixes or path.suffix in suffixes:
            parts += [str(path.relative_to(folder)), path.read_bytes()]
    return digest(*parts)


class Store:
    """One JSON file of the cache: {key: value}, loaded whole, written atomically.

    A long-running process (edition serve) rebuilds many times: once it calls `keep_in_memory()`,
    what it read and wrote is kept (`remembered`) instead of being read back (a command-line build
    reads each record once and keeps nothing), and inside `deferred_saves()` the writes wait until
    the new site is published. Until then the file is removed, so a process killed in between
    leaves no record beside a site it does not describe: the next build makes that part again.
    Callers treat `data` as read-only (they build a new dict to save)."""

    def __init__(self, output: Path, name: str):
        self.path = Path(output) / ".cache" / f"{name}.json"
        self.data: dict = remembered(self.path, _load_object)

    def save(self, data: dict) -> None:
        keep_written(self.path, data, _write_object)


def _load_object(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
        with gc_paused():  # many small objects, all kept
            loaded = json.loads(text)
        return loaded if isinstance(loaded, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_object(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as out:
        write_json(out, data)
    tmp.replace(path)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, check_circular=False)


def write_json(out, data) -> None:
    """Write `_dumps(data)` to the text file `out`, the same characters, one member of an object
    at a time: a record of 10,000 documents (oai.json, 54 MB) was one text of it and then its
    bytes, both at once, at the main process's highest point. Each value is still written by
    json's C encoder; an object with keys other than strings goes out whole (json turns them
    into strings after sorting, an order this would not reproduce)."""
    if not isinstance(data, dict) or not data or not all(type(key) is str for key in data):
        out.write(_dumps(data))
        return
    separator = "{"
    for key in sorted(data):
        out.write(f"{separator}{_dumps(key)}: ")
        write_json(out, data[key])
        separator = ", "
    out.write("}")


def keep_written(path: Path, value, write: Callable[[Path, object], None]) -> None:
    """`write(path, value)`, and remember `value` as what the file holds (see `remembered`);
    inside `deferred_saves()` the file is removed now and written when the caller flushes."""
    if _PENDING is not None:
        path.unlink(missing_ok=True)
        _PENDING[str(path)] = (path, value, write)
        _REMEMBERED[str(path)] = (None, value)  # stands for the file until it is written
        return
    write(path, value)
    if _KEEP:
        _REMEMBERED[str(path)] = (file_stamp(path), value)


_KEEP = False  # see keep_in_memory()


def keep_in_memory() -> None:
    """This process rebuilds again and again (edition serve): keep the records it reads and
    writes, and what is computed from the same objects of a kept index (model/describe.py,
    interfaces/oai/named.py), for its next build."""
    global _KEEP
    _KEEP = True


def keeping() -> bool:
    return _KEEP


# path → (the file's size, mtime and inode when read or written; None: a save still pending, the value)
_REMEMBERED: dict[str, tuple[tuple | None, object]] = {}
_PENDING: dict[str, tuple[Path, object, Callable]] | None = None  # inside deferred_saves()


def file_stamp(path: Path | str) -> tuple[int, int, int] | None:
    """(size, mtime, inode) of a file, None when it is missing: what tells that a file this
    process read or wrote is still the same one (a write or a replacement changes one of them)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def remembered(path: Path, load):
    """`load(path)`, or what this process last read or wrote there while the file is as it was
    then (same size, mtime and inode; or a deferred save not written yet). The value is shared:
    never change it."""
    known = _REMEMBERED.get(str(path))
    if known is not None and (known[0] is None and str(path) in (_PENDING or {}) or
                              known[0] is not None and known[0] == file_stamp(path)):
        return known[1]
    value = load(path)
    stamp = file_stamp(path) if _KEEP else None
    if stamp is not None:
        _REMEMBERED[str(path)] = (stamp, value)
    return value


@contextmanager
def deferred_saves() -> Iterator[Callable[[], None]]:
    """Saves of cache records made inside wait (see Store); the context yields the function that
    writes them (call it once the new site is published). Nothing is written on an exception:
    the records were removed, and the next build makes their parts again."""
    global _PENDING
    outer, _PENDING = _PENDING, {}
    pending = _PENDING

    def flush() -> None:
        while pending:
            _, (path, value, write) = pending.popitem()
            write(path, value)
            if _KEEP:
                _REMEMBERED[str(path)] = (file_stamp(path), value)
            else:
                _REMEMBERED.pop(str(path), None)
    try:
        yield flush
    finally:
        _PENDING = outer
        for key in pending:  # not flushed: forget the values that stood for the files
            _REMEMBERED.pop(key, None)


def read_json_object(path: Path) -> dict:
    """A JSON object from a file the build wrote; {} when it is missing, damaged or no object.
    Shared with other readers while the file is unchanged (see `remembered`): never change it."""
    return remembered(Path(path), _load_object)


def remember_moved(path: Path, written: Path, value) -> None:
    """`written` holds `value` and will be moved to `path` (a rename keeps its size, time and
    inode): a later read of `path` by this process need not parse it again."""
    stamp = file_stamp(written) if _KEEP else None
    if stamp is not None:
        _REMEMBERED[str(path)] = (stamp, value)

