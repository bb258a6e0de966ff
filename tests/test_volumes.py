"""A print edition in several volumes: how they are cut, the index citing volume and page, and a
rebuild laying out only the volume whose documents changed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tei_edition.cli import main
from tei_edition.config import PdfOptions
from tei_edition.writers.pdf.data import BoundDocument
from tei_edition.writers.pdf.volumes import roman, split

from helpers import REPO


def _bound(*dates: str) -> list[BoundDocument]:
    return [BoundDocument(doc=f"doc{i}", date=d) for i, d in enumerate(dates)]


def test_volumes_by_size_by_year_or_one():
    docs = _bound("1950-01-01", "1950-06-01", "1951-02-03", "1952-01-01", "")
    by_size = split(docs, PdfOptions(volume_size=2))
    assert [len(p.documents) for p in by_size] == [2, 2, 1]
    assert [(p.number, p.total, p.label, p.stem) for p in by_size][1] == (2, 3, "II", "volume-2")
    by_year = split(docs, PdfOptions(volume_by="year"))
    assert [[b.date[:4] for b in p.documents] for p in by_year] == [["1950", "1950"], ["1951"], ["1952"], [""]]
    assert split(docs, PdfOptions()) is None and split(docs, PdfOptions(volume_size=9)) is None
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1990)] == ["I", "IV", "IX", "XIV", "XL", "MCMXC"]


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
    assert sorted(p.name for p in pdf.glob("*.pdf")) == ["volume-1-pdfa.pdf", "volume-1.pdf",
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
