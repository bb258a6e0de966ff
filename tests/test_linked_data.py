"""Linked data: the registers as schema.org + CIDOC CRM RDF, published as Turtle and JSON-LD with
the site, conform to the SHACL shapes (pySHACL) for the bundled edition and a real corpus's
registers; a shape violation is reported at the register entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from helpers import SHARED, run_writers, write_bundled_config
from tei_edition.config import load_config
from tei_edition.interfaces.rdf import PLACEHOLDER_BASE, as_rdflib, entities_by_iri, registers_triples
from tei_edition.interfaces.shapes import check_graph, violations
from tei_edition.model.edition import Site
from tei_edition.validate import index_edition

SCHEMA = Namespace("https://schema.org/")
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
MAO = URIRef(PLACEHOLDER_BASE + "persons/mao-zedong.html")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> tuple[Site, Graph]:
    config = load_config(write_bundled_config(tmp_path_factory.mktemp("rdf")))
    site = Site(index_edition(config).index)
    return site, as_rdflib(registers_triples(site))


def test_bundled_registers_state_each_entry_in_both_vocabularies(bundled):
    site, g = bundled
    assert {SCHEMA.Person, CRM.E21_Person} <= set(g.objects(MAO, RDF.type))
    assert str(g.value(MAO, SCHEMA.name)) == "Mao Zedong"
    assert Literal("毛泽东", lang="zh-Hans") in set(g.objects(MAO, SCHEMA.alternateName))
    names = {str(g.value(n, CRM.P190_has_symbolic_content)) for n in g.objects(MAO, CRM.P1_is_identified_by)}
    assert {"Mao Zedong", "毛泽东"} <= names
    assert URIRef(PLACEHOLDER_BASE + "documents/meeting-1951-09-09-mutual-aid.html") in set(
        g.objects(MAO, CRM.P67i_is_referred_to_by))
    counted = {kind: sum(1 for e in site.index.entities.values() if e.kind == kind) for kind in ("person", "place")}
    assert len(set(g.subjects(RDF.type, CRM.E21_Person))) == counted["person"]
    assert len(set(g.subjects(RDF.type, CRM.E53_Place))) == counted["place"]


def test_bundled_registers_conform_to_the_shapes(bundled):
    _site, g = bundled
    assert violations(g) == []


def test_a_violation_names_the_register_entry(bundled):
    site, g = bundled
    broken = Graph()
    for triple in g:
        broken.add(triple)
    broken.remove((MAO, SCHEMA.name, None))
    broken.add((MAO, SCHEMA.sameAs, Literal("not an IRI")))
    found = check_graph(broken, entities_by_iri(site, ""))
    assert {d.rule for d in found} == {"rdf-shape"}
    texts = [d.format() for d in found]
    assert any("tei/registers/persons.xml:" in t and "'mao-zedong'" in t and "main name" in t for t in texts), texts
    assert any("authority record" in t for t in texts), texts
    assert all(d.line > 1 for d in found)


def test_site_publishes_turtle_and_json_ld_of_the_same_graph(tmp_path, bundled):
    _site, g = bundled
    config = write_bundled_config(tmp_path)
    diagnostics, _seconds = run_writers(config)
    assert not [d for d in diagnostics if d.severity == "error"]
    data = tmp_path / "output" / "html" / "data"
    turtle = Graph().parse(data / "registers.ttl", format="turtle")
    json_ld = Graph().parse(data / "registers.jsonld", format="json-ld")
    assert len(turtle) == len(json_ld) == len(g)
    assert set(turtle) == set(json_ld) == set(g)


def test_a_real_corpus_registers_conform_to_the_shapes(tmp_path):
    """legalkraus' registers (1,687 persons, places, organisations, works) with three of its documents."""
    corpus = SHARED / "corpora" / "legalkraus" / "data"
    if not corpus.is_dir():
        pytest.fail(f"the real corpora are missing: {corpus}")
    (tmp_path / "tei").mkdir()
    for name in ("D_000001-001-000.xml", "D_000001-003-000.xml", "D_000002-001-000.xml"):
        shutil.copy(corpus / "editions" / name, tmp_path / "tei")
    (tmp_path / "edition.toml").write_text(
        f'[edition]\nsources = ["tei/*.xml"]\nregisters = ["{corpus / "indices"}/*.xml"]\n'
        '[html]\nbase-url = "https://example.org/legalkraus/"\n', encoding="utf-8")
    config = load_config(tmp_path / "edition.toml")
    site = Site(index_edition(config).index)
    g = as_rdflib(registers_triples(site, config.html.base_url))
    persons = set(g.subjects(RDF.type, CRM.E21_Person))
    assert len(persons) == 1687
    assert all(str(p).startswith("https://example.org/legalkraus/persons/") for p in persons)
    assert any(str(o).startswith("https://d-nb.info/gnd/") for o in g.objects(None, SCHEMA.sameAs))
    assert violations(g) == []


def test_shapes_are_package_data():
    from importlib.resources import files

    assert Path(str(files("tei_edition.interfaces").joinpath("shapes.ttl"))).is_file()


@pytest.mark.parametrize("options, published", [("shapes = true", True), ("dts = false\nlinked-data = false", False)])
def test_html_options_switch_the_published_interfaces(tmp_path, options, published):
    config = write_bundled_config(tmp_path)
    config.write_text(config.read_text("utf-8") + f"[html]\n{options}\n", encoding="utf-8")
    diagnostics, _seconds = run_writers(config)
    assert [d.format() for d in diagnostics if d.rule == "rdf-shape" or d.severity == "error"] == []
    site = tmp_path / "output" / "html"
    assert (site / "data" / "registers.ttl").is_file() is published
    assert (site / "api" / "dts" / "index.json").is_file() is published
    assert (site / "index.html").is_file()


BAD_REGISTER = """<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test register: an authority URL that is no IRI, a language tag that is none. -->
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>
    <publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Test</p></sourceDesc></fileDesc></teiHeader>
  <text><body><listPerson>
    <person xml:id="p1"><persName xml:lang="de_AT">Anna Test</persName>
      <idno type="URL">https://www.wikidata.org/wiki/Q1|x</idno></person>
  </listPerson></body></text>
</TEI>
"""


def test_a_value_that_is_no_iri_is_left_out_with_a_warning_at_its_entry(tmp_path):
    (tmp_path / "persons.xml").write_text(BAD_REGISTER, encoding="utf-8")
    (tmp_path / "doc.xml").write_text(BAD_REGISTER.replace("<listPerson>", "<p><persName ref=\"persons.xml#p1\">A</persName></p><listPerson>")
                                      .replace('xml:id="p1"', 'xml:id="q1"').replace("Persons", "Doc"), encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["doc.xml"]\nregisters = ["persons.xml"]\n', encoding="utf-8")
    found, _ = run_writers(tmp_path / "edition.toml", names=("html",))
    warnings = [d for d in found if d.rule == "rdf-iri"]
    assert warnings and all(d.path.endswith("persons.xml") or d.path.endswith("doc.xml") for d in warnings), found
    assert any(d.path.endswith("persons.xml") and d.line == 7 for d in warnings), [d.format() for d in warnings]
    turtle = (tmp_path / "output" / "html" / "data" / "registers.ttl").read_text(encoding="utf-8")
    # the name kept (without its tag), the identifier as text, but no sameAs to a non-IRI
    assert "Anna Test" in turtle and '"https://www.wikidata.org/wiki/Q1|x"' in turtle
    assert "<https://www.wikidata.org/wiki/Q1|x>" not in turtle
