"""Reference integrity across the corpus: pointers resolve, ids are unique, entries are used."""

from __future__ import annotations

from typing import Iterator


from tei_edition.names import XML_ID
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Spot
from tei_edition.model.index import ENTITY_KINDS, NOT_SHARED, Index, Target, Unresolved, is_bare
from tei_edition.rules import Levels, default_severity


def check_references(index: Index, levels: Levels | None = None) -> Iterator[Diagnostic]:
    """Every pointer that leads nowhere (or to several places); with `levels`, the rules an
    edition turned off everywhere are not even located (a corpus may have thousands)."""
    levels = levels or Levels()
    off: dict[str, bool] = {}
    for p in index.pointers:
        target = p.target
        if target.__class__ is not Unresolved:
            continue
        skip = off.get(target.rule)
        if skip is None:
            skip = off[target.rule] = levels.off_everywhere(target.rule)
        if not skip:
            line, col = p.locate()
            yield Diagnostic(p.doc.display, line, col, default_severity(target.rule) or "error",
                             f"<{p.spot.name} {p.attribute}>: {target.message}", target.rule, target.hint)
    if levels.wanted("ref-bare"):
        yield from _bare_ids(index)


def _bare_ids(index: Index) -> Iterator[Diagnostic]:
    """Bare ids that resolve (ref="pmb2881"): the strict TEI form is "#pmb2881"."""
    for p in index.pointers:
        value = p.value
        if p.target.__class__ is Target and p.attribute not in NOT_SHARED and is_bare(value) and p.target.id == value:
            line, col = p.locate()
            strict = f"#{value}" if p.target.doc is p.doc or p.target.doc.role != "source" \
                else p.target.doc.path.name
            yield Diagnostic(p.doc.display, line, col, default_severity("ref-bare") or "warning",
                             f'<{p.spot.name} {p.attribute}>: bare id "{value}" resolves to {p.target.doc.display}; '
                             f'the strict TEI form is "{strict}"', "ref-bare",
                             f'write {p.attribute}="{strict}" (a bare token is a relative URI by the letter of TEI)')


def check_duplicate_ids(index: Index) -> Iterator[Diagnostic]:
    """An xml:id is unique within its document (XML's rule); across files, only what makes a
    pointer ambiguous is reported: two register entries, or documents, with the same id."""
    for doc in index.corpus.documents:
        first: dict[str, list] = {}
        for held in index.facts[str(doc.path)].ids:
            earlier = first.setdefault(held[0], held)
            if earlier is held:
                continue
            ident, line, name, ordinal = held
            first_line, _ = doc.locate_spot(Spot(*earlier[1:]), XML_ID)
            line, col = doc.locate_spot(Spot(line, name, ordinal), XML_ID)
            yield Diagnostic(doc.display, line, col, "error",
                             f'xml:id "{ident}" is already used at {doc.display}:{first_line}, in the same document',
                             "id-duplicate", "give each element of a document its own xml:id")
    for ident, holders in index.scope.items():
        named = [(doc, spot) for doc, spot in holders if spot.name == "TEI" or spot.name in ENTITY_KINDS]
        if len(named) < 2:
            continue
        first_doc, first_spot = named[0]
        first_line, _ = first_doc.locate_spot(first_spot, XML_ID)
        for doc, spot in named[1:]:
            line, col = doc.locate_spot(spot, XML_ID)
            yield Diagnostic(doc.display, line, col, "error",
                             f'xml:id "{ident}" is also an entry or document id in {first_doc.display}:{first_line}: '
                             f'"#{ident}" from another document cannot tell which is meant',
                             "id-ambiguous", "give one of them another xml:id (entries of different registers, and "
                             "documents, need different ids)")
    for doc in index.corpus.sources:
        for ident, line, name, ordinal in index.facts[str(doc.path)].ids:
            entity = index.entities.get(ident)
            if entity is None or name in ENTITY_KINDS or name == "TEI":
                continue
            at, _ = entity.doc.locate_spot(entity.spot, XML_ID)
            line, col = doc.locate_spot(Spot(line, name, ordinal), XML_ID)
            yield Diagnostic(doc.display, line, col, "error",
                             f'xml:id "{ident}" of this <{name}> is also the id of the register entry at '
                             f'{entity.doc.display}:{at}: "#{ident}" in this document means the <{name}>',
                             "id-shadow", "give the element another xml:id, so that #id pointers in this document "
                             "reach the register entry")


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
