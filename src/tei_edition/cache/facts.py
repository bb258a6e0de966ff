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
from tei_edition.runtime.gc_pause import gc_paused
from tei_edition.model.index import DocFacts, Index

class FactCache:
    def __init__(self, output: Path):
        self.path = Path(output) / ".cache" / "index.json"
        self.data, self._lines = _read(self.path)
        self.basis = code_key("facts")
        self._keys: dict[tuple[str, str], str] = {}

    def key(self, path: Path, role: str) -> str:
        if (str(path), role) not in self._keys:
            self._keys[str(path), role] = digest(self.basis, role, file_digest(path))
        return self._keys[str(path), role]

    def has(self, path: Path, role: str) -> bool:
        """True when the facts of this file, as it is now, are in the cache."""
        entry = self.data.get(str(path))
        return isinstance(entry, dict) and entry.get("key") == self.key(path, role)

    def get(self, doc: Document) -> DocFacts | None:
        if not self.has(doc.path, doc.role):
            return None
        try:
            return DocFacts(**self.data[str(doc.path)]["facts"])
        except TypeError:  # a cache from another layout of the facts
            return None

    def save(self, index: Index, problems: list[Diagnostic]) -> None:
        """Keep the facts of every file that loaded without problems (not rewritten when
        nothing changed; the line of a file whose facts came from the cache is copied)."""
        troubled = {d.path for d in problems}
        keep = {str(d.path): d for d in index.corpus.documents if d.display not in troubled}
        keys = {path: self.key(Path(path), doc.role) for path, doc in keep.items()}
        previous = self.data
        if keys.keys() == previous.keys() and all(_key_of(previous[p]) == k for p, k in keys.items()):
            return
        lines = []
        for path, key in keys.items():
            line = self._lines.get(path) if _key_of(previous.get(path)) == key else None
            if line is None:  # the facts are plain lists and dicts already
                line = _dumps(path) + ": " + _dumps({"key": key, "facts": index.facts[path].as_json()})
            lines.append(line)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
        tmp.replace(self.path)


def _read(path: Path) -> tuple[dict, dict[str, str]]:
    """The cache's entries, and the text of each (its line, when written one file a line);
    nothing when the file is missing or damaged."""
    try:
        text = path.read_text(encoding="utf-8")
        with gc_paused():  # millions of small lists, all kept
            data = json.loads(text)
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict):
        return {}, {}
    lines, decoder = {}, json.JSONDecoder()
    for line in text.split("\n"):  # json.dumps escapes every newline inside a string
        if line.startswith('"'):
            name, end = decoder.raw_decode(line)
            lines[name] = line[:-1] if line.endswith(",") else line
    return data, lines


def _key_of(entry) -> str | None:
    return entry.get("key") if isinstance(entry, dict) else None


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, check_circular=False)
