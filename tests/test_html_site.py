"""The web edition, tested over built sites: the bundled edition (built once per session) and
small synthetic corpora under tests/fixtures/html-*/.

XPath/DOM assertions on the written files, not snapshots: links resolve, the record's text is
all there, persons link back with their roles, nothing is loaded from outside, the HTML parses.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from lxml import etree

from tei_edition.names import TEI_NS
from tei_edition.config import load_config
from tei_edition.validate import validate
from tei_edition.writers.base import BuildContext, WriterResult, load_writer

from helpers import parse, EPOCH, FIDELITY, FIXTURES, MEETING, REPO, SEED, run_writers, write_bundled_config

T = f"{{{TEI_NS}}}"

# ---- building ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def fixture_site(name: str) -> tuple[Path, tuple]:
    """A synthetic fixture corpus (copied to a temporary folder) built with --keep-going."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-")) / name
    shutil.copytree(FIXTURES / name, folder)
    diagnostics, _ = run_writers(folder / "edition.toml", names=("html",), keep_going=True)
    return folder / "output" / "html", tuple(diagnostics)


def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "pagefind" not in p.relative_to(root).parts)


def main_text(path: Path) -> str:
    return parse(path).find(".//main").text_content()


# ---- the whole site -----------------------------------------------------------------------------


def test_site_has_every_kind_of_page(site):
    for page in ("index.html", "about.html", "chronology.html", "registers.html", "search.html", "404.html",
                 MEETING, "documents/meeting-1951-09-09-mutual-aid.xml", "persons/index.html",
                 "persons/liu-shaoqi.html", "places/beijing.html", "organisations/ccp-cc.html",
                 "events/conference-mutual-aid-1951.html", "bibliography/zhao-2007.html",
                 "pagefind/pagefind-ui.js", "assets/edition.css"):
        assert (site / page).is_file(), page


def test_every_internal_link_resolves(site):
    """Every href/src of every page leads to a file of the site, and every #fragment to an id."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in pages(site):
        doc = parse(page)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is None or re.match(r"^(https?|mailto):", value):
                    continue
                parts = urlsplit(value)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if not target.is_file() or site.resolve() not in target.parents:
                    broken.append(f"{page.relative_to(site)}: {attr}={value!r} leads to no file of the site")
                    continue
                if parts.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {e.get("id") for e in parse(target).iter() if isinstance(e.tag, str) and e.get("id")}
                    if parts.fragment not in ids[target]:
                        broken.append(f"{page.relative_to(site)}: {value!r} names no id on its page")
    assert not broken, "\n".join(broken)


def test_links_are_relative(site):
    """No link starts with / (the site must work from disk and from a sub-path)."""
    absolute = [f"{p.relative_to(site)}: {v}" for p in pages(site) for v in parse(p).xpath("//@href | //@src")
                if v.startswith("/")]
    assert not absolute


def test_no_page_loads_anything_from_outside(site):
    """Links to the web (<a href>) are fine; nothing a browser fetches by itself may be external."""
    external = []
    for page in pages(site):
        doc = parse(page)
        for el in doc.xpath("//link[@href] | //script[@src] | //img | //iframe | //source | //video | //audio"
                            " | //embed | //object | //track | //input[@src]"):
            for attr in ("href", "src", "srcset", "data", "poster"):
                value = el.get(attr) or ""
                if re.search(r"(^|[\s,])(https?:)?//", value):
                    external.append(f"{page.relative_to(site)}: <{el.tag} {attr}={value!r}>")
        for style in doc.xpath("//style/text() | //@style"):
            if re.search(r"url\(\s*['\"]?(https?:)?//", style) or "@import" in style:
                external.append(f"{page.relative_to(site)}: style loads {style[:80]!r}")
    for css in (site / "assets").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        if re.search(r"url\(\s*['\"]?(https?:)?//", text) or re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text):
            external.append(f"{css.name} loads an external resource")
    assert not external, "\n".join(external)


def test_html_parses_without_errors(site):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    checked = pages(site) + pages(fixture_site("html-unusual")[0])
    assert len(checked) > 20
    for page in checked:
        try:
            parser.parse(page.read_bytes())
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{page}: {exc}")


def test_ids_are_unique_on_every_page(site):
    from collections import Counter

    for page in pages(site) + pages(fixture_site("html-unusual")[0]):
        ids = Counter(e.get("id") for e in parse(page).iter() if isinstance(e.tag, str) and e.get("id"))
        assert [i for i, n in ids.items() if n > 1] == [], page


def test_every_page_has_a_language_and_a_title(site):
    for page in pages(site):
        doc = parse(page)
        assert doc.get("lang"), page
        assert doc.findtext(".//title").strip(), page


def test_chinese_names_carry_their_language(site):
    person = parse(site / "persons" / "liu-shaoqi.html")
    chinese = [el for el in person.iter() if isinstance(el.tag, str) and (el.text or "").strip() == "刘少奇"]
    assert chinese and all(el.get("lang") == "zh-Hans" for el in chinese)
    cards = [el.get("data-text") for el in parse(site / MEETING).iter()
             if isinstance(el.tag, str) and el.get("lang") == "zh-Hans"]
    assert "刘少奇" in cards  # in the hover cards of the document


def test_json_ld_is_schema_org(site):
    expected = {MEETING: "CreativeWork", "persons/liu-shaoqi.html": "Person", "places/beijing.html": "Place",
                "events/conference-mutual-aid-1951.html": "Event", "organisations/ccp.html": "Organization"}
    for page, kind in expected.items():
        scripts = parse(site / page).xpath("//script[@type='application/ld+json']/text()")
        assert len(scripts) == 1, page
        data = json.loads(scripts[0])
        assert data["@context"] == "https://schema.org" and data["@type"] == kind, page
    meeting = json.loads(parse(site / MEETING).xpath("//script[@type='application/ld+json']/text()")[0])
    assert meeting["about"]["@type"] == "Event" and meeting["about"]["startDate"] == "1951-09-09"
    beijing = json.loads(parse(site / "places/beijing.html").xpath("//script[@type='application/ld+json']/text()")[0])
    assert beijing["geo"]["latitude"] == "39.9042"


def test_build_date_comes_from_source_date_epoch(site):
    about = main_text(site / "about.html")
    assert "29 November 2025" in about  # EPOCH
    assert "Version" in about and "0.1.0" in about


# ---- the document page ---------------------------------------------------------------------


def test_every_sentence_of_the_record_is_on_the_document_page(site, tmp_path):
    text = tmp_path / "page.txt"
    doc = parse(site / MEETING)  # all of it, hover cards included: they must not break a sentence
    text.write_text(doc.text_content(), encoding="utf-8")
    result = subprocess.run([sys.executable, str(FIDELITY), str(SEED), str(text), "document page"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_document_header_facts(site):
    doc = parse(site / MEETING)
    facts = {dt.text_content().strip(): dd for dt, dd in zip(doc.xpath("//dl[@class='facts']/dt"),
                                                             doc.xpath("//dl[@class='facts']/dd"))}
    assert "9–30 September 1951" in facts["Date"].text_content()
    assert facts["Place"].xpath(".//a/@href") == ["../places/beijing.html"]
    assert "conference" in facts["Type of meeting"].text_content()
    presided = [a.text_content() for a in facts["Presided"].xpath(".//a")]
    assert presided == ["Chen Boda", "Liu Shaoqi", "Mao Zedong"]
    assert facts["Convened by"].xpath(".//a/@href") == ["../organisations/ccp-cc.html"]
    assert facts["Attended"].xpath(".//a/@href") == ["../organisations/provincial-and-central-representatives.html"]


def test_every_reference_in_the_text_links_to_its_register_page(site):
    """Each name element of the TEI text with a pointer is a link to the entry the index resolves."""
    from tei_edition.model.addresses import KIND_FOLDERS

    config = load_config(write_bundled_config(Path(tempfile.mkdtemp())))
    validation = validate(config)
    source = next(d for d in validation.corpus.sources if d.id == "meeting-1951-09-09-mutual-aid")
    expected = []
    for el in source.root.find(f"{T}text").iter():
        pointer = (el.get("ref") or el.get("target")) if isinstance(el.tag, str) else None
        if pointer and etree.QName(el).localname != "note":
            entity = validation.index.entity_for(source, pointer.split()[0])
            assert entity is not None, pointer
            expected.append(f"../{KIND_FOLDERS[entity.kind]}/{entity.id}.html")
    body = parse(site / MEETING).xpath("//div[@class='document-text']//a[contains(@class, 'ref-link')]/@href")
    notes = parse(site / MEETING).xpath("//section[@class='footnotes']//a[contains(@class, 'ref-link')]/@href")
    assert sorted(body + notes) == sorted(expected)


def test_hover_cards_give_name_chinese_name_and_dates(site):
    doc = parse(site / MEETING)
    link = doc.xpath("//div[@class='document-text']//a[@href='../persons/liu-shaoqi.html']")[0]
    card = doc.get_element_by_id(link.get("aria-describedby"))
    assert card.get("role") == "tooltip"
    text = " ".join(el.get("data-text") for el in card.iter() if el.get("data-text"))  # drawn by CSS
    assert "Liu Shaoqi" in text and "刘少奇" in text and "1898–1969" in text
    assert not card.text_content().strip()  # nothing of it in the page's text


def test_footnotes_keep_their_printed_numbers_and_link_both_ways(site):
    doc = parse(site / MEETING)
    markers = doc.xpath("//a[@class='noteref']")
    assert [m.text_content() for m in markers] == ["87", "a"]
    for marker in markers:
        note = doc.get_element_by_id(marker.get("href")[1:])
        assert note.tag == "li"
        assert note.xpath(".//a[@href=$h]", h="#" + marker.get("id"))
    assert "page 118" in doc.get_element_by_id("meeting-1951-09-09-mutual-aid-note-87").text_content()


def test_cite_this_document_and_tei_download(site):
    doc = parse(site / MEETING)
    cite = doc.xpath("//section[@class='cite']")[0]
    text = " ".join(cite.text_content().split())
    assert "“1st conference on mutual aid and cooperation, Beijing, 9–30 September 1951.”" in text
    assert "Meetings of the Chinese Communist Party Leadership" in text and "version 0.1.0" in text
    assert "(accessed [date])" in text
    assert re.search(r"@misc\{meeting-1951-09-09-mutual-aid,.*title\s+= \{1st conference on mutual aid and cooperation,"
                     r" Beijing, 9--30 September 1951\}", text)
    download = cite.xpath(".//a[@download]/@href")[0]
    copy = (site / "documents" / download).resolve()
    assert copy.read_bytes() == (REPO / "tei" / "meetings" / "1951-09-09-mutual-aid-conference.xml").read_bytes()


def test_source_and_literature(site):
    sources = parse(site / MEETING).xpath("//section[@class='sources']")[0]
    text = " ".join(sources.text_content().split())
    assert "000_daf9fabc9e3a19bb" in text
    assert sources.xpath(".//h3[.='Literature cited']/following-sibling::ul[1]//a/@href") == ["../bibliography/zhao-2007.html"]


def test_breadcrumbs_and_neighbours(site):
    doc = parse(site / MEETING)
    assert doc.xpath("//nav[@class='breadcrumbs']//a/@href") == ["../index.html"]
    nav = doc.xpath("//nav[@class='prev-next']")[0]
    assert "earliest" in nav.text_content() and "latest" in nav.text_content()  # the only document


# ---- registers, chronology, home -----------------------------------------------------------------


def test_each_person_of_the_record_links_back_with_the_right_role(site):
    """The roles expected are read from the TEI (through the index), not written into the test."""
    from collections import defaultdict

    config = load_config(write_bundled_config(Path(tempfile.mkdtemp())))
    validation = validate(config)
    source = next(d for d in validation.corpus.sources if d.id == "meeting-1951-09-09-mutual-aid")
    roles: dict[str, set[str]] = defaultdict(set)
    for el in source.root.find(f"{T}text").iter(f"{T}persName"):
        entity = validation.index.entity_for(source, el.get("ref"))
        roles[entity.id].update([el.get("role")] if el.get("role") else [])
    assert {"chen-boda", "liu-shaoqi", "mao-zedong"} <= set(roles)
    for person, expected in roles.items():
        page = parse(site / "persons" / f"{person}.html")
        items = page.xpath("//section[@class='appears-in']/ul[@class='mentions documents']/li[a/@href=$h]", h="../" + MEETING)
        assert len(items) == 1, person
        shown = items[0].xpath("string(span[@class='roles'])").strip(" —")
        assert set(filter(None, shown.split(", "))) == expected, person


def test_register_lists_and_overview(site):
    persons = parse(site / "persons" / "index.html")
    names = [a.text_content() for a in persons.xpath("//ul[@class='register-list']/li/a")]
    assert names == sorted(names, key=str.casefold) and "Liu Shaoqi" in names
    overview = parse(site / "registers.html").xpath("//ul[@class='register-overview']//a/@href")
    assert overview == ["persons/index.html", "places/index.html", "organisations/index.html", "events/index.html",
                        "bibliography/index.html"]


def test_entry_page_identifiers_names_and_related_events(site):
    mao = parse(site / "persons" / "mao-zedong.html")
    assert mao.xpath("//ul[@class='identifiers']//a/@href") == ["http://www.wikidata.org/entity/Q5816"]
    assert "26 December 1893" in mao.find(".//main").text_content()
    related = mao.xpath("//h3[.='Related events']/following-sibling::ul[1]//a[contains(@class,'ref-link')]/@href")
    assert "../events/conference-mutual-aid-1951.html" in related
    event = parse(site / "events" / "conference-mutual-aid-1951.html")
    assert event.xpath("//section[@class='appears-in']//a/@href")[0] == "../" + MEETING


def test_chronology_lists_events_by_date_with_their_documents(site):
    page = parse(site / "chronology.html")
    dates = page.xpath("//ol[@class='timeline']/li//time/@datetime")
    assert dates == sorted(dates) and len(dates) == 2
    assert page.xpath("//ol[@class='timeline']/li[1]//ul[@class='timeline-docs']//a/@href") == [MEETING]


def test_home_lists_documents_and_introduction(site):
    home = parse(site / "index.html")
    assert home.xpath("//table[@class='document-list']//a[1]/@href")[0] == MEETING
    assert "This edition transcribes records" in home.find(".//main").text_content()
    assert home.xpath("//form[@role='search']/@action") == ["search.html"]


def test_about_has_principles_citation_licence(site):
    about = main_text(site / "about.html")
    for phrase in ("Editorial principles", "How to cite the edition", "Licence", "CC BY 4.0", "Conflicting accounts"):
        assert phrase in about, phrase


def test_search_index_has_kind_filters(site):
    """Pagefind indexed the documents and entries with their kinds (read back from its metadata)."""
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] >= 15  # 1 document + 14 entries + About
    filters = [p.name for p in (bundle / "filter").iterdir()]
    assert filters


# ---- determinism, failures, other corpora ------------------------------------------------------


def test_output_is_deterministic(site, tmp_path):
    diagnostics, _ = run_writers(write_bundled_config(tmp_path), names=("html",))
    again = tmp_path / "output" / "html"
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()  # the search bundle included
    assert [k for k in first if first[k] != second[k]] == []


def test_parallel_build_writes_the_same_files(site, tmp_path, monkeypatch):
    """--jobs 2 renders pages in worker processes; the site is byte-identical to the serial one."""
    from tei_edition.writers.html import writer as html_writer

    monkeypatch.setattr(html_writer, "PARALLEL_FROM", 0)
    config = load_config(write_bundled_config(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # inherited by the worker processes
    validation = validate(config)
    ctx = BuildContext(config, validation.corpus, validation.index, jobs=2, log=lambda _m: None)
    assert html_writer.write(ctx) == WriterResult.built()
    again = tmp_path / "output" / "html"
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second  # the search bundle included


def test_unusual_elements_keep_all_their_text():
    html, _ = fixture_site("html-unusual")
    tei = etree.parse(str(FIXTURES / "html-unusual" / "tei" / "doc-unusual.xml"))
    page = " ".join(main_text(html / "documents" / "doc-unusual.html").split())
    missing = []
    for node in tei.getroot().find(f"{T}text").iter():
        if not isinstance(node.tag, str):
            continue
        for piece in (node.text, node.tail if node.getparent() is not None and node is not tei.getroot().find(f"{T}text") else None):
            piece = " ".join((piece or "").split()).strip(" ,.")
            if piece and piece not in page:
                missing.append(piece)
    assert not missing, missing
    doc = parse(html / "documents" / "doc-unusual.html")
    assert doc.xpath("//*[contains(@class, 'tei-madeUpWrapper')]")  # fallback: name as class
    assert doc.xpath("//*[@lang='zh-Hans' and .='外语词']")


def test_unresolved_pointer_is_plain_text_with_marker_and_warning():
    html, diagnostics = fixture_site("html-unusual")
    warnings = [d for d in diagnostics if d.rule == "html-unresolved"]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert warnings[0].path.endswith("doc-unusual.xml") and warnings[0].line == 19
    assert "#nobody-at-all" in warnings[0].message
    doc = parse(html / "documents" / "doc-unusual.html")
    ghost = doc.xpath("//span[contains(concat(' ', @class, ' '), ' unresolved ')]")
    assert len(ghost) == 1 and "Ghost Name" in ghost[0].text_content() and "[?]" in ghost[0].text_content()
    assert not ghost[0].xpath("ancestor-or-self::a | .//a")


def test_fixture_prev_next_by_date():
    html, _ = fixture_site("html-unusual")
    first = parse(html / "documents" / "doc-unusual.html")
    assert first.xpath("//nav[@class='prev-next']/a[@rel='next']/@href") == ["../documents/doc-second.html"]
    second = parse(html / "documents" / "doc-second.html")
    assert second.xpath("//nav[@class='prev-next']/a[@rel='prev']/@href") == ["../documents/doc-unusual.html"]


def test_failed_render_keeps_the_previous_site(tmp_path, monkeypatch):
    from tei_edition.writers.html import writer as html_writer
    from tei_edition.render.xslt import XsltError

    config = write_bundled_config(tmp_path)
    run_writers(config, names=("html",))
    index = tmp_path / "output" / "html" / "index.html"
    before = index.read_bytes()

    def broken(stylesheet, source, params=None, profile=None, version=""):
        raise XsltError(f"{stylesheet}: simulated failure")

    monkeypatch.setattr(html_writer, "render", broken)
    diagnostics, _ = run_writers(config, names=("html",))
    assert [d.rule for d in diagnostics if d.severity == "error"] == ["html-xslt"]
    assert "simulated failure" in diagnostics[-1].message
    assert index.read_bytes() == before
    assert not [p for p in (tmp_path / "output").iterdir() if p.name.startswith(".")]


def test_search_reports_a_missing_site(tmp_path):
    config = load_config(write_bundled_config(tmp_path))
    validation = validate(config)
    ctx = BuildContext(config, validation.corpus, validation.index, log=lambda _m: None)
    result = load_writer("search").write(ctx)
    assert result.status == "failed" and [d.rule for d in result.diagnostics] == ["search-no-site"]


def test_search_alone_reindexes_an_existing_site(tmp_path):
    config = write_bundled_config(tmp_path)
    run_writers(config, names=("html",))
    html = tmp_path / "output" / "html"
    shutil.rmtree(html / "pagefind")  # the html writer indexed its pages; take the bundle away
    diagnostics, _ = run_writers(config, names=("search",))
    assert diagnostics == []
    assert (html / "pagefind" / "pagefind-ui.js").is_file()
    assert not [p for p in html.iterdir() if p.name.startswith(".")]  # no temporary folder left


HOSTILE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test document: markup-like text that must stay text in the HTML. -->
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="hostile">
  <teiHeader><fileDesc>
    <titleStmt><title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; title</title></titleStmt>
    <publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Test</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>
    <p rend="x&quot; onmouseover=&quot;alert(2)">&lt;img src=x onerror=alert(3)&gt; and
      <ref target="javascript:alert(4)">a javascript link</ref>.</p>
  </body></text>
</TEI>
"""


def test_tei_content_cannot_inject_script(tmp_path):
    (tmp_path / "doc.xml").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["doc.xml"]\noutput = "out"\n', encoding="utf-8")
    diagnostics, _ = run_writers(tmp_path / "edition.toml", names=("html",), keep_going=True)
    assert not [d for d in diagnostics if d.severity == "error"]
    page = tmp_path / "out" / "html" / "documents" / "hostile.html"
    doc = parse(page)
    scripts = doc.xpath("//script")
    assert [s.get("src") or s.get("type") for s in scripts] == ["../assets/edition.js", "application/ld+json"]
    assert json.loads(scripts[1].text)["name"].startswith("</script><script>alert(1)")
    assert not doc.xpath("//img | //@onmouseover | //@onerror | //a[starts-with(@href, 'javascript:')]")
    assert "<img src=x onerror=alert(3)>" in doc.find(".//main").text_content()
