"""The volume's second layout, of its front and back matter only, gives the PDF that laying out the
whole volume again gives (writers/pdf/relayout.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tei_edition.writers.pdf import relayout, volume
from tei_edition.writers.pdf import render as pdf_render

from helpers import REPO, run_writers


def _corpus(folder):
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", "6",
                    "--persons", "20", "--seed", "5", "--out", str(folder)], check=True, capture_output=True)
    return folder


def _volume_pdf(corpus, monkeypatch, whole: bool) -> tuple[bytes, list[str]]:
    """volume.pdf of a fresh build, laid out the second time without the documents or (`whole`)
    as a whole; and the HTML of every layout WeasyPrint was given."""
    shutil.rmtree(corpus / "output", ignore_errors=True)
    given: list[str] = []
    layout = pdf_render.layout
    with monkeypatch.context() as patch:
        patch.setattr(pdf_render, "layout", lambda html, *rest: given.append(html) or layout(html, *rest))
        if whole:
            patch.setattr(volume, "plan", lambda *args: None)
        diagnostics, _ = run_writers(corpus / "edition.toml", names=("pdf",))
    assert not [d for d in diagnostics if d.severity == "error"]
    return (corpus / "output" / "pdf" / "volume.pdf").read_bytes(), given


def test_laying_out_the_front_and_back_again_gives_the_pdf_of_the_whole_volume(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    quick, quick_layouts = _volume_pdf(corpus, monkeypatch, whole=False)
    slow, slow_layouts = _volume_pdf(corpus, monkeypatch, whole=True)
    volume_layouts = [html for html in quick_layouts if 'class="volume"' in html]
    # the second layout had no document in it, and the page numbers of their links from the contents
    assert len(volume_layouts) == 2 and 'class="document"' in volume_layouts[0]
    assert 'class="document"' not in volume_layouts[1] and "data-page=" in volume_layouts[1]
    assert all('class="document"' in html for html in slow_layouts if 'class="volume"' in html)
    assert quick == slow  # byte for byte: the same pages, page numbers, running heads, links and outline


def test_what_would_lay_out_differently_without_the_documents_lays_out_the_whole_volume():
    by_position = ["@page :nth(3) { margin: 0 }"]
    assert relayout.plan(None, "doc", ["index"], by_position, None) is None
    assert relayout.plan(None, "doc", ["index"], [], ".x::after { content: target-counter(attr(href url), page) }") is None
    assert relayout.plan(None, None, ["index"], [], None) is None  # no documents
    assert relayout.plan(None, "doc", [], [], None) is None  # no back matter
