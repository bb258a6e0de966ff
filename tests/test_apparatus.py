"""Witnesses, the apparatus of variant readings, hands and the source description, on the web and in print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from axe_playwright_python.sync_playwright import Axe
from lxml import etree
from playwright.sync_api import expect

from helpers import FIXTURES, SHARED, invoke, real_corpus
from tei_edition.config import load_config
from tei_edition.model.sources import source_description
from tei_edition.validate import validate

LEGALKRAUS = SHARED / "corpora" / "legalkraus" / "data" / "editions"
WITH_APP = ("D_000002-002-000.xml", "D_000006-001-000.xml", "D_000010-018-000.xml")

# A letter in two witnesses: the draft (D) and the fair copy (B), with a second hand in D.
LETTER = (FIXTURES / "apparatus" / "letter.xml").read_text(encoding="utf-8")


def build(folder: Path, sources: list[Path], *only: str) -> Path:
    """`edition build --only …` of these documents into `folder`/output; the output folder."""
    (folder / "edition.toml").write_text("[edition]\nsources = [" + ", ".join(f'"{s}"' for s in sources) + "]\n",
                                         encoding="utf-8")
    result = invoke(["build", *(a for o in only for a in ("--only", o)), "--keep-going", "--jobs", "1"], folder)
    # (exit 1 with --keep-going when the sources have errors, e.g. an unresolved pointer, but built)
    assert result.exit_code in (0, 1) and f"built: {', '.join(only)}" in result.output, result.output
    return folder / "output"


def pdf_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed: ./setup.sh --test installs it"
    return " ".join(subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("letter")
    # one reading points to a witness the document does not have; a note has variants of its own
    note = '<note n="1">Also <app><lem wit="#wA">here</lem><rdg wit="#wB">there</rdg></app>.</note>'
    (folder / "letter.xml").write_text(LETTER.replace('<rdg wit="#wB"/>', '<rdg wit="#wX"/>')
                                       .replace("all is well.", "all is well." + note), encoding="utf-8")
    return build(folder, [folder / "letter.xml"], "html", "pdf")


def test_the_source_description_is_read_once_for_both_outputs():
    found = source_description(etree.fromstring(LETTER.encode()))
    assert found["fields"][:4] == [["settlement", "Wien", ""], ["repository", "Wienbibliothek", ""],
                                   ["shelfmark", "H.I.N. 1234", ""], ["extent", "2 Blatt", ""]]
    assert ["accompanying", "Envelope", "wB"] in found["fields"]
    assert ["description", "kept", ""] not in found["fields"]  # a p of objectDesc is not the manuscript's description
    assert [(w["id"], w["siglum"], w["text"]) for w in found["witnesses"]] == [("wA", "D", "Draft"), ("wB", "B", "Fair copy")]
    assert [(h["siglum"], h["medium"], h["scribe"], h["witness"]) for h in found["hands"]] == [
        ("H1", "black ink", "Oskar Samek", ""), ("H2", "red pencil", "", "wA")]


def test_a_witness_holding_its_own_msdesc_describes_the_source():
    # the shape of schnitzler-briefe: one witness without xml:id, its msDesc inside it
    header = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc><listWit>
      <witness n="1"><objectType corresp="brief"/><msDesc>
        <msIdentifier><repository>University Library</repository><idno>B 68</idno></msIdentifier>
        <physDesc><objectDesc><objectType ref="https://example.org/vocabs/Typoskript"/></objectDesc>
          <handDesc><handNote medium="blaue_tinte" style="deutsche-kurrent" corresp="#pmb11485"/></handDesc>
          <additions><incident><desc>numbered</desc></incident><incident><desc>underlined</desc></incident></additions>
        </physDesc></msDesc></witness></listWit></sourceDesc></fileDesc></teiHeader></TEI>"""
    found = source_description(etree.fromstring(header))
    assert found["fields"] == [["repository", "University Library", ""], ["shelfmark", "B 68", ""],
                               ["object", "Typoskript", ""], ["additions", "numbered; underlined", ""]]
    assert found["witnesses"] == [{"id": "", "siglum": "1", "text": "", "facs": ""}]
    assert [(h["medium"], h["script"], h["scribe_tokens"]) for h in found["hands"]] == [
        ("blaue tinte", "deutsche kurrent", ["#pmb11485"])]


def test_the_web_page_shows_variants_below_their_paragraph_with_linked_sigla(letter):
    page = lxml.html.parse(str(letter / "html" / "documents" / "letter.html")).getroot()
    paragraphs = page.xpath('//div[@class="document-text"]//p')
    assert paragraphs[1].getnext().get("class") == "apparatus"      # right below the paragraph with variants
    assert paragraphs[0].getnext() is not None and paragraphs[0].getnext().get("class") != "apparatus"
    entries = [" ".join(li.text_content().split()) for li in page.xpath('//div[@class="apparatus"]//li')]
    assert entries == ["back to variant a friend] D; colleague B",
                       "back to variant b that] D; om. wX"]      # a pointer to no witness: as written
    # the reading shown stays in the text, with a call that links to its entry and back
    call = page.xpath('//a[@class="app-call"]')[0]
    assert call.getparent().xpath("string(.//*[@class='tei-lem'])") == "friend"
    assert page.get_element_by_id(call.get("href")[1:]).xpath('.//a[@class="app-back"]/@href') == ["#" + call.get("id")]
    # every siglum links to its witness in the source description and explains itself
    for siglum in page.xpath('//a[@class="siglum"]'):
        target = page.get_element_by_id(siglum.get("href")[1:])
        assert target.tag == "dt" and "Witness" in target.text_content()
        assert siglum.find("abbr").get("title").startswith("Witness ")
        tip = page.get_element_by_id(siglum.get("aria-describedby"))
        assert tip.get("role") == "tooltip" and tip[0].get("data-text") == siglum.find("abbr").get("title")


def test_variants_in_a_note_stay_in_the_note(letter):
    page = lxml.html.parse(str(letter / "html" / "documents" / "letter.html")).getroot()
    note = " ".join(page.xpath('//section[@class="footnotes"]//li')[0].text_content().split())
    assert "Also here [here] D; there B]." in note
    assert "1 Also here [here] D; there B]." in pdf_text(letter / "pdf" / "volume.pdf")


def test_the_web_page_marks_other_hands_and_describes_the_source(letter):
    page = lxml.html.parse(str(letter / "html" / "documents" / "letter.html")).getroot()
    added = page.xpath('//span[contains(@class, "in-hand")]')[0]
    assert " ".join(added.text_content().split()) == "in haste (in hand H2)"   # as a screen reader reads it
    mark = added.xpath('.//a[contains(@class, "hand-siglum")]')[0]
    assert mark.get("title") == "Hand H2: red pencil, in witness D"
    assert page.get_element_by_id(mark.get("href")[1:]).text_content() == "Hand H2"
    shift = page.xpath('//span[@class="hand-shift"]')[0]
    assert " ".join(shift.text_content().split()) == "(another hand from here: H2)"
    described = {dt.text_content(): " ".join(dt.getnext().text_content().split())
                 for dt in page.xpath('//dl[@class="source-description"]/dt')}
    assert described == {"Repository": "Wienbibliothek, Wien", "Shelfmark": "H.I.N. 1234",
                         "Extent": "2 Blatt", "Witness D": "Draft; hands: H2",
                         "Witness B": "Fair copy; Accompanying material: Envelope",
                         "Hand H1": "The writer's own hand., Oskar Samek, black ink",
                         "Hand H2": "red pencil, in witness D"}


def test_the_pdf_has_an_apparatus_keyed_by_paragraph_and_the_source_in_the_head(letter):
    text = pdf_text(letter / "pdf" / "volume.pdf")
    assert "a ¶ 2 friend] D; colleague B" in text
    assert "b ¶ 2 that] D; om. wX" in text
    assert "Source Repository Wienbibliothek, Wien Shelfmark H.I.N. 1234" in text
    assert "Witness D Draft; hands: H2" in text
    assert "in hasteH2" in text.replace(" H2", "H2")   # the hand's siglum after the text it wrote


def test_a_wit_that_names_no_witness_is_reported(tmp_path):
    (tmp_path / "letter.xml").write_text(LETTER.replace('<rdg wit="#wB">', '<rdg wit="#h1">'), encoding="utf-8")
    (tmp_path / "edition.toml").write_text(f'[edition]\nsources = ["{tmp_path / "letter.xml"}"]\n', encoding="utf-8")
    found = [d for d in validate(load_config(tmp_path / "edition.toml")).diagnostics if d.rule.startswith("apparatus-")]
    line = next(n for n, text in enumerate(LETTER.splitlines(), 1) if "colleague" in text)
    assert [(d.rule, d.line, d.severity) for d in found] == [("apparatus-witness", line, "warning")]
    assert '@wit="#h1" on <rdg> names a <handNote>, not a listWit or witness' in found[0].message
    assert "<witness" in found[0].hint


def corpus() -> Path:
    return real_corpus(LEGALKRAUS)


@pytest.fixture(scope="module")
def legalkraus(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("legalkraus"), [corpus() / name for name in WITH_APP], "html", "pdf")


def test_legalkraus_variants_with_sigla_on_the_web_and_in_the_pdf(legalkraus):
    for name in WITH_APP:
        page = lxml.html.parse(str(legalkraus / "html" / "documents" / name.replace(".xml", ".html"))).getroot()
        entries = [" ".join(li.text_content().split()) for li in page.xpath('//div[@class="apparatus"]//li')]
        assert len(entries) == 1, name
        assert all(page.get_element_by_id(a.get("href")[1:]) is not None for a in page.xpath('//a[@class="siglum"]'))
    text = pdf_text(legalkraus / "pdf" / "volume.pdf")
    assert "¶ 2 katholische] A; katholische B" in text                        # D_000002-002-000
    assert "—] A; Zur Kenntnis genommen | X 5/12 [Unterschrift] B H1" in text  # D_000010-018-000
    assert "—] A; Einer, der | nicht weiss, dass" in text                     # D_000006-001-000
    assert "Witness A Object type: Typoskript mit handschriftlichen Annotationen; hands: H2" in text


def test_legalkraus_apparatus_page_in_the_browser(legalkraus, page):
    page.goto((legalkraus / "html" / "documents" / "D_000010-018-000.html").as_uri())
    siglum = page.locator("a.siglum").last
    tip = page.locator("#" + siglum.get_attribute("aria-describedby"))
    expect(tip).to_be_hidden()
    siglum.focus()
    expect(tip).to_be_visible()
    expect(siglum).to_have_accessible_description("Witness B: hands: H1")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    page.keyboard.press("Escape")  # the tooltip can be dismissed without moving the focus (WCAG 1.4.13)
    expect(tip).to_be_hidden()


NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test document: an app in a reading group holding another app, and sigla on a lem
     and on a reading that is first in its rdgGrp. -->
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="nested">
  <teiHeader><fileDesc><titleStmt><title>Nested variants</title></titleStmt>
    <publicationStmt><p>Test</p></publicationStmt>
    <sourceDesc><listWit><witness xml:id="A">Draft</witness><witness xml:id="B">Copy</witness></listWit></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>
    <p><app><rdgGrp><rdg wit="#A">x <app><lem wit="#A">a</lem><rdg wit="#B">b</rdg></app></rdg></rdgGrp></app>
       <app><lem wit="#A">c</lem><rdgGrp><rdg wit="#B">d</rdg></rdgGrp></app></p>
  </body></text>
</TEI>
"""


def test_nested_and_grouped_readings_get_calls_and_ids_of_their_own(tmp_path):
    (tmp_path / "nested.xml").write_text(NESTED, encoding="utf-8")
    out = build(tmp_path, [tmp_path / "nested.xml"], "html")
    page = lxml.html.parse(str(out / "html" / "documents" / "nested.html")).getroot()
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    calls = [" ".join(a.text_content().split()) for a in page.xpath('//a[@class="app-call"]')]
    assert len(calls) == len(set(calls)) >= 2, calls
