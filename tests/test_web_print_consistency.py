"""The web edition and the print edition state the same facts (docs/semantic-layer.md).

Each corpus (the bundled edition and the fixture corpora that build) is built with
`edition build --only html --only pdf`; the print HTML WeasyPrint lays out is kept as it is laid
out, and the volume's text is read back with pdftotext. Then, for every document: the same
title, date, place, meeting, correspondents and people with their roles; for every register
entry: the same name, name in another script, dates and roles; and every link of both outputs
leads to a page or an anchor that exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.model.addresses import KIND_FOLDERS, href_of
from tei_edition.model.index import Index
from tei_edition.validate import validate
from tei_edition.writers.pdf import render
from tei_edition.writers.pdf.volume import Volume

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"

# corpus name → (folder to copy or None for the bundled edition, config inside it, exit code)
CORPORA = {
    "bundled": (None, "edition.toml", 0),
    "html-unusual": (FIXTURES / "html-unusual", "edition.toml", 1),  # has errors: built with --keep-going
    "deposit-minimal": (FIXTURES / "deposit-minimal", "edition.toml", 0),
    "pdf-missing-glyph": (FIXTURES / "pdf-missing-glyph", "edition.toml", 0),
    "letters": (FIXTURES / "other-corpus", "config/letters.toml", 0),
    "semantic": (FIXTURES / "semantic", "edition.toml", 0),  # the constructs web and print once read differently
    "correspondence": (FIXTURES / "correspondence", "edition.toml", 0),  # correspDesc: places, dates, prev/next
    "apparatus": (FIXTURES / "apparatus", "edition.toml", 0),  # witnesses, variant readings, hands, msDesc
}


class Built:
    """One corpus built: its index, the web site, the print HTML laid out, the volume's text."""

    def __init__(self, config: Path, index: Index, site: Path, volume: str, documents: list[str], text: str):
        self.config, self.index, self.site, self.text = config, index, site, text
        self.volume = lxml_html.document_fromstring(volume)
        self.documents = [lxml_html.document_fromstring(d) for d in documents]

    def page(self, href: str):
        return lxml_html.parse(str(self.site / href)).getroot()


def _config(name: str, tmp: Path) -> Path:
    folder, config, _ = CORPORA[name]
    if folder is None:
        target = tmp / "edition.toml"
        target.write_text(
            "[edition]\n"
            f'header = "{REPO / "tei" / "edition.xml"}"\n'
            f'sources = ["{REPO / "tei" / "meetings"}/*.xml"]\n'
            f'registers = ["{REPO / "tei" / "registers"}/*.xml"]\n'
            'output = "output"\n', encoding="utf-8")
        return target
    shutil.copytree(folder, tmp / folder.name)
    target = tmp / folder.name / config
    # the outputs are compared here, not the sources against a reference schema
    target.write_text("".join(line for line in target.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.startswith("schemas")), encoding="utf-8")
    return target


@pytest.fixture(scope="module", params=list(CORPORA))
def built(request, tmp_path_factory) -> Built:
    name = request.param
    tmp = tmp_path_factory.mktemp(name)
    config = _config(name, tmp)
    laid_out: list[str] = []
    original = render.layout

    def recording(html, css, base):  # the print HTML exactly as WeasyPrint gets it
        laid_out.append(html)
        return original(html, css, base)

    whole: list[str] = []  # the whole volume's print HTML of its last layout
    layout = Volume.layout

    def recording_volume(self, *args):  # (its last layout leaves the documents out: relayout.py)
        result = layout(self, *args)
        whole.append(result[-1])
        return result

    mp = pytest.MonkeyPatch()
    mp.setattr(render, "layout", recording)
    mp.setattr(Volume, "layout", recording_volume)
    try:  # one job: the documents' own PDFs are laid out in this process, where the recording is
        result = CliRunner().invoke(main, ["build", "--config", str(config), "--only", "html", "--only", "pdf",
                                           "--jobs", "1", "--keep-going"])
    finally:
        mp.undo()
    assert result.exit_code == CORPORA[name][2], result.output
    assert "built: html, pdf" in result.output, result.output
    output = load_config(config).output
    documents = [h for h in laid_out if '<body class="single-document">' in h]
    assert whole, "the volume was never laid out"
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed: ./setup.sh --test installs it"
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(output / "pdf" / "volume.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return Built(config, validate(load_config(config)).index, output / "html", whole[-1], documents, text)


# -- reading the two outputs ----------------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.split())


def _text_without(el, drop: str) -> str:
    """The element's text without the descendants matching the XPath `drop`."""
    copy = lxml_html.fromstring(lxml_html.tostring(el))
    for gone in copy.xpath(drop):
        if gone.getparent() is not None:
            gone.drop_tree()
    return _norm(copy.text_content()).replace(" ,", ",")


def web_facts(page) -> dict[str, tuple[str, list[str]]]:
    """A web page's facts: heading → (what it says, names in another script)."""
    dl = page.find(".//dl[@class='facts']")
    found = {}
    if dl is None:
        return found
    for dt in dl.iterfind("dt"):
        dd = dt.getnext()
        items = dd.xpath(".//li") or [dd]
        times = dd.xpath(".//time")
        said = _norm(times[0].text_content()) if times else \
            ", ".join(_text_without(i, ".//span[contains(@class, 'card')]") for i in items)
        originals = dd.xpath(".//span[@class='card-original']/@data-text")
        found[_heading(found, dt)] = (said, originals)
    return found


def _heading(found: dict, dt) -> str:
    """A fact's heading, numbered when it repeats (a letter may have two next letters)."""
    heading = _norm(dt.text_content())
    return heading if heading not in found else f"{heading} ({sum(k.startswith(heading) for k in found) + 1})"


def print_facts(article) -> dict[str, tuple[str, list[str]]]:
    """A print chapter's facts: heading → (what it says, names in another script)."""
    dl = article.find(".//dl[@class='facts']")
    found = {}
    if dl is None:
        return found
    for dt in dl.iterfind("dt"):
        dd = dt.getnext()
        said = _text_without(dd, ".//span[@class='original']")
        found[_heading(found, dt)] = (said, [_norm(o.text_content()) for o in dd.xpath(".//span[@class='original']")])
    return found


def _web_name(el) -> tuple[str, str]:
    """(name, name in another script) of a heading or list item of the web edition."""
    original = el.xpath(".//span[@class='original']")
    return _text_without(el, ".//span[@class='original']"), _norm(original[0].text_content()) if original else ""


def _ids(root) -> set[str]:
    return set(root.xpath("//@id"))


# -- documents --------------------------------------------------------------------------------------

def test_every_document_has_the_same_title_and_facts_in_both(built):
    articles = built.volume.xpath("//article[contains(@class, 'document')]")
    web_pages = {a.get("href") for a in built.page("index.html").xpath("//a[starts-with(@href, 'documents/')]")
                 if a.get("href").endswith(".html")}
    assert articles and len(articles) == len(web_pages) == len(built.documents)
    contents = {a.get("href"): _norm(a.text_content()) for a in built.volume.xpath("//nav[@id='contents']//a")}
    own = {d.xpath("//article")[0].get("id"): d for d in built.documents}
    text = _norm(built.text)
    for article in articles:
        doc_id = article.get("id").removeprefix("doc--")
        href = href_of("documents", doc_id)
        assert href in web_pages, f"{doc_id}: no web page"
        page = built.page(href)
        title = _norm(page.xpath("//main//h1")[0].text_content())
        assert _norm(article.xpath(".//h1[contains(@class, 'document-title')]")[0].text_content()) == title
        assert article.get("data-title") == title
        if contents:
            assert contents[f"#doc--{doc_id}"] == title
        assert title in text, f"{doc_id}: the title is not in the volume's text"
        web, printed = web_facts(page), print_facts(article)
        assert web == printed, f"{doc_id}: the web page and the print chapter state different facts"
        for heading, (said, _) in printed.items():
            assert said in text or heading == "Date" and said.replace("–", "-") in text.replace("–", "-"), \
                f"{doc_id}: {heading} {said!r} is not in the volume's text"
        # the document's own PDF is the volume's chapter, and cites the document as the web page does
        assert print_facts(own[article.get("id")]) == printed
        assert citation(page.xpath("//p[@id='citation-text']")[0]) == \
            citation(own[article.get("id")].xpath("//p[@class='cite-as']")[0])


def test_every_document_describes_its_source_and_variants_alike_in_both(built):
    """The source description (msDesc, witnesses, hands) and the apparatus entries: same words."""
    for article in built.volume.xpath("//article[contains(@class, 'document')]"):
        page = built.page(href_of("documents", article.get("id").removeprefix("doc--")))
        described = [[_norm(dl.text_content()) for dl in root.xpath(".//dl[@class='source-description']/*")]
                     for root in (page, article)]
        assert described[0] == described[1]
        web = [_text_without(li, ".//*[@class='app-back' or @class='visually-hidden']")
               for li in page.xpath("//div[@class='apparatus']//li")]
        printed = [_text_without(e, ".//*[@class='app-key']") for e in article.xpath(".//span[@class='apparatus-entry']")]
        assert web == printed
        if built.config.parent.name == "apparatus":  # the corpus made for this: the check is not empty
            assert described[0] and web


def citation(p) -> dict:
    """What a citation says: editors, the document's title, the edition's title, version, year."""
    text = re.sub(r" ?\((?!ed\.\))[^)]*\)", "", _text_without(p, ".//span[@class='cite-url']"))  # no address, identifier
    editors = re.split(r"; |, ", text.split(" (ed.)")[0].removeprefix("How to cite: ")) if " (ed.)" in text else []
    version = re.search(r"version (\S+?)[.,]? ", text + " ")
    return {"editors": editors, "title": re.search(r"“(.*?)\.?”", text).group(1),
            "edition": _norm(p.xpath(".//cite|.//em")[0].text_content()),
            "version": version.group(1) if version else "", "years": re.findall(r"\b\d{4}\b", text.split("”")[-1])}


def test_every_register_entry_has_the_same_name_dates_and_roles_in_both(built):
    index = built.index
    checked = 0
    for entity in index.entities.values():
        href = href_of(KIND_FOLDERS[entity.kind], entity.id)
        page = built.page(href)
        name, original = _web_name(page.xpath("//main//h1")[0])
        listed = [li for li in built.page(f"{KIND_FOLDERS[entity.kind]}/index.html").xpath("//ul[@class='register-list']/li")
                  if li.xpath(f"a[@href='../{href}']")]
        assert len(listed) == 1, f"{entity.id}: not in its register list"
        dates = _norm("".join(listed[0].xpath("span[@class='dates']//text()")))
        web_roles = {r.strip() for s in page.xpath("//ul[contains(@class, 'documents')]//span[@class='roles']")
                     for r in _norm(s.text_content()).lstrip("— ").split(",")}
        entry = built.volume.xpath(f"//div[@class='back']//*[@data-entity='{entity.id}'][@class='index-entry'"
                                   " or @class='chronology-entry' or @class='bibliography-entry']")
        if not entry:
            continue
        entry = entry[0]
        checked += 1
        if "index-entry" in entry.get("class"):
            assert _norm(entry.xpath(".//span[@class='index-name']")[0].text_content()) == name
            print_original = entry.xpath(".//span[@class='original']")
            assert (_norm(print_original[0].text_content()) if print_original else "") == original
            print_dates = entry.xpath(".//span[@class='dates']")
            assert (_norm(print_dates[0].text_content()).strip("()") if print_dates else "") == dates
            print_roles = {r.strip() for s in entry.xpath(".//span[@class='roles']")
                           for r in _norm(s.text_content()).strip("()").split(",")}
            assert print_roles == web_roles, f"{entity.id}: roles differ"
            assert _letters(page, "//section[@class='letters']//ul[contains(@class, 'letters-{}')]/li/a") == \
                _letters(entry, ".//span[contains(@class, 'letters-{}')]/a"), f"{entity.id}: letters differ"
        elif "chronology-entry" in entry.get("class"):
            assert _norm(entry.xpath(".//span[@class='event-label']")[0].text_content()) == name
            assert _norm(entry.xpath(".//p[@class='chronology-date']")[0].text_content()) == dates
        else:
            assert _norm(entry.xpath(".//cite")[0].text_content()) == name
    assert checked or not index.entities or not built.volume.xpath("//article")


def _letters(el, path: str) -> dict[str, list[str]]:
    """The titles of the letters an entry sent and received, as a page or the print index lists them."""
    return {action: [_norm(a.text_content()) for a in el.xpath(path.format(action))] for action in ("sent", "received")}


def test_every_letter_is_in_the_chronology_of_both(built):
    """Letters take their place in the web chronology and in the volume's, in the same order."""
    web = [_norm(a.text_content()) for a in built.page("chronology.html").xpath("//li[@class='timeline-letter']//a")]
    printed = [_norm(a.text_content()) for a in built.volume.xpath("//div[contains(@class, 'chronology-letter')]//a")]
    assert web == printed
    letters = [d for d in built.index.corpus.sources if d.root.find(".//{*}correspDesc/{*}correspAction") is not None]
    assert len(web) == len(letters)


# -- links ------------------------------------------------------------------------------------------

def test_every_link_of_both_outputs_leads_somewhere(built):
    ids = _ids(built.volume)
    for a in built.volume.xpath("//a[starts-with(@href, '#')]"):
        assert a.get("href")[1:] in ids, f"the volume links to {a.get('href')}, which is not in it"
    for doc in built.documents:
        own = _ids(doc)
        for a in doc.xpath("//a[starts-with(@href, '#')]"):
            assert a.get("href")[1:] in own, f"a document's PDF links to {a.get('href')}, which is not in it"
    pages = [p for p in built.site.rglob("*.html") if "pagefind" not in p.parts]
    for path in pages:
        page = lxml_html.parse(str(path)).getroot()
        for a in page.xpath("//a[@href]"):
            parts = urlsplit(a.get("href"))
            if parts.scheme or parts.netloc or a.get("href").startswith("#") and not parts.fragment:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(built.site)} links to {a.get('href')}: no such page"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in _ids(lxml_html.parse(str(target)).getroot()), \
                    f"{path.relative_to(built.site)} links to {a.get('href')}: no such anchor"


def test_the_edition_title_is_the_same_everywhere(built):
    home = built.page("index.html")
    title = _norm(home.xpath("//main//h1")[0].text_content())
    assert _norm(built.volume.xpath("//head/title")[0].text_content()) == title  # the PDF's title
    printed = built.volume.xpath("//h1[@class='edition-title']")
    if printed:  # an edition header: its title page
        assert _norm(printed[0].text_content()) == title
        assert title in _norm(built.text)
