"""The encoding guidelines, generated from the documentation in the project schema.

The XSD documents every element, attribute, attribute group, content model and datatype in
`xs:documentation`; this module turns that into one HTML fragment
(`<article class="encoding-guide">`), which the HTML writer puts into the site as guide.html.
The guide therefore says exactly what the schema allows: change the schema, and the next build
changes the guide.

What it reads, in the schema's own order:
- a comment `<!-- N. Title -->` between top-level declarations starts a section;
- `xs:element` (global) and `xs:group` that declares one element: an element entry with its
  documentation, its attributes (own and from attribute groups, each with its documentation),
  what it may contain and where it may appear;
- `xs:group` without an element: a content model ("model.inline"), listed with its members;
- `xs:attributeGroup` and `xs:simpleType`: attribute groups and datatypes.
XML examples in the documentation (`<persName ref="#x">…</persName>`) and attribute names
(`@ref`) are shown as code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml.html import builder as h

from tei_edition.cache.store import file_digest
from tei_edition.config import Config

XS = "http://www.w3.org/2001/XMLSchema"
X = f"{{{XS}}}"
# An XML example written in the documentation: <a ...>...</a> or <a .../>, or an attribute: @ref
CODE = re.compile(r"<([\w:.-]+)\b[^<>]*>.*?</\1>|<[\w:.-]+\b[^<>]*/>|@[\w-]+(?::[\w-]+)?", re.S)
SECTION = re.compile(r"^\s*(\d+)\.\s+(.+?)\s*$")


@dataclass
class Entry:
    kind: str  # element | model | attributes | datatype
    name: str
    doc: str
    decl: etree._Element
    attributes: list[tuple[str, str, str, list[str]]] = field(default_factory=list)  # name, doc, type, values
    values: list[str] = field(default_factory=list)  # a datatype's enumerated values
    rules: list[str] = field(default_factory=list)  # documentation of xs:assert (XSD 1.1 rules)
    content_type: str | None = None  # the named complex type it uses
    attribute_groups: list[str] = field(default_factory=list)
    contains: list[str] = field(default_factory=list)  # names of groups it refers to, in order
    mixed: bool = False

    @property
    def anchor(self) -> str:
        return {"element": "el", "model": "model", "attributes": "att", "datatype": "type"}[self.kind] + "-" + self.name


def documentation(decl: etree._Element) -> str:
    docs = decl.findall(f"{X}annotation/{X}documentation")
    return "\n\n".join(_dedent("".join(d.itertext())) for d in docs).strip()


def _dedent(text: str) -> str:
    """Paragraphs (blank-line separated) with their lines joined."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _local(qname: str | None) -> str:
    return (qname or "").split(":")[-1]


def read_schema(path: Path) -> tuple[str, list[tuple[str, list[Entry]]]]:
    """(documentation of the schema, [(section title, entries)]) in the schema's order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    intro = "\n\n".join(documentation(a.getparent()) for a in root.findall(f"{X}annotation")[:1])
    types = {ct.get("name"): ct for ct in root.findall(f"{X}complexType")}
    sections: list[tuple[str, list[Entry]]] = [("Overview", [])]
    for node in root:
        if isinstance(node, etree._Comment):
            m = SECTION.match(node.text or "")
            if m:
                sections.append((m.group(2), []))
            continue
        if not isinstance(node.tag, str):
            continue
        entry = _entry(node, types)
        if entry is not None:
            sections[-1][1].append(entry)
    sections = [(title, entries) for title, entries in sections if entries]
    # Editors look up elements; attribute groups, content models and datatypes are reference,
    # so sections with elements come first (each group keeps the schema's order).
    with_elements = [s for s in sections if any(e.kind == "element" for e in s[1])]
    return intro, with_elements + [s for s in sections if s not in with_elements]


def _entry(node: etree._Element, types: dict[str, etree._Element]) -> Entry | None:
    tag = etree.QName(node).localname
    if tag == "element":
        return _element(node, types)
    if tag == "complexType":  # a named content type shared by several elements
        entry = Entry("model", node.get("name"), documentation(node), node)
        _content(node, entry, types, set())
        return entry
    if tag == "group":
        inner = node.find(f"{X}sequence/{X}element[@name]")
        if inner is not None and len(node.findall(f".//{X}element[@name]")) >= 1 and \
                inner.get("name") == node.get("name"):
            return _element(inner, types)
        members = [_local(g.get("ref")) for g in node.iter(f"{X}group") if g is not node and g.get("ref")]
        return Entry("model", node.get("name"), documentation(node), node, contains=members)
    if tag == "attributeGroup":
        entry = Entry("attributes", node.get("name"), documentation(node), node)
        _attributes(node, entry)
        return entry
    if tag == "simpleType":
        return Entry("datatype", node.get("name"), documentation(node), node, values=_values(node))
    return None


def _element(decl: etree._Element, types: dict[str, etree._Element]) -> Entry:
    entry = Entry("element", decl.get("name"), documentation(decl), decl)
    complex_type = decl.find(f"{X}complexType")
    named = _local(decl.get("type"))
    if complex_type is None and named in types:
        entry.content_type = named
        complex_type = types[named]
    if complex_type is not None:
        _content(complex_type, entry, types, set())
    elif decl.get("type"):  # a simple type: text only
        entry.mixed = True
    return entry


def _content(complex_type: etree._Element, entry: Entry, types: dict[str, etree._Element], seen: set[str]) -> None:
    """What a complex type gives an element: text?, child groups, attributes, rules (with its base's)."""
    entry.mixed = entry.mixed or complex_type.get("mixed") == "true" \
        or complex_type.find(f"{X}simpleContent") is not None
    for derived in complex_type.xpath("xs:complexContent/* | xs:simpleContent/*", namespaces={"xs": XS}):
        base = _local(derived.get("base"))
        if base in types and base not in seen:
            seen.add(base)
            entry.content_type = entry.content_type or base
            _content(types[base], entry, types, seen)
    _attributes(complex_type, entry)
    entry.contains += [_local(g.get("ref")) for g in complex_type.iter(f"{X}group") if g.get("ref")]
    entry.rules += [documentation(a) for a in complex_type.iter(f"{X}assert") if documentation(a)]


def _attributes(parent: etree._Element, entry: Entry) -> None:
    for node in parent.iter(f"{X}attribute", f"{X}attributeGroup"):
        if node is parent:
            continue
        if etree.QName(node).localname == "attributeGroup":
            if node.get("ref"):
                entry.attribute_groups.append(_local(node.get("ref")))
            continue
        name = node.get("name") or node.get("ref")
        if name:
            entry.attributes.append((name, documentation(node), _local(node.get("type")), _values(node)))


def _values(node: etree._Element) -> list[str]:
    return [e.get("value") for e in node.iter(f"{X}enumeration")]


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

def _rich(text: str, parent: etree._Element) -> None:
    """Append `text` to `parent` with XML examples and @attributes as <code>."""
    position = 0
    last = None
    for m in CODE.finditer(text):
        before = text[position:m.start()]
        if last is None:
            parent.text = (parent.text or "") + before
        else:
            last.tail = (last.tail or "") + before
        last = h.CODE(m.group())
        parent.append(last)
        position = m.end()
    rest = text[position:]
    if last is None:
        parent.text = (parent.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


def _paragraphs(text: str, parent: etree._Element, css: str | None = None) -> None:
    for para in text.split("\n\n"):
        if para.strip():
            p = h.P(h.CLASS(css)) if css else h.P()
            _rich(para, p)
            parent.append(p)


def _links(names: list[str], known: dict[str, Entry]) -> list:
    """Comma-separated links to the entries named (plain text for unknown names)."""
    out: list = []
    for i, name in enumerate(dict.fromkeys(names)):
        if i:
            out.append(", ")
        entry = known.get(name)
        out.append(h.A(h.CODE(name), href=f"#{entry.anchor}") if entry else h.CODE(name))
    return out


def _codes(values: list[str]) -> list:
    out: list = []
    for i, value in enumerate(values):
        out += ([", "] if i else []) + [h.CODE(value)]
    return out


def _parents(entries: list[Entry], known: dict[str, Entry]) -> dict[str, list[str]]:
    """element name → the elements whose content may hold it (through content models too)."""
    def expand(name: str, seen: set[str]) -> set[str]:
        entry = known.get(name)
        if entry is None or name in seen:
            return set()
        if entry.kind == "element":
            return {name}
        seen.add(name)
        return set().union(*(expand(m, seen) for m in entry.contains)) if entry.contains else set()

    parents: dict[str, list[str]] = {}
    for entry in entries:
        if entry.kind != "element":
            continue
        for child in sorted(set().union(*(expand(c, set()) for c in entry.contains)) if entry.contains else set()):
            parents.setdefault(child, []).append(entry.name)
    return parents


def render(intro: str, sections: list[tuple[str, list[Entry]]], source: str) -> str:
    entries = [e for _, es in sections for e in es]
    known = {e.name: e for e in entries}
    parents = _parents(entries, known)
    article = h.E.article(**{"class": "encoding-guide", "lang": "en"})
    header = h.E.header(h.H1("Encoding guidelines"))
    _paragraphs(intro, header)
    header.append(h.P(h.CLASS("guide-source"),
                      f"Generated from the documentation in the project schema ({source}) each time the "
                      f"edition is built: it lists every element, attribute and value the schema allows "
                      f"({sum(e.kind == 'element' for e in entries)} elements)."))
    article.append(header)

    toc = h.E.nav(h.CLASS("guide-toc"), h.H2("Contents"), **{"aria-label": "Contents of the encoding guidelines"})
    toc_list = h.OL()
    toc.append(toc_list)
    article.append(toc)
    for number, (title, items) in enumerate(sections, start=1):
        anchor = f"section-{number}"
        toc_list.append(h.LI(h.A(title, href=f"#{anchor}")))
        section = h.E.section(h.CLASS("guide-section"), h.H2(title), id=anchor)
        if all(e.kind == "element" for e in items):
            section.append(h.P(h.CLASS("guide-index"), "Elements: ", *_links([e.name for e in items], known)))
        for entry in items:
            section.append(_entry_html(entry, known, parents))
        article.append(section)
    return etree.tostring(article, method="html", encoding="unicode")


def _entry_html(entry: Entry, known: dict[str, Entry], parents: dict[str, list[str]]) -> etree._Element:
    label = {"element": f"<{entry.name}>", "model": entry.name, "attributes": entry.name,
             "datatype": entry.name}[entry.kind]
    kind_label = {"element": "element", "model": "content model", "attributes": "attribute group",
                  "datatype": "datatype"}[entry.kind]
    block = h.E.section(h.CLASS(f"guide-entry guide-{entry.kind}"), id=entry.anchor)
    block.append(h.H3(h.CODE(label), " ", h.SPAN(h.CLASS("guide-kind"), kind_label)))
    _paragraphs(entry.doc or "(not documented in the schema)", block)
    if entry.attributes:
        dl = h.DL(h.CLASS("guide-attributes"))
        for name, doc, datatype, values in entry.attributes:
            dl.append(h.DT(h.CODE(f"@{name}")))
            dd = h.DD()
            _rich(" ".join(doc.split("\n\n")) or "(not documented in the schema)", dd)
            if values:
                dd.append(h.SPAN(h.CLASS("guide-values"), " Values: ", *_codes(values), "."))
            elif datatype in known:
                dd.append(h.SPAN(h.CLASS("guide-values"), " Value: ", *_links([datatype], known), "."))
            dl.append(dd)
        block.append(h.P(h.CLASS("guide-label"), "Attributes:"))
        block.append(dl)
    if entry.attribute_groups:
        block.append(h.P(h.CLASS("guide-label"), "Attributes from: ", *_links(entry.attribute_groups, known)))
    if entry.rules:
        block.append(h.P(h.CLASS("guide-label"), "Rules:"))
        rules = h.UL(h.CLASS("guide-rules"))
        for rule in entry.rules:
            li = h.LI()
            _rich(" ".join(rule.split("\n\n")), li)
            rules.append(li)
        block.append(rules)
    if entry.kind == "element":
        contains = _links(entry.contains, known)
        if entry.mixed:
            contains = ["text"] + ([", "] if contains else []) + contains
        block.append(h.P(h.CLASS("guide-label"), "May contain: ", *(contains or ["nothing (an empty element)"])))
        if entry.content_type:
            block.append(h.P(h.CLASS("guide-label"), "Content type: ", *_links([entry.content_type], known)))
        if entry.name in parents:
            block.append(h.P(h.CLASS("guide-label"), "May appear in: ", *_links(parents[entry.name], known)))
    elif entry.kind == "datatype" and entry.values:
        block.append(h.P(h.CLASS("guide-label"), "Values: ", *_codes(entry.values)))
    elif entry.kind == "model" and entry.contains:
        block.append(h.P(h.CLASS("guide-label"), "Members: ", *_links(entry.contains, known)))
    return block


def guide_body(config: Config) -> str:
    """The guide for the edition's project schema (its first .xsd) as an HTML fragment."""
    schema = next((p for p in config.schemas if p.suffix == ".xsd"), None)
    if schema is None:
        article = h.E.article(h.CLASS("encoding-guide"), h.H1("Encoding guidelines"),
                              h.P("This edition names no XML Schema (.xsd) in its config, so there is no "
                                  "schema documentation to show here."))
        return etree.tostring(article, method="html", encoding="unicode")
    try:
        source = schema.relative_to(config.root).as_posix()
    except ValueError:
        source = schema.name
    return _guide(schema, file_digest(schema), source)


@lru_cache(maxsize=8)
def _guide(schema: Path, content: str, source: str) -> str:
    """The guide of one version (`content`: its hash) of a schema; kept for the next rebuild of
    a long-running process (edition serve) while the schema is unchanged."""
    intro, sections = read_schema(schema)
    return render(intro, sections, source)
