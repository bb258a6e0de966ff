"""validate/schematron.py: the rewritten Schematron stylesheet reports exactly what lxml's does.

Each report (SVRL) is compared byte for byte with the one of the stylesheet as lxml compiled
it, less its fired-rule records (which the rewrite leaves out): for every bundled TEI file, for
documents broken against each project rule, and for a schema whose rules the rewrite must leave
walking (text(), key(), attributes, reports).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, isoschematron

from tei_edition.validate.schematron import XSL, faster
from tei_edition.validate.xpath_steps import descendant_axis

ROOT = Path(__file__).parents[1]
SCH_PATH = ROOT / "schema" / "edition.sch"
BUNDLED = sorted((ROOT / "tei").rglob("*.xml"))
MEETING = next(p for p in BUNDLED if "meetings" in p.parts)


def _both(schema: etree._ElementTree):
    compiled = isoschematron.Schematron(schema, store_xslt=True).validator_xslt
    return etree.XSLT(compiled), etree.XSLT(faster(compiled)), faster(compiled)


@pytest.fixture(scope="module")
def project():
    return _both(etree.parse(str(SCH_PATH)))


def _same(original, rewritten, tree) -> bytes:
    """lxml's report, less its svrl:fired-rule records (the rewrite writes none), byte for byte."""
    report = original(tree)
    fired = list(report.iter("{http://purl.oclc.org/dsdl/svrl}fired-rule"))
    for record in fired:
        record.getparent().remove(record)
    expected = etree.tostring(report)
    assert b"fired-rule" not in etree.tostring(rewritten(tree))
    assert etree.tostring(rewritten(tree)) == expected
    return expected


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_files_same_report(project, path):
    original, rewritten, _ = project
    _same(original, rewritten, etree.parse(str(path)))


# each edit breaks one or more project rules (a failed assert is in the report)
BREAKS = [
    ('role="editor"', ''),
    ('<licence target="', '<licence n="'),
    ('type="field" subtype="', 'type="field" n="'),
    ('<persName ref="#chen-boda">', '<persName>'),
    ('<rs type="document" ref="#liu-shaoqi-keynote-1951">', '<rs>'),
    ('role="speaker"', 'role="speaker listener"'),
    ('n="87" type="source"', 'type="source"'),
    ('n="a" type="editorial" place="foot" resp="#edition-editors"', 'type="editorial"'),
    ('<date when="', '<date when="1951-01-01" from="'),
    ('<date when="1952">', '<date>'),
    ('<date notAfter="1952-12-31">', '<date from="1952-01-01" notBefore="1952-01-01" to="1952-12-01" notAfter="1952-12-31">'),
    ('xml:lang="en"', 'xml:lang="xx"'),
    ('<change when="2026-11-29" who="#edition-editors">Encoded from the plain-text record 000_daf9fabc9e3a19bb; names, dates, documents and the citation linked to the registers.</change>', ''),
    ('<settingDesc>', '<settingDesc><setting><date/></setting>'),
]


@pytest.mark.parametrize("old,new", BREAKS)
def test_broken_documents_same_report(project, old, new):
    original, rewritten, _ = project
    text = MEETING.read_text(encoding="utf-8")
    assert old in text, old
    broken = text.replace(old, new)
    tree = etree.ElementTree(etree.fromstring(broken.encode()))
    report = _same(original, rewritten, tree)
    assert b"failed-assert" in report


def test_project_rules_visit_only_their_candidates(project):
    """Every pattern of the project schema runs from its candidates: no walk over every node left."""
    _, _, stylesheet = project
    walks = [a for a in stylesheet.iter(f"{XSL}apply-templates") if a.get("select") in ("@*|*", "/")]
    assert walks == []
    defaults = [a for a in stylesheet.iter(f"{XSL}apply-templates") if a.get("select") is None]
    assert defaults == []


ODD_SCHEMA = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <sch:pattern id="attributes">
    <sch:rule context="@ref"><sch:report id="ref-seen" test="starts-with(., '#')">ref <sch:value-of select="."/></sch:report></sch:rule>
  </sch:pattern>
  <sch:pattern id="texts">
    <sch:rule context="text()"><sch:assert id="never-walked" test="false()">text</sch:assert></sch:rule>
  </sch:pattern>
  <sch:pattern id="first-rule-wins">
    <sch:rule context="tei:persName[@ref]"><sch:assert id="first" test="false()">first</sch:assert></sch:rule>
    <sch:rule context="tei:persName"><sch:assert id="second" test="false()">second</sch:assert></sch:rule>
    <sch:rule context="/"><sch:assert id="root" test="tei:TEI">root</sch:assert></sch:rule>
  </sch:pattern>
  <sch:pattern id="positions">
    <sch:rule context="tei:text//tei:p[1]"><sch:report id="first-p" test="true()">first p</sch:report></sch:rule>
    <sch:rule context="tei:body//tei:persName[@ref][2]"><sch:report id="second-name" test="true()">second</sch:report></sch:rule>
    <sch:rule context="tei:div[not(position() = 1)]"><sch:report id="later-div" test="true()">later</sch:report></sch:rule>
  </sch:pattern>
  <sch:pattern id="keyed">
    <sch:rule context="tei:p/node()"><sch:assert id="node" test="false()">node</sch:assert></sch:rule>
  </sch:pattern>
  <sch:pattern id="shadowed">
    <sch:rule context="tei:persName[@ref]"><sch:assert id="holds" test="true()">never</sch:assert></sch:rule>
    <sch:rule context="tei:persName | tei:placeName">
      <sch:let name="ref" value="normalize-space(@ref)"/>
      <sch:assert id="shadowed-fails" test="$ref = 'x'">only where the first rule does not match</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="lets">
    <sch:rule context="tei:date">
      <sch:let name="when" value="string(@when)"/><sch:let name="year" value="substring($when, 1, 4)"/>
      <sch:assert id="late" test="$year &lt; '1952'">late <sch:value-of select="$year"/></sch:assert>
      <sch:report id="early" test="$year = '1951' and string-length($when) = 10">early</sch:report>
    </sch:rule>
    <sch:rule context="tei:head">
      <sch:let name="n" value="normalize-space(.)"/>
      <sch:assert id="inner-let" test="not(../tei:head[normalize-space(.) = $n][2])">let in a predicate</sch:assert>
    </sch:rule>
  </sch:pattern>
</sch:schema>"""


def test_other_rule_shapes_same_report():
    original, rewritten, stylesheet = _both(etree.ElementTree(etree.fromstring(ODD_SCHEMA)))
    report = b"".join(_same(original, rewritten, etree.parse(str(path))) for path in BUNDLED)
    assert b'id="first"' in report and b'id="second"' in report and b'id="ref-seen"' in report
    assert b'id="first-p"' in report and b'id="second-name"' in report and b'id="later-div"' in report
    assert b'id="shadowed-fails"' in report and b'id="late"' in report and b'id="early"' in report
    main = next(t for t in stylesheet.iter(f"{XSL}template") if t.get("match") == "/" and t.get("mode") is None)
    selects = [a.get("select") for a in main.iter(f"{XSL}apply-templates") if a.get("mode", "").startswith("M")]
    loops = [a.get("select") for a in main.iter(f"{XSL}for-each")]
    # text() and node() keep the skeleton's walk; attributes and element rules run from candidates
    # (those on which the rule writes something), a pattern of one rule as a loop over them
    assert selects.count("/") == 2
    assert "(//@ref)[(starts-with(., '#'))]" in loops
    assert "(/descendant::*/@ref/parent::tei:persName)[not(false())] | (/descendant::tei:persName)[not(false())] | " \
        "(/)[not(tei:TEI)]" in selects
    # a position among siblings keeps the child axis
    assert "(/descendant::tei:text//tei:p[1])[(true())] | (/descendant::tei:body//tei:persName[@ref][2])[(true())] | " \
        "(//tei:div[not(position() = 1)])[(true())]" in selects
    # the lets are written into the tests, unless one is asked inside a predicate
    assert "(/descendant::*/@ref/parent::tei:persName)[not(true())] | (/descendant::tei:persName)[not((normalize-space(@ref)) = 'x')]" \
        " | (/descendant::tei:placeName)[not((normalize-space(@ref)) = 'x')]" in selects
    assert "(/descendant::tei:date)[not((substring((string(@when)), 1, 4)) < '1952') or ((substring((string(@when)), 1, 4)) " \
        "= '1951' and string-length((string(@when))) = 10)] | /descendant::tei:head" in selects


def test_one_rule_patterns_loop_over_their_candidates(project):
    """A pattern of one rule has its body in a for-each; one of several rules keeps its templates."""
    _, _, stylesheet = project
    main = next(t for t in stylesheet.iter(f"{XSL}template") if t.get("match") == "/" and t.get("mode") is None)
    loops = [a.get("select") for a in main.iter(f"{XSL}for-each")]
    modes = [a.get("mode") for a in main.iter(f"{XSL}apply-templates") if a.get("mode", "").startswith("M")]
    assert "(/descendant::tei:licence)[not(normalize-space(@target) != '')]" in loops
    assert "(/descendant::tei:teiHeader)[not(tei:revisionDesc/tei:change)]" in loops
    assert len(loops) + len(modes) == 15  # the project's fifteen patterns, each run once


@pytest.mark.parametrize("path,expected", [
    ("//tei:text//*[self::tei:rs or self::tei:name][@role]", "/descendant::tei:text/descendant::*/@role/parent::*[self::tei:rs or self::tei:name]"),
    ("//tei:x[not(self::tei:y)][(@a and @b) or (@c)][@d = 'e']", "/descendant::*/@a/parent::tei:x[@b][not(self::tei:y)][@d = 'e'] | /descendant::*/@c/parent::tei:x[not(self::tei:y)][@d = 'e']"),
    ("//tei:x[@a or @b]/tei:y", "/descendant::tei:x[@a or @b]/tei:y"),  # (an or before the last step: one walk)
    ("//tei:x[(@a or @b) and @c]", "/descendant::tei:x[(@a or @b) and @c]"),
    ("/tei:x//tei:y[@a or (@b and @c)]", "/tei:x/descendant::*/@a/parent::tei:y | /tei:x/descendant::*/@b/parent::tei:y[@c]"),
    ("//tei:x[@order = 1][@n]", "/descendant::*/@n/parent::tei:x[@order = 1]"),
    ("//tei:TEI[tei:text/tei:div[@type = 'x]']]/tei:teiHeader", "/descendant::tei:TEI[tei:text/tei:div[@type = 'x]']]/tei:teiHeader"),
    ("//tei:x[(@a and @b) or (@c)]", "/descendant::*/@a/parent::tei:x[@b] | /descendant::*/@c/parent::tei:x"),
    ("//tei:x[@n - 1 = 2]", "/descendant::tei:x[@n - 1 = 2]"),
    ("//tei:x[1]", "//tei:x[1]"),
    ("//tei:x[@n][last()]", "//tei:x[@n][last()]"),
    ("//tei:x[not(position() = 1)]", "//tei:x[not(position() = 1)]"),
    ("//tei:x[count(tei:y)]", "//tei:x[count(tei:y)]"),
    ("//tei:x[@a + @b]", "//tei:x[@a + @b]"),
    ("//tei:x[$n]", "//tei:x[$n]"),
    ("//tei:x[(2)]", "//tei:x[(2)]"),
    ("//@ref", "//@ref"),
    ("//self::tei:x", "//self::tei:x"),
])
def test_descendant_axis_only_where_no_position_counts(path, expected):
    """`//x[p]` becomes `/descendant::x[p]` only when p cannot be a number (a sibling position);
    then an attribute asked for first is found by name (`/descendant::*/@a/parent::x`)."""
    assert descendant_axis(path) == expected
