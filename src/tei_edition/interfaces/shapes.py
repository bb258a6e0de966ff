"""Checks the registers' RDF against shapes.ttl (SHACL, with pySHACL); findings name the register entry.

A finding is a build warning (`rdf-shape`) at the entry's place in its register: the linked
data leaves out or misstates something the shapes require (a name, an identifier ...), which
the editor fixes in the TEI. The pages are written all the same.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import RDF, Graph, Namespace

from tei_edition.diagnostics import Diagnostic
from tei_edition.model.index import Entity

SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def shapes() -> Graph:
    return Graph().parse(data=files("tei_edition.interfaces").joinpath("shapes.ttl").read_text("utf-8"),
                         format="turtle")


def violations(g: Graph) -> list[tuple[str, str, str]]:
    """(focus node, property path, message) of every violation, sorted."""
    from pyshacl import validate

    conforms, report, _text = validate(g, shacl_graph=shapes(), inference="none", advanced=False)
    if conforms:
        return []
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found.append((str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath) or ""),
                      str(report.value(result, SH.resultMessage) or "does not conform")))
    return sorted(set(found))


def check_graph(g: Graph, by_iri: dict[str, Entity]) -> list[Diagnostic]:
    """The violations as warnings at the entries (`by_iri`: rdf.entities_by_iri)."""
    out = []
    for focus, path, message in violations(g):
        entity = by_iri.get(focus.split("#")[0])
        if entity is None:
            out.append(Diagnostic("data/registers.ttl", 1, 1, "warning", f"{focus}: {message}", "rdf-shape"))
            continue
        line, col = entity.doc.locate_spot(entity.spot)
        out.append(Diagnostic(entity.doc.display, line, col, "warning",
                              f"the {entity.kind} {entity.id!r} as linked data: {message}"
                              + (f" ({path})" if path else ""), "rdf-shape",
                              "state it in the register entry (docs/linked-data.md lists what each entry needs)"))
    return out
