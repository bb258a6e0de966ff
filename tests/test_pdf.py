"""The print edition of the bundled corpus, built once per session and read back like a reader would:
text extraction (pypdf, pdftotext), the outline, the metadata, the fonts (pdffonts) and the
back-of-book index, whose every page number is checked against the page it points to."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tei_edition.build import build
from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.validate import validate

from helpers import FIDELITY, REPO, SEED

DOC_ID = "meeting-1951-09-09-mutual-aid"
LIST_MARKER = re.compile(r"^\s*(•|–|\d+\.)\s*$")
BODY_MIN_PT = 9.4  # body text is 10.5pt; running heads, folios, footnotes and note calls are smaller


def _fidelity():
    spec = importlib.util.spec_from_file_location("fidelity", FIDELITY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundled(tmp_path_factory):
    """The bundled edition's PDFs, built once (into a temporary output folder)."""
    out = tmp_path_factory.mktemp("pdf-build")
    config_file = out / "edition.toml"
    config_file.write_text(
        "# the bundled edition, built into a temporary folder by the tests\n[edition]\n"
        f'header = "{REPO}/tei/edition.xml"\nsources = ["{REPO}/tei/meetings/*.xml"]\n'
        f'registers = ["{REPO}/tei/registers/*.xml"]\noutput = "output"\n', encoding="utf-8")
    # the command a user runs; two jobs, so the document PDFs are made in a worker process
    result = CliRunner().invoke(main, ["build", "--config", str(config_file), "--only", "pdf", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return {"pdf": out / "output" / "pdf", "config": load_config(config_file), "log": result.output}


@pytest.fixture(scope="session")
def corpus_index(bundled):
    return validate(bundled["config"]).index


def body_text(pdf: Path) -> str:
    """The running text of a PDF, pages joined, without running heads, folios and footnotes
    (they would otherwise interrupt a sentence that crosses a page)."""
    parts: list[str] = []

    def visit(text, cm, tm, font, size):
        # list markers ("•", "3.") are drawn after the page's text; they are not the record's words
        if text and size * cm[0] * tm[0] >= BODY_MIN_PT and not LIST_MARKER.match(text):
            parts.append(text)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
        parts.append("\n")
    return "".join(parts)


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def missing_sentences(text: str) -> list[str]:
    fid = _fidelity()
    have = fid.norm(text)
    return [s for s in fid.seed_sentences(SEED.read_text(encoding="utf-8")) if fid.norm(s) not in have]


def test_volume_and_document_pdfs_are_written(bundled):
    pdf = bundled["pdf"]
    assert (pdf / "volume.pdf").stat().st_size > 10_000
    assert (pdf / "volume-pdfa.pdf").stat().st_size > 10_000
    assert sorted(p.name for p in (pdf / "documents").iterdir()) == [f"{DOC_ID}.pdf"]
    assert re.search(r"pdf: volume \d+ pages", bundled["log"])


@pytest.mark.parametrize("name", ["volume.pdf", f"documents/{DOC_ID}.pdf"])
def test_every_sentence_of_the_source_record_is_printed(bundled, name):
    missing = missing_sentences(body_text(bundled["pdf"] / name))
    assert not missing, f"{name} lacks {len(missing)} sentence(s) of the record, first: {missing[0]!r}"


@pytest.mark.parametrize("name", ["volume.pdf", f"documents/{DOC_ID}.pdf"])
def test_the_plain_text_of_the_pdf_has_every_sentence(bundled, name):
    """pdftotext of the whole PDF, running heads and footnotes included, as a reader copying
    or a text miner gets it: no sentence of the record may be cut by a page break."""
    text = "\n".join(page_texts(bundled["pdf"] / name))
    missing = missing_sentences(text)
    assert not missing, f"{name}: {len(missing)} sentence(s) interrupted or missing, first: {missing[0]!r}"


def test_the_footnotes_are_printed_with_their_source_numbers(bundled):
    text = " ".join(" ".join(page_texts(bundled["pdf"] / "volume.pdf")).split())
    assert "87 The record prints the superscript note number 87 here." in text
    assert "a The record gives two accounts of who drafted the resolution" in text


def _outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_outline_lists_every_document_and_index(bundled, corpus_index):
    titles = _outline_titles(PdfReader(bundled["pdf"] / "volume.pdf"))
    for doc in corpus_index.corpus.sources:
        assert doc.title in titles
    for section in ("Contents", "Introduction", "Editorial principles", "Chronology", "Documents and literature",
                    "Index of persons", "Index of places", "Index of organisations"):
        assert section in titles


def test_metadata_is_set(bundled):
    reader = PdfReader(bundled["pdf"] / "volume.pdf")
    meta = reader.metadata
    assert meta.title == "Meetings of the Chinese Communist Party Leadership"
    assert meta.author == "Editorial team of the CCP Leadership Meetings edition"
    assert meta.subject == "A digital edition of meeting records"
    assert "Mutual aid" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    doc_meta = PdfReader(bundled["pdf"] / "documents" / f"{DOC_ID}.pdf").metadata
    assert doc_meta.title.startswith("1st conference on mutual aid and cooperation")


@pytest.mark.parametrize("name", ["volume.pdf", "volume-pdfa.pdf", f"documents/{DOC_ID}.pdf"])
def test_all_fonts_are_embedded_and_are_the_edition_fonts(bundled, name):
    out = subprocess.run(["pdffonts", str(bundled["pdf"] / name)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert row[-5] == "yes", f"font not embedded: {row[0]}"  # columns: ... emb sub uni object ID
    families = {re.sub(r"^[A-Z]{6}\+", "", row[0]) for row in rows}
    assert any(f.startswith("EB-Garamond") for f in families), families
    assert "Noto-Serif-CJK-SC" in families, families  # the Chinese names


def test_pdfa_variant_declares_its_conformance(bundled):
    reader = PdfReader(bundled["pdf"] / "volume-pdfa.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([AB])", xmp)
    assert part and conformance, xmp[:500]
    assert (part.group(1), conformance.group(1)) == ("3", "B")
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_every_document_starts_on_a_right_hand_page(bundled, corpus_index):
    reader = PdfReader(bundled["pdf"] / "volume.pdf")
    titles = {d.title for d in corpus_index.corpus.sources}
    found = 0

    def walk(items):
        nonlocal found
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif item.title in titles:
                found += 1
                assert (reader.get_destination_page_number(item) + 1) % 2 == 1, item.title
    walk(reader.outline)
    assert found == len(titles)


# ---- the back-of-book index ---------------------------------------------------------------

INDEX_SECTIONS = ("Index of persons", "Index of places", "Index of organisations")
INDEX_MIN_PT = 9.2  # index entries are 9.5pt, the folio 9pt


def index_entries(pdf: Path) -> dict[str, list[int]]:
    """Entry name (set in bold) → the page numbers printed after it, read from the PDF.

    Text runs are put in reading order (left column, then right) from their positions, an entry
    starts at each bold run; page ranges "12–13" are expanded, bracketed text is dropped."""
    reader = PdfReader(pdf)
    first = min(reader.get_destination_page_number(i) for i in reader.outline
                if not isinstance(i, list) and i.title in INDEX_SECTIONS)
    found: list[list[str]] = []  # [name, text after it]
    for page in reader.pages[first:]:
        runs = []
        mid = float(page.mediabox.width) / 2

        def visit(text, cm, tm, font, size):
            if not text.strip() or not font or size * cm[0] * tm[0] < INDEX_MIN_PT:
                return  # the folio and the note under the heading are smaller than the entries
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.append((x >= mid, -round(y, 1), x, "Bold" in str(font.get("/BaseFont")), text))

        page.extract_text(visitor_text=visit)
        for _, _, _, bold, text in sorted(runs):
            if bold and (not found or found[-1][1]):
                found.append([text, ""])
            elif bold:
                found[-1][0] += text
            elif found:
                found[-1][1] += text
    out: dict[str, list[int]] = {}
    for name, rest in found:
        rest = re.sub(r"\([^)]*\)", " ", rest)
        pages: list[int] = []
        for a, b in re.findall(r"(?<![\d])(\d+)(?:\s*[–-]\s*(\d+))?", rest):
            pages.extend(range(int(a), int(b or a) + 1))
        out[" ".join(name.split())] = pages
    return out


def _names(entity) -> set[str]:
    names = {" ".join("".join(c.itertext()).split()) for c in entity.element
             if isinstance(c.tag, str) and c.tag.split("}")[1] in ("persName", "placeName", "orgName")}
    return {n for n in names if n}


def _norm(text: str) -> str:
    text = re.sub(r"[‐-]\n", "", text)  # a word hyphenated at the line end
    return " ".join(text.split()).casefold()


def test_every_index_page_number_points_to_a_page_naming_the_entry(bundled, corpus_index):
    pdf = bundled["pdf"] / "volume.pdf"
    entries = index_entries(pdf)
    pages = page_texts(pdf)
    expected = defaultdict(set)
    for entity_id, mentions in corpus_index.mentions.items():
        entity = corpus_index.entities[entity_id]
        if entity.kind in ("person", "place", "organisation") and any(m.doc.role == "source" for m in mentions):
            expected[entity.label].add(entity_id)
    assert expected, "the bundled edition mentions persons, places and organisations"
    assert set(expected) <= set(entries), f"index lacks {set(expected) - set(entries)}; read {entries}"
    checked = 0
    for label, ids in expected.items():
        entity = corpus_index.entities[next(iter(ids))]
        numbers = entries[label]
        assert numbers, f"index entry {label!r} has no page numbers"
        for number in numbers:
            text = _norm(pages[number - 1])
            assert any(n.casefold() in text for n in _names(entity)), \
                f"index: {label} → page {number}, but page {number} does not name it: {text[:300]}"
            checked += 1
    assert checked >= len(expected)


def test_index_shows_roles_and_merges_ranges(bundled):
    text = " ".join(" ".join(page_texts(bundled["pdf"] / "volume.pdf")[-3:]).split())
    assert "(presided" in text and "(convened)" in text and "(attended)" in text
    entries = index_entries(bundled["pdf"] / "volume.pdf")
    for name, numbers in entries.items():
        assert numbers == sorted(set(numbers)), f"{name}: pages repeated or unsorted: {numbers}"


def test_table_of_contents_page_numbers_match_the_outline(bundled):
    reader = PdfReader(bundled["pdf"] / "volume.pdf")
    toc = page_texts(bundled["pdf"] / "volume.pdf")[2]
    targets = {i.title: reader.get_destination_page_number(i) + 1 for i in reader.outline if not isinstance(i, list)}
    for title in ("Introduction", "Chronology", "Index of persons"):
        line = next(l for l in toc.splitlines() if l.startswith(title))
        assert line.rstrip().endswith(str(targets[title])), (line, targets[title])


def test_chinese_names_are_printed(bundled):
    text = " ".join(page_texts(bundled["pdf"] / "volume.pdf"))
    for name in ("陈伯达", "刘少奇", "毛泽东", "北京", "山西", "中国共产党"):
        assert name in text


def test_serial_and_parallel_builds_give_identical_bytes(bundled, tmp_path):
    """Deterministic output: the session build used 2 processes; a serial build matches it byte for byte."""
    config_file = tmp_path / "edition.toml"
    config_file.write_text(bundled["config"].path.read_text(encoding="utf-8"), encoding="utf-8")
    log: list[str] = []
    assert build(load_config(config_file), only=["pdf"], jobs=1, log=log.append) == 0, "\n".join(log)
    for name in ("volume.pdf", "volume-pdfa.pdf", f"documents/{DOC_ID}.pdf"):
        assert (tmp_path / "output" / "pdf" / name).read_bytes() == (bundled["pdf"] / name).read_bytes(), name


def test_a_document_pdf_says_how_to_cite_it_and_the_volume_says_it_once(bundled):
    doc = " ".join(" ".join(page_texts(bundled["pdf"] / "documents" / f"{DOC_ID}.pdf")).split())
    assert "How to cite: Editorial team of the CCP Leadership Meetings edition (ed.)" in doc
    assert "(000_daf9fabc9e3a19bb)" in doc and "Licence: Creative Commons" in doc
    volume = " ".join(" ".join(page_texts(bundled["pdf"] / "volume.pdf")).split())
    assert "How to cite:" not in volume and volume.count("How to cite") == 1  # the imprint's
