"""The cross-reference index: what every xml:id is, and who points where.

Built once per build, after loading and before any check or writer runs; writers and
checks only ask it questions, they never scan the corpus themselves.

How a pointer resolves: model/pointers.py (and docs/validation.md, for users).
"""

from __future__ import annotations

from collections import defaultdict
from sys import intern
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

from tei_edition.model.corpus import Corpus, Document, Spot
from tei_edition.model.facts import person_name
from tei_edition.model.file_facts import DocFacts
from tei_edition.model.pointers import (EXTERNAL_SCHEMES, ENTITY_KINDS, FACS_ATTRIBUTE, FILE_LIKE, KEY_ATTRIBUTE,
                                        LABEL_ELEMENTS, LINK_ATTRIBUTES, NOT_SHARED, POINTER_ATTRIBUTES, SCHEME,
                                        WEB_PAGE, Target, Unresolved, code_of, id_shape, is_bare, malformed,
                                        no_document, web_page)
from tei_edition.names import XML_ID
from tei_edition.runtime.gc_pause import gc_paused

_UNKNOWN = object()  # not resolved yet (None means external)
# (the pointer vocabulary is re-exported: checks and writers ask the index for it)
__all__ = ["DocFacts", "EXTERNAL_SCHEMES", "ENTITY_KINDS", "Entity", "Index", "KEY_ATTRIBUTE", "Mention",
           "NOT_SHARED", "POINTER_ATTRIBUTES", "Pointer", "Target", "Unresolved", "is_bare"]

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
    in_list: bool = False  # written in a register or in a document's back list (a copied entry)

    def locate(self) -> tuple[int, int]:
        return self.doc.locate_spot(self.spot, self.attribute)


def entity_label(el: etree._Element) -> str:
    """The main name of a register entry: a child name element, type="main" preferred."""
    candidates = [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname in LABEL_ELEMENTS]
    main = next((c for c in candidates if c.get("type") == "main"), candidates[0] if candidates else None)
    if main is None:
        return el.get(XML_ID) or ""
    return person_name(main)  # forename before surname; any other name as written


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
        # every xml:id in the corpus, with all its holders (the same id in several documents is
        # normal: XML makes ids unique per document)
        self.ids: dict[str, list[tuple[Document, Spot]]] = defaultdict(list)
        # the edition's scope, where "#id" from another document is looked up: every id of the
        # registers and the edition header, and every document's TEI/@xml:id; one holder per file
        self.scope: dict[str, list[tuple[Document, Spot]]] = defaultdict(list)
        self._doc_ids: dict[str, set[str]] = {}
        self.entities: dict[str, Entity] = {}
        self.pointers: list[Pointer] = []
        self.mentions: dict[str, list[Mention]] = defaultdict(list)
        self._resolved: dict[tuple[str, str, str], Target | Unresolved | None] = {}
        self._elsewhere: dict[str, Target | Unresolved | None] = {}  # "#id" not in the pointing file
        self._own_shapes: dict[str, set[str]] = {}
        self._as_entry_cache: dict[Unresolved, Unresolved] = {}
        self._spots = spots = {}  # (line, name, ordinal) → its Spot (immutable: one per place, shared)
        for doc in corpus.documents:
            f = self.facts[str(doc.path)]
            self._doc_ids[str(doc.path)] = {value for value, *_ in f.ids}
            shared = doc.role != "source"
            for n, (value, line, name, ordinal) in enumerate(f.ids):
                spot = spots.get((line, name, ordinal)) or spots.setdefault((line, name, ordinal), Spot(line, name, ordinal))
                self.ids[value].append((doc, spot))
                if shared or (n == 0 and name == "TEI"):  # a source: only its TEI/@xml:id
                    holders = self.scope[value]
                    if not holders or holders[-1][0] is not doc:
                        holders.append((doc, spot))
                kind = ENTITY_KINDS.get(name)
                if doc.role == "register" and kind and value not in self.entities:
                    self.entities[value] = Entity(value, kind, doc, spot)
        self._entity_shapes = {id_shape(i) for i in self.entities}
        self._document_shapes = {id_shape(i) for i, holders in self.scope.items()
                                 if any(d.role == "source" for d, _ in holders)}
        for doc in corpus.documents:
            self._collect_pointers(doc, self.facts[str(doc.path)])

    # -- questions writers and checks ask ------------------------------------------------------

    def resolve(self, doc: Document, value: str, attribute: str = "ref") -> Target | Unresolved | None:
        """Where one pointer token written in `doc` leads; None for external URIs and codes
        that are not checked (@key, image names in @facs)."""
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
        spots = self._spots  # (kept: one Spot per place, and each text once, not one per pointer:
        for line, name, ordinal, attribute, value, role, in_header, entries, own_id, in_list in facts.pointer_rows():
            attribute, value = intern(attribute), intern(value)  # 65 MB less at 10,000 documents)
            spot = spots.get((line, name, ordinal))
            if spot is None:
                spot = spots[line, name, ordinal] = Spot(line, name, ordinal)
            entry = self._entry_holding(doc, entries) if register else None
            if value[:1] == "#" and attribute not in NOT_SHARED:  # "#id", most pointers
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
                if in_list and target.__class__ is Unresolved and target.rule == "ref-id" and is_bare(value):
                    target = self._as_entry(target)
            add_pointer(Pointer(doc, spot, attribute, value, target, entry, in_list))
            if target.__class__ is Target and target.id in entities:
                if in_list and not register:
                    continue  # in a back list: a copy of the register's entry, not a mention
                if own_id == target.id and register:
                    entity = entities[target.id]
                    if entity.doc is doc and entity.spot == spot:
                        continue  # the entry's own element
                mentions[target.id].append(Mention(target.id, doc, spot, attribute, role, in_header, entry))

    def _as_entry(self, found: Unresolved) -> Unresolved:
        """A dangling bare id written inside a register entry (or its copy in a back list)."""
        out = self._as_entry_cache.get(found)
        if out is None:
            out = self._as_entry_cache[found] = Unresolved(
                "ref-entry", found.message + " (inside a register entry: often an id of the database the "
                "entry was exported from)",
                "add the entry to a register, point to one that is there, or move such codes to @key")
        return out

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

    # -- resolving one token ----------------------------------------------------------------------

    def _resolve(self, doc: Document, value: str, attribute: str) -> Target | Unresolved | None:
        if attribute == KEY_ATTRIBUTE:
            return self._key(doc, value)
        if attribute == FACS_ATTRIBUTE:
            return self._facs(doc, value)
        if value.startswith("#"):
            return self._fragment(doc, value)
        scheme = SCHEME.match(value)
        if scheme:
            return self._prefixed(doc, value, scheme.group(1), attribute)
        if WEB_PAGE.match(value):
            return web_page(value)
        if "/" in value or "#" in value:
            return self._file(doc, value)
        return self._bare(doc, value, attribute)

    def _key(self, doc: Document, value: str) -> Target | None:
        """@key: an external code. It links when it names an id here, else it is left alone."""
        if value in self._doc_ids[str(doc.path)]:
            return Target(doc, value)
        found = self._in_scope(value)
        return found if isinstance(found, Target) else None

    def _facs(self, doc: Document, value: str) -> Target | Unresolved | None:
        if value.startswith("#"):
            ident = value[1:]
            if not ident or "#" in ident:
                return malformed(value)
            if ident in self._doc_ids[str(doc.path)]:
                return Target(doc, ident)
            return Unresolved("ref-id", f'"{value}" points to no xml:id in this document (@facs="#id" names a '
                              "<surface> or <zone> of the document's own <facsimile>)",
                              "correct the id, or add the surface or zone with this xml:id to the <facsimile>")
        if SCHEME.match(value) is None and WEB_PAGE.match(value):
            return web_page(value)
        return None  # an image's name or URL: not a page of the edition, not checked

    def _fragment(self, doc: Document, value: str) -> Target | Unresolved:
        ident = value[1:]
        if not ident or "#" in ident:
            return malformed(value)
        if ident in self._doc_ids[str(doc.path)]:
            return Target(doc, ident)
        found = self._in_scope(ident)
        if found is not None:
            return found
        holders = self.ids.get(ident)
        if holders:
            other = holders[0][0]
            return Unresolved("ref-id", f'"{value}" points to no xml:id in this document or the registers '
                              f'("{ident}" is an xml:id in {other.display})',
                              f"#id names an element of the same document: to point into {other.display}, "
                              f"write its path and the id ({other.path.name}#{ident})")
        if id_shape(ident) in self._document_shapes and id_shape(ident) not in self._entity_shapes:
            return no_document(value)
        return Unresolved("ref-id", f'"{value}" points to no xml:id in this document or the registers',
                          "correct the id, or add an entry with this xml:id to a register")

    def _bare(self, doc: Document, value: str, attribute: str) -> Target | Unresolved:
        """A token without "#", scheme or path: an id of this document or the edition, a file,
        or a code."""
        if value in self._doc_ids[str(doc.path)]:
            return Target(doc, value)
        found = self._in_scope(value)
        if found is not None:
            return found
        if FILE_LIKE.search(value):
            return self._file(doc, value)
        shape = id_shape(value)
        if value in self.ids:
            other = self.ids[value][0][0]
            return Unresolved("ref-id", f'"{value}" names no xml:id in this document or the registers '
                              f'(it is an xml:id in {other.display})',
                              f"to point into {other.display}, write its path and the id "
                              f"({other.path.name}#{value})")
        if shape in self._document_shapes and shape not in self._entity_shapes:
            return no_document(value)
        if shape in self._entity_shapes or shape in self._shapes_of(doc):
            return Unresolved("ref-id", f'"{value}" names no xml:id in this document or the registers',
                              f'correct the id, or add an entry with xml:id="{value}" to a register')
        return code_of(value, attribute)

    def _prefixed(self, doc: Document, value: str, scheme: str, attribute: str) -> Target | Unresolved | None:
        if scheme.lower() in EXTERNAL_SCHEMES:
            return None
        rest = value[len(scheme) + 1:]
        prefix = doc.prefixes.get(scheme)
        owner = doc
        if prefix is None and self.corpus.header is not None:
            prefix, owner = self.corpus.header.prefixes.get(scheme), self.corpus.header
        if prefix is None:
            if attribute not in LINK_ATTRIBUTES:
                return Unresolved("ref-code", f'"{value}" uses the prefix "{scheme}:", which no prefixDef declares: '
                                  "a code, not a pointer (TEI expects a URI or #id here)",
                                  f'declare the prefix (<prefixDef ident="{scheme}" matchPattern="(.+)" '
                                  'replacementPattern="...$1"/> in listPrefixDef), or keep the code in @type, '
                                  "@subtype or @key")
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

    def _file(self, doc: Document, value: str) -> Target | Unresolved:
        found = self._by_uri(doc, value)
        if isinstance(found, Unresolved):
            return Unresolved(found.rule, f'"{value}" {found.message}', found.hint)
        return found

    def _in_scope(self, ident: str) -> Target | Unresolved | None:
        """An id of the edition's scope (registers, edition header, documents' TEI/@xml:id)."""
        holders = self.scope.get(ident)
        if not holders:
            return None
        if len(holders) == 1:
            return Target(holders[0][0], ident)
        files = [d.display for d, _ in holders]
        more = f" and {len(files) - 2} more" if len(files) > 2 else ""
        return Unresolved("ref-ambiguous", f'"{ident}" is an xml:id in {files[0]} and in {files[1]}{more}: '
                          "which one is meant cannot be told",
                          "point with the file's path (file.xml#id), or give one of them another xml:id")

    def _shapes_of(self, doc: Document) -> set[str]:
        path = str(doc.path)
        found = self._own_shapes.get(path)
        if found is None:
            found = self._own_shapes[path] = {id_shape(i) for i in self._doc_ids[path]}
        return found

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
