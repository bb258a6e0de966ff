"""What the index takes of each file once: its ids, its pointers and what checks and lists read.

JSON-able, so a rebuild takes an unchanged file's facts from the cache instead of parsing it."""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass

from lxml import etree

from tei_edition.model.attributes import attributed
from tei_edition.model.check_facts import meeting_facts, xml_models
from tei_edition.model.corpus import Document, PrefixDef, spot_of
from tei_edition.model.facts import document_facts
from tei_edition.model.header import header_facts
from tei_edition.model.sources import source_description
from tei_edition.model.pointers import ATTRIBUTE_ORDER, ENTITY_KINDS, KEY_ATTRIBUTE, LIST_CONTAINERS, LISTS, T
from tei_edition.names import XML_ID


@dataclass
class DocFacts:
    """What the index needs of one document, taken from its tree once (and cacheable as JSON).

    ids: (xml:id, line, local name, ordinal); pointers: (line, local name, ordinal, attribute,
    token, @role, in teiHeader?, enclosing entry elements [(xml:id, line, name, ordinal)],
    the element's own xml:id when it is an entry element, in a register or back list?). Besides the index, the facts hold
    what the corpus-wide checks and the site's document lists read of every document, so that
    an unchanged document is not parsed at all in a rebuild.
    """

    id: str
    title: str
    prefixes: list
    prefix_defs: list
    ids: list
    pointers: list
    header_missing: dict  # field → [message, hint] (validate/header.py)
    header_at: list       # [line, column] of teiHeader, where those are reported
    xml_models: list      # [[line, {pseudo-attribute: value}]] (validate/xmlmodel.py)
    root_line: int
    listing: dict         # what the outputs state about the document (model/facts.document_facts)
    meetings: list        # the meetings its setting records (validate/dates.py)
    source: dict | None = None  # its manuscript, witnesses and hands (model/sources.source_description)

    @classmethod
    def of(cls, doc: Document) -> "DocFacts":
        root = doc.root
        header = root.find(f"{T}teiHeader")
        header_nodes = set(header.iter()) if header is not None else set()
        register = doc.role == "register"
        listed = set() if register else _back_list_nodes(root)
        spots: dict[etree._Element, tuple] = {}
        ids, pointers = [], []
        order = ATTRIBUTE_ORDER
        indexed = order.keys()
        for el, tag, line, n, attrib in attributed(root):
            ident = attrib.get(XML_ID)
            if ident is None and indexed.isdisjoint(attrib):
                continue  # (most elements: neither an id nor a pointer)
            spot = (line or 1, tag.rpartition("}")[2], n)
            if ident is not None:
                ids.append([ident, *spot])
                spots[el] = spot
            # the element's own attributes, once (probing all fifteen names is slow), in a fixed order
            found = [name for name in attrib if name in order]
            if not found:
                continue
            if len(found) > 1:
                found.sort(key=order.__getitem__)
            entries = []
            if register:
                entries = [[a.get(XML_ID), *spots[a]] for a in (el, *el.iterancestors())
                           if a in spots and ENTITY_KINDS.get(spots[a][1])]
            own = ident if ident is not None and ENTITY_KINDS.get(spot[1]) else None
            in_list = register or el in listed
            in_header = el in header_nodes
            role = attrib.get("role")
            for attribute in found:
                raw = attrib[attribute]
                for value in ([raw.strip()] if attribute == KEY_ATTRIBUTE else raw.split()):
                    if value:
                        pointers.append([*spot, attribute, value, role, in_header, entries, own, in_list])
        prefixes = [[p.ident, p.match.pattern, p.replacement] for p in doc.prefixes.values()]
        # every prefixDef anywhere, for the check of its pattern: (matchPattern, line, ordinal)
        prefix_defs = [[pd.get("matchPattern", ""), spot.line, spot.ordinal]
                       for spot, pd in ((spot_of(pd), pd) for pd in root.iter(f"{T}prefixDef"))]
        missing, header_at = header_facts(doc)
        models = [[node.sourceline or 1, attrs] for node, attrs in xml_models(doc)]
        return cls(doc.id, doc.title, prefixes, prefix_defs, ids, pointers, missing, header_at,
                   models, root.sourceline or 1, document_facts(root), meeting_facts(doc),
                   source_description(root))

    def pointer_rows(self) -> list:
        """The pointers as rows (see the class), packed or not."""
        return marshal.loads(self.pointers) if isinstance(self.pointers, bytes) else self.pointers

    def pack(self) -> None:
        """Keep the pointers as one marshal string once the index has made its Pointers of them
        (only the fact cache and a preview's update read them again, through pointer_rows()):
        a few bytes a pointer instead of a tuple and its items, some 40 MB at 2,000 documents."""
        if not isinstance(self.pointers, bytes):
            self.pointers = marshal.dumps(self.pointers)

    def as_json(self) -> dict:
        """The facts as plain lists and dicts (for the fact cache)."""
        return {**vars(self), "pointers": self.pointer_rows()}

    def prime(self, doc: Document) -> None:
        """Give `doc` the id, title and prefixDefs these facts hold, so that it need not be parsed."""
        doc.__dict__.setdefault("id", self.id)
        doc.__dict__.setdefault("title", self.title)
        doc.__dict__.setdefault("prefixes", {i: PrefixDef(i, re.compile(m), r) for i, m, r in self.prefixes})


def _back_list_nodes(root: etree._Element) -> set:
    """The elements of a document's back lists (back or standOff: listPerson, listPlace ...),
    where an edition copies the register entries the document mentions."""
    found: set = set()
    for container in root.iter(*(f"{T}{name}" for name in LIST_CONTAINERS)):
        for lst in container.iter(*(f"{T}{name}" for name in LISTS)):
            if lst not in found:
                found.update(lst.iter())
    return found

