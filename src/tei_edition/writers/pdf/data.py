"""What the print stylesheets are told about the corpus, as small XML parameters.

The index knows the whole corpus; a stylesheet renders one document at a time. Here the index
is turned into the `$site` parameter of xslt/common/functions.xsl (pointer tokens → register
cards) and into the order in which documents are bound in the volume. Pointers are always
resolved through `Index`, never by string manipulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from lxml import etree

from tei_edition.names import TEI_NS, XML_LANG
from tei_edition.model.corpus import Document
from tei_edition.model.index import Entity, Index

T = f"{{{TEI_NS}}}"
NAME_ELEMENTS = {"persName", "placeName", "orgName", "label", "title", "name"}


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def entity_card(entity: Entity) -> etree._Element:
    """<entity id kind when from to birth death><name type lang>...</name>*</entity>"""
    el = entity.element
    card = etree.Element("entity", id=entity.id, kind=entity.kind, type=el.get("type") or "")
    for attr in ("when", "from", "to", "notBefore", "notAfter"):
        if el.get(attr):
            card.set(attr, el.get(attr))
    for life, attr in (("birth", "when"), ("death", "when")):
        found = el.find(f"{T}{life}")
        if found is not None and found.get(attr):
            card.set(life, found.get(attr))
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).localname in NAME_ELEMENTS:
            name = etree.SubElement(card, "name")
            name.text = _text(child)
            if child.get("type"):
                name.set("type", child.get("type"))
            if child.get(XML_LANG):
                name.set("lang", child.get(XML_LANG))
    if not len(card):
        etree.SubElement(card, "name").text = entity.label
    return card


def site_for(index: Index, docs: Iterable[Document], extra: Iterable[str] = ()) -> etree._ElementTree:
    """The `$site` parameter for stylesheets rendering `docs`: their pointers and the cards of
    every entry they lead to (plus the entries named in `extra`)."""
    site = etree.Element("site")
    wanted: dict[str, None] = dict.fromkeys(extra)
    seen_tokens: set[str] = set()
    for doc in docs:
        for token, entity_id in index.pointer_map(doc).items():
            wanted.setdefault(entity_id, None)
            if token not in seen_tokens:  # first document wins; bare #ids mean the same everywhere
                seen_tokens.add(token)
                etree.SubElement(site, "pointer", token=token, entity=entity_id)
    for entity_id in wanted:
        entity = index.entities.get(entity_id)
        if entity is not None:
            site.append(entity_card(entity))
    return site.getroottree()


@dataclass(frozen=True)
class BoundDocument:
    """A document as bound in the volume: its place in the order and its heading."""

    doc: Document
    date: str

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def anchor(self) -> str:
        return f"#doc--{self.doc.id}"


def document_date(doc: Document) -> str:
    """The ISO date a document is ordered by: its setting's date, else the first dated element."""
    candidates = list(doc.root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}settingDesc/{T}setting/{T}date"))
    candidates += list(doc.root.iterfind(f"{T}text//{T}date"))
    for el in candidates:
        value = el.get("when") or el.get("from") or el.get("notBefore")
        if value:
            return value
    return ""


def bound_documents(index: Index) -> list[BoundDocument]:
    """The documents in the order of the volume: by date (undated last), then title, then id."""
    docs = [BoundDocument(d, document_date(d)) for d in index.corpus.sources]
    return sorted(docs, key=lambda b: (b.date == "", b.date, b.doc.title, b.doc.id))
