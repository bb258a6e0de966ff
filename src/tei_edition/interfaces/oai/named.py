"""The register entries an OAI record names: what its oai_dc lists and what its key is made of."""

from __future__ import annotations

import weakref

from lxml import etree

from tei_edition.cache.store import keeping
from tei_edition.model.corpus import Document
from tei_edition.model.index import Target
from tei_edition.writers.base import BuildContext


def named(ctx: BuildContext, doc: Document, targets: dict[int, object], holder) -> tuple[list, str]:
    """The entries `doc` names (`mentioned`), and their ids, kinds and the files each is written
    in (its label comes from there), as the record's key takes them. Kept with the index for the
    next build of a long-running process (edition serve), which updates the index in place: a
    document whose pointers are the same list object as then (its text did not change; a change
    to a register makes a new index) names the same entries."""
    if not keeping():  # a command-line build asks once per document
        found = mentioned(ctx, doc, targets)
        return found, "\n".join(f"{e.id}\0{e.kind}\0{holder(e.doc)}" for e in found)
    pointers = ctx.index.pointers_in(doc)
    memo = _NAMED.setdefault(ctx.index, {})
    known = memo.get(str(doc.path))
    if known is not None and known[0] is pointers:
        return known[1], known[2]
    found = mentioned(ctx, doc, targets)
    names = "\n".join(f"{e.id}\0{e.kind}\0{holder(e.doc)}" for e in found)
    memo[str(doc.path)] = (pointers, found, names)
    return found, names


_NAMED: "weakref.WeakKeyDictionary[object, dict[str, tuple[list, list, str]]]" = weakref.WeakKeyDictionary()


def mentioned(ctx: BuildContext, doc: Document, targets: dict[int, object]) -> list:
    """The entries (index.Entity) `doc` points to, each once, in order of first mention, but not
    those written in `doc` itself. `targets`: the entry (or None) of each resolved target seen,
    kept across the documents of one build (most pointers share their target object)."""
    found, seen = [], set()
    index = ctx.index
    entities = index.entities
    for pointer in index.pointers_in(doc):
        if pointer.in_list and pointer.value[:1] != "#":
            # the index may have taken a bare token in a back list as an entry: ask it as written
            entity = index.entity_for(doc, pointer.value, pointer.attribute)
        else:  # where the index resolved it (what entity_for() would resolve again)
            target = pointer.target
            entity = targets.get(id(target), targets)
            if entity is targets:
                entity = entities.get(target.id) if isinstance(target, Target) and target.id else None
                targets[id(target)] = entity
        if entity is not None and entity.id not in seen and entity.doc is not doc:
            seen.add(entity.id)
            found.append(entity)
    return found


def entities_element(named: list, labels: dict[str, str]) -> etree._Element:
    """<entities><entity id kind label/>…</entities> for the stylesheet; `labels` kept per build."""
    root = etree.Element("entities")
    for entity in named:
        label = labels.get(entity.id)
        if label is None:
            label = labels[entity.id] = entity.label
        etree.SubElement(root, "entity", id=entity.id, kind=entity.kind, label=label)
    return root
