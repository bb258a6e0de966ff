"""Schema checks: one adapter per schema language, each compiled once per process.

- `.xsd`: xmlschema (full reports with paths; XSD 1.1 when the schema uses assertions)
- `.rng`: lxml's RELAX NG (libxml2; fast, e.g. for TEI `tei_all.rng`)
- `.sch`: ISO Schematron through lxml.isoschematron (XSLT 1.0 query binding, run by libxslt).
  Chosen because it ships with lxml (no extra engine, no Java), compiles the rules to XSLT
  once and runs them at libxslt speed; the project rules need nothing beyond XPath 1.0.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree, isoschematron

from ..corpus import Document
from ..diagnostics import Diagnostic, display_path

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


def _xsd_check(path: Path) -> Check:
    import xmlschema

    text = path.read_text(encoding="utf-8")
    cls = xmlschema.XMLSchema11 if ("xs:assert" in text or 'minVersion="1.1"' in text) else xmlschema.XMLSchema10
    schema = cls(str(path))
    name = path.name

    def check(doc: Document) -> Iterator[Diagnostic]:
        for err in schema.iter_errors(doc.tree):
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
    schematron = isoschematron.Schematron(etree.parse(str(path), _schema_parser()), store_report=True)
    name = path.name

    def check(doc: Document) -> Iterator[Diagnostic]:
        if schematron.validate(doc.tree):
            return
        report = schematron.validation_report
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
