"""Writes cmif.xml for an edition with letters: one correspDesc per TEI file with a correspDesc.

CMIF (TEI Correspondence SIG, v1 with the v2 `note/ref` extension) is a TEI file whose
profileDesc lists the letters of an edition: sender and addressee (persName/orgName), places and
dates of sending and receiving, each name with the URI of an authority file when its register
entry gives one (`ref`), and a link to the letter (`correspDesc/@ref`, its page in the web
edition). v2 adds the persons, places and organisations the letter mentions and its TEI file.

What each letter says comes from model/facts.py (`document_facts`: the correspondence fact),
resolved through the index as the pages resolve it; nothing here reads correspDesc itself.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from lxml import etree

from tei_edition.diagnostics import Diagnostic
from tei_edition.interfaces.oai.records import last_change
from tei_edition.model.corpus import Document
from tei_edition.model.edition import Site
from tei_edition.model.facts import edition_facts, identifier_label, identifier_url
from tei_edition.model.index import Entity
from tei_edition.names import TEI_NS
from tei_edition.runtime.epoch import build_day
from tei_edition.writers.base import BuildContext

T = f"{{{TEI_NS}}}"
CMIF_FILE = "cmif.xml"
CMIF_VOCAB = "https://lod.academy/cmif/vocab/terms/"
ISO_DATE = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")
# Which authority a name's ref prefers, by the kind of its register entry (identifier_label's names).
PREFERRED = {"place": ("GeoNames", "Wikidata", "GND", "PMB"), "person": ("GND", "VIAF", "Wikidata", "ORCID", "PMB"),
             "organisation": ("GND", "VIAF", "Wikidata", "PMB")}
NAME_ELEMENT = {"place": "placeName", "organisation": "orgName"}
MENTIONS = {"person": "mentionsPerson", "place": "mentionsPlace", "organisation": "mentionsOrganization"}


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{T}{name}", {k: v for k, v in attrs.items() if v})
    el.text = text or None
    return el


def authority(entity: Entity | None) -> str:
    """The authority URI of a register entry: the preferred authority for its kind, else its first
    identifier that is a URL; '' when it has none."""
    if entity is None:
        return ""
    urls = [(identifier_label(i), identifier_url(i)) for i in entity.element.iterfind(f"{T}idno")]
    urls = [(label, url) for label, url in urls if url]
    for wanted in PREFERRED.get(entity.kind, ()):
        for label, url in urls:
            if label == wanted:
                return url
    return urls[0][1] if urls else ""


class Letters:
    """The CMIF file of one build: resolves each letter's names as the pages do."""

    def __init__(self, ctx: BuildContext, site: Site):
        self.ctx, self.index = ctx, ctx.index
        self.base = ctx.config.html.base_url
        self.pages = {id(info.doc): info for info in site.documents}

    def entity(self, doc: Document, tokens: list[list[str]]) -> Entity | None:
        for attribute, token in tokens:
            found = self.index.entity_for(doc, token, attribute)
            if found is not None:
                return found
        return None

    def name(self, parent: etree._Element, doc: Document, name: dict, kind: str) -> None:
        entity = self.entity(doc, name["tokens"])
        element = NAME_ELEMENT.get(entity.kind if entity else kind, "persName")
        _el(parent, element, name["text"] or (entity.label if entity else ""), ref=authority(entity))

    def action(self, parent: etree._Element, doc: Document, kind: str, found: dict | None) -> bool:
        """One correspAction; False when it names nobody."""
        action = _el(parent, "correspAction", type=kind)
        found = found or {"names": [], "places": [], "date": None}
        for name in found["names"]:
            self.name(action, doc, name, "person")
        for place in found["places"]:
            self.name(action, doc, place, "place")
        date = (found.get("date") or {}).get("attributes", {})
        dated = {k: v for k, v in date.items() if ISO_DATE.fullmatch(v)}
        if dated:
            _el(action, "date", **dated)
        return bool(found["names"])

    def mentions(self, parent: etree._Element, doc: Document, named: set[str]) -> None:
        """CMIF v2: who and what the letter mentions (beyond its sender and addressee), its TEI file."""
        note = etree.Element(f"{T}note")
        seen = set(named)
        for pointer in self.index.pointers_in(doc):
            if pointer.in_list:  # an entry copied into the letter's back list: its pointers mention nothing
                continue
            entity = self.index.entity_for(doc, pointer.value, pointer.attribute)
            if entity is None or entity.kind not in MENTIONS or entity.id in seen:
                continue
            seen.add(entity.id)
            target = authority(entity)
            if target:
                _el(note, "ref", entity.label, type=f"cmif:{MENTIONS[entity.kind]}", target=target)
        info = self.pages.get(id(doc))
        if self.base and info is not None:
            _el(note, "ref", None, type="cmif:isAvailableAsTEIfile", target=self.base + info.source_href)
        if len(note):
            parent.append(note)

    def letter(self, parent: etree._Element, doc: Document, source: str) -> list[str]:
        """One correspDesc; what it lacks ("sender", "addressee")."""
        facts = self.index.facts[str(doc.path)].listing["correspondence"]
        info = self.pages.get(id(doc))
        desc = _el(parent, "correspDesc", key=doc.id, source=f"#{source}",
                   ref=self.base + info.href if self.base and info is not None else "")
        missing = [who for kind, who in (("sent", "sender"), ("received", "addressee"))
                   if not self.action(desc, doc, kind, facts.get(kind))]
        named = {e.id for kind in ("sent", "received") for field in ("names", "places")
                 for n in (facts.get(kind) or {}).get(field, []) if (e := self.entity(doc, n["tokens"])) is not None}
        self.mentions(desc, doc, named)
        return missing


def letters_of(ctx: BuildContext) -> list[Document]:
    """The documents that are letters: those with a correspondence fact (a sent or received action)."""
    return [d for d in ctx.corpus.sources if ctx.index.facts[str(d.path)].listing["correspondence"]]


def cmif_tree(ctx: BuildContext, site: Site, letters: list[Document]) -> tuple[etree._Element, dict]:
    """The CMIF file, and what the letters it could not describe fully lack (Document → ["sender", …])."""
    header = ctx.corpus.header
    facts = edition_facts(header.root) if header is not None else {"title": ctx.config.root.name, "editors": [],
                                                                       "licences": []}
    base = ctx.config.html.base_url
    # a UUID (as CMIF recommends) made from the edition, so every build names it the same; an
    # xml:id must not begin with a digit, as a UUID may
    source = "bibl-" + str(uuid.uuid5(uuid.NAMESPACE_URL, base or facts.get("idno") or facts["title"]))
    root = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
    file_desc = _el(_el(root, "teiHeader"), "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", f"{facts['title']}: letters (CMIF)")
    for editor in facts["editors"] or [facts.get("publisher", "")]:
        _el(title_stmt, "editor", editor)
    publication = _el(file_desc, "publicationStmt")
    _el(_el(publication, "publisher"), "ref", facts.get("publisher") or facts["title"], target=base)
    if base:
        _el(publication, "idno", base + CMIF_FILE, type="url")
    day = (last_change(header.root) if header is not None else None) or build_day()
    _el(publication, "date", when=day)
    availability = _el(publication, "availability")
    for text, target in facts["licences"] or [("", "")]:
        _el(availability, "licence", text, target=target)
    bibl = _el(_el(file_desc, "sourceDesc"), "bibl", ", ".join(
        v for v in (facts["title"], facts.get("publisher"), facts.get("year")) if v), type="online")
    bibl.set("{http://www.w3.org/XML/1998/namespace}id", source)
    if base:
        _el(bibl, "ref", base, target=base)
    profile = _el(root.find(f"{T}teiHeader"), "profileDesc")
    writer = Letters(ctx, site)
    incomplete = {doc: missing for doc in letters if (missing := writer.letter(profile, doc, source))}
    _el(_el(_el(root, "text"), "body"), "p")
    return root, incomplete


def write_cmif(ctx: BuildContext, site: Site, folder: Path) -> list[Diagnostic]:
    """SITE_FILES entry: cmif.xml for an edition with letters (nothing for others)."""
    letters = letters_of(ctx)
    if not letters:
        return []
    root, incomplete = cmif_tree(ctx, site, letters)
    found = []
    for doc, missing in incomplete.items():
        desc = doc.root.find(f"{T}teiHeader/{T}profileDesc/{T}correspDesc")
        line, column = doc.locate(desc)
        found.append(Diagnostic(doc.display, line, column, "warning",
                                f"cmif.xml lists this letter without {' and '.join('its ' + m for m in missing)}",
                                "cmif-letter", "name the sender in <correspAction type=\"sent\"> and the addressee in "
                                "<correspAction type=\"received\"> (persName or orgName)"))
    root.addprevious(etree.ProcessingInstruction("xml-model", 'href="https://raw.githubusercontent.com/'
                     'TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng" type="application/xml" '
                     'schematypens="http://relaxng.org/ns/structure/1.0"'))
    (folder / CMIF_FILE).write_bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8",
                                                    pretty_print=True))
    return found
