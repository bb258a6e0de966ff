"""The persistent index cache: each document's index facts, kept between builds.

A rebuild reads the facts of every unchanged file from <output>/.cache/index.json instead of
parsing it: only the files whose bytes changed (SHA-256) are parsed and indexed again. The key
also holds the file's role and the source of the code that extracts the facts, so a new
version of the pipeline never reuses facts taken by an older one. A file that had problems
when it was loaded (not well-formed, XInclude, ...) is never cached: it is parsed every time,
so its problems are reported every time.
"""

from __future__ import annotations

from pathlib import Path

from .cache import Store, code_digest, digest, file_digest
from .corpus import Document
from .diagnostics import Diagnostic
from .index import DocFacts, Index

FACT_CODE = ("index.py", "corpus.py", "xmlparse.py", "fact_cache.py",
             "validate/header.py", "validate/xmlmodel.py", "validate/dates.py")


class FactCache:
    def __init__(self, output: Path):
        self.store = Store(output, "index")
        self.basis = code_digest(*FACT_CODE)
        self._keys: dict[tuple[str, str], str] = {}

    def key(self, path: Path, role: str) -> str:
        if (str(path), role) not in self._keys:
            self._keys[str(path), role] = digest(self.basis, role, file_digest(path))
        return self._keys[str(path), role]

    def has(self, path: Path, role: str) -> bool:
        """True when the facts of this file, as it is now, are in the cache."""
        entry = self.store.data.get(str(path))
        return isinstance(entry, dict) and entry.get("key") == self.key(path, role)

    def get(self, doc: Document) -> DocFacts | None:
        if not self.has(doc.path, doc.role):
            return None
        try:
            return DocFacts(**self.store.data[str(doc.path)]["facts"])
        except TypeError:  # a cache from another layout of the facts
            return None

    def save(self, index: Index, problems: list[Diagnostic]) -> None:
        """Keep the facts of every file that loaded without problems (not rewritten when
        nothing changed: writing the facts of 10,000 documents takes seconds)."""
        troubled = {d.path for d in problems}
        keep = {str(d.path): d for d in index.corpus.documents if d.display not in troubled}
        keys = {path: self.key(Path(path), doc.role) for path, doc in keep.items()}
        previous = self.store.data
        if keys.keys() == previous.keys() and all(previous[p].get("key") == k for p, k in keys.items()):
            return
        # the facts are plain lists and dicts already: vars() is enough for JSON
        self.store.save({path: {"key": keys[path], "facts": vars(index.facts[path])} for path in keep})
