"""Schema checks: one adapter per schema language, each compiled once per process.

- `.xsd`: a fast path and a detailed path. libxml2 (lxml) checks each document first, on an
  XSD 1.0 view of the schema (its XSD 1.1 assertions left out, the XML namespace given a
  location); only a document it rejects goes to xmlschema, which is ~50× slower but reports
  every error with its reason, and which applies the assertions (XSD 1.1 when the schema
  has any). The project schema's assertions are repeated in its Schematron rules, so the
  fast path loses no check there. If libxml2 cannot load a schema, xmlschema does it all.
- `.rng`: lxml's RELAX NG (libxml2; fast, e.g. for TEI `tei_all.rng`)
- `.sch`: ISO Schematron through lxml.isoschematron (XSLT 1.0 query binding, run by libxslt).
  Chosen because it ships with lxml (no extra engine, no Java), compiles the rules to XSLT
  once and runs them at libxslt speed; the project rules need nothing beyond XPath 1.0. The
  compiled stylesheet is run without the walks it does not need (validate/schematron.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree, isoschematron

from tei_edition.model.corpus import Document
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.validate.schematron import faster

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
Check = Callable[[Document], Iterator[Diagnostic]]


class SchemaLoadError(Exception):
    """A configured schema that cannot be used; a usage error (exit 2), not a data problem."""


def _schema_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=None)
def load_check(path: Path) -> Check:
    try:
        if path.suffix == ".xsd":
            return _xsd_check(path)
        if path.suffix == ".rng":
            return _rng_check(path)
        if path.suffix == ".sch":
            return _sch_check(path)
    except (etree.LxmlError, OSError) as exc:
        raise SchemaLoadError(f"{display_path(path)}: cannot load schema: {exc}") from None
    except Exception as exc:  # xmlschema raises its own exception family
        raise SchemaLoadError(f"{display_path(path)}: cannot load schema: {exc}") from None
    raise SchemaLoadError(f"{display_path(path)}: unsupported schema type {path.suffix}")


XML_NAMESPACE_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang"><xs:simpleType><xs:union memberTypes="xs:language">
    <xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction></xs:simpleType>
  </xs:union></xs:simpleType></xs:attribute>
  <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
    <xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType></xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>"""
XML_NAMESPACE_URL = "tei-edition-xml-namespace.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
VC_MIN = "{http://www.w3.org/2007/XMLSchema-versioning}minVersion"


def _libxml2_view(path: Path) -> etree.XMLSchema | None:
    """The schema as libxml2 can load it (XSD 1.0, XML namespace located), or None."""
    tree = etree.parse(str(path), _schema_parser())
    for el in list(tree.iter(f"{XS}assert", f"{XS}assertion")):
        el.getparent().remove(el)
    for el in list(tree.iter()):
        if isinstance(el.tag, str) and el.get(VC_MIN, "1.0") > "1.0" and el.getparent() is not None:
            el.getparent().remove(el)
    for imp in tree.iter(f"{XS}import"):
        if imp.get("namespace") == "http://www.w3.org/XML/1998/namespace" and not imp.get("schemaLocation"):
            imp.set("schemaLocation", XML_NAMESPACE_URL)  # answered by the resolver below, offline
    parser = _schema_parser()

    class XmlNamespace(etree.Resolver):
        def resolve(self, url, pubid, context):
            return self.resolve_string(XML_NAMESPACE_XSD, context) if url.endswith(XML_NAMESPACE_URL) else None

    parser.resolvers.add(XmlNamespace())
    try:
        return etree.XMLSchema(etree.fromstring(etree.tostring(tree), parser, base_url=str(path)))
    except etree.XMLSchemaParseError:
        return None


def _xmlschema(path: Path):
    import xmlschema  # imported only when needed: the import alone takes about a second

    text = path.read_text(encoding="utf-8")
    cls = xmlschema.XMLSchema11 if ("xs:assert" in text or 'minVersion="1.1"' in text) else xmlschema.XMLSchema10
    # local files only (never a network fetch for an import), and no entity expansion
    return cls(str(path), allow="local", defuse="always")


def _xsd_check(path: Path) -> Check:
    fast = _libxml2_view(path)
    detailed = None  # loaded when the first document fails the fast check
    if fast is None:
        detailed = _xmlschema(path)  # fails now, as a load error, if the schema is broken
    name = path.name

    def check(doc: Document) -> Iterator[Diagnostic]:
        nonlocal detailed
        if fast is not None and fast.validate(doc.tree):
            return
        if detailed is None:
            detailed = _xmlschema(path)
        for err in detailed.iter_errors(doc.tree):
            el = err.elem if isinstance(getattr(err, "elem", None), etree._Element) else None
            line, col = doc.locate(el) if el is not None else (getattr(err, "sourceline", None) or 1, 1)
            reason = " ".join(str(err.reason or err.message).split())
            yield Diagnostic(doc.display, line, col, "error", f"{name}: {reason}", "xsd",
                             "see the element's documentation in the schema (the encoding guide)")

    return check


def _rng_check(path: Path) -> Check:
    rng = etree.RelaxNG(etree.parse(str(path), _schema_parser()))
    name = path.name

    def check(doc: Document) -> Iterator[Diagnostic]:
        if rng.validate(doc.tree):
            return
        for e in rng.error_log:
            yield Diagnostic(doc.display, e.line or 1, max(e.column, 1), "error", f"{name}: {e.message}", "rng",
                             "make the element conform to the RELAX NG schema")

    return check


def _sch_check(path: Path) -> Check:
    compiled = isoschematron.Schematron(etree.parse(str(path), _schema_parser()), store_xslt=True)
    validator = etree.XSLT(faster(compiled.validator_xslt))  # the same report, fewer walks
    name = path.name

    def check(doc: Document) -> Iterator[Diagnostic]:
        report = validator(doc.tree)
        # as lxml's Schematron.validate(): a document without a failed assert is valid
        if next(report.iter(f"{SVRL}failed-assert"), None) is None:
            return
        for fired in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            location = fired.get("location", "")
            try:
                hits = doc.tree.xpath(location) if location else []
            except etree.XPathError:
                hits = []
            el = hits[0] if hits and isinstance(hits[0], etree._Element) else None
            line, col = doc.locate(el) if el is not None else (1, 1)
            role = (fired.get("role") or "error").lower()
            severity = "warning" if role in {"warning", "warn", "info", "information"} else "error"
            text = " ".join("".join(fired.findtext(f"{SVRL}text") or "").split())
            rule = fired.get("id") or "schematron"
            yield Diagnostic(doc.display, line, col, severity, f"{text}", rule, f"rule from {name}")

    return check
