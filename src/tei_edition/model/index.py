"""The cross-reference index: what every xml:id is, and who points where.

Built once per build, after loading and before any check or writer runs; writers and
checks only ask it questions, they never scan the corpus themselves.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

from tei_edition.names import TEI_NS, XML_ID
from tei_edition.model.corpus import Corpus, Document, PrefixDef, Spot, spot_of
from tei_edition.model.check_facts import meeting_facts, xml_models
from tei_edition.model.facts import document_facts
from tei_edition.model.header import header_facts
from tei_edition.runtime.gc_pause import gc_paused

T = f"{{{TEI_NS}}}"
_UNKNOWN = object()  # not resolved yet (None means external)

# Attributes whose values are pointers (TEI teidata.pointer), each may hold several, space-separated.
POINTER_ATTRIBUTES = ("ref", "who", "target", "corresp", "where", "sameAs", "resp", "source", "ana")
# @key is not a URI but a code; in this pipeline it names a register entry's xml:id.
KEY_ATTRIBUTE = "key"
# URI schemes that point outside the edition and are not checked.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "urn", "doi", "ftp", "data", "tel", "info", "file"}

ENTITY_KINDS = {
    "person": "person", "personGrp": "person",
    "place": "place",
    "org": "organisation",
    "event": "event",
    "bibl": "document", "biblStruct": "document", "msDesc": "document",
}
LABEL_ELEMENTS = ("persName", "placeName", "orgName", "label", "title", "name", "head")


# Target, Mention and Pointer: slots, and not frozen, because there are hundreds of thousands of
# them and a frozen dataclass takes four times as long to make; nothing changes them once made.
@dataclass(slots=True)
class Target:
    """Where a pointer leads: a document and, when it has a fragment, an xml:id in it."""

    doc: Document
    id: str | None


@dataclass(frozen=True)
class Unresolved:
    rule: str
    message: str
    hint: str


@dataclass(frozen=True)
class Entity:
    """A register entry. Registers stay parsed, so its element is at hand."""

    id: str
    kind: str
    doc: Document
    spot: Spot

    @property
    def element(self) -> etree._Element:
        return self.doc.ids[self.id]

    @property
    def label(self) -> str:
        return entity_label(self.element)


@dataclass(slots=True)
class Mention:
    """One pointer from a document to a register entry."""

    entity: str
    doc: Document
    spot: Spot
    attribute: str
    role: str | None
    in_header: bool
    entry: str | None  # in a register: the entry the pointer is written in

    @property
    def line(self) -> int:
        return self.spot.line


@dataclass(slots=True)
class Pointer:
    """One pointer as written in a document, with where it leads (or why it leads nowhere)."""

    doc: Document
    spot: Spot
    attribute: str
    value: str
    target: Target | Unresolved | None  # None: external, not checked
    entry: str | None  # in a register: the entry the pointer is written in

    def locate(self) -> tuple[int, int]:
        return self.doc.locate_spot(self.spot, self.attribute)


def entity_label(el: etree._Element) -> str:
    """The main name of a register entry: a child name element, type="main" preferred."""
    candidates = [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname in LABEL_ELEMENTS]
    main = next((c for c in candidates if c.get("type") == "main"), candidates[0] if candidates else None)
    if main is None:
        return el.get(XML_ID) or ""
    return " ".join("".join(main.itertext()).split())


class Index:
    """Built from each document's facts (DocFacts): no element of a source document is kept,
    so the index's memory grows with the number of ids and pointers, not with the documents."""

    def __init__(self, corpus: Corpus, facts=None):
        """`facts`: a FactCache with the facts of unchanged documents from the last build."""
        with gc_paused():  # hundreds of thousands of records, all kept
            self._build(corpus, facts)

    def _build(self, corpus: Corpus, facts) -> None:
        self.corpus = corpus
        self._by_path = corpus.by_path()
        self.facts: dict[str, DocFacts] = {}
        for doc in corpus.documents:
            found = facts.get(doc) if facts is not None else None
            if found is None:
                found = DocFacts.of(doc)
            found.prime(doc)
            self.facts[str(doc.path)] = found
        # every xml:id in the corpus, with all its holders (more than one is a duplicate)
        self.ids: dict[str, list[tuple[Document, Spot]]] = defaultdict(list)
        self._doc_ids: dict[str, set[str]] = {}
        self.entities: dict[str, Entity] = {}
        self.pointers: list[Pointer] = []
        self.mentions: dict[str, list[Mention]] = defaultdict(list)
        self._resolved: dict[tuple[str, str, str], Target | Unresolved | None] = {}
        self._elsewhere: dict[str, Target | Unresolved | None] = {}  # "#id" not in the pointing file
        for doc in corpus.documents:
            f = self.facts[str(doc.path)]
            self._doc_ids[str(doc.path)] = {value for value, *_ in f.ids}
            for value, line, name, ordinal in f.ids:
                spot = Spot(line, name, ordinal)
                self.ids[value].append((doc, spot))
                kind = ENTITY_KINDS.get(name)
                if doc.role == "register" and kind and value not in self.entities:
                    self.entities[value] = Entity(value, kind, doc, spot)
        for doc in corpus.documents:
            self._collect_pointers(doc, self.facts[str(doc.path)])

    # -- questions writers and checks ask ------------------------------------------------------

    def resolve(self, doc: Document, value: str, attribute: str = "ref") -> Target | Unresolved | None:
        """Where one pointer token written in `doc` leads; None for external URIs."""
        key = (str(doc.path), attribute, value)
        found = self._resolved.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._resolved[key] = self._resolve(doc, value, attribute)
        return found

    def entity_for(self, doc: Document, value: str, attribute: str = "ref") -> Entity | None:
        target = self.resolve(doc, value, attribute)
        if isinstance(target, Target) and target.id:
            return self.entities.get(target.id)
        return None

    def pointer_map(self, doc: Document) -> dict[str, str]:
        """Every pointer token in `doc` that leads to a register entry → that entry's xml:id.

        This is what stylesheets get, so they can link `ref="person:mao-zedong"` without
        knowing the pointer forms.
        """
        out = {}
        for p in self.pointers_in(doc):
            if isinstance(p.target, Target) and p.target.id in self.entities:
                out[p.value] = p.target.id
        return out

    def pointers_in(self, doc: Document) -> list[Pointer]:
        return self._pointers_by_doc.get(str(doc.path), [])

    # -- building ---------------------------------------------------------------------------------

    @property
    def _pointers_by_doc(self) -> dict[str, list[Pointer]]:
        if not hasattr(self, "_pbd"):
            grouped: dict[str, list[Pointer]] = defaultdict(list)
            for p in self.pointers:
                grouped[str(p.doc.path)].append(p)
            self._pbd = dict(grouped)
        return self._pbd

    def _collect_pointers(self, doc: Document, facts: "DocFacts") -> None:
        # the loop over every pointer of the corpus: names looked up once (a rebuild spends its
        # time here)
        register = doc.role == "register"
        path, resolved, entities, resolve = str(doc.path), self._resolved, self.entities, self._resolve
        add_pointer, mentions, own_ids, elsewhere = self.pointers.append, self.mentions, self._doc_ids[path], self._elsewhere
        for line, name, ordinal, attribute, value, role, in_header, entries, own_id in facts.pointers:
            spot = Spot(line, name, ordinal)
            entry = self._entry_holding(doc, entries) if register else None
            if value[:1] == "#" and attribute != KEY_ATTRIBUTE:  # "#id", most pointers
                if value[1:] in own_ids:
                    target = Target(doc, value[1:])
                else:  # an id in another file, or none: the same answer for every document
                    target = elsewhere.get(value, _UNKNOWN)
                    if target is _UNKNOWN:
                        target = elsewhere[value] = resolve(doc, value, attribute)
            else:
                target = resolved.get((path, attribute, value), _UNKNOWN)
                if target is _UNKNOWN:
                    target = resolved[path, attribute, value] = resolve(doc, value, attribute)
            add_pointer(Pointer(doc, spot, attribute, value, target, entry))
            if target.__class__ is Target and target.id in entities:
                if own_id == target.id and register:
                    entity = entities[target.id]
                    if entity.doc is doc and entity.spot == spot:
                        continue  # the entry's own element
                mentions[target.id].append(Mention(target.id, doc, spot, attribute, role, in_header, entry))

    def _entry_holding(self, doc: Document, entries: list) -> str | None:
        """The register entry a pointer is written in: its nearest enclosing entry element
        that is the registered one (the first of duplicate ids is)."""
        if doc.role != "register":
            return None
        for ident, line, name, ordinal in entries:
            entity = self.entities.get(ident)
            if entity is not None and entity.doc is doc and entity.spot == Spot(line, name, ordinal):
                return ident
        return None

    def _resolve(self, doc: Document, value: str, attribute: str) -> Target | Unresolved | None:
        if attribute == KEY_ATTRIBUTE:
            return self._by_id(doc, value) or Unresolved(
                "ref-key", f'@key="{value}" names no xml:id in the edition',
                "use the xml:id of a register entry, or point with @ref")
        if value.startswith("#"):
            return self._by_id(doc, value[1:]) or Unresolved(
                "ref-id", f'"{value}" points to no xml:id in this document or the registers',
                "correct the id, or add an entry with this xml:id to a register")
        scheme, sep, rest = value.partition(":")
        if sep and "/" not in scheme and scheme:
            if scheme.lower() in EXTERNAL_SCHEMES:
                return None
            prefix = doc.prefixes.get(scheme)
            owner = doc
            if prefix is None and self.corpus.header is not None:
                prefix, owner = self.corpus.header.prefixes.get(scheme), self.corpus.header
            if prefix is None:
                return Unresolved("ref-prefix", f'"{value}" uses the prefix "{scheme}:", which no prefixDef declares',
                                  f'declare it in the teiHeader: <listPrefixDef><prefixDef ident="{scheme}" '
                                  'matchPattern="(.+)" replacementPattern="registers/....xml#$1"/></listPrefixDef>')
            expanded = prefix.expand(rest)
            if expanded is None:
                return Unresolved("ref-prefix", f'"{value}" does not match the matchPattern of prefixDef "{scheme}"',
                                  "correct the value or the prefixDef's matchPattern")
            found = self._by_uri(owner, expanded)
            if isinstance(found, Unresolved):
                return Unresolved(found.rule, f'"{value}" (= "{expanded}") {found.message}', found.hint)
            return found
        found = self._by_uri(doc, value)
        if isinstance(found, Unresolved):
            return Unresolved(found.rule, f'"{value}" {found.message}', found.hint)
        return found

    def _by_id(self, doc: Document, ident: str) -> Target | None:
        if ident in self._doc_ids[str(doc.path)]:
            return Target(doc, ident)
        holders = self.ids.get(ident)
        if holders:
            return Target(holders[0][0], ident)
        return None

    def _by_uri(self, base: Document, uri: str) -> Target | Unresolved:
        parts = urlsplit(uri)
        if parts.scheme or parts.netloc:
            return Unresolved("ref-uri", "is not a relative URI", "point with #id, a relative path#id, or a declared prefix")
        path = (base.path.parent / unquote(parts.path)).resolve() if parts.path else base.path
        doc = self._by_path.get(path)
        if doc is None:
            where = "outside the edition's configured files" if path.exists() else "not found"
            return Unresolved("ref-file", f"points to file {parts.path} ({where})",
                              "correct the path (relative to this file) or add the file to edition.toml")
        if not parts.fragment:
            return Target(doc, None)
        ident = unquote(parts.fragment)
        if ident not in self._doc_ids[str(doc.path)]:
            return Unresolved("ref-id", f'points into {doc.display}, which has no xml:id "{parts.fragment}"',
                              f"correct the id, or add an entry with this xml:id to {doc.display}")
        return Target(doc, ident)


@dataclass
class DocFacts:
    """What the index needs of one document, taken from its tree once (and cacheable as JSON).

    ids: (xml:id, line, local name, ordinal); pointers: (line, local name, ordinal, attribute,
    token, @role, in teiHeader?, enclosing entry elements [(xml:id, line, name, ordinal)],
    the element's own xml:id when it is an entry element). Besides the index, the facts hold
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

    @classmethod
    def of(cls, doc: Document) -> "DocFacts":
        root = doc.root
        header = root.find(f"{T}teiHeader")
        header_nodes = set(header.iter()) if header is not None else set()
        seen: dict[tuple, int] = defaultdict(int)
        spots: dict[etree._Element, tuple] = {}
        ids, pointers = [], []
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            key = (el.tag, el.sourceline)
            spot = (el.sourceline or 1, etree.QName(el).localname, seen[key])
            seen[key] += 1
            if not el.attrib:
                continue
            ident = el.get(XML_ID)
            if ident is not None:
                ids.append([ident, *spot])
                spots[el] = spot
            for attribute in POINTER_ATTRIBUTES + (KEY_ATTRIBUTE,):
                raw = el.get(attribute)
                if raw is None:
                    continue
                values = [raw.strip()] if attribute == KEY_ATTRIBUTE else raw.split()
                entries = []
                if doc.role == "register":
                    entries = [[a.get(XML_ID), *spots[a]] for a in (el, *el.iterancestors())
                               if a in spots and ENTITY_KINDS.get(spots[a][1])]
                own = ident if ident is not None and ENTITY_KINDS.get(spot[1]) else None
                for value in values:
                    if value:
                        pointers.append([*spot, attribute, value, el.get("role"), el in header_nodes, entries, own])
        prefixes = [[p.ident, p.match.pattern, p.replacement] for p in doc.prefixes.values()]
        # every prefixDef anywhere, for the check of its pattern: (matchPattern, line, ordinal)
        prefix_defs = [[pd.get("matchPattern", ""), spot.line, spot.ordinal]
                       for spot, pd in ((spot_of(pd), pd) for pd in root.iter(f"{T}prefixDef"))]
        missing, header_at = header_facts(doc)
        models = [[node.sourceline or 1, attrs] for node, attrs in xml_models(doc)]
        return cls(doc.id, doc.title, prefixes, prefix_defs, ids, pointers, missing, header_at,
                   models, root.sourceline or 1, listing_facts(root), meeting_facts(doc))

    def prime(self, doc: Document) -> None:
        """Give `doc` the id, title and prefixDefs these facts hold, so that it need not be parsed."""
        doc.__dict__.setdefault("id", self.id)
        doc.__dict__.setdefault("title", self.title)
        doc.__dict__.setdefault("prefixes", {i: PrefixDef(i, re.compile(m), r) for i, m, r in self.prefixes})


def listing_facts(root: etree._Element) -> dict:
    """What the outputs state about a document besides its text (tei_edition.model.facts)."""
    return document_facts(root)
