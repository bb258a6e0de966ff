"""The persistent index cache: each document's index facts, kept between builds.

A rebuild reads the facts of every unchanged file from <output>/.cache/index.json instead of
parsing it: only the files whose bytes changed (SHA-256) are parsed and indexed again. The key
also holds the file's role and the source of the code that extracts the facts, so a new
version of the pipeline never reuses facts taken by an older one. A file that had problems
when it was loaded (not well-formed, XInclude, ...) is never cached: it is parsed every time,
so its problems are reported every time.

index.json is one JSON object with one file per line. Writing the facts of 10,000 documents
anew took 1.6 s, so a rebuild writes only the lines of the files that changed and copies the
others as they were read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import digest, file_digest
from tei_edition.model.corpus import Document
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.index import DocFacts, Index

class FactCache:
    def __init__(self, output: Path):
        self.path = Path(output) / ".cache" / "index.json"
        self._lines = _read(self.path)
        self.basis = code_key("facts")
        self._keys: dict[tuple[str, str], str] = {}

    def key(self, path: Path, role: str) -> str:
        if (str(path), role) not in self._keys:
            self._keys[str(path), role] = digest(self.basis, role, file_digest(path))
        return self._keys[str(path), role]

    def has(self, path: Path, role: str) -> bool:
        """True when the facts of this file, as it is now, are in the cache."""
        entry = self._lines.get(str(path))
        return entry is not None and entry[0] == self.key(path, role)

    def get(self, doc: Document) -> DocFacts | None:
        """The file's facts, read from its line now: one file's lists at a time, its pointer rows
        packed at once (see `_read`)."""
        if not self.has(doc.path, doc.role):
            return None
        _, line, value_at = self._lines[str(doc.path)]
        try:
            found = DocFacts(**_DECODER.raw_decode(line, value_at)[0]["facts"])
        except (TypeError, ValueError, KeyError):  # a cache from another layout of the facts, a damaged line
            return None
        found.pack()
        return found

    def save(self, index: Index, problems: list[Diagnostic]) -> None:
        """Keep the facts of every file that loaded without problems (not rewritten when
        nothing changed; the line of a file whose facts came from the cache is copied)."""
        troubled = {d.path for d in problems}
        keep = {str(d.path): d for d in index.corpus.documents if d.display not in troubled}
        keys = {path: self.key(Path(path), doc.role) for path, doc in keep.items()}
        previous = self._lines
        if keys.keys() == previous.keys() and all(previous[p][0] == k for p, k in keys.items()):
            return
        lines = []
        for path, key in keys.items():
            line = previous[path][1] if path in previous and previous[path][0] == key else None
            if line is None:  # the facts are plain lists and dicts already
                line = _dumps(path) + ": " + _dumps({"key": key, "facts": index.facts[path].as_json()})
            lines.append(line)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
        tmp.replace(self.path)


_DECODER = json.JSONDecoder()
KEY_AT = ': {"key": "'  # how the value of each line starts (save() writes "key" first)


def _read(path: Path) -> dict[str, tuple[str, str, int]]:
    """Each file's (key, its line, where the line's value starts); nothing when the cache is
    missing or not one file a line. The lines are parsed when their file's facts are asked for:
    parsing the whole file at once held every file's facts as lists (the pointer rows some 10
    lists and strings a pointer) until the index was made, and the heap they left behind stayed
    with the process (at 10,000 documents it peaked near 920 MB and held 636 MB after the checks)."""
    lines: dict[str, tuple[str, str, int]] = {}
    try:
        with open(path, encoding="utf-8", newline="\n") as text:
            for line in text:
                if not line.startswith('"'):
                    continue
                line = line.rstrip("\n")
                line = line[:-1] if line.endswith(",") else line
                try:
                    name, end = _DECODER.raw_decode(line)
                except ValueError:
                    continue
                if isinstance(name, str) and line.startswith(KEY_AT, end):
                    key_end = line.find('"', end + len(KEY_AT))
                    lines[name] = (line[end + len(KEY_AT):key_end], line, end + 2)
    except (OSError, UnicodeDecodeError):
        return {}
    return lines


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, check_circular=False)
