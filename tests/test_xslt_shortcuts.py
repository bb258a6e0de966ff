"""The page stylesheets' shortcuts (docs/performance.md, "Seventh session: page stylesheets")
say what the slower way said: dates parsed without a regular expression in the usual case, the
reference numbers of the cards counted by an accumulator instead of xsl:number, block names
looked up in a map."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_edition.render.xslt import node, processor

XSLT = Path(__file__).resolve().parents[1] / "xslt"


def _run(tmp_path: Path, body: str, source: str = "<r/>") -> list[str]:
    """Evaluate `body` (an XPath expression whose items are strings) over `source`, in a
    stylesheet that imports the web edition's base (common layer included)."""
    xsl = tmp_path / "probe.xsl"
    xsl.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tei="http://www.tei-c.org/ns/1.0"
        xmlns:ed="urn:tei-edition:functions" exclude-result-prefixes="#all">
      <xsl:import href="{(XSLT / 'html' / 'base.xsl').as_uri()}"/>
      <xsl:output method="text"/>
      <xsl:template match="/"><xsl:value-of select="{body}" separator="&#10;"/></xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    executable = processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xsl))
    return executable.transform_to_string(xdm_node=node(source)).split("\n")


@pytest.mark.parametrize("iso, parts", [
    ("1951-09-09", "1951|09|09"), ("1951-09", "1951|09|"), ("1951", "1951||"), (" 1951-12-31 ", "1951|12|31"),
    ("-0044-03-15", "-0044|03|15"), ("-0044", "-0044||"),
    # digits of another script are ISO digits to XPath's \d: the regular expression still decides
    ("١٩٥١-09", "١٩٥١|09|"), ("١٩٥١-٠٩", ""),
    # not ISO 8601: no parts
    ("1951-13", ""), ("1951-00", ""), ("1951-09-32", ""), ("1951-09-00", ""), ("1951-9-9", ""), ("19510", ""),
    ("195", ""), ("1951-", ""), ("--1951", ""), ("", ""), ("1951/09/09", ""), ("x951", ""), ("1951-09-0a", ""),
])
def test_date_parts(tmp_path, iso, parts):
    assert _run(tmp_path, f"string-join(ed:date-parts('{iso}'), '|')") == [parts]


@pytest.mark.parametrize("start, end, words", [
    ("1951-09-09", "1951-09-30", "9–30 September 1951"),
    ("1951-09-09", "1951-10-03", "9 September – 3 October 1951"),
    ("1951", "1952", "1951 – 1952"),
    ("1951-09", "1951-10-03", "September – 3 October 1951"),
    ("1951-09-09", "", "9 September 1951"),
    ("", "1951-09-30", "30 September 1951"),
    ("spring 1951", "1951-09-30", "spring 1951 – 30 September 1951"),
    ("-0044-03-01", "-0044-03-15", "1–15 March 44 BCE"),
])
def test_format_range(tmp_path, start, end, words):
    assert _run(tmp_path, f"ed:format-range('{start}', '{end}')") == [words]


def test_reference_count_is_what_xsl_number_counts(tmp_path):
    """Each element with a pointer: the accumulator's count, then xsl:number's, in a corpus of
    two documents (the count starts again at each TEI, which may itself carry a pointer)."""
    source = """<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><name ref="#z"/>
      <TEI ref="#q"><text><body><p><persName ref="#a">A <placeName key="k">B</placeName></persName>
        <ref target="#c">C</ref><note><rs ref="#d">D</rs></note></p></body></text></TEI>
      <TEI><text><body><p><persName ref="#a"/><orgName ref="#b"><name ref="#c"/></orgName></p></body></text></TEI>
    </teiCorpus>"""
    xsl = tmp_path / "count.xsl"
    xsl.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns:ed="urn:tei-edition:functions" exclude-result-prefixes="#all">
      <xsl:import href="{(XSLT / 'html' / 'base.xsl').as_uri()}"/>
      <xsl:output method="text"/>
      <xsl:template match="/">
        <xsl:for-each select="//tei:*[@ref or @key or @target]">
          <xsl:variable name="n"><xsl:number level="any" count="tei:*[@ref or @key or @target]" from="tei:TEI"/></xsl:variable>
          <xsl:value-of select="local-name() || '=' || accumulator-before('ed:reference-count') || '/' || $n || ' '"/>
        </xsl:for-each>
      </xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    executable = processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xsl))
    pairs = executable.transform_to_string(xdm_node=node(source)).split()
    assert pairs == ["name=1/1", "TEI=1/1", "persName=2/2", "placeName=3/3", "ref=4/4", "rs=5/5",
                     "persName=1/1", "orgName=2/2", "name=3/3"]


def test_block_names_as_maps(tmp_path):
    """A block name is a block; a sometimes-inline name only when it holds a block; a note never."""
    source = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
      <p>x</p><label>y</label><label><list><item>z</item></list></label><persName>n</persName>
      <persName><p>w</p></persName><note><p>v</p></note><quote>q</quote></body></text></TEI>"""
    got = _run(tmp_path, "//*:body/* ! (local-name() || '=' || ed:is-block(.))", source)
    assert got == ["p=true", "label=false", "label=true", "persName=false", "persName=true", "note=false", "quote=false"]
