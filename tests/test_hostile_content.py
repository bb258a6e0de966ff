"""Hostile content (issue 8): javascript: and data: URLs, markup and script in text, quotes and
angle brackets in attribute values, right-to-left and zero-width characters, xml:ids that try
../ or absolute paths.

Two synthetic corpora, made here from tests/fixtures/validate/base (not historical sources):

- the *valid* hostile corpus: everything a schema-less edition accepts (text with <script>,
  "</script>" and "<!--" in titles, quotes in attributes, bidi overrides in names, a
  javascript: address written as an identifier, ids like ../../../escaped). It builds (html,
  search, pdf, deposit), so the writers see it the way a real build hands it to them, and a
  browser opens every page;
- the *invalid* hostile corpus: javascript:, vbscript:, data:, file: URLs in pointers. The
  validator refuses them (url-unsafe-scheme); the writers are proven safe without that help:
  the header and registers still reach them in a --keep-going build, and a source document's
  page is rendered straight through the stylesheets, as writers/html.py does.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree, html
from playwright.sync_api import expect

from tei_edition.names import TEI_NS
from tei_edition.config import load_config
from tei_edition.writers.pdf.data import site_for
from tei_edition.validate import validate
from tei_edition.validate.urls import unsafe_scheme
from tei_edition.render.xslt import XSLT_DIR, transform

from helpers import QuietHandler, document_page_data, invoke

BASE = Path(__file__).parent / "fixtures" / "validate" / "base"
RLO, ZWSP, ZWNJ = "\u202e", "\u200b", "\u200c"  # ZWNJ may stand in an XML name, ZWSP not
# Text that would break out of a <script> element (JSON-LD) or an attribute, as the edition's title.
EDITION_TITLE = ("Edition \"quoted\" 'apos' <b>bold</b> </script><script>window.__pwned=1</script>"
                 " <!-- <script> & more")
DOC_TITLE = f"A document {RLO}whose title is reversed"
MARKUP_TEXT = '<script>window.__pwned=2</script><img src=x onerror="window.__pwned=3">'
SAFE_SCHEMES = ("http", "https", "mailto")
# What the browser drops from a URL before it reads its scheme.
BROWSER_DROPS = re.compile(r"[\t\n\r]")


def esc(text: str) -> str:
    """Text as XML character data (the corpus is written as text, so escape by hand)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, (path, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


# ----- the valid hostile corpus ----------------------------------------------------------------

def make_valid_corpus(root: Path) -> None:
    shutil.copytree(BASE, root)
    edit(root / "edition.xml",
         ("<title>Synthetic test edition</title>", f"<title>{esc(EDITION_TITLE)}</title>"),
         ("</titleStmt>", '</titleStmt><editionStmt><edition n="1.0.0">Version 1.0.0</edition></editionStmt>'),
         ("<sourceDesc><p>Synthetic", f"<sourceDesc><p>{esc(MARKUP_TEXT)} Synthetic"))
    good = root / "docs" / "good.xml"
    pristine = good.read_text(encoding="utf-8")
    edit(good,
         ("<title>A valid synthetic document</title>", f"<title>{esc(DOC_TITLE)}</title>"),
         ("</p>\n    </body>", f"""</p>
      <p>Markup as text: {esc(MARKUP_TEXT)}; attributes that try to close their quotes:
        <hi rend='x" onmouseover="window.__pwned=4' type="a&quot;&gt;&lt;script&gt;window.__pwned=5&lt;/script&gt;">quoted</hi>,
        <foreign xml:lang='zh" onfocus="window.__pwned=6'>foreign</foreign>,
        a safe link <ref target="https://example.org/a?b=1&amp;c=%22q%22">outside</ref>,
        a note<note xml:id="note{ZWNJ}1" n='1"&gt;&lt;b&gt;'>A note with {esc('<b>markup</b>')}.</note>.</p>
      <p>Before <persName ref="#ben">{RLO}Ben</persName> after-the-name.</p>
    </body>"""))
    # xml:ids that try to leave the output folder (documents are named after them)
    for name, ident in (("escape.xml", "../../../escaped-doc"), ("absolute.xml", "/tmp/absolute-escaped-doc")):
        (root / "docs" / name).write_text(pristine.replace('xml:id="doc-good"', f'xml:id="{ident}"'), encoding="utf-8")
    edit(root / "registers" / "persons.xml",
         ('<person xml:id="ada"><persName>Ada Example</persName></person>',
          f'<person xml:id="ada"><persName>{RLO}Ada Example</persName>'
          '<idno type="viaf">javascript:window.__pwned=7</idno>'
          f'<idno type="wikidata">https://example.org/{RLO}gro.elpmaxe</idno>'
          '<idno type="gnd">https://example.org/gnd/1</idno></person>'
          # a register entry whose xml:id tries to leave the output folder too
          '<person xml:id="../../../escaped-person"><persName>Escaping Example</persName></person>'),
)
    edit(root / "docs" / "escape.xml", ("<p>", '<p><persName ref="#../../../escaped-person">Escaping Example</persName> '))


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory):
    """The valid hostile corpus, built (web, print and deposit); (tmp dir, corpus root, files before)."""
    tmp = tmp_path_factory.mktemp("valid")
    root = tmp / "corpus"
    make_valid_corpus(root)
    before = files_under(tmp)
    result = invoke(["build", "--jobs", "1"], root)
    assert result.exit_code == 0, result.output
    return tmp, root, before


def pages(root: Path) -> list[Path]:
    return sorted((root / "output" / "html").rglob("*.html"))


def test_the_valid_hostile_corpus_is_valid_with_warnings_for_invisible_ids(tmp_path):
    root = tmp_path / "corpus"
    make_valid_corpus(root)
    result = invoke(["validate", "--format", "json"], root)
    assert result.exit_code == 0, result.output  # valid: the writers get all of it
    found = json.loads(result.output)
    invisible = [d for d in found if d["rule"] == "id-invisible-char"]
    text = (root / "docs" / "good.xml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if f"note{ZWNJ}1" in t)
    col = text[line - 1].index("xml:id=") + 1
    # only the id is reported: text (the name with its override) keeps its characters unremarked
    assert [(d["path"], d["line"], d["col"], d["severity"]) for d in invisible] == [
        ("docs/good.xml", line, col, "warning")], invisible
    assert "U+200C ZERO WIDTH NON-JOINER" in invisible[0]["message"]
    assert ZWNJ not in invisible[0]["message"]  # printed as <U+200C>: it cannot hide in the terminal


def test_no_output_path_leaves_the_output_folder(valid_build):
    tmp, root, before = valid_build
    new = files_under(tmp) - before
    output = root / "output"
    assert new and all(output in p.parents for p in new), [p for p in new if output not in p.parents]
    # the hostile ids did make pages and PDFs (inside the output), so the test saw them
    names = [str(p.relative_to(output)) for p in new]
    for word in ("_.._.._escaped-doc", "_tmp_absolute-escaped-doc"):
        assert any(word in n and n.startswith("html/documents/") for n in names), (word, names)
        assert any(word.strip("_.") in n and n.startswith("pdf/") for n in names), (word, names)
        assert any(word.strip("_.") in n and n.startswith("deposit/") for n in names), (word, names)
    assert any("escaped-person" in n and n.startswith("html/persons/") for n in names), names


def test_text_in_equals_text_out_and_markup_stays_text(valid_build):
    _, root, _ = valid_build
    doc = html.parse(str(root / "output" / "html" / "documents" / "doc-good.html")).getroot()
    text = doc.text_content()
    assert MARKUP_TEXT in text  # the markup is shown, as text
    assert f"{RLO}Ben" in text and DOC_TITLE in text  # bidi controls are kept
    assert not doc.xpath("//img | //b")  # no element was injected ...
    assert not doc.xpath("//@*[starts-with(local-name(), 'on')]")  # ... nor an event handler
    hi = doc.xpath("//em[contains(@class, 'tei-hi')] | //*[contains(@class, 'tei-hi')]")
    assert hi and 'rend-x"' in hi[0].get("class")  # the quote stayed inside the attribute
    # the note id with its zero-width character links both ways (the href percent-encoded)
    assert doc.xpath("//a[@href='#note%E2%80%8C1']") and doc.xpath(f"//li[@id='note{ZWNJ}1']")


def test_json_ld_cannot_break_out_of_its_script(valid_build):
    _, root, _ = valid_build
    for page in pages(root):
        source = page.read_text(encoding="utf-8")
        # every "<" of the JSON is escaped, so the script ends where the edition ends it
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', source, re.S):
            assert "<" not in block and ">" not in block, page
            data = json.loads(block)
            if page.name == "index.html" and page.parent.name == "html":
                assert data["name"] == EDITION_TITLE  # and JSON reads the title back unchanged
        scripts = html.fromstring(source).xpath("//script")
        assert all(s.get("type") == "application/ld+json" or re.search(r"(assets/edition|pagefind/pagefind-ui)\.js$", s.get("src", ""))
                   for s in scripts), (page, [etree.tostring(s) for s in scripts])


def test_every_page_carries_the_content_security_policy(valid_build):
    _, root, _ = valid_build
    for page in pages(root):
        metas = html.parse(str(page)).getroot().xpath("//head/meta[@http-equiv='Content-Security-Policy']/@content")
        assert len(metas) == 1, page
        policy = dict((d.split()[0], d.split()[1:]) for d in metas[0].split(";"))
        assert policy["default-src"] == ["'none'"] and policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"], page  # no inline script, no eval
        assert "'unsafe-inline'" not in metas[0] and "*" not in metas[0]


def test_unsafe_identifiers_are_text_and_safe_ones_links(valid_build):
    _, root, _ = valid_build
    entry = html.parse(str(root / "output" / "html" / "persons" / "ada.html")).getroot()
    idnos = entry.xpath("//ul[@class='identifiers']/li")
    assert len(idnos) == 3
    assert not idnos[0].xpath(".//a") and "javascript:window.__pwned=7" in idnos[0].text_content()
    assert not idnos[1].xpath(".//a")  # a bidi override inside a URL disguises where it leads
    assert idnos[2].xpath(".//a/@href") == ["https://example.org/gnd/1"]
    ld = json.loads(entry.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["sameAs"] == ["https://example.org/gnd/1"]


def tei_corpus_of(header: Path) -> etree._Element:
    """What the deposit's edition-level records are made from: a teiCorpus with the header."""
    corpus = etree.Element(f"{{{TEI_NS}}}teiCorpus")
    corpus.append(etree.parse(str(header)).getroot().find(f"{{{TEI_NS}}}teiHeader"))
    return corpus


def test_the_deposit_escapes_markup_for_zenodo(tmp_path):
    make_valid_corpus(tmp_path / "corpus")
    zenodo = transform("deposit/zenodo.xsl", tei_corpus_of(tmp_path / "corpus" / "edition.xml"))
    description = json.loads(zenodo)["metadata"]["description"]  # Zenodo reads it as HTML
    assert esc(MARKUP_TEXT) in description and "<script>" not in description and "<img" not in description


# ----- the invalid hostile corpus ----------------------------------------------------------------

# Each hostile pointer, with the scheme the validator must name.
HOSTILE_TARGETS = [
    ("javascript:window.__pwned=11", "javascript"),
    ("java&#x09;script:window.__pwned=12", "javascript"),
    ("  JaVaScRiPt:window.__pwned=13", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("data:text/html,&lt;script&gt;window.__pwned=14&lt;/script&gt;", "data"),
    ("file:///etc/passwd", "file"),
    ("%6Aavascript:window.__pwned=15", "javascript"),
    ("javascript&amp;#58;window.__pwned=16", "javascript"),
]


def hostile_refs(tag: str = "ref") -> str:
    return " ".join(f'<{tag} target="{t}">link {i}</{tag}>' for i, (t, _) in enumerate(HOSTILE_TARGETS))


def make_invalid_corpus(root: Path) -> None:
    shutil.copytree(BASE, root)
    edit(root / "edition.xml", ("https://creativecommons.org/licenses/by/4.0/", "JaVaScRiPt:window.__pwned=10"))
    edit(root / "registers" / "persons.xml",
         ('<person xml:id="ada"><persName>Ada Example</persName></person>',
          '<person xml:id="ada"><persName facs="javascript:window.__pwned=16">Ada Example</persName>'
          f"<note>{hostile_refs()} <ptr target='javascript:window.__pwned=17'/></note></person>"))
    (root / "docs" / "links.xml").write_text(
        (BASE / "docs" / "good.xml").read_text(encoding="utf-8")
        .replace('xml:id="doc-good"', 'xml:id="doc-links"')
        .replace("</p>\n    </body>", f"</p><p>{hostile_refs()} <ptr target='vbscript:x'/> "
                                       f"<ref target='https://example.org/ok'>ok</ref></p>\n    </body>"),
        encoding="utf-8")


@pytest.fixture(scope="module")
def invalid_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("invalid") / "corpus"
    make_invalid_corpus(root)
    return root


def expected_places(path: Path, attribute: str, values: list[str]) -> list[tuple[int, int]]:
    """Line and column of each `attribute="value"` in the file, in the order given."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for value in values:
        for n, line in enumerate(lines, 1):
            for quote in '"\'':
                at = line.find(f"{attribute}={quote}{value}{quote}")
                if at >= 0:
                    found.append((n, at + 1))
                    break
            else:
                continue
            break
        else:
            raise AssertionError(f"{value} not in {path}")
    return found


def test_the_validator_refuses_unsafe_urls_once_each_with_place_and_hint(invalid_corpus):
    result = invoke(["validate", "--format", "json"], invalid_corpus)
    assert result.exit_code == 1
    found = json.loads(result.output)
    unsafe = [d for d in found if d["rule"] == "url-unsafe-scheme"]
    targets = [t for t, _ in HOSTILE_TARGETS]
    expected = (
        [("edition.xml", *p) for p in expected_places(invalid_corpus / "edition.xml", "target", ["JaVaScRiPt:window.__pwned=10"])]
        + [("docs/links.xml", *p) for p in expected_places(invalid_corpus / "docs" / "links.xml", "target", targets + ["vbscript:x"])]
        + [("registers/persons.xml", *p) for p in expected_places(
            invalid_corpus / "registers" / "persons.xml", "target", targets + ["javascript:window.__pwned=17"])]
        + [("registers/persons.xml", *p) for p in expected_places(
            invalid_corpus / "registers" / "persons.xml", "facs", ["javascript:window.__pwned=16"])])
    assert sorted((d["path"], d["line"], d["col"]) for d in unsafe) == sorted(expected)
    assert all(d["severity"] == "error" and "only http:, https: and mailto:" in d["hint"] for d in unsafe)
    schemes = [re.search(r"is a (\S+): URL", d["message"]).group(1)
               for d in unsafe if d["path"] == "docs/links.xml"][:len(HOSTILE_TARGETS)]
    assert schemes == [s for _, s in HOSTILE_TARGETS]
    # one message per place: the reference check does not also call them unresolved prefixes
    places = {(d["path"], d["line"], d["col"]) for d in unsafe}
    assert not [d for d in found if d["rule"] != "url-unsafe-scheme" and (d["path"], d["line"], d["col"]) in places]
    # and the safe link next to them is not reported at all
    assert not [d for d in found if "example.org/ok" in d["message"]]


@pytest.mark.parametrize("value, unsafe", [
    ("https://example.org/", None), ("mailto:a@example.org", None), ("#ada", None), ("person:ada", None),
    ("../registers/persons.xml#ada", None), ("doi:10.1000/1", None),
    ("javascript:alert(1)", "javascript"), (" \tJAVASCRIPT:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"), ("java\nscript:alert(1)", "javascript"),
    ("\x01javascript:alert(1)", "javascript"), ("javascript&#58;alert(1)", "javascript"),
    ("&#106;avascript:alert(1)", "javascript"), ("%6Aavascript:alert(1)", "javascript"),
    ("#ok data:text/html,x", "data"), ("VBScript:x", "vbscript"), ("file:///etc/passwd", "file"),
])
def test_what_the_validator_calls_an_unsafe_scheme(value, unsafe):
    assert unsafe_scheme(value) == unsafe


def test_an_attribute_that_holds_a_url_takes_only_link_schemes():
    assert unsafe_scheme("doi:10.1000/1", strict=True) == "doi"
    assert unsafe_scheme("https://example.org/a.png", strict=True) is None
    assert unsafe_scheme("images/a.png", strict=True) is None


SAFE_LINK_CASES = [
    ("https://example.org/", "https://example.org/"), ("  HTTP://example.org/x  ", "HTTP://example.org/x"),
    ("mailto:a@example.org", "mailto:a@example.org"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None), ("java\tscript:alert(1)", None),
    ("vbscript:x", None), ("data:text/html,x", None), ("file:///etc/passwd", None), ("ftp://x", None),
    ("https://example.org/ javascript:alert(1)", None), (f"https://example.org/{RLO}gro", None),
    (f"https://exa{ZWSP}mple.org/", None), ("https:javascript:alert(1)", None), ("#note-1", None), ("", None),
]


def test_the_one_function_that_decides_what_becomes_a_link(tmp_path):
    stylesheet = tmp_path / "probe.xsl"
    stylesheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:ed="urn:tei-edition:functions" exclude-result-prefixes="#all">
      <xsl:include href="{(XSLT_DIR / 'common' / 'urls.xsl').as_uri()}"/>
      <xsl:output method="xml"/>
      <xsl:template match="/"><out><xsl:for-each select="//v"><r><xsl:value-of select="ed:safe-link(.)"/></r></xsl:for-each></out></xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    values = etree.Element("values")
    for value, _ in SAFE_LINK_CASES:
        etree.SubElement(values, "v").text = value
    out = etree.fromstring(transform(stylesheet, values).encode())
    assert [r.text for r in out] == [expected for _, expected in SAFE_LINK_CASES]


def unsafe_urls_in(markup: str, attributes=("href", "src", "action", "formaction", "data", "poster")) -> list[str]:
    """Every URL attribute of an HTML/XHTML text whose scheme a browser would see as unsafe."""
    tree = html.fromstring(markup)
    found = []
    for attribute in attributes:
        for value in tree.xpath(f"//@*[local-name() = '{attribute}']"):
            parts = urlsplit(BROWSER_DROPS.sub("", value).strip())
            if parts.scheme and parts.scheme.lower() not in SAFE_SCHEMES:
                found.append(value)
    return found


def hrefs_in(markup: str) -> list[str]:
    return html.fromstring(markup).xpath("//@href")


def test_html_pages_of_a_document_with_unsafe_urls_link_only_safe_ones(invalid_corpus):
    # defence in depth: the page of the invalid document, rendered as writers/html.py renders it
    validation = validate(load_config(invalid_corpus / "edition.toml"))
    doc = next(d for d in validation.corpus.documents if d.id == "doc-links")
    data = document_page_data(validation.index, doc)
    page = transform("html/document.xsl", doc.root, {"site": data})
    assert unsafe_urls_in(page) == []
    text = html.fromstring(page).text_content()
    assert all(f"link {i}" in text for i in range(len(HOSTILE_TARGETS)))  # the link texts are kept
    assert "https://example.org/ok" in hrefs_in(page)  # a safe link still is one
    # the print edition never links a pointer at all (WeasyPrint makes PDF links from href)
    chapter = transform("print/document.xsl", doc.tree, {"site": site_for(validation.index, [doc]), "scope": doc.id})
    assert all(h.startswith("#") for h in hrefs_in(chapter)), hrefs_in(chapter)


def test_deposit_records_of_an_unsafe_licence_have_no_link(invalid_corpus):
    header = etree.parse(str(invalid_corpus / "edition.xml"))
    datacite = transform("deposit/datacite.xsl", tei_corpus_of(invalid_corpus / "edition.xml"),
                         {"files": etree.ElementTree(etree.Element("files"))})
    rights = etree.fromstring(datacite.encode()).xpath("//*[local-name() = 'rights']")
    assert len(rights) == 1 and rights[0].get("rightsURI") is None  # the licence is named, not linked
    oai = transform("deposit/oai_dc.xsl", header, {
        "edition": header, "entities": etree.ElementTree(etree.Element("entities")), "path": "edition.xml",
        "edition-id": "x", "is-edition-header": True})
    assert [r.text for r in etree.fromstring(oai.encode()).iter("{http://purl.org/dc/elements/1.1/}rights")
            if "javascript" in (r.text or "").lower()] == []


@pytest.fixture(scope="module")
def invalid_build(invalid_corpus):
    """A --keep-going build: the invalid document is left out; the header and the registers,
    with their unsafe URLs, still reach the writers."""
    result = invoke(["build", "--keep-going", "--only", "html", "--only", "pdf", "--jobs", "1"], invalid_corpus)
    assert (invalid_corpus / "output" / "html" / "persons" / "ada.html").exists(), result.output
    return invalid_corpus


def test_a_keep_going_build_links_no_unsafe_url(invalid_build):
    entry = (invalid_build / "output" / "html" / "persons" / "ada.html").read_text(encoding="utf-8")
    assert "link 0" in entry  # the register's hostile note reached the writer ...
    for page in pages(invalid_build):
        assert unsafe_urls_in(page.read_text(encoding="utf-8")) == [], page  # ... and linked nothing unsafe
    for pdf in (invalid_build / "output" / "pdf").rglob("*.pdf"):
        uris = re.findall(rb"/URI\s*\((.*?)\)", pdf.read_bytes())
        assert all(urlsplit(u.decode("latin-1")).scheme in SAFE_SCHEMES for u in uris), (pdf, uris)


# ----- in the browser ---------------------------------------------------------------------------

def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# Set before any script of the page runs (Playwright injects it outside the page's CSP).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
# Every attribute in the DOM that a browser follows or runs, with its scheme as the browser parses it.
DOM_URLS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(['handler', el.tagName, a.name]);
      if (['href', 'src', 'action', 'formaction', 'data', 'poster', 'xlink:href'].includes(a.name)) {
        // Pagefind's search form has action="javascript:void(0);" and is never submitted (its
        // script handles the input; the search test presses Enter under the policy)
        if (a.value === 'javascript:void(0);' && el.tagName === 'FORM' && el.closest('#search')) continue;
        let scheme;
        try { scheme = new URL(a.value, location.href).protocol; } catch (e) { continue; }  // never followed
        if (!['http:', 'https:', 'mailto:', 'file:'].includes(scheme) || (scheme === 'file:' && location.protocol !== 'file:'))
          found.push([scheme, el.tagName, a.value]);
      }
    }
  }
  return found;
}"""


@pytest.fixture
def watched(browser):
    """A page that records dialogs, CSP violations and requests that leave the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    record = {"dialogs": [], "outside": []}
    page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: record["outside"].append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "file://", "data:", "about:")) else None)
    yield page, record
    context.close()


@pytest.mark.parametrize("corpus", ["valid", "invalid"])
def test_no_page_runs_injected_script_or_reaches_another_host(watched, valid_build, invalid_build, corpus):
    page, record = watched
    site = (valid_build[1] if corpus == "valid" else invalid_build) / "output" / "html"
    server = serve(site)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        opened = 0
        for path in pages(site.parent.parent):
            page.goto(base + path.relative_to(site).as_posix())
            opened += 1
            for link in page.locator("main a").all()[:60]:
                if link.is_visible():
                    link.hover()
                link.focus()
            assert page.evaluate("window.__pwned") is None, path
            assert page.evaluate(DOM_URLS) == [], path
            assert page.evaluate("window.__violations") == [], path  # nothing blocked: nothing tried
            # scripts are the edition's files and JSON-LD data, which the browser reads back whole
            assert page.evaluate("[...document.scripts].every(s => s.src || s.type === 'application/ld+json')"), path
            assert page.evaluate("[...document.scripts].filter(s => !s.src).every(s => JSON.parse(s.text))"), path
        assert opened >= 10
    finally:
        server.shutdown()
        server.server_close()
    assert record["dialogs"] == [] and record["outside"] == []


def test_a_bidi_override_in_a_name_does_not_reorder_the_sentence(watched, valid_build):
    page, _ = watched
    page.goto((valid_build[1] / "output" / "html" / "documents" / "doc-good.html").as_uri())
    para = page.locator("p", has_text="after-the-name")
    name = para.locator("a.ref-link")
    expect(name).to_have_text(f"{RLO}Ben")  # kept, as written
    # the words after the name stay after it: the override ends with the name's element
    positions = para.evaluate("""p => {
      const name = p.querySelector('a.ref-link').getBoundingClientRect();
      const text = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.includes('after-the-name'));
      const range = document.createRange();
      const start = text.textContent.indexOf('after-the-name');
      range.setStart(text, start); range.setEnd(text, start + 'after-the-name'.length);
      const after = range.getBoundingClientRect();
      return [name.left, name.right, after.left, after.top - name.top];
    }""")
    name_left, name_right, after_left, dy = positions
    assert abs(dy) < 5 and after_left >= name_right - 1, positions


def test_search_hover_cards_and_footnotes_work_under_the_policy(watched, valid_build):
    page, record = watched
    site = valid_build[1] / "output" / "html"
    server = serve(site)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        page.goto(base + "search.html?q=again")  # Pagefind: its script, worker, WebAssembly, fetches
        expect(page.locator(".pagefind-ui__result-link").first).to_be_visible(timeout=15000)
        page.locator("#search-input").press("Enter")  # its form goes nowhere, so nothing is blocked
        expect(page.locator(".pagefind-ui__result-link").first).to_be_visible()
        page.goto(base + "documents/doc-good.html")
        link = page.locator(".document-text a.ref-link").first
        card = page.locator("#" + link.get_attribute("aria-describedby"))
        expect(card).to_be_hidden()
        link.hover()
        expect(card).to_be_visible()
        page.locator("a.noteref").first.click()
        expect(page).to_have_url(re.compile("#note"))
        assert page.evaluate("window.__violations") == []
    finally:
        server.shutdown()
        server.server_close()
    # from disk: the edition's own script runs (it explains that search needs a server) and its styles apply
    page.goto((site / "search.html").as_uri())
    expect(page.locator("#search-offline")).to_be_visible()
    page.goto((site / "documents" / "doc-good.html").as_uri())
    link = page.locator(".document-text a.ref-link").first
    link.hover()
    expect(page.locator("#" + link.get_attribute("aria-describedby"))).to_be_visible()
    assert page.evaluate("window.__violations") == []
    assert record["dialogs"] == [] and record["outside"] == []


INJECT = """() => {
  document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.__pwned = 1">');
  const script = document.createElement('script');
  script.textContent = 'window.__pwned = 2';
  document.body.append(script);
  const link = document.createElement('a');
  link.href = 'javascript:window.__pwned = 3';
  link.textContent = 'injected';
  document.body.append(link);
  link.click();
}"""


@pytest.mark.parametrize("served", [True, False])
def test_the_policy_stops_script_that_gets_into_a_page(watched, valid_build, served):
    """Defence in depth: if markup ever got into a page, the browser would still not run it."""
    page, record = watched
    site = valid_build[1] / "output" / "html"
    server = serve(site) if served else None
    try:
        base = f"http://127.0.0.1:{server.server_port}/" if served else site.as_uri() + "/"
        page.goto(base + "documents/doc-good.html")
        page.evaluate(INJECT)
        page.wait_for_function("window.__violations.length >= 3")
        assert page.evaluate("window.__pwned") is None
        assert all(v.startswith("script-src") for v in page.evaluate("window.__violations"))
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    assert record["dialogs"] == [] and record["outside"] == []
