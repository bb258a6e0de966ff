"""The encoding guide is generated from the schema's documentation and never drifts from it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree, html

from tei_edition.build import build
from tei_edition.config import load_config
from tei_edition.writers.html.guide import guide_body

REPO = Path(__file__).resolve().parents[1]
XS = "{http://www.w3.org/2001/XMLSchema}"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def config():
    return load_config(REPO / "edition.toml")


@pytest.fixture(scope="module")
def guide(config) -> etree._Element:
    fragment = guide_body(config)
    assert fragment.startswith('<article class="encoding-guide"')
    return html.fragment_fromstring(fragment)


def test_every_element_of_the_schema_has_its_documentation(config, guide):
    schema = etree.parse(str(next(p for p in config.schemas if p.suffix == ".xsd")))
    declared = schema.findall(f".//{XS}element[@name]")
    assert len(declared) > 50
    for decl in declared:
        name = decl.get("name")
        entry = guide.get_element_by_id(f"el-{name}")
        doc = words("".join(decl.findtext(f"{XS}annotation/{XS}documentation") or ""))
        assert doc, f"<{name}> is not documented in the schema"
        assert doc in words(entry.text_content()), name
        assert entry.xpath(f"h3/code[. = '<{name}>']")


def test_attributes_are_listed_with_their_documentation(config, guide):
    schema = etree.parse(str(next(p for p in config.schemas if p.suffix == ".xsd")))
    persname = guide.get_element_by_id("el-persName")
    assert persname.xpath(".//a[@href='#att-att.naming']")
    naming = guide.get_element_by_id("att-att.naming")
    for attribute in schema.find(f".//{XS}attributeGroup[@name='att.naming']").iter(f"{XS}attribute"):
        name = attribute.get("name") or attribute.get("ref")
        assert naming.xpath(f".//dt/code[. = '@{name}']"), name


def test_content_types_rules_and_values_come_from_the_schema(guide):
    date = guide.get_element_by_id("el-date")  # declared with type="tei:datedPhrase.content"
    assert date.xpath(".//p[starts-with(., 'Attributes from')]/a/code/text()") == ["att.global", "att.datable"]
    rules = date.xpath(".//ul[@class='guide-rules']/li")  # the documentation of the xs:asserts
    assert rules and words(rules[0].text_content()).startswith("@when cannot be combined with")
    assert date.xpath(".//a[@href='#model-datedPhrase.content']")
    level = guide.get_element_by_id("type-titleLevel")
    assert words(level.text_content()).endswith("Values: a, m, j, s, u")


def test_every_internal_link_resolves(guide):
    ids = set(guide.xpath("//@id"))
    links = guide.xpath("//a/@href")
    assert links
    assert {href[1:] for href in links if href.startswith("#")} <= ids


def test_examples_are_code_and_structure_is_listed(guide):
    persname = guide.get_element_by_id("el-persName")
    codes = [c.text_content() for c in persname.iter("code")]
    assert '<persName ref="#chen-boda" role="presided">Chen Boda</persName>' in codes
    labels = words(persname.text_content())
    assert "May contain: text" in labels and "May appear in:" in labels


SYNTHETIC_XSD = """<?xml version="1.0"?>
<!-- Synthetic schema for the encoding-guide tests. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tei="http://www.tei-c.org/ns/1.0"
           targetNamespace="http://www.tei-c.org/ns/1.0" elementFormDefault="qualified">
  <xs:annotation><xs:documentation>Guide of a synthetic test edition.</xs:documentation></xs:annotation>
  <!-- 1. Everything -->
  <xs:element name="TEI">
    <xs:annotation><xs:documentation>DOC-TEI: {doc}</xs:documentation></xs:annotation>
    <xs:complexType><xs:sequence><xs:group ref="tei:p"/></xs:sequence></xs:complexType>
  </xs:element>
  <xs:group name="p"><xs:sequence><xs:element name="p">
    <xs:complexType mixed="true"><xs:attribute name="n" type="xs:string"/></xs:complexType>
  </xs:element></xs:sequence></xs:group>
</xs:schema>
"""


def synthetic_guide(tmp_path: Path, doc: str) -> str:
    (tmp_path / "edition.xsd").write_text(SYNTHETIC_XSD.replace("{doc}", doc), encoding="utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "a.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><p/></TEI>', encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["docs/*.xml"]\nschemas = ["edition.xsd"]\n',
                                           encoding="utf-8")
    return guide_body(load_config(tmp_path / "edition.toml"))


def test_guide_follows_the_schema_and_escapes_its_text(tmp_path):
    first = synthetic_guide(tmp_path, "the first wording")
    assert "DOC-TEI: the first wording" in first
    changed = synthetic_guide(tmp_path, "a new wording with &lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
    assert "the first wording" not in changed and "a new wording" in changed
    tree = html.fragment_fromstring(changed)
    assert not tree.xpath("//script"), "schema text must never become markup"
    assert "<script>alert(1)</script>" in [c.text_content() for c in tree.iter("code")]
    # an element without documentation says so instead of disappearing
    p = tree.get_element_by_id("el-p")
    assert "(not documented in the schema)" in p.text_content()
    assert p.xpath(".//dt/code[. = '@n']")


def test_guide_page_in_the_html_edition(config, tmp_path):
    """The HTML writer puts the fragment into guide.html (html writer by another engineer)."""
    built = replace(config, output=tmp_path / "out")
    assert build(built, only=["html"], log=lambda line: None) == 0
    page = html.parse(str(tmp_path / "out" / "html" / "guide.html"))
    article = page.xpath("//article[contains(@class, 'encoding-guide')]")
    assert article and article[0].xpath(".//section[@id='el-persName']")
    assert re.search(r"\d+ elements", article[0].text_content())
