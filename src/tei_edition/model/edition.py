"""The semantic layer: what the edition states, as small XML parameters for every output's stylesheets.

The `Index` answers questions about the whole corpus; the stylesheets see one page or chapter
at a time. This module turns the index and the facts of each document (model/facts.py: one rule
per fact) into the slice each page needs: the pointer tokens of one document mapped to register
entries, a card per entry (model/cards.py: names, dates, identifiers), what a document states
(title, date, place, meeting, roles, correspondents), the mentions of one entry with roles,
previous/next documents by date, the edition's title, licence and citation. The web pages
(writers/html) and the print volume (writers/pdf) are laid out from the same elements, so they
cannot disagree. The vocabulary, one element at a time:

    <site>                                          the parameter $site of every stylesheet
      <edition title subtitle version publisher date year idno licence licence-url
               build-date pipeline-version><editor/>* <licence target/>*</edition>
      <pointer token entity/>*                      pointer token → register entry
      <entity .../>*                                a card (model/cards.py)
      <document id href source title from to date-text place place-label place-href
                event event-label event-href type>  a document as lists show it; its own page
        <date when from to notBefore notAfter source/>   and print chapter also get these
        <place ref/> <role name><who ref/>+</role>* <sent/> <received/>     children
        <context direction target href title correspondence name/>*     (model/letters.py)
        <source/>                                   its manuscript, witnesses, hands (model/sources.py)
      </document>                                   (Site.document_facts)
      <letter action .../>*                         an entry's letters; the chronology's letters
    </site>

See docs/semantic-layer.md for what each element and attribute means; page addresses are in
model/addresses.py.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from tei_edition import __version__
from tei_edition.model.addresses import (KIND_FOLDERS, DocumentInfo, document_page_name, href_of)
from tei_edition.model.cards import entity_card
from tei_edition.model.corpus import Document
from tei_edition.model.describe import describe, entity_of
from tei_edition.model.facts import edition_facts
from tei_edition.model.index import Entity, Index, Mention, Target, Unresolved
from tei_edition.model.letters import context_elements, correspondents, is_letter, letters_by_correspondent
from tei_edition.model.sources import source_element
from tei_edition.runtime.epoch import build_day

@dataclass
class Site:
    """The site's cross-document facts, built once from the index."""

    index: Index
    documents: list[DocumentInfo] = field(default_factory=list)

    def __post_init__(self):
        self.documents = sorted((describe(self.index, d) for d in self.index.corpus.sources), key=lambda i: i.sort_key)
        # Two documents may share an id (validation reports duplicate xml:ids; files without
        # one are named by their file name): later ones get "-2", "-3" so no page is overwritten.
        taken: dict[str, int] = {}
        for info in sorted(self.documents, key=lambda i: str(i.doc.path)):
            name = document_page_name(info.doc.id)
            taken[name.casefold()] = taken.get(name.casefold(), 0) + 1
            info.page = name + (f"-{taken[name.casefold()]}" if taken[name.casefold()] > 1 else "")

    # -- facts ----------------------------------------------------------------------------------

    def entity_of(self, doc: Document, name: dict) -> str | None:
        """The register entry a name of model.facts leads to: its first pointer that resolves."""
        return entity_of(self.index, doc, name)

    @cached_property
    def by_doc(self) -> dict[str, DocumentInfo]:
        return {str(i.doc.path): i for i in self.documents}

    @cached_property
    def entry_pointers(self) -> dict[str, dict[str, str]]:
        """Pointer tokens → entity ids, for each register entry (keyed by its id)."""
        grouped: dict[str, dict[str, str]] = defaultdict(dict)
        for doc in self.index.corpus.registers:
            for p in self.index.pointers_in(doc):
                target = getattr(p.target, "id", None)
                if target in self.index.entities and p.entry:
                    grouped[p.entry][p.value] = target
        return grouped

    @cached_property
    def letters_of(self) -> dict[str, list[tuple[str, DocumentInfo]]]:
        """Register entry → ("sent"|"received", letter) for every letter it sent or received."""
        return letters_by_correspondent(self)

    @cached_property
    def letters(self) -> list[DocumentInfo]:
        """The documents with correspDesc/correspAction sent or received, in date order."""
        return [info for info in self.documents if is_letter(self, info)]

    @cached_property
    def document_order(self) -> dict[str, int]:
        return {str(info.doc.path): i for i, info in enumerate(self.documents)}

    @cached_property
    def documents_of_entity(self) -> dict[str, set[str]]:
        """Entity id → paths of the documents (sources) that mention it."""
        found: dict[str, set[str]] = defaultdict(set)
        for ident, mentions in self.index.mentions.items():
            for m in mentions:
                if m.doc.role == "source":
                    found[ident].add(str(m.doc.path))
        return found

    def events_of_entity(self, ident: str) -> list[str]:
        """Related events: events whose register entry names the entity, and the meetings of
        the documents that mention it (found for one entity at a time: a rebuild asks for few)."""
        if ident not in self._events:
            related: set[str] = set()
            for m in self.index.mentions.get(ident, ()):
                if m.doc.role == "register":
                    holder = m.entry
                    if holder and self.index.entities[holder].kind == "event" and holder != ident:
                        related.add(holder)
                elif m.doc.role == "source":
                    info = self.by_doc.get(str(m.doc.path))
                    if info and info.event and info.event != ident:
                        related.add(info.event)
            self._events[ident] = sorted(related, key=self.entity_sort_date)
        return self._events[ident]

    @cached_property
    def _events(self) -> dict[str, list[str]]:
        return {}

    def entity_sort_date(self, ident: str):
        el = self.index.entities[ident].element
        date = el.get("when") or el.get("from") or el.get("notBefore") or el.get("notAfter") or ""
        return (date == "", date, ident)

    def entity_href(self, entity: Entity) -> str:
        return href_of(KIND_FOLDERS[entity.kind], entity.id)

    # -- XML for the stylesheets ------------------------------------------------------------------

    def edition_element(self) -> etree._Element:
        """Title, version, licence, publisher of the edition (model.facts.edition_facts):

        <edition title subtitle version publisher date year idno licence licence-url build-date
                 pipeline-version><editor/>* <licence target="...">text</licence>*</edition>
        @licence/@licence-url: the first licence, its target only when it may be a link."""
        header = self.index.corpus.header
        built = build_day()
        # a citation's year: of the publication date, else of this build (SOURCE_DATE_EPOCH fixes it)
        out = etree.Element("edition", {"build-date": built, "pipeline-version": __version__, "year": built[:4]})
        if header is None:
            out.set("title", "TEI edition")
            return out
        facts = edition_facts(header.root)
        out.set("title", facts["title"] or header.id)
        for name in ("subtitle", "version", "publisher", "date", "year", "idno"):
            if name in facts:
                out.set(name, facts[name])
        if facts["licences"]:
            text, target = facts["licences"][0]
            out.set("licence", text)
            if re.match(r"(https?|mailto):", target):  # never a javascript: or data: link on every page
                out.set("licence-url", target)
        for editor in facts["editors"]:
            etree.SubElement(out, "editor").text = editor
        for text, target in facts["licences"]:
            etree.SubElement(out, "licence", {"target": target} if target else {}).text = text
        return out

    def card(self, entity: Entity) -> etree._Element:
        """A short description of a register entry: names, dates, type, address (a fresh copy:
        callers rename and extend it)."""
        made = self._cards.get(entity.id)
        if made is None:
            made = self._cards[entity.id] = self._card(entity)
        return _fresh(made)

    @cached_property
    def _cards(self) -> dict[str, etree._Element]:
        return {}

    def forget_elements(self) -> None:
        """Let go of the cards, list items and related events kept for the pages (lxml
        elements: some 20 MB at 2,000 documents); made again if asked for."""
        for name in ("_cards", "_items", "_events"):
            self.__dict__.pop(name, None)

    def _card(self, entity: Entity) -> etree._Element:
        return entity_card(entity, self.entity_href(entity))

    def pointer_slice(self, doc: Document, within: str | None = None) -> etree._Element:
        """The pointers of `doc` (or of one register entry in it, by id) with the cards they lead
        to; pointers to another document of the edition with its page; the tokens that lead
        nowhere (the index decided: pages show them as marked text)."""
        site = etree.Element("site")
        if within is not None:
            # only the pointers inside one register entry, grouped once for all entries
            pmap = self.entry_pointers.get(within, {})
            pointers = [p for p in self.index.pointers_in(doc) if p.entry == within]
        else:
            pmap = self.index.pointer_map(doc)
            pointers = self.index.pointers_in(doc)
        for token in sorted(pmap):
            etree.SubElement(site, "pointer", {"token": token, "entity": pmap[token]})
        pages, unresolved = {}, set()
        for p in pointers:
            if p.value in pmap:
                continue
            if isinstance(p.target, Unresolved):
                unresolved.add(p.value)
            elif isinstance(p.target, Target) and p.target.doc is not doc:
                info = self.by_doc.get(str(p.target.doc.path))
                if info is not None and (p.target.id is None or p.target.id == info.doc.id):
                    pages[p.value] = info.href  # a whole document of the edition: its page
        for token in sorted(pages):
            etree.SubElement(site, "pointer", {"token": token, "document": pages[token]})
        for token in sorted(unresolved):
            etree.SubElement(site, "unresolved", {"token": token})
        for ident in sorted(set(pmap.values())):
            site.append(self.card(self.index.entities[ident]))
        return site

    def document_list_item(self, info: DocumentInfo) -> etree._Element:
        """A document as lists show it (a fresh copy: callers rename and extend it)."""
        made = self._items.get(str(info.doc.path))
        if made is None:
            made = self._items[str(info.doc.path)] = self._document_list_item(info)
        return _fresh(made)

    @cached_property
    def _items(self) -> dict[str, etree._Element]:
        return {}

    def _document_list_item(self, info: DocumentInfo) -> etree._Element:
        item = etree.Element("document", {"id": info.id, "href": info.href, "source": info.source_href,
                                          "from": info.date_from, "to": info.date_to, "title": info.doc.title})
        if info.date_text:
            item.set("date-text", info.date_text)
        for attr, ident in (("place", info.place), ("event", info.event)):
            if ident:
                entity = self.index.entities[ident]
                item.set(attr, ident)
                item.set(f"{attr}-label", entity.label)
                item.set(f"{attr}-href", self.entity_href(entity))
                if attr == "event" and entity.element.get("type"):
                    item.set("type", entity.element.get("type"))
        for action, entities in correspondents(self, info).items():  # a letter (model/letters.py)
            if entities:
                item.set(LETTER_ATTRIBUTES[action], " ".join(entities))
        return item


    def document_facts(self, info: DocumentInfo) -> etree._Element:
        """A document as its own page and its print chapter state it: the list item with what the
        document says of itself as children (date, place, roles in text order, correspondents)."""
        item = self.document_list_item(info)
        facts = self.index.facts[str(info.doc.path)].listing
        doc = info.doc
        if facts["date"] is not None:
            etree.SubElement(item, "date", {"source": facts["date"]["source"], **facts["date"]["attributes"]}
                             ).text = facts["date"]["text"]
        setting_place = facts["setting_place"]
        if info.place or setting_place:
            place = etree.SubElement(item, "place", {"ref": info.place} if info.place else {})
            sent = (facts["correspondence"].get("sent") or {}).get("places", ())
            written = [n["text"] for n in sent if self.entity_of(doc, n) == info.place]
            place.text = setting_place["text"] if setting_place else (written or [self.index.entities[info.place].label])[0]
        groups: dict[str, dict[str, None]] = {}
        for role, name in facts["roles"]:
            entity = self.entity_of(doc, name)
            if entity is not None:
                groups.setdefault(role, {}).setdefault(entity, None)
        for role, people in groups.items():
            group = etree.SubElement(item, "role", name=role)
            for entity in people:
                etree.SubElement(group, "who", ref=entity)
        for kind, action in facts["correspondence"].items():
            out = etree.SubElement(item, kind)
            for tag, names in (("who", action["names"]), ("place", action["places"])):
                for name in names:
                    entity = self.entity_of(doc, name)
                    etree.SubElement(out, tag, {"ref": entity} if entity else {}).text = name["text"]
            if action["date"] is not None and action["date"]["attributes"]:
                etree.SubElement(out, "date", action["date"]["attributes"]).text = action["date"]["text"]
        item.extend(context_elements(self, info))
        source = source_element(self.index.facts[str(doc.path)].source, lambda tokens: self._scribe(doc, tokens))
        if source is not None:
            item.append(source)
        return item

    def _scribe(self, doc: Document, tokens: list[str]) -> tuple[str, str] | None:
        """The register entry a hand's scribe pointers lead to: (id, name)."""
        found = (self.index.entity_for(doc, t) for t in tokens)
        entity = next((e for e in found if e is not None), None)
        return (entity.id, entity.label) if entity is not None else None

    # -- page slices ----------------------------------------------------------------------------

    def add_entry_facts(self, data: etree._Element, entity: Entity) -> None:
        """What a register entry's page shows besides the entry: where it appears (documents with
        roles, other register entries) and related events."""
        data.append(_renamed(self.card(entity), "this"))
        by_doc: dict[Document, list[Mention]] = defaultdict(list)  # (a Document is hashed by identity)
        entries: dict[str, None] = {}
        for m in self.index.mentions.get(entity.id, []):
            if m.doc.role == "source":
                by_doc[m.doc].append(m)
            elif m.doc.role == "register":
                holder = m.entry
                if holder and holder != entity.id:
                    entries.setdefault(holder, None)
        in_order = sorted((self.document_order[str(doc.path)], str(doc.path), doc) for doc in by_doc)
        for _, path, doc in in_order:  # in date order
            info, mentions = self.by_doc[path], by_doc[doc]
            item = _renamed(self.document_list_item(info), "mention")
            roles = sorted({m.role for m in mentions if m.role})
            if roles:
                item.set("roles", " ".join(roles))
            item.set("count", str(sum(not m.in_header for m in mentions)))
            data.append(item)
        for action, info in self.letters_of.get(entity.id, ()):  # the letters it sent or received
            letter = _renamed(self.document_list_item(info), "letter")
            letter.set("action", action)
            data.append(letter)
        known = {e.get("id") for e in data.iterfind("entity")}
        for holder in sorted(entries):
            etree.SubElement(data, "entry-mention", ref=holder)
        events = self.events_of_entity(entity.id)
        for ident in events:
            etree.SubElement(data, "related-event", ref=ident)
        wanted = sorted(set(entries) | set(events))
        for ident in wanted:
            if ident not in known:
                data.append(self.card(self.index.entities[ident]))

    def add_listing(self, data: etree._Element, path: str) -> None:
        """The lists a site-wide page shows: documents (home), events (chronology), register
        entries (register lists), counts (registers overview)."""
        data.set("page", path)
        docs_of = self.documents_of_entity
        if path in ("index.html", "chronology.html"):
            for info in self.documents:
                data.append(self.document_list_item(info))
        if path == "chronology.html":
            timeline = []
            for ident in sorted((e.id for e in self.index.entities.values() if e.kind == "event"),
                                key=self.entity_sort_date):
                card = self.card(self.index.entities[ident])
                card.tag = "event"
                for path in sorted(docs_of.get(ident, ()), key=self.document_order.__getitem__):
                    info = self.by_doc[path]
                    etree.SubElement(card, "in", ref=info.id, href=info.href, title=info.doc.title)
                timeline.append((self.entity_sort_date(ident)[:2], card))
            # letters (in the edition's order) go after the events of their date (a stable sort)
            timeline += [((info.date_from == "", info.date_from), _renamed(self.document_list_item(info), "letter"))
                         for info in self.letters]
            data.extend(el for _, el in sorted(timeline, key=lambda pair: pair[0]))
        for kind, folder in KIND_FOLDERS.items():
            entities = [e for e in self.index.entities.values() if e.kind == kind]
            if path == "registers.html":
                etree.SubElement(data, "register", kind=kind, href=f"{folder}/index.html", count=str(len(entities)))
            elif path == f"{folder}/index.html":
                data.set("kind", kind)
                for e in sorted(entities, key=lambda e: (_sort_name(e.label), e.id)):
                    card = _renamed(self.card(e), "entry")
                    card.set("documents", str(len(docs_of.get(e.id, ()))))
                    data.append(card)


LETTER_ATTRIBUTES = {"sent": "sender", "received": "addressee"}  # a list item's correspondents


def _sort_name(label: str) -> str:
    return " ".join(label.split()).casefold()


def _fresh(el: etree._Element) -> etree._Element:
    """A copy of `el` and all it holds: lxml's copy is deep. (copy.deepcopy gives the same, with
    Python's memo around it: a third of the time of the slices of a large edition's pages.)"""
    return copy.copy(el)


def _renamed(el: etree._Element, tag: str) -> etree._Element:
    el.tag = tag
    return el
