"""A print edition in several volumes: how they are cut, the index citing volume and page, and a
rebuild laying out only the volume whose documents changed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tei_edition.cli import main
from tei_edition.config import PdfOptions
from tei_edition.writers.pdf.data import BoundDocument
from tei_edition.writers.pdf.volumes import by_pages, estimate_pages, roman, split

from helpers import REPO


def _bound(*dates: str, folders: tuple[str, ...] = ()) -> list[BoundDocument]:
    folders = folders or ("tei",) * len(dates)
    return [BoundDocument(doc=SimpleNamespace(id=f"doc{i}", path=Path("/ed") / f / f"doc{i}.xml"), date=d)
            for i, (d, f) in enumerate(zip(dates, folders))]


def test_volumes_by_size_by_year_or_one():
    docs = _bound("1950-01-01", "1950-06-01", "1951-02-03", "1952-01-01", "")
    by_size = split(docs, PdfOptions(volume_size=2))
    assert [len(p.documents) for p in by_size] == [2, 2, 1]
    assert [(p.number, p.total, p.label, p.stem) for p in by_size][1] == (2, 3, "II", "volume-2")
    by_year = split(docs, PdfOptions(volume_by="year"))
    assert [[b.date[:4] for b in p.documents] for p in by_year] == [["1950", "1950"], ["1951"], ["1952"], [""]]
    assert split(docs, PdfOptions()) is None and split(docs, PdfOptions(volume_size=9)) is None
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1990)] == ["I", "IV", "IX", "XIV", "XL", "MCMXC"]


def test_volumes_by_pages_hold_at_most_the_size_and_move_only_with_page_counts():
    docs = _bound(*[""] * 7)
    pages = {"doc0": 3, "doc1": 4, "doc2": 2, "doc3": 12, "doc4": 1, "doc5": 5, "doc6": 4}
    cut = split(docs, PdfOptions(volume_size=8, volume_by="pages"), pages)
    ids = [[b.id for b in p.documents] for p in cut]
    assert ids == [["doc0", "doc1"], ["doc2"], ["doc3"], ["doc4", "doc5"], ["doc6"]]
    for group in ids:  # at most the size, unless one document is longer (never split)
        assert len(group) == 1 or sum(pages[d] for d in group) <= 8
    assert [b.id for p in cut for b in p.documents] == [b.id for b in docs]  # in order, each once
    # an edit that keeps a document's page count keeps every boundary; one that changes it moves
    # only the boundaries after it
    assert by_pages(docs, dict(pages), 8) == by_pages(docs, pages, 8)
    longer = [[b.id for b in g] for g in by_pages(docs, {**pages, "doc4": 4}, 8)]
    assert longer[:3] == ids[:3] and longer[3:] == [["doc4"], ["doc5"], ["doc6"]]
    assert split(docs, PdfOptions(volume_size=100, volume_by="pages"), pages) is None


def test_pages_of_a_document_estimated_from_its_text():
    from lxml import etree

    short, long_ = etree.fromstring("<div><p>a few words</p></div>"), etree.fromstring("<div/>")
    long_.text = "word " * 2000  # 10,000 characters
    assert estimate_pages(short) == 1 and estimate_pages(long_) == 12_000 // 2200 + 1  # with the heading


def test_volumes_by_series_one_per_folder_titled():
    docs = _bound("1950", "1950", "1951", "1952", folders=("tei/meetings", "tei/letters", "tei/meetings", "tei/letters"))
    cut = split(docs, PdfOptions(volume_by="series", series_titles={"meetings": "Minutes"}), root=Path("/ed"))
    assert [([b.id for b in p.documents], p.series) for p in cut] == [(["doc1", "doc3"], "Letters"),
                                                                     (["doc0", "doc2"], "Minutes")]
    assert split(docs[:1], PdfOptions(volume_by="series"), root=Path("/ed")) is None


@pytest.mark.parametrize("table, message", [
    ('volume-by = "pages"\n', "set volume-size too"),
    ('volume-by = "chapters"\n', "one of documents, year, pages, series"),
    ('volume-by = "series"\nseries-titles = { letters = 3 }\n', "a table of titles"),
])
def test_volume_options_checked_at_load(tmp_path, table, message):
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\n[pdf]\n' + table)
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "edition.toml")])
    assert result.exit_code == 2 and message in result.output
    assert f"edition.toml:{3 + table.count(chr(10))}:1" in result.output  # at the line of the key


def test_volume_size_must_be_a_count(tmp_path):
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\n[pdf]\nvolume-size = -2\n')
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "edition.toml")])
    assert result.exit_code == 2 and "volume-size" in result.output and "whole number" in result.output


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("volumes") / "edition"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", "4", "--persons",
                    "12", "--seed", "1", "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    config = folder / "edition.toml"
    config.write_text(config.read_text() + "\n[pdf]\nvolume-size = 2\n")
    return folder


def _build(folder) -> str:
    result = CliRunner().invoke(main, ["build", "--config", str(folder / "edition.toml"), "--only", "pdf",
                                       "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output  # the synthetic corpus has warnings
    return result.output


def test_volumes_each_with_contents_and_an_index_citing_volume_and_page(edition):
    """... and a rebuild makes again only the volume and the document PDF that an edit changed."""
    log = _build(edition)
    pdf = edition / "output" / "pdf"
    assert sorted(p.name for p in pdf.glob("*.pdf")) == ["index-pdfa.pdf", "index.pdf",  # the cumulative index
                                                        "volume-1-pdfa.pdf", "volume-1.pdf",
                                                        "volume-2-pdfa.pdf", "volume-2.pdf"]
    assert len(list(pdf.glob("documents/*.pdf"))) == 4
    second = " ".join(p.extract_text() for p in PdfReader(pdf / "volume-2.pdf").pages)
    assert "Volume II" in second and "Contents" in second
    assert re.search(r"II\s\d+", second)  # index entries: "II 9"
    assert not re.search(r"\bI\s\d+", second)  # ... of this volume's pages only
    before = {str(p.relative_to(pdf)): p.read_bytes() for p in pdf.rglob("*.pdf")}

    again = _build(edition)
    assert "0 layout(s)" in again and "2 volume(s) unchanged and kept" in again
    assert "4 document PDF(s) unchanged and kept" in again
    assert {str(p.relative_to(pdf)): p.read_bytes() for p in pdf.rglob("*.pdf")} == before

    last = sorted((edition / "tei" / "meetings").glob("*.xml"))[-1]  # bound last: in volume II
    last.write_text(last.read_text().replace("</body>", '<div type="edit"><p>An edited paragraph.</p></div></body>', 1))
    edited = _build(edition)
    assert "1 volume(s) unchanged and kept" in edited and "3 document PDF(s) unchanged" in edited, edited
    assert (pdf / "volume-1.pdf").read_bytes() == before["volume-1.pdf"]
    assert (pdf / "volume-2.pdf").read_bytes() != before["volume-2.pdf"]
    assert "layout" in log


def _corpus(folder: Path, pdf: str) -> Path:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", "4", "--persons",
                    "12", "--seed", "1", "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    config = folder / "edition.toml"
    config.write_text(config.read_text() + "\n[pdf]\n" + pdf)
    return folder


def _pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, as a reader copies it)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.split("\f")]


def _index_citations(pdf: Path, names: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Entry name → the (volume, page) its index cites, read from the PDF from its first index on:
    "I 9–10, 11 (speaker); II 11" → [("I", 9), ("I", 10), ("I", 11), ("II", 11)]."""
    reader = PdfReader(pdf)
    first = next(i for i, page in enumerate(reader.pages) if "Index of persons" in page.extract_text())
    lines = []
    for page in reader.pages[first:]:
        found = page.extract_text().replace("–\n", "–").splitlines()
        if found and re.fullmatch(r"\d+", found[-1].strip()):
            found = found[:-1]  # the folio
        lines += found
    text = " ".join(" ".join(lines).replace(reader.metadata.title, " ").split())  # without the running heads
    text = re.sub(r"Index of \w+|Numbers are pages[^.]*\.", "|", text)
    found = {name: re.search(re.escape(name) + r" (?=[IVX]+ \d)", text) for name in names}  # an entry with pages
    places = sorted((at.start(), name) for name, at in found.items() if at)
    cited: dict[str, list[tuple[str, int]]] = {}
    for (start, name), (end, _) in zip(places, places[1:] + [(len(text), "")]):
        cited[name] = []
        entry = re.sub(r"\([^)]*\)", "", text[start + len(name):end].split("|")[0])
        for part in re.match(r"[\sIVX\d–,;]*", entry).group().strip(" ,;").split(";"):  # not "Letters from: ..."
            volume, numbers = part.split(None, 1)
            for number in numbers.split(","):
                low, _, high = number.strip().partition("–")
                cited[name] += [(volume, n) for n in range(int(low), int(high or low) + 1)]
    return cited


def _register_names(folder: Path) -> list[str]:
    text = "".join(p.read_text() for p in (folder / "tei" / "registers").glob("*.xml"))
    return re.findall(r'<(?:persName|placeName|orgName) type="main"[^>]*>([^<]+)<', text)


def test_volumes_by_pages_and_a_cumulative_index_citing_volume_and_page(tmp_path):
    """Volumes of at most 8 pages of documents (counted in their own PDFs); index.pdf cites every
    volume an entry is in, at pages that name it; an edit that keeps the page counts lays out
    one volume again, and keeps the cumulative index when no indexed page moved."""
    folder = _corpus(tmp_path / "edition", 'volume-by = "pages"\nvolume-size = 8\n')
    log = _build(folder)
    pdf = folder / "output" / "pdf"
    count = {PdfReader(p).metadata.title: len(PdfReader(p).pages) for p in pdf.glob("documents/*.pdf")}
    volumes = sorted(pdf.glob("volume-*[0-9].pdf"))
    bound = [[i.title for i in PdfReader(v).outline if isinstance(i, list) for i in i] for v in volumes]
    assert len(volumes) >= 2 and f"{len(volumes)} volumes" in log and "cumulative index laid out" in log
    assert sorted(t for titles in bound for t in titles) == sorted(count)  # every document, once
    for titles in bound:
        assert len(titles) == 1 or sum(count[t] for t in titles) <= 8, (titles, count)
    for one, other in zip(bound, bound[1:]):  # full volumes: the next document did not fit
        assert sum(count[t] for t in one) + count[other[0]] > 8
    assert (pdf / "index-pdfa.pdf").is_file()

    names = _register_names(folder)
    cited = _index_citations(pdf / "index.pdf", names)
    own = [_index_citations(v, names) for v in volumes]  # each volume's own index
    assert cited == {name: [c for found in own for c in found.get(name, [])]
                     for name in dict.fromkeys(n for found in own for n in found)}  # their union
    texts = {roman(n): _pages(v) for n, v in enumerate(volumes, start=1)}
    in_several = [name for name, pages in cited.items() if len({v for v, _ in pages}) >= 2]
    assert len(in_several) >= 3, cited
    for name in in_several:
        for volume, page in cited[name]:
            assert name in texts[volume][page - 1], f"index.pdf: {name} → {volume} {page}, not on that page"
    png = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", str(pdf / "index.pdf"),
                          str(tmp_path / "index")], check=True)
    assert png.returncode == 0 and list(tmp_path.glob("index*.png"))

    record = folder / "output" / ".cache" / "pdf.json"
    counted = {name: d["pages"] for name, d in json.loads(record.read_text())["documents"].items()}
    doc = sorted((folder / "tei" / "meetings").glob("*.xml"))[-1]  # bound last: in the last volume
    doc.write_text(doc.read_text().replace("</body>", '<div type="edit"><p>An edited sentence.</p></div></body>', 1))
    edited = _build(folder)
    assert "3 document PDF(s) unchanged and kept" in edited
    assert {name: d["pages"] for name, d in json.loads(record.read_text())["documents"].items()} == counted
    assert f"{len(volumes) - 1} volume(s) unchanged and kept" in edited, edited  # the same cut
    assert "cumulative index kept" in edited  # no indexed page moved


def test_volumes_by_series_one_per_folder_with_its_title(tmp_path):
    folder = _corpus(tmp_path / "edition", 'volume-by = "series"\ndocuments = false\n'
                                           'series-titles = { letters = "Correspondence" }\n')
    (folder / "tei" / "letters").mkdir()
    for name in ("meeting-00001.xml", "meeting-00003.xml"):
        shutil.move(folder / "tei" / "meetings" / name, folder / "tei" / "letters" / name)
    config = folder / "edition.toml"
    config.write_text(config.read_text().replace('sources = ["tei/meetings/*.xml"]',
                                                 'sources = ["tei/meetings/*.xml", "tei/letters/*.xml"]'))
    log = _build(folder)
    pdf = folder / "output" / "pdf"
    assert sorted(p.name for p in pdf.iterdir()) == ["index-pdfa.pdf", "index.pdf", "volume-1-pdfa.pdf",
                                                     "volume-1.pdf", "volume-2-pdfa.pdf", "volume-2.pdf"]
    assert "2 volumes" in log and "cumulative index laid out" in log
    for number, series, title in ((1, "letters", "Correspondence"), (2, "meetings", "Meetings")):
        volume = pdf / f"volume-{number}.pdf"
        bound = {i.title for i in PdfReader(volume).outline if isinstance(i, list) for i in i}
        titles = {re.search(r'<title type="main">([^<]+)<', p.read_text()).group(1)
                  for p in (folder / "tei" / series).glob("*.xml")}
        assert bound == titles and len(titles) == 2
        title_page = _pages(volume)[0]
        assert f"Volume {roman(number)} {title}" in title_page, title_page
