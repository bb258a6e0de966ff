"""The files of a published folder, grouped by their first path part.

A site of 10,000 documents has some 720,000 files, most of them in a few top folders (the DTS
answers in `api/`, the search index in `pagefind/`). A rebuild that keeps a whole top folder, or
all but a few, need not look at each of its files: with the files grouped by top folder, keeping
one is a set operation on the group names, and a listing that did not change is the same object
(so a long-running process keeps it in memory instead of reading it again).
"""

from __future__ import annotations

from typing import Iterable, Iterator


def top(rel: str) -> str:
    """The first part of a relative path ("documents/a.html" → "documents"; a file at the root is
    its own group)."""
    return rel.partition("/")[0]


class Listing:
    """An immutable set of relative paths (with "/"), grouped by `top()`."""

    __slots__ = ("groups", "_size")

    def __init__(self, groups: dict[str, frozenset[str]]):
        self.groups = {name: files for name, files in groups.items() if files}
        self._size = sum(map(len, self.groups.values()))

    @classmethod
    def of(cls, rels: Iterable[str]) -> "Listing":
        return cls({name: frozenset(files) for name, files in grouped(rels).items()})

    def __contains__(self, rel: object) -> bool:
        return isinstance(rel, str) and rel in self.groups.get(top(rel), ())

    def __iter__(self) -> Iterator[str]:
        for files in self.groups.values():
            yield from files

    def __len__(self) -> int:
        return self._size

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Listing):
            return self.groups == other.groups
        if isinstance(other, (set, frozenset)):
            return len(other) == self._size and all(rel in self for rel in other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def issuperset(self, rels: Iterable[str]) -> bool:
        return all(rel in self for rel in rels)

    def count(self, names: Iterable[str]) -> int:
        """How many files the groups `names` hold."""
        return sum(len(self.groups.get(name, ())) for name in names)

    def changed(self, removed: dict[str, set[str]], added: dict[str, set[str]]) -> "Listing":
        """This listing without `removed` and with `added` (both grouped by top); the groups
        neither touches are shared, and with no change at all this listing itself."""
        touched = {name for name, files in removed.items() if files} | {
            name for name, files in added.items() if not files <= self.groups.get(name, frozenset())}
        if not touched:
            return self
        groups = dict(self.groups)
        for name in touched:
            groups[name] = self.groups.get(name, frozenset()).difference(removed.get(name, ())).union(added.get(name, ()))
        return Listing(groups)


def grouped(rels: Iterable[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rel in rels:
        name = top(rel)
        bucket = found.get(name)
        if bucket is None:
            bucket = found[name] = set()
        bucket.add(rel)
    return found
