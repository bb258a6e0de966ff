"""Golden files: the bundled edition's outputs, normalised, kept in tests/golden/ and compared.

A change to the stylesheets, the writers or the TEI shows up here as a readable diff:

- golden/html/      every HTML page of the web edition (not Pagefind's bundle, not the copied
                    assets), its markup indented where whitespace does not matter (between block
                    elements; inline content is kept exactly);
- golden/print/     the print HTML the pdf writer hands to WeasyPrint: volume.html (the last layout,
                    whose index holds the page numbers of the layout before it) and
                    documents/<id>.html (each document's own PDF), indented the same way;
- golden/deposit/   the metadata records of the deposit package as written: datacite.xml, dc/,
                    mets.xml, zenodo.json, jsonld/, teiCorpus.xml and bag-info.txt.

Placeholders stand for what changes without a rendering change: {BUILD-DATE} for the build date
(SOURCE_DATE_EPOCH is fixed anyway), {VERSION} for the version of tei-edition, and in the deposit
records the sizes and checksums of the PDFs (bytes that WeasyPrint and the installed fonts decide)
and the bag's Payload-Oxum (the sum of those sizes).

The edition is built once per session (`edition build --jobs 1` on a copy of tei/, edition.toml
and schema/). To accept a change, rewrite the golden files and review the diff:

    python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/
"""

from __future__ import annotations

import datetime
import difflib
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from tei_edition import __version__
from tei_edition.writers.pdf.volume import Volume

from helpers import EPOCH, MEETING, REPO, invoke

GOLDEN = Path(__file__).resolve().parent / "golden"
KINDS = ("html", "print", "deposit")
DEPOSIT_RECORDS = ("datacite.xml", "mets.xml", "zenodo.json", "teiCorpus.xml", "dc/*.xml", "jsonld/*.jsonld")
# Block elements: whitespace beside them is not rendered (CSS drops it at a block's edges).
BLOCK = set("html head body header footer main nav section article aside div p ul ol li dl dt dd table caption "
            "colgroup col thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6 form fieldset figure figcaption "
            "blockquote hr details summary address pre".split())
KEEP_AS_IS = {"pre", "textarea", "script", "style"}


# ---- normalising -----------------------------------------------------------------------------


def placeholders(text: str) -> str:
    day = datetime.datetime.fromtimestamp(int(EPOCH), datetime.timezone.utc).date()
    text = text.replace(f"tei-edition {__version__}", "tei-edition {VERSION}")
    text = text.replace(day.isoformat(), "{BUILD-DATE}")
    return text.replace(f"{day.day} {day:%B} {day.year}", "{BUILD-DATE}")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def indent_blocks(el: etree._Element, level: int = 0) -> None:
    """Put children on lines of their own where that changes no rendering: inside a block element
    (or the head) that holds a block, when every gap between them has only whitespace and touches
    a block element.
    Inline content (a paragraph, a link, a heading's text) is kept exactly as written."""
    children = list(el)
    if not children or el.tag not in BLOCK or el.tag in KEEP_AS_IS or not _blank(el.text) \
            or not all(_blank(c.tail) for c in children):
        return
    block = [el.tag == "head" or c.tag in BLOCK for c in children]  # a comment counts as inline
    if not any(block) or any(not a and not b for a, b in zip(block, block[1:])):
        return  # whitespace between two inline neighbours is rendered; inline-only content stays a line
    el.text = "\n" + "  " * (level + 1)
    for child in children:
        child.tail = "\n" + "  " * (level + 1)
        indent_blocks(child, level + 1)
    children[-1].tail = "\n" + "  " * level


def normal_html(text: str) -> str:
    root = lxml.html.document_fromstring(text)
    indent_blocks(root)
    return placeholders("<!DOCTYPE html>\n" + lxml.html.tostring(root, encoding="unicode") + "\n")


def normal_deposit(name: str, text: str) -> str:
    if name == "mets.xml":  # the PDFs' sizes and checksums: bytes of WeasyPrint and the fonts
        text = re.sub(r'(<mets:file\b[^>]*?)SIZE="\d+"(\s+)CHECKSUM="[0-9a-f]+"(?=[^>]*>\s*<mets:FLocat[^>]*\.pdf")',
                      r'\1SIZE="{PDF-SIZE}"\2CHECKSUM="{PDF-SHA256}"', text)
    if name == "bag-info.txt":
        text = re.sub(r"(?m)^Payload-Oxum: .*$", "Payload-Oxum: {PAYLOAD-OXUM}", text)
    return placeholders(text)


# ---- the build -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def golden_build(tmp_path_factory) -> dict[str, dict[str, str]]:
    """The bundled edition built once (all writers, fixed build date); its outputs normalised,
    by kind: {"html": {path: text}, "print": {...}, "deposit": {...}}, and the site's folder."""
    root = tmp_path_factory.mktemp("golden") / "edition"
    root.mkdir()
    for name in ("tei", "schema"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    printed: dict[str, str] = {}
    layout, document_html = Volume.layout, Volume.document_html

    def recording_layout(self, render, css):
        result = layout(self, render, css)
        printed["volume.html"] = result[-1]  # the whole volume's HTML whose page numbers the PDF shows
        return result

    def recording_document(self, bound):
        html = document_html(self, bound)
        printed[f"documents/{bound.id}.html"] = html
        return html

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setattr(Volume, "layout", recording_layout)
        mp.setattr(Volume, "document_html", recording_document)
        result = invoke(["build", "--jobs", "1"], root)
    assert result.exit_code == 0, result.output

    site = root / "output" / "html"
    bags = [p for p in (root / "output" / "deposit").iterdir() if p.is_dir()]
    assert len(bags) == 1, bags
    data = bags[0] / "data"
    records = {p.relative_to(data).as_posix(): p for pattern in DEPOSIT_RECORDS for p in data.glob(pattern)}
    records["bag-info.txt"] = bags[0] / "bag-info.txt"
    return {
        "site": site,
        "html": {p.relative_to(site).as_posix(): normal_html(p.read_text(encoding="utf-8"))
                 for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in ("pagefind", "assets")},
        "print": {name: normal_html(html) for name, html in printed.items()},
        "deposit": {name: normal_deposit(name, path.read_text(encoding="utf-8")) for name, path in sorted(records.items())},
    }


def stored(kind: str) -> dict[str, str]:
    folder = GOLDEN / kind
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def rewrite(kind: str, files: dict[str, str]) -> None:
    folder = GOLDEN / kind
    shutil.rmtree(folder, ignore_errors=True)  # files the build no longer writes go too
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


def differences(kind: str, built: dict[str, str], golden: dict[str, str], shown: int = 3) -> str:
    lines = [f"golden/{kind}/ differs from the build; if the change is meant, run "
             "`python -m pytest tests/test_golden.py --update-golden` and review `git diff tests/golden/`"]
    lines += [f"  not in golden/{kind}/: {name}" for name in sorted(built.keys() - golden.keys())]
    lines += [f"  no longer built: {name}" for name in sorted(golden.keys() - built.keys())]
    changed = [name for name in sorted(built.keys() & golden.keys()) if built[name] != golden[name]]
    for name in changed[:shown]:
        diff = difflib.unified_diff(golden[name].splitlines(), built[name].splitlines(),
                                    f"golden/{kind}/{name}", f"built/{name}", lineterm="", n=2)
        lines += list(diff)[:80]
    if len(changed) > shown:
        lines.append(f"  ... and {len(changed) - shown} more changed file(s): {changed[shown:]}")
    return "\n".join(lines)


# ---- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_outputs_match_the_golden_files(golden_build, kind, update_golden):
    built = golden_build[kind]
    if update_golden:
        rewrite(kind, built)
    golden = stored(kind)
    assert built == golden, differences(kind, built, golden)


def test_the_golden_set_holds_every_kind_of_output(golden_build):
    """What is compared is the edition itself: the pages, the print volume and the records."""
    for name in ("index.html", "about.html", "404.html", MEETING, "persons/liu-shaoqi.html", "places/index.html"):
        assert name in golden_build["html"], name
    assert {"volume.html", "documents/meeting-1951-09-09-mutual-aid.html"} <= golden_build["print"].keys()
    for name in ("datacite.xml", "mets.xml", "zenodo.json", "teiCorpus.xml", "bag-info.txt",
                 "dc/edition.xml", "jsonld/register-persons.jsonld"):
        assert name in golden_build["deposit"], name
    volume = golden_build["print"]["volume.html"]
    assert "Liu Shaoqi" in volume and 'class="volume"' in volume


def test_what_changes_without_a_rendering_change_is_a_placeholder(golden_build):
    everything = "\n".join(text for kind in KINDS for text in golden_build[kind].values())
    day = datetime.datetime.fromtimestamp(int(EPOCH), datetime.timezone.utc).date()
    assert "{BUILD-DATE}" in everything and "tei-edition {VERSION}" in everything
    assert day.isoformat() not in everything and f"tei-edition {__version__}" not in everything
    mets = golden_build["deposit"]["mets.xml"]
    pdfs = len(re.findall(r'<mets:FLocat[^>]*\.pdf"', mets))
    assert pdfs == 2 and mets.count('SIZE="{PDF-SIZE}"') == mets.count("{PDF-SHA256}") == pdfs  # volume-pdfa + 1 document
    assert re.search(r'CHECKSUM="[0-9a-f]{64}"', mets), "the other files' checksums stay"
    assert "Payload-Oxum: {PAYLOAD-OXUM}" in golden_build["deposit"]["bag-info.txt"]


def test_indenting_keeps_inline_content_exactly():
    html = normal_html('<html><head><title>t</title></head><body><a href="#m">skip</a><div><p>a <a href="x">b</a>'
                       '<em>c</em></p><pre> x\n <b>y</b></pre></div><p><b>d</b><i>e</i> <b>f</b></p></body></html>')
    assert '<p>a <a href="x">b</a><em>c</em></p>' in html
    assert "<pre> x\n <b>y</b></pre>" in html
    assert '\n    <a href="#m">skip</a>\n    <div>\n      <p>' in html  # beside a block: a line of its own
    assert "<p><b>d</b><i>e</i> <b>f</b></p>" in html  # inline neighbours: as written


def test_every_internal_link_of_the_golden_pages_resolves(golden_build):
    """Every href/src of every page leads to a file of the site, and every #fragment to an id."""
    site = golden_build["site"]
    ids: dict[Path, set[str]] = {}
    broken = []
    for name in golden_build["html"]:
        page = site / name
        for el in lxml.html.parse(str(page)).getroot().iter():
            for attr in ("href", "src"):
                value = el.get(attr) if isinstance(el.tag, str) else None
                if not value or re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
                    continue  # http(s):, mailto: ... leave the site
                parts = urlsplit(value)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    broken.append(f"{name}: {attr}={value!r}: no file")
                    continue
                if parts.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = set(lxml.html.parse(str(target)).getroot().xpath("//@id"))
                    if unquote(parts.fragment) not in ids[target]:
                        broken.append(f"{name}: {attr}={value!r}: no id {parts.fragment!r}")
    assert not broken, "\n".join(broken)
