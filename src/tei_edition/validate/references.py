"""Reference integrity across the corpus: pointers resolve, ids are unique, entries are used."""

from __future__ import annotations

from typing import Iterator


from tei_edition.names import XML_ID
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Spot
from tei_edition.model.index import Index, Unresolved


def check_references(index: Index) -> Iterator[Diagnostic]:
    for p in index.pointers:
        if isinstance(p.target, Unresolved):
            line, col = p.locate()
            yield Diagnostic(p.doc.display, line, col, "error",
                             f"<{p.spot.name} {p.attribute}>: {p.target.message}",
                             p.target.rule, p.target.hint)


def check_duplicate_ids(index: Index) -> Iterator[Diagnostic]:
    for ident, holders in index.ids.items():
        if len(holders) < 2:
            continue
        first_doc, first_spot = holders[0]
        first_line, _ = first_doc.locate_spot(first_spot, XML_ID)
        for doc, spot in holders[1:]:
            line, col = doc.locate_spot(spot, XML_ID)
            yield Diagnostic(doc.display, line, col, "error",
                             f'xml:id "{ident}" is already used at {first_doc.display}:{first_line}',
                             "id-duplicate", "give each element a unique xml:id across the whole edition")


def check_unused_entries(index: Index) -> Iterator[Diagnostic]:
    for ident, entity in index.entities.items():
        if not index.mentions.get(ident):
            line, col = entity.doc.locate_spot(entity.spot, XML_ID)
            yield Diagnostic(entity.doc.display, line, col, "warning",
                             f'register entry "{ident}" ({entity.label}) is not referenced by any document',
                             "register-unused", "point to it from a text, or remove the entry")


def check_prefix_defs(index: Index) -> Iterator[Diagnostic]:
    import re

    for doc in index.corpus.documents:
        for match, line, ordinal in index.facts[str(doc.path)].prefix_defs:
            try:
                re.compile(match)
            except re.error as exc:
                line, col = doc.locate_spot(Spot(line, "prefixDef", ordinal), "matchPattern")
                yield Diagnostic(doc.display, line, col, "error", f"prefixDef matchPattern is not a valid regular expression: {exc}",
                                 "prefixdef-pattern", "write a regular expression with groups for $1..$9")
