"""A register entry's card: the one description of an entry every output shows (docs/semantic-layer.md).

    <entity id kind type href when from to notBefore notAfter birth death birth-place death-place>
      <name type="main|original|alt|..." lang="zh-Hans">...</name>+
      <author>...</author>                  documents: the author as written
      <idno type="wikidata" url="https://..." label="Wikidata">Q5816</idno>*   authority identifiers
    </entity>

birth/death are ISO dates (model.facts.life_date: @when, else @from, @notBefore, @notAfter, of the
element or its <date>), birth-place/death-place the place as written (model.facts.life_place);
@when/@from/@to/@notBefore/@notAfter are the entry's own (an event's span; a document's date
in @when). Names are only the elements that name an entry of that kind (NAME_ELEMENTS): a
<bibl> also holds the <orgName> of its issuer, which is not one of its names.
"""

from __future__ import annotations

from lxml import etree

from tei_edition.model.facts import (T, author_name, identifier_label, identifier_url, life_date, life_place,
                                     person_name, text_of)
from tei_edition.model.index import Entity
from tei_edition.names import XML_LANG

# The elements that name an entry, by kind (xslt/html/entry.xsl lists the same for the page).
NAME_ELEMENTS = {
    "person": {"persName", "name", "addName"},
    "place": {"placeName", "name", "geogName"},
    "organisation": {"orgName", "name"},
    "event": {"label", "name", "head"},
    "document": {"title"},
}


def entity_card(entity: Entity, href: str) -> etree._Element:
    el = entity.element
    card = etree.Element("entity", {"id": entity.id, "kind": entity.kind, "href": href, "type": el.get("type") or ""})
    for attr in ("when", "from", "to", "notBefore", "notAfter"):
        if el.get(attr):
            card.set(attr, el.get(attr))
    if entity.kind == "person":
        for tag in ("birth", "death"):
            value = life_date(el.find(f"{T}{tag}"))
            if value:
                card.set(tag, value)
            place = life_place(el.find(f"{T}{tag}"))
            if place:
                card.set(f"{tag}-place", place)
    if entity.kind == "document":
        date = el.find(f"{T}date")
        if date is not None and (date.get("when") or date.get("from")):
            card.set("when", date.get("when") or date.get("from"))
        author = el.find(f"{T}author")
        if author is not None:
            etree.SubElement(card, "author").text = author_name(author)
    names = [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname in NAME_ELEMENTS.get(entity.kind, ())]
    main_label = entity.label
    for c in names:
        name = etree.SubElement(card, "name")
        name.text = person_name(c) if etree.QName(c).localname == "persName" else text_of(c)
        kind = c.get("type") or ("main" if text_of(c) == main_label else "")
        if kind:
            name.set("type", kind)
        lang = c.get(XML_LANG)
        if lang:
            name.set("lang", lang)
    if not names:
        etree.SubElement(card, "name", {"type": "main"}).text = main_label or entity.id
    for idno in el.iterfind(f"{T}idno"):
        found = etree.SubElement(card, "idno", {"type": idno.get("type") or ""})
        found.text = text_of(idno)
        url = identifier_url(idno)
        if url:
            found.set("url", url)
        label = identifier_label(idno)
        if label:
            found.set("label", label)
    return card
