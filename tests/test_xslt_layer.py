"""The stylesheets as a layer: messages located in the TEI, failures located, the edition's
profile over our hooks, and the page cache keeping both (issue 12; docs/xslt.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from helpers import parse, run_writers
from tei_edition.config import ConfigError, load_config
from tei_edition.render.messages import element_at
from tei_edition.validate import validate
from tei_edition.writers.base import BuildContext, load_writer

REPO = Path(__file__).resolve().parents[1]
UNUSUAL = REPO / "tests" / "fixtures" / "html-unusual"
XSLT = REPO / "xslt"
UNKNOWN_LINE = 27  # <madeUpWrapper> in doc-unusual.xml

FOOTER_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test profile: a footer of the edition's own and a rendering for madeUpWrapper. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">
  <xsl:template name="ed:site-footer">
    <footer class="site-footer"><p class="profile-footer">FOOTER OF THE PROFILE for <xsl:value-of select="$edition/@title"/></p></footer>
  </xsl:template>
  <xsl:template match="tei:madeUpWrapper">
    <aside class="made-up"><xsl:apply-templates/></aside>
  </xsl:template>
</xsl:stylesheet>
"""

PRINT_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test profile for the print edition: its own colophon, a rendering for closer. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns:pr="urn:tei-edition:print"
    exclude-result-prefixes="#all">
  <xsl:template name="pr:colophon">
    <xsl:param name="title"/>
    <footer class="colophon">COLOPHON OF THE PROFILE</footer>
  </xsl:template>
  <xsl:template match="tei:closer">
    <aside class="made-up"><xsl:apply-templates/></aside>
  </xsl:template>
</xsl:stylesheet>
"""

FAILING_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:template match="tei:madeUpWrapper">
    <b><xsl:value-of select="xs:integer(.) + 1"/></b>
  </xsl:template>
</xsl:stylesheet>
"""


def unusual_edition(tmp_path: Path, html: str = "", pdf: str = "") -> Path:
    """A copy of the html-unusual fixture with `[html]` / `[pdf]` tables added."""
    folder = tmp_path / "edition"
    shutil.copytree(UNUSUAL, folder)
    config = folder / "edition.toml"
    text = config.read_text(encoding="utf-8")
    if html:
        text += f"\n[html]\n{html}\n"
    if pdf:
        text += f"\n[pdf]\n{pdf}\n"
    config.write_text(text, encoding="utf-8")
    return config


def with_profile(tmp_path: Path, text: str, table: str = "html") -> Path:
    config = unusual_edition(tmp_path, **{table: 'stylesheet = "xslt/profile.xsl"'})
    (config.parent / "xslt").mkdir()
    (config.parent / "xslt" / "profile.xsl").write_text(text, encoding="utf-8")
    return config


def test_an_element_without_a_rendering_keeps_its_text_and_is_reported_once_per_name(tmp_path):
    config = unusual_edition(tmp_path)
    second = config.parent / "tei" / "doc-second.xml"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "presided over a later meeting.</p>",
        "presided over a later meeting.</p>\n  <madeUpWrapper>Once more.</madeUpWrapper>"), encoding="utf-8")
    diagnostics, _ = run_writers(config, keep_going=True)
    unknown = [d for d in diagnostics if d.rule == "render-unknown-element"]
    assert len(unknown) == 1, [d.format() for d in unknown]
    found = unknown[0]
    # at its first place (files in name order), counting the other
    assert found.severity == "warning" and found.path.endswith("doc-second.xml")
    assert (found.line, found.col) == (13, 3)
    assert "<madeUpWrapper>" in found.message and "2 time(s) in 2 file(s)" in found.message
    # the stylesheet's word on the pointer that leads nowhere is the index's warning, given once
    assert [d.rule for d in diagnostics if "#nobody-at-all" in d.message] == ["html-unresolved"]
    page = parse(config.parent / "output" / "html" / "documents" / "doc-unusual.html")
    assert "Text of an element the pipeline never heard of is kept." in page.find(".//main").text_content()


def test_a_dynamic_error_is_reported_at_the_tei_element_and_the_profile_line(tmp_path):
    config = with_profile(tmp_path, FAILING_PROFILE)
    diagnostics, _ = run_writers(config, keep_going=True)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert [d.rule for d in errors] == ["html-xslt"], [d.format() for d in errors]
    assert errors[0].path.endswith("doc-unusual.xml") and errors[0].line == UNKNOWN_LINE
    assert "profile.xsl line 5" in errors[0].message and "FORG0001" in errors[0].message
    # (--keep-going) the page that failed is left out, the rest of the site is published
    html = config.parent / "output" / "html"
    assert not (html / "documents" / "doc-unusual.html").exists() and (html / "index.html").is_file()


def test_a_profile_overrides_a_hook_and_renders_an_element_of_its_own(tmp_path):
    config = with_profile(tmp_path, FOOTER_PROFILE)
    diagnostics, _ = run_writers(config, keep_going=True)
    assert not [d for d in diagnostics if d.rule == "render-unknown-element"]
    html = config.parent / "output" / "html"
    for page in ("index.html", "documents/doc-unusual.html", "persons/test-person.html"):
        footer = parse(html / page).xpath("//footer[@class='site-footer']")
        assert [f.xpath("string()") for f in footer] == ["FOOTER OF THE PROFILE for Synthetic test edition"], page
    made_up = parse(html / "documents" / "doc-unusual.html").xpath("//aside[@class='made-up']")
    assert [a.xpath("string()") for a in made_up] == ["Text of an element the pipeline never heard of is kept."]


def test_a_profile_that_names_no_file_or_does_not_compile_is_reported_at_its_place(tmp_path):
    missing = unusual_edition(tmp_path / "a", html='stylesheet = "xslt/none.xsl"')
    with pytest.raises(ConfigError) as refused:  # checked when the config is loaded, with the others
        load_config(missing)
    assert [d.rule for d in refused.value.diagnostics] == ["config-html"]
    assert "xslt/none.xsl" in refused.value.diagnostics[0].message
    broken = with_profile(tmp_path / "b", FOOTER_PROFILE.replace('match="tei:madeUpWrapper"', 'match="tei:madeUpWrapper["'))
    diagnostics, _ = run_writers(broken, keep_going=True)
    assert [d.rule for d in diagnostics] == ["xslt-profile"]
    assert diagnostics[0].path.endswith("profile.xsl") and diagnostics[0].line == 9


def incremental(config_path: Path, jobs: int = 1):
    config = load_config(config_path)
    validation = validate(config)
    logged: list[str] = []
    ctx = BuildContext(config, validation.corpus, validation.index, jobs=jobs, log=logged.append, incremental=True)
    return load_writer("html").write(ctx).diagnostics, logged


def test_a_reused_page_keeps_its_warnings_and_a_changed_profile_renders_again(tmp_path):
    config = with_profile(tmp_path, FOOTER_PROFILE.replace('match="tei:madeUpWrapper"', 'match="tei:nothingAtAll"'))
    first, _ = incremental(config)
    again, logged = incremental(config)
    assert any("nothing changed" in line for line in logged), logged
    unknown = [d for d in again if d.rule == "render-unknown-element"]
    assert unknown == [d for d in first if d.rule == "render-unknown-element"] and len(unknown) == 1
    (config.parent / "xslt" / "profile.xsl").write_text(FOOTER_PROFILE, encoding="utf-8")
    third, logged = incremental(config)
    assert any("stylesheets changed" in line for line in logged), logged
    assert not [d for d in third if d.rule == "render-unknown-element"]


def test_parallel_workers_bring_the_messages_back(tmp_path, monkeypatch):
    from tei_edition.writers.html import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1)  # worker processes even for this small corpus
    diagnostics, _ = incremental(unusual_edition(tmp_path), jobs=2)
    unknown = [d for d in diagnostics if d.rule == "render-unknown-element"]
    assert [(Path(d.path).name, d.line) for d in unknown] == [("doc-unusual.xml", UNKNOWN_LINE)]


def test_the_print_stylesheets_report_and_take_the_profile(tmp_path):
    from tei_edition.writers.pdf.volume import Volume

    config = load_config(with_profile(tmp_path, PRINT_PROFILE, table="pdf"))
    assert config.pdf.stylesheet.name == "profile.xsl"
    volume = Volume(validate(config).index, config.pdf)
    chapter = volume.chapters["doc-unusual"]
    assert chapter.xpath("//aside[@class='made-up']")  # the profile's template for <closer>
    assert [f.text for f in chapter.xpath("//footer[@class='colophon']")] == ["COLOPHON OF THE PROFILE"]
    unknown = [d for d in volume.diagnostics if d.rule == "render-unknown-element"]
    assert [(Path(d.path).name, d.line, d.message.startswith("print edition:")) for d in unknown] == [
        ("doc-unusual.xml", UNKNOWN_LINE, True)]


def test_positions_lead_back_to_the_element():
    root = etree.fromstring("<a><!-- c --><b/><c><d/><?pi x?><e/></c></a>")
    assert element_at(root, "1/2/2").tag == "e"
    assert element_at(root, "1").tag == "a"
    assert element_at(root, "1/3") is None and element_at(root, "") is None


def test_every_stylesheet_declares_its_modes_and_docs_list_them_with_the_params():
    docs = (REPO / "docs" / "xslt.md").read_text(encoding="utf-8")
    ns = {"xsl": "http://www.w3.org/1999/XSL/Transform"}
    declared, used = set(), set()
    for path in sorted(XSLT.rglob("*.xsl")):
        tree = etree.parse(str(path))
        declared |= {m.get("name", "#unnamed") for m in tree.xpath("/*/xsl:mode", namespaces=ns)}
        used |= {m for m in tree.xpath("//xsl:template/@mode | //xsl:apply-templates/@mode", namespaces=ns)}
        for param in tree.xpath("/*/xsl:param/@name", namespaces=ns):
            assert f"`${param}`" in docs, f"{path.name}: ${param} is not in docs/xslt.md"
    assert used <= declared, used - declared
    for mode in declared - {"#unnamed"}:
        assert f"`{mode}`" in docs, f"mode {mode} is not in docs/xslt.md"
    assert re.search(r"on-no-match", docs)


def test_a_failure_in_the_page_frame_names_the_profile_line_and_the_document(tmp_path):
    broken_footer = FOOTER_PROFILE.replace('<xsl:value-of select="$edition/@title"/>',
                                           '<xsl:value-of select="xs:integer($edition/@title)"/>').replace(
        'xmlns:tei="http://www.tei-c.org/ns/1.0"', 'xmlns:tei="http://www.tei-c.org/ns/1.0" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema"')
    config = with_profile(tmp_path, broken_footer)
    diagnostics, _ = run_writers(config, keep_going=True)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert [d.rule for d in errors] == ["html-xslt"], [d.format() for d in errors]
    assert "profile.xsl line 7" in errors[0].message and "FORG0001" in errors[0].message
    assert errors[0].path.endswith(".xml") and errors[0].line > 1


def test_the_pdf_writer_returns_what_its_stylesheets_report(tmp_path):
    config = with_profile(tmp_path, PRINT_PROFILE, table="pdf")
    diagnostics, _ = run_writers(config, names=("pdf",), keep_going=True)
    unknown = [d for d in diagnostics if d.rule == "render-unknown-element"]
    assert [(Path(d.path).name, d.line, d.severity) for d in unknown] == [("doc-unusual.xml", UNKNOWN_LINE, "warning")]
    assert (config.parent / "output" / "pdf" / "volume.pdf").is_file()


def test_the_profile_key_covers_the_modules_it_includes(tmp_path):
    from tei_edition.render.profile import profile_digest, profile_files

    (tmp_path / "parts").mkdir()
    profile = tmp_path / "profile.xsl"
    profile.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                       '<xsl:include href="parts/a.xsl"/></xsl:stylesheet>', encoding="utf-8")
    part = tmp_path / "parts" / "a.xsl"
    part.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
                    encoding="utf-8")
    assert profile_files(profile) == sorted([profile.resolve(), part.resolve()])
    before = profile_digest(profile)
    part.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><!-- edited -->'
                    '</xsl:stylesheet>', encoding="utf-8")
    assert profile_digest(profile) != before


def test_the_print_stylesheet_reports_an_unknown_element_and_a_pointer_to_nothing():
    from tei_edition.render.xslt import render

    tei = (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
           b'</fileDesc><profileDesc><settingDesc><setting><date when="9 Sept 1951">9 Sept</date></setting>'
           b'</settingDesc></profileDesc></teiHeader>'
           b'<text><body><p>x <madeUp>y</madeUp> <persName ref="#nobody">Z</persName></p></body></text></TEI>')
    rendered = render("print/document.xsl", tei, {"scope": "d"})
    root = etree.fromstring(tei)
    found = {m.rule: etree.QName(element_at(root, m.at)).localname for m in rendered.messages}
    # the setting's date is one of the document's facts, which the semantic layer hands over (a
    # date that is not ISO is validation's date-iso); the text's own elements are reported here
    assert found == {"render-unknown-element": "madeUp", "render-unresolved": "persName"}
    assert "y" in rendered.text and "Z" in rendered.text  # all text kept
