"""What the print stylesheets are told about the corpus, as small XML parameters.

The index knows the whole corpus; a stylesheet renders one document at a time. Here the
semantic layer (model/edition.py `Site`: register cards, document facts, the edition) is turned
into the `$site` parameter of xslt/common/functions.xsl, and into the order in which documents
are bound in the volume, which is the order of the web edition's lists. Pointers are always
resolved through `Index`, never by string manipulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from lxml import etree

from tei_edition.model.corpus import Document
from tei_edition.model.edition import Site
from tei_edition.model.facsimile import has_facsimile, slice_element, surfaces
from tei_edition.model.index import Index


def site_for(index: Index, docs: Iterable[Document], extra: Iterable[str] = (),
             site: Site | None = None) -> etree._ElementTree:
    """The `$site` parameter for stylesheets rendering `docs`: their pointers and the cards of
    every entry they lead to (plus the entries named in `extra`), the edition's facts and, for
    each document of the edition among `docs`, what it states (Site.document_facts)."""
    site = site if site is not None else Site(index)
    out = etree.Element("site")
    out.append(site.edition_element())
    wanted: dict[str, None] = dict.fromkeys(extra)
    seen_tokens: set[str] = set()
    for doc in docs:
        for token, entity_id in index.pointer_map(doc).items():
            wanted.setdefault(entity_id, None)
            if token not in seen_tokens:  # first document wins; bare #ids mean the same everywhere
                seen_tokens.add(token)
                etree.SubElement(out, "pointer", token=token, entity=entity_id)
    for doc in docs:
        info = site.by_doc.get(str(doc.path)) if doc.role == "source" else None
        if info is not None:
            out.append(site.document_facts(info))
            if has_facsimile(doc):  # the print edition names each page's image (print/facsimile.xsl)
                out.append(slice_element(surfaces(doc)))
    for entity_id in wanted:
        entity = index.entities.get(entity_id)
        if entity is not None:
            out.append(site.card(entity))
    return out.getroottree()


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


def bound_documents(site: Site) -> list[BoundDocument]:
    """The documents in the order of the volume: the web edition's order (by date, undated
    last, then title and id; model/edition.py)."""
    return [BoundDocument(info.doc, info.date_from) for info in site.documents]
