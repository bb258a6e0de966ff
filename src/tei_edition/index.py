"""The cross-reference index: what every xml:id is, and who points where.

Built once per build, after loading and before any check or writer runs; writers and
checks only ask it questions, they never scan the corpus themselves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from . import TEI_NS, XML_ID
from .corpus import Corpus, Document

T = f"{{{TEI_NS}}}"

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


@dataclass(frozen=True)
class Target:
    """Where a pointer leads: a document and, when it has a fragment, an element in it."""

    doc: Document
    element: etree._Element | None

    @property
    def id(self) -> str | None:
        return self.element.get(XML_ID) if self.element is not None else None


@dataclass(frozen=True)
class Unresolved:
    rule: str
    message: str
    hint: str


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    doc: Document
    element: etree._Element

    @property
    def label(self) -> str:
        return entity_label(self.element)


@dataclass(frozen=True)
class Mention:
    """One pointer from a document to a register entry."""

    entity: str
    doc: Document
    element: etree._Element
    attribute: str
    role: str | None
    in_header: bool

    @property
    def line(self) -> int:
        return self.element.sourceline or 1


@dataclass(frozen=True)
class Pointer:
    """One pointer as written in a document, with where it leads (or why it leads nowhere)."""

    doc: Document
    element: etree._Element
    attribute: str
    value: str
    target: Target | Unresolved | None  # None: external, not checked


def entity_label(el: etree._Element) -> str:
    """The main name of a register entry: a child name element, type="main" preferred."""
    candidates = [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname in LABEL_ELEMENTS]
    main = next((c for c in candidates if c.get("type") == "main"), candidates[0] if candidates else None)
    if main is None:
        return el.get(XML_ID) or ""
    return " ".join("".join(main.itertext()).split())


class Index:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._by_path = corpus.by_path()
        # every xml:id in the corpus, with all its holders (more than one is a duplicate)
        self.ids: dict[str, list[tuple[Document, etree._Element]]] = defaultdict(list)
        self.entities: dict[str, Entity] = {}
        self.pointers: list[Pointer] = []
        self.mentions: dict[str, list[Mention]] = defaultdict(list)
        self._resolved: dict[tuple[str, str], Target | Unresolved | None] = {}
        for doc in corpus.documents:
            for value, el in _all_ids(doc):
                self.ids[value].append((doc, el))
                kind = ENTITY_KINDS.get(etree.QName(el).localname)
                if doc.role == "register" and kind and value not in self.entities:
                    self.entities[value] = Entity(value, kind, doc, el)
        for doc in corpus.documents:
            self._collect_pointers(doc)

    # -- questions writers and checks ask ------------------------------------------------------

    def resolve(self, doc: Document, value: str, attribute: str = "ref") -> Target | Unresolved | None:
        """Where one pointer token written in `doc` leads; None for external URIs."""
        key = (str(doc.path), attribute + " " + value)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(doc, value, attribute)
        return self._resolved[key]

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

    def _collect_pointers(self, doc: Document) -> None:
        header = doc.root.find(f"{T}teiHeader")
        header_nodes = set(header.iter()) if header is not None else set()
        for el in doc.root.iter():
            if not isinstance(el.tag, str) or not el.attrib:
                continue
            for attribute in POINTER_ATTRIBUTES + (KEY_ATTRIBUTE,):
                raw = el.get(attribute)
                if raw is None:
                    continue
                values = [raw.strip()] if attribute == KEY_ATTRIBUTE else raw.split()
                for value in values:
                    if not value:
                        continue
                    target = self.resolve(doc, value, attribute)
                    self.pointers.append(Pointer(doc, el, attribute, value, target))
                    if isinstance(target, Target) and target.id in self.entities:
                        entity = self.entities[target.id]
                        if entity.element is el:
                            continue
                        self.mentions[target.id].append(
                            Mention(target.id, doc, el, attribute, el.get("role"), el in header_nodes))

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
        el = doc.ids.get(ident)
        if el is not None:
            return Target(doc, el)
        holders = self.ids.get(ident)
        if holders:
            return Target(*holders[0])
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
        el = doc.ids.get(unquote(parts.fragment))
        if el is None:
            return Unresolved("ref-id", f'points into {doc.display}, which has no xml:id "{parts.fragment}"',
                              f"correct the id, or add an entry with this xml:id to {doc.display}")
        return Target(doc, el)


def _all_ids(doc: Document):
    for el in doc.root.iter():
        if isinstance(el.tag, str):
            value = el.get(XML_ID)
            if value is not None:
                yield value, el
