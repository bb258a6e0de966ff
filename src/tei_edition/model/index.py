"""The cross-reference index: what every xml:id is, and who points where.

Built once per build, after loading and before any check or writer runs; writers and
checks only ask it questions, they never scan the corpus themselves.

How a pointer resolves (docs/validation.md says it for users):
- an xml:id is unique within its document (XML's rule); the same id in several documents is
  normal (header renditions, back lists that copy register entries);
- `#id` names an element of its own document first, then one of the edition's scope: any id of
  the registers and the edition header, and the TEI/@xml:id of every document. An id that two
  files of that scope hold is ambiguous (`ref-ambiguous`);
- a bare token (`ref="pmb2881"`), by the letter a relative URI, resolves the same way when it
  names an id, else as a file of the edition (`persons.xml`); when it names nothing, it is a
  dangling id if it looks like the edition's ids, otherwise a code (`ref-code`, a warning);
- relative URIs (`../registers/persons.xml#id`) and prefixDef URIs (`person:id`) as TEI says;
  absolute URIs (http:, urn:, doi: ...) are not checked;
- `@key` is an external code: it links to a register entry of that id when there is one, and
  is never reported; `@facs` names an image (not checked) or, with `#`, an element (surface,
  zone) of its own document.
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
from tei_edition.model.facts import document_facts, person_name
from tei_edition.model.header import header_facts
from tei_edition.runtime.gc_pause import gc_paused

T = f"{{{TEI_NS}}}"
_UNKNOWN = object()  # not resolved yet (None means external)

# Attributes whose values are pointers (TEI teidata.pointer), each may hold several, space-separated.
# (@rendition is not among them: editions point it at renditions their stylesheets define.)
POINTER_ATTRIBUTES = ("ref", "who", "target", "corresp", "where", "sameAs", "resp", "source", "ana",
                      "hand", "wit", "scribeRef")
# @key is not a URI but an externally defined code; it is never checked. When it happens to
# name a register entry, pages link it (as they always have).
KEY_ATTRIBUTE = "key"
# @facs names an image (not checked) or, as #id, a surface or zone of the same document.
FACS_ATTRIBUTE = "facs"
INDEXED_ATTRIBUTES = POINTER_ATTRIBUTES + (FACS_ATTRIBUTE, KEY_ATTRIBUTE)
_ATTRIBUTE_ORDER = {name: n for n, name in enumerate(INDEXED_ATTRIBUTES)}
# Attributes the outputs show as links: an undeclared prefix there breaks a link (an error);
# elsewhere (@ana, @who, @corresp ...) it is a code (a warning).
LINK_ATTRIBUTES = ("ref", "target")
# URI schemes that point outside the edition and are not checked.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "urn", "doi", "ftp", "data", "tel", "info", "file"}
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# A relative link to a page of a web site (the original edition's toc.html?...), not a TEI file.
WEB_PAGE = re.compile(r"[^#]*(?:\.(?:s?html?|php|aspx?|jsp)(?:[?#]|$)|\?)", re.I)
# A bare token that names a file rather than an id.
FILE_LIKE = re.compile(r"\.xml$", re.I)
# Where a back list copies register entries into a document (TEI back, standOff).
LIST_CONTAINERS = {"back", "standOff"}
LISTS = {"listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym", "listObject",
         "listRelation"}
_DIGITS = re.compile(r"\d+")


def is_bare(value: str) -> bool:
    """A token without "#", scheme or path: by convention an id."""
    return "#" not in value and "/" not in value and ":" not in value


def id_shape(value: str) -> str:
    """An id with its numbers blanked: "pmb2881" and "pmb30133" have the same shape."""
    return _DIGITS.sub("0", value)


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
        for doc in corpus.documents:
            f = self.facts[str(doc.path)]
            self._doc_ids[str(doc.path)] = {value for value, *_ in f.ids}
            shared = doc.role != "source"
            for n, (value, line, name, ordinal) in enumerate(f.ids):
                spot = Spot(line, name, ordinal)
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
        for line, name, ordinal, attribute, value, role, in_header, entries, own_id, in_list in facts.pointers:
            spot = Spot(line, name, ordinal)
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
            return _web_page(value)
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
                return _malformed(value)
            if ident in self._doc_ids[str(doc.path)]:
                return Target(doc, ident)
            return Unresolved("ref-id", f'"{value}" points to no xml:id in this document (@facs="#id" names a '
                              "<surface> or <zone> of the document's own <facsimile>)",
                              "correct the id, or add the surface or zone with this xml:id to the <facsimile>")
        if SCHEME.match(value) is None and WEB_PAGE.match(value):
            return _web_page(value)
        return None  # an image's name or URL: not a page of the edition, not checked

    def _fragment(self, doc: Document, value: str) -> Target | Unresolved:
        ident = value[1:]
        if not ident or "#" in ident:
            return _malformed(value)
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
            return _no_document(value)
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
            return _no_document(value)
        if shape in self._entity_shapes or shape in self._shapes_of(doc):
            return Unresolved("ref-id", f'"{value}" names no xml:id in this document or the registers',
                              f'correct the id, or add an entry with xml:id="{value}" to a register')
        return _code(value, attribute)

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


NOT_SHARED = (KEY_ATTRIBUTE, FACS_ATTRIBUTE)  # their "#id" resolves differently: not in `_elsewhere`


def _malformed(value: str) -> Unresolved:
    what = "an empty fragment" if value == "#" else "a second \"#\" in the fragment"
    return Unresolved("ref-malformed", f'"{value}" is not a pointer: {what}',
                      'write "#" and the xml:id of the element meant (e.g. "#pmb2121"), or remove the attribute')


def _no_document(value: str) -> Unresolved:
    return Unresolved("ref-document", f'"{value}" names a document that is not part of this edition '
                      "(no TEI/@xml:id of that name among its files)",
                      "add the document to the sources in edition.toml, correct the id, or link it with its full URI")


def _web_page(value: str) -> Unresolved:
    return Unresolved("ref-web-page", f'"{value}" links to a page of a web site: not part of this edition',
                      "write the page's full URL (https://...) if it should stay a link, or point into the edition "
                      "with #id or file.xml#id")


# What TEI expects instead of a code, by attribute.
CODE_HINTS = {
    "who": 'define the person (a <person> or <respStmt> with xml:id) and write who="#{v}"; or declare a prefixDef',
    "resp": 'define the responsible party (a <respStmt> or <person> with xml:id) and write resp="#{v}"',
    "ana": 'point to an interpretation (<interp xml:id="{v}"> in the header) with ana="#{v}", declare a '
           "prefixDef, or keep the code in @type or @subtype",
    "corresp": 'point to what corresponds with "#id" or a URI, or keep the code in @type, @subtype or @key',
    "source": 'point to the source with "#id" or a URI (a <bibl> or <witness> with xml:id), or keep the code in @key',
}


def _code(value: str, attribute: str) -> Unresolved:
    hint = CODE_HINTS.get(attribute, 'point with "#id" or a URI, declare a prefixDef, or keep the code in @key or @type')
    return Unresolved("ref-code", f'"{value}" names no xml:id, document or file: a code, not a pointer (TEI expects '
                      "a URI or #id here)", hint.format(v=value))


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

    @classmethod
    def of(cls, doc: Document) -> "DocFacts":
        root = doc.root
        header = root.find(f"{T}teiHeader")
        header_nodes = set(header.iter()) if header is not None else set()
        register = doc.role == "register"
        listed = set() if register else _back_list_nodes(root)
        seen: dict[tuple, int] = defaultdict(int)
        spots: dict[etree._Element, tuple] = {}
        ids, pointers = [], []
        order = _ATTRIBUTE_ORDER
        for el in root.iter(etree.Element):  # elements only (no comments, PIs)
            key = (el.tag, el.sourceline)
            n = seen[key]
            seen[key] = n + 1
            attrib = el.attrib
            if not attrib:
                continue
            spot = (el.sourceline or 1, el.tag.rpartition("}")[2], n)
            ident = attrib.get(XML_ID)
            if ident is not None:
                ids.append([ident, *spot])
                spots[el] = spot
            # the element's own attributes, once (probing all fifteen names is slow), in a fixed order
            found = [name for name in attrib.keys() if name in order]
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
                   models, root.sourceline or 1, listing_facts(root), meeting_facts(doc))

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


def listing_facts(root: etree._Element) -> dict:
    """What the outputs state about a document besides its text (tei_edition.model.facts)."""
    return document_facts(root)
