"""Tests of the project schema (schema/edition.xsd) and the project rules (schema/edition.sch).

The XSD is a TEI P5 subset with a few XSD 1.1 assertions, loaded with xmlschema's
XMLSchema11; the Schematron is XPath 1.0 and runs with lxml.isoschematron. Both must accept
every bundled TEI file without a single message, and reject typical encoding mistakes with
a message that points at the right place.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree, isoschematron

ROOT = Path(__file__).parents[1]
XSD_PATH = ROOT / "schema" / "edition.xsd"
SCH_PATH = ROOT / "schema" / "edition.sch"
TEI_DIR = ROOT / "tei"

XS = "http://www.w3.org/2001/XMLSchema"
SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"

BUNDLED = sorted(TEI_DIR.rglob("*.xml"))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(XSD_PATH))


@pytest.fixture(scope="module")
def schematron() -> isoschematron.Schematron:
    return isoschematron.Schematron(etree.parse(str(SCH_PATH)), store_report=True)


# A small, complete document that is valid against both the XSD and the Schematron.
# Tests break it in one place at a time.
MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="test-document" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">Test document</title>
        <editor role="editor">Test editors</editor>
      </titleStmt>
      <publicationStmt>
        <publisher>Test publisher</publisher>
        <date when="2026-11-29">2026</date>
        <availability status="free">
          <licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <p>Written for a test.</p>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <langUsage>
        <language ident="en">English</language>
      </langUsage>
    </profileDesc>
    <revisionDesc>
      <change when="2026-11-29" who="#test-editors">Created.</change>
    </revisionDesc>
  </teiHeader>
  <text>
    <body>
      <p>A paragraph naming <persName ref="#mao-zedong" role="presided">Mao Zedong</persName>.</p>
      <listEvent type="register">
        <event xml:id="test-conference" type="conference" from="1951-09-09" to="1951-09-30">
          <label>A conference</label>
        </event>
      </listEvent>
    </body>
  </text>
</TEI>
"""


def variant(old: str, new: str, source: str = MINIMAL) -> str:
    """The minimal document with one passage replaced (the passage must exist once)."""
    assert source.count(old) == 1, f"test bug: {old!r} occurs {source.count(old)} times"
    return source.replace(old, new)


def parse(source: str) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(source.encode("utf-8")))


def line_of(source: str, marker: str) -> int:
    """1-based line number of the line containing marker."""
    assert source.count(marker) == 1, f"test bug: {marker!r} occurs {source.count(marker)} times"
    return source[: source.index(marker)].count("\n") + 1


def xsd_errors(schema: xmlschema.XMLSchema11, source: str) -> list:
    return list(schema.iter_errors(parse(source)))


def failed_asserts(schematron: isoschematron.Schematron, tree) -> list[etree._Element]:
    schematron.validate(tree)
    report = schematron.validation_report
    return report.findall(f".//{{{SVRL}}}failed-assert") + report.findall(
        f".//{{{SVRL}}}successful-report"
    )


def sch_ids(schematron: isoschematron.Schematron, source: str) -> set[str]:
    return {f.get("id") for f in failed_asserts(schematron, parse(source))}


def describe(errors) -> str:
    return "\n".join(f"line {getattr(e, 'sourceline', '?')}: {getattr(e, 'reason', e)}" for e in errors)


# --------------------------------------------------------------------------- XSD: loading


def test_xsd_loads_offline_as_xsd_11(schema):
    assert schema.XSD_VERSION == "1.1"
    assert schema.target_namespace == "http://www.tei-c.org/ns/1.0"
    # Only TEI may be the root of a document, as in TEI P5.
    assert [el.local_name for el in schema.elements.values()] == ["TEI"]


def test_xsd_also_loads_as_xsd_10():
    # XSD 1.0 processors skip the assertions (vc:minVersion="1.1") instead of failing.
    schema10 = xmlschema.XMLSchema10(str(XSD_PATH))
    assert schema10.is_valid(parse(MINIMAL))


def test_xsd_has_no_wildcards_and_documents_everything():
    xsd = etree.parse(str(XSD_PATH))
    ns = {"xs": XS}
    assert not xsd.xpath("//xs:any | //xs:anyAttribute", namespaces=ns)
    undocumented = []
    for decl in xsd.xpath("//xs:element[@name] | //xs:attribute[@name]", namespaces=ns):
        text = " ".join(decl.xpath("xs:annotation/xs:documentation//text()", namespaces=ns))
        if not text.strip():
            undocumented.append(f"{decl.tag.split('}')[1]} {decl.get('name')} (line {decl.sourceline})")
    assert not undocumented, "declarations without documentation:\n" + "\n".join(undocumented)


# --------------------------------------------------------------------------- XSD: bundled edition


def test_bundled_edition_is_present():
    names = {p.relative_to(TEI_DIR).as_posix() for p in BUNDLED}
    assert "edition.xml" in names
    assert "meetings/1951-09-09-mutual-aid-conference.xml" in names
    for register in ("persons", "places", "organisations", "events", "documents"):
        assert f"registers/{register}.xml" in names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(TEI_DIR).as_posix())
def test_bundled_file_is_valid_against_xsd(schema, path):
    errors = list(schema.iter_errors(etree.parse(str(path))))
    assert not errors, describe(errors)


def test_minimal_document_is_valid(schema):
    errors = xsd_errors(schema, MINIMAL)
    assert not errors, describe(errors)


# --------------------------------------------------------------------------- XSD: rejections


def test_missing_licence_is_rejected_at_availability(schema):
    source = variant(
        '          <licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence>\n',
        "",
    )
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, '<availability status="free">')
    assert "licence" in errors[0].reason


def test_licence_without_target_is_rejected(schema):
    source = variant(
        '<licence target="https://creativecommons.org/licenses/by/4.0/">',
        "<licence>",
    )
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "<licence>")
    assert "target" in errors[0].reason


def test_licence_target_must_be_absolute_uri(schema):
    source = variant(
        'target="https://creativecommons.org/licenses/by/4.0/"',
        'target="CC BY 4.0"',
    )
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, 'target="CC BY 4.0"')


def test_impossible_event_date_is_rejected_at_the_event(schema):
    source = variant('from="1951-09-09"', 'from="1951-13-40"')
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "1951-13-40")
    assert "1951-13-40" in str(errors[0])


@pytest.mark.parametrize("bad", ["9-9-1951", "1951-9-9", "September 1951", "1951-02-30"])
def test_non_iso_dates_are_rejected_in_every_date_attribute(schema, bad):
    source = variant('<date when="2026-11-29">2026</date>', f'<date when="{bad}">2026</date>')
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, bad)


def test_iso_date_forms_are_accepted(schema):
    for value in ("1951", "1951-09", "1951-09-09", "1951-09-09T10:00:00"):
        source = variant('<date when="2026-11-29">2026</date>', f'<date when="{value}">x</date>')
        assert schema.is_valid(parse(source)), value


def test_unknown_element_in_paragraph_is_rejected(schema):
    source = variant(
        "<p>A paragraph naming",
        "<p>A <blink>flashing</blink> paragraph naming",
    )
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "<blink>")
    assert "blink" in errors[0].reason
    assert errors[0].path.endswith("/p")


def test_event_without_type_is_rejected(schema):
    source = variant(
        '<event xml:id="test-conference" type="conference" ',
        '<event xml:id="test-conference" ',
    )
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "<event ")
    assert "type" in errors[0].reason


def test_event_without_dates_fails_the_assertion(schema):
    source = variant(' from="1951-09-09" to="1951-09-30"', "")
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "<event ")
    # The assertion's documentation is the message for editors.
    assert "@when" in str(errors[0].validator.annotation)


def test_event_with_only_a_start_date_is_rejected(schema):
    source = variant(' to="1951-09-30"', "")
    assert not schema.is_valid(parse(source))


def test_when_combined_with_from_is_rejected(schema):
    # TEI forbids @when together with @from/@to/@notBefore/@notAfter.
    source = variant('<date when="2026-11-29">', '<date when="2026-11-29" notBefore="2026-01-01">')
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "notBefore")


def test_header_requirements(schema):
    no_language = variant(
        '        <language ident="en">English</language>\n',
        "",
    )
    assert not schema.is_valid(parse(no_language))
    no_publisher = variant("        <publisher>Test publisher</publisher>\n", "")
    assert not schema.is_valid(parse(no_publisher))
    empty_source = variant("<p>Written for a test.</p>", "<p>  </p>")
    errors = xsd_errors(schema, empty_source)
    assert errors and errors[0].sourceline == line_of(empty_source, "<sourceDesc>")
    no_profile = variant(
        MINIMAL[MINIMAL.index("    <profileDesc>") : MINIMAL.index("    <revisionDesc>")], ""
    )
    assert not schema.is_valid(parse(no_profile))


def test_register_entries_need_ids(schema):
    source = variant('<event xml:id="test-conference" ', "<event ")
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "<event ")


def test_unknown_attribute_is_rejected(schema):
    source = variant('<persName ref="#mao-zedong"', '<persName ref="#mao-zedong" colour="red"')
    errors = xsd_errors(schema, source)
    assert errors
    assert errors[0].sourceline == line_of(source, "colour")


def test_non_tei_root_is_rejected(schema):
    assert not schema.is_valid(
        etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">A paragraph.</p>')
    )


# --------------------------------------------------------------------------- Schematron


def test_schematron_declares_rule_codes():
    sch = etree.parse(str(SCH_PATH))
    ns = {"sch": SCH}
    root = sch.getroot()
    assert root.get("queryBinding") == "xslt"
    assert sch.xpath("/sch:schema/sch:ns[@prefix='tei'][@uri='http://www.tei-c.org/ns/1.0']", namespaces=ns)
    checks = sch.xpath("//sch:assert | //sch:report", namespaces=ns)
    assert checks
    ids = [c.get("id") for c in checks]
    assert all(i and re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", i) for i in ids), ids
    assert len(ids) == len(set(ids)), "rule codes must be unique"
    assert {c.get("role") for c in checks} <= {"error", "warning"}
    assert all(c.get("role") for c in checks)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(TEI_DIR).as_posix())
def test_bundled_file_passes_schematron(schematron, path):
    failures = failed_asserts(schematron, etree.parse(str(path)))
    messages = [f"{f.get('id')} ({f.get('role')}): {''.join(f.itertext()).strip()}" for f in failures]
    assert not failures, "\n".join(messages)


def test_minimal_document_passes_schematron(schematron):
    assert sch_ids(schematron, MINIMAL) == set()


def test_failed_assert_reports_code_role_location_and_fix(schematron):
    source = variant('<persName ref="#mao-zedong" role="presided">', "<persName>")
    failures = failed_asserts(schematron, parse(source))
    assert [f.get("id") for f in failures] == ["name-needs-ref"]
    failure = failures[0]
    assert failure.get("role") == "error"
    # The location is an XPath that finds the offending element.
    tree = parse(source)
    (element,) = tree.xpath(failure.get("location"))
    assert element.sourceline == line_of(source, "<persName>")
    message = "".join(failure.itertext())
    assert "Mao Zedong" in message and "@ref" in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # names and references in the text
        ('<persName ref="#mao-zedong" role="presided">', "<persName>", "name-needs-ref"),
        ("naming <persName", 'naming <placeName>Beijing</placeName> <persName', "name-needs-ref"),
        ("naming <persName", '<orgName key="">CC</orgName> <persName', "name-needs-ref"),
        ("naming <persName", 'naming <rs type="document">his speech</rs> <persName', "rs-needs-ref"),
        ("naming <persName", 'naming <rs ref="#x">his speech</rs> <persName', "rs-needs-type"),
        ("naming <persName", "naming <title>A resolution</title> <persName", "title-needs-ref"),
        ('role="presided"', 'role="chaired"', "role-unknown"),
        ('role="presided"', 'role="presided chaired"', "role-unknown"),
        # notes
        ("Mao Zedong</persName>.", "Mao Zedong</persName>.<note>A note.</note>", "note-needs-type"),
        (
            "Mao Zedong</persName>.",
            'Mao Zedong</persName>.<note type="editorial">A note.</note>',
            "editorial-note-needs-resp",
        ),
        (
            "Mao Zedong</persName>.",
            'Mao Zedong</persName>.<note type="source">A note.</note>',
            "source-note-needs-n",
        ),
        # dates
        ("Mao Zedong</persName>.", "Mao Zedong</persName> in <date>1951</date>.", "date-needs-value"),
        (
            "Mao Zedong</persName>.",
            'Mao Zedong</persName> in <date when="1951" to="1952">1951</date>.',
            "date-when-exclusive",
        ),
        (
            "Mao Zedong</persName>.",
            'Mao Zedong</persName> in <date from="1951" notBefore="1950">1951</date>.',
            "date-range-conflict",
        ),
        # registers
        ('<event xml:id="test-conference" ', "<event ", "register-entry-needs-id"),
        ("<label>A conference</label>", "<label> </label>", "register-entry-needs-name"),
        ('type="conference" ', "", "event-needs-type"),
        (' from="1951-09-09" to="1951-09-30"', ' from="1951-09-09"', "event-needs-date"),
        # header
        ('<licence target="https://creativecommons.org/licenses/by/4.0/">', "<licence>", "licence-needs-target"),
        ('<editor role="editor">Test editors</editor>', "", "header-needs-editor"),
        ('<editor role="editor">', "<editor>", "editor-needs-role"),
        (
            MINIMAL[MINIMAL.index("    <revisionDesc>") : MINIMAL.index("  </teiHeader>")],
            "",
            "header-needs-revision",
        ),
        ('xml:lang="en"', 'xml:lang="fr"', "lang-not-declared"),
    ],
)
def test_broken_snippet_triggers_rule(schematron, old, new, expected):
    assert expected in sch_ids(schematron, variant(old, new))


def test_register_names_need_no_ref_but_a_main_name(schematron):
    register = variant(
        "<p>A paragraph naming",
        '<listPerson type="register"><person xml:id="chen-boda">'
        '<persName xml:lang="en">Chen Boda</persName>'
        '<persName xml:lang="en">Ch\'en Po-ta</persName>'
        "<note>An untyped note describing the person.</note>"
        "</person></listPerson><p>A paragraph naming",
    )
    assert sch_ids(schematron, register) == {"register-entry-main-name"}
    fixed = register.replace('<persName xml:lang="en">Chen Boda', '<persName type="main" xml:lang="en">Chen Boda')
    assert sch_ids(schematron, fixed) == set()


MEETING_BODY = """<body>
      <div type="field" subtype="dates">
        <head>Dates of Meeting:</head>
        <p><date from="1951-09-09" to="1951-09-30">9-9-1951 – 30-9-1951</date></p>
      </div>
    </body>"""

SETTING = """<langUsage>
        <language ident="en">English</language>
      </langUsage>
      <settingDesc>
        <setting>
          <name type="event" ref="#test-conference">A conference</name>
          <placeName ref="#beijing">Beijing</placeName>
          <date from="1951-09-09" to="1951-09-30">9-9-1951 – 30-9-1951</date>
        </setting>
      </settingDesc>"""


def meeting(setting: str | None = SETTING) -> str:
    body = MINIMAL[MINIMAL.index("<body>") : MINIMAL.index("</body>") + len("</body>")]
    source = variant(body, MEETING_BODY)
    if setting is not None:
        langusage = source[source.index("<langUsage>") : source.index("</langUsage>") + len("</langUsage>")]
        source = variant(langusage, setting, source)
    return source


def test_meeting_record_passes_with_its_setting(schema, schematron):
    source = meeting()
    assert schema.is_valid(parse(source)), describe(xsd_errors(schema, source))
    assert sch_ids(schematron, source) == set()


def test_meeting_record_needs_setting(schematron):
    assert sch_ids(schematron, meeting(setting=None)) == {"meeting-needs-setting"}


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('<name type="event" ref="#test-conference">', '<name type="event">', "setting-needs-event"),
        ('<placeName ref="#beijing">', "<placeName>", "setting-needs-place"),
        ('<date from="1951-09-09" to="1951-09-30">9-9-1951 – 30-9-1951</date>\n        </setting>', "</setting>", "setting-needs-date"),
        ("<head>Dates of Meeting:</head>", "", "field-needs-head"),
        ('<div type="field" subtype="dates">', '<div type="field">', "field-needs-subtype"),
    ],
)
def test_meeting_record_rules(schematron, old, new, expected):
    assert expected in sch_ids(schematron, variant(old, new, meeting()))
