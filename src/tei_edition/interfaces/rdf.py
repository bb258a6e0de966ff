"""The registers as linked data: one RDF graph (schema.org and CIDOC CRM), as Turtle and JSON-LD.

Each register entry is described from its card (model/cards.py: the facts every output shows),
so the graph states what the pages state, in two vocabularies:

- schema.org, as the pages' JSON-LD does: `Person`, `Place`, `Organization`, `Event`,
  `CreativeWork` with `name` (the main name, in its language), `alternateName`, `identifier`
  (the xml:id), `url` (its page), `sameAs` (authority records: GND, Wikidata, VIAF, ...), dates;
- CIDOC CRM, the reference model of cultural heritage data: `E21_Person`, `E53_Place`,
  `E74_Group`, `E5_Event`, `E73_Information_Object`; every name an `E41_Appellation` and every
  authority identifier an `E42_Identifier` (`P1_is_identified_by`, `P190_has_symbolic_content`);
  birth and death as `E67_Birth`/`E69_Death` with an `E52_Time-Span`, an event's span likewise;
  the edition's documents that mention an entry refer to it (`P67i_is_referred_to_by`).

An entry's IRI is its page's address below `[html] base_url`; without one, below
`urn:x-tei-edition:` (docs/linked-data.md). shapes.py checks the graph against shapes.ttl.

The triples are made and written with pyoxigraph (Rust): rdflib took minutes to write the
Turtle of a real register of 6,000 entries (its writer slows with every namespace it sees),
pyoxigraph takes seconds. rdflib holds the graph where pySHACL checks it (`as_rdflib`).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from tei_edition.cache.pages import link_or_copy
from tei_edition.cache.keys import code_key
from tei_edition.cache.store import Store, digest, file_digest
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.edition import Site

SCHEMA = "https://schema.org/"
CRM = "http://www.cidoc-crm.org/cidoc-crm/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
PLACEHOLDER_BASE = "urn:x-tei-edition:"
FOLDER = "data"
PREFIXES = {"schema": SCHEMA, "crm": CRM, "xsd": XSD}
LINES_AT_ONCE = 10_000  # N-Triples lines encoded at a time

CLASSES = {  # kind → (schema.org class, CIDOC CRM class)
    "person": ("Person", "E21_Person"),
    "place": ("Place", "E53_Place"),
    "organisation": ("Organization", "E74_Group"),
    "event": ("Event", "E5_Event"),
    "document": ("CreativeWork", "E73_Information_Object"),
}
LIFE_EVENTS = {"birth": ("birthDate", "E67_Birth", "P98_brought_into_life"),
               "death": ("deathDate", "E69_Death", "P100_was_death_of")}


def dated(value: str) -> ox.Literal:
    """An ISO date as the XSD type its precision says (1893 → gYear), other text as a string."""
    for pattern, kind in ((r"-?\d{4}-\d{2}-\d{2}", "date"), (r"-?\d{4}-\d{2}", "gYearMonth"), (r"-?\d{4}", "gYear")):
        if re.fullmatch(pattern, value):
            return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))
    return ox.Literal(value)


class Triples:
    """The triples of one graph as they are stated, deduplicated; `ntriples()` in a stable order.

    Each is kept as its three terms in N-Triples form (the terms shared: a subject or a predicate
    is one string however many triples name it), not as pyoxigraph objects: at 2,000 documents
    (213,828 triples, most of them an entry's `subjectOf`/`P67i` a document) those took 165 MB,
    and 117 MB of it stayed with the process after the graph was written (terms: 60 and 29 MB)."""

    def __init__(self):
        self.found: set[tuple[str, str, str]] = set()
        self.iris: dict[str, str] = {}  # an IRI as written → its term
        self.literals: dict[str, str] = {}  # a literal's term → itself (one string for all its triples)
        self.entity = None  # the register entry being described
        self.rejected: list[tuple[object, str]] = []  # (entry, value) that is no valid IRI: left out

    def add(self, subject: str, predicate: str, obj) -> None:
        try:
            value = self._term(str(obj)) if isinstance(obj, (ox.Literal, ox.NamedNode)) else self._iri(obj)
            self.found.add((self._iri(subject), self._iri(predicate), value))
        except ValueError:  # an authority URL as written, say with a '|': not an IRI
            self.rejected.append((self.entity, str(obj)))

    def _iri(self, text: str) -> str:
        """`text` as an IRI term, checked once however many triples name it (ValueError: no IRI)."""
        found = self.iris.get(text)
        if found is None:
            found = self.iris[text] = str(ox.NamedNode(text))
        return found

    def _term(self, term: str) -> str:
        return self.literals.setdefault(term, term)

    def ntriples(self) -> bytes:
        """The graph as N-Triples, sorted by subject, predicate and object (as written); encoded
        some thousand lines at a time: the text of all of them, its lines and its bytes at once
        held some 400 MB at 10,000 documents."""
        out, ordered = io.BytesIO(), sorted(self.found)
        for start in range(0, len(ordered), LINES_AT_ONCE):
            out.write("".join(f"{s} {p} {o} .\n" for s, p, o in ordered[start:start + LINES_AT_ONCE]).encode("utf-8"))
        return out.getvalue()


def _time_span(g: Triples, node: str, begin: str, end: str) -> None:
    span = f"{node}-time-span"
    g.add(node, CRM + "P4_has_time-span", span)
    g.add(span, RDF_TYPE, CRM + "E52_Time-Span")
    if begin:
        g.add(span, CRM + "P82a_begin_of_the_begin", dated(begin))
    if end:
        g.add(span, CRM + "P82b_end_of_the_end", dated(end))


def _literal(text: str, lang: str | None) -> ox.Literal:
    """A name with its language; without it when its xml:lang is no language tag (say de_AT)."""
    try:
        return ox.Literal(text, language=lang) if lang else ox.Literal(text)
    except ValueError:
        return ox.Literal(text)


def _describe(g: Triples, site: Site, entity, base: str, mentioned_in: list[str]) -> None:
    card = site.card(entity)
    me = base + card.get("href")
    schema_class, crm_class = CLASSES[entity.kind]
    g.add(me, RDF_TYPE, SCHEMA + schema_class)
    g.add(me, RDF_TYPE, CRM + crm_class)
    g.add(me, SCHEMA + "identifier", ox.Literal(entity.id))
    g.add(me, SCHEMA + "url", me)
    for n, name in enumerate(card.iterfind("name"), start=1):
        text = (name.text or "").strip()
        if not text:
            continue
        literal = _literal(text, name.get("lang"))
        g.add(me, SCHEMA + ("name" if n == 1 else "alternateName"), literal)
        appellation = f"{me}#name-{n}"
        g.add(me, CRM + "P1_is_identified_by", appellation)
        g.add(appellation, RDF_TYPE, CRM + "E41_Appellation")
        g.add(appellation, CRM + "P190_has_symbolic_content", literal)
    for n, idno in enumerate(card.iterfind("idno"), start=1):
        identifier = f"{me}#identifier-{n}"
        g.add(me, CRM + "P1_is_identified_by", identifier)
        g.add(identifier, RDF_TYPE, CRM + "E42_Identifier")
        g.add(identifier, CRM + "P190_has_symbolic_content", ox.Literal((idno.text or "").strip()))
        if idno.get("url"):
            g.add(me, SCHEMA + "sameAs", idno.get("url"))
    for tag, (schema_date, crm_event, crm_link) in LIFE_EVENTS.items():
        if card.get(tag):
            g.add(me, SCHEMA + schema_date, dated(card.get(tag)))
            happening = f"{me}#{tag}"
            g.add(happening, RDF_TYPE, CRM + crm_event)
            g.add(happening, CRM + crm_link, me)
            _time_span(g, happening, card.get(tag), card.get(tag))
    if entity.kind == "event":
        begin, end = card.get("from") or card.get("when") or "", card.get("to") or card.get("when") or ""
        if begin:
            g.add(me, SCHEMA + "startDate", dated(begin))
        if end:
            g.add(me, SCHEMA + "endDate", dated(end))
        if begin or end:
            _time_span(g, me, begin, end)
    if entity.kind == "document":
        if card.get("when"):
            g.add(me, SCHEMA + "dateCreated", dated(card.get("when")))
        if card.findtext("author"):
            g.add(me, SCHEMA + "author", ox.Literal(card.findtext("author")))
    for page in mentioned_in:
        g.add(me, CRM + "P67i_is_referred_to_by", base + page)
        g.add(me, SCHEMA + "subjectOf", base + page)


def registers_graph(site: Site, base_url: str = "", rejected: list | None = None) -> bytes:
    """Every register entry of the edition as RDF, N-Triples in a stable order; `rejected` gets
    (entry, value) for each value left out because it is no valid IRI."""
    base = base_url or PLACEHOLDER_BASE
    g = Triples()
    g.rejected = rejected if rejected is not None else []
    mentioned = site.documents_of_entity
    href = {path: info.href for path, info in site.by_doc.items()}  # each page's address once
    for ident in sorted(site.index.entities):
        entity = site.index.entities[ident]
        if entity.kind not in CLASSES:
            continue
        pages = sorted(href[p] for p in mentioned.get(ident, ()) if p in href)
        g.entity = entity
        _describe(g, site, entity, base, pages)
    return g.ntriples()


def registers_triples(site: Site, base_url: str = "", rejected: list | None = None) -> list:
    """registers_graph() as pyoxigraph triples (for tests and small graphs)."""
    return list(_read(registers_graph(site, base_url, rejected)))


def _read(graph) -> Iterator:
    """The triples of N-Triples text, one at a time (a list of triples is taken as it is)."""
    return ox.parse(graph, format=ox.RdfFormat.N_TRIPLES) if isinstance(graph, bytes) else iter(graph)


def turtle(graph) -> bytes:
    return ox.serialize(_read(graph), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def json_ld(graph) -> bytes:
    """JSON-LD in expanded form (full IRIs: any JSON-LD processor reads it without a context)."""
    return ox.serialize(_read(graph), format=ox.RdfFormat.JSON_LD)


def as_rdflib(graph):
    """The graph (N-Triples text, or triples) as an rdflib Graph (for pySHACL and for tests)."""
    from rdflib import Graph

    text = graph if isinstance(graph, bytes) else ox.serialize(graph, format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=text.decode("utf-8"), format="nt")


FILES = ("registers.ttl", "registers.jsonld")


def write_registers(ctx, site: Site, folder: Path) -> list[Diagnostic]:
    """SITE_FILES entry: data/registers.ttl and data/registers.jsonld (unless `[html] linked_data =
    false`), and the shapes' findings when `[html] shapes = true`. The files of the last build
    are linked while everything they are made from is unchanged (`inputs_key`)."""
    from tei_edition.interfaces.shapes import check_graph

    if not ctx.config.html.linked_data:
        return []
    target = folder / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    store = Store(ctx.config.output, "rdf") if ctx.incremental else None
    key = inputs_key(site, ctx.config.html.base_url) if store is not None else ""
    # the shapes' findings are made from the graph: with shapes on, the graph is made every time
    if store is not None and not ctx.config.html.shapes and _reuse(store.data, key, ctx.config.output / "html", target):
        return []
    rejected: list = []
    graph = registers_graph(site, ctx.config.html.base_url, rejected)
    digests = []
    for name, serialise in zip(FILES, (turtle, json_ld)):
        (target / name).unlink(missing_ok=True)  # never write through a link to the published file
        body = serialise(graph)  # one at a time (80 MB of JSON-LD at 10,000 documents)
        (target / name).write_bytes(body)
        digests.append(digest(body))
        del body
    found = [_left_out(entity, value) for entity, value in rejected]
    if store is not None:  # with values left out, the files are made again, so the warnings are given again
        store.save({"key": key, "files": digests} if not rejected else {})
    if not ctx.config.html.shapes:
        return found
    return found + check_graph(as_rdflib(graph), entities_by_iri(site, ctx.config.html.base_url))


def inputs_key(site: Site, base_url: str) -> str:
    """What the graph is made from: the code, the base URL, the files that hold the register
    entries (each entry's card is made from its element), each entry's id and kind, and the
    pages of the documents that mention it."""
    entities = site.index.entities
    mentioned = site.documents_of_entity
    holders = sorted({str(e.doc.path): e.doc.path for e in entities.values() if e.kind in CLASSES}.items())
    parts = [code_key("rdf"), base_url]
    parts += [f"{name}\0{file_digest(path)}" for name, path in holders]
    href = {path: info.href for path, info in site.by_doc.items()}
    for ident in sorted(entities):
        entity = entities[ident]
        if entity.kind in CLASSES:
            pages = sorted(href[p] for p in mentioned.get(ident, ()) if p in href)
            parts.append("\0".join((ident, entity.kind, str(entity.doc.path), *pages)))
    return digest(*parts)


def _reuse(record: dict, key: str, previous: Path, target: Path) -> bool:
    """Link the last build's files into `target` when they were made from `key` and are still as
    they were made (the record is kept beside the site: the files themselves are checked)."""
    files = record.get("files")
    if record.get("key") != key or not isinstance(files, list) or len(files) != len(FILES):
        return False
    old = [previous / FOLDER / name for name in FILES]
    try:
        if [digest(path.read_bytes()) for path in old] != files:
            return False
        for path in old:  # kept where they are when the site is updated in place, else linked
            link_or_copy(path, target / path.name)
    except OSError:
        return False
    return True


def _left_out(entity, value: str) -> Diagnostic:
    line, col = entity.doc.locate(entity.element)
    return Diagnostic(entity.doc.display, line, col, "warning",
                      f"the linked data (data/registers.ttl) leaves out {value!r}: it is no valid IRI", "rdf-iri",
                      "percent-encode the characters a web address may not hold (| { } ^ \\ and spaces)")


def entities_by_iri(site: Site, base_url: str) -> dict:
    """Register entries by the IRI the graph gives them (a node's IRI without its #fragment)."""
    base = base_url or PLACEHOLDER_BASE
    return {base + site.entity_href(e): e for e in site.index.entities.values() if e.kind in CLASSES}
