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
from functools import lru_cache
from pathlib import Path

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
    """One JSON file of the cache: {key: value}, loaded whole, written atomically."""

    def __init__(self, output: Path, name: str):
        self.path = Path(output) / ".cache" / f"{name}.json"
        try:
            text = self.path.read_text(encoding="utf-8")
            with gc_paused():  # many small objects, all kept
                loaded = json.loads(text)
            self.data: dict = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.data = {}

    def save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, check_circular=False), encoding="utf-8")
        tmp.replace(self.path)


def read_json_object(path: Path) -> dict:
    """A JSON object from a file the build wrote; {} when it is missing, damaged or no object."""
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}

