"""How the site lists a document: its dates, place and meeting (DocumentInfo), from its facts.

Made from what the index took of each file (model/facts.py), never by parsing it again."""

from __future__ import annotations

import copy
import weakref

from tei_edition.cache.store import keeping
from tei_edition.model.addresses import DocumentInfo
from tei_edition.model.corpus import Document
from tei_edition.model.facts import date_span
from tei_edition.model.index import Index


def describe(index: Index, doc: Document) -> DocumentInfo:
    """A new DocumentInfo of `doc` (its page name is for the caller to set). Kept with the index
    for the next Site of a long-running process (edition serve), whose index is updated in
    place: a document whose facts are the same object is described alike (its facts are
    replaced when its text changes; a changed register makes a new index)."""
    facts = index.facts[str(doc.path)]
    if not keeping():  # a command-line build describes each document once
        return _described(index, doc, facts.listing)
    memo = _DESCRIBED.setdefault(index, {})
    known = memo.get(str(doc.path))
    if known is None or known[0] is not facts or known[1].doc is not doc:
        known = memo[str(doc.path)] = (facts, _described(index, doc, facts.listing))
    return copy.copy(known[1])


_DESCRIBED: "weakref.WeakKeyDictionary[Index, dict[str, tuple[object, DocumentInfo]]]" = weakref.WeakKeyDictionary()


def _described(index: Index, doc: Document, listing: dict) -> DocumentInfo:
    info = DocumentInfo(doc)  # the listing is taken from the tree by the index (model/facts.py)
    if listing["date"] is not None:
        info.date_from, info.date_to = date_span(listing["date"]["attributes"])
        info.date_text = listing["date"]["text"]
    for token in listing["setting_refs"]:
        entity = index.entity_for(doc, token)
        if entity is None:
            continue
        if entity.kind == "place" and info.place is None:
            info.place = entity.id
        if entity.kind == "event" and info.event is None:
            info.event = entity.id
    if info.place is None and not listing["setting_place"]:  # a letter: the place it was sent from
        sent = listing["correspondence"].get("sent") or {}
        found = [entity_of(index, doc, name) for name in sent.get("places", ())]
        info.place = next((e for e in found if e and index.entities[e].kind == "place"), None)
    return info


def entity_of(index: Index, doc: Document, name: dict) -> str | None:
    """The register entry a name of model.facts leads to: its first pointer that resolves."""
    for attribute, token in name["tokens"]:
        entity = index.entity_for(doc, token, attribute)
        if entity is not None:
            return entity.id
    return None
