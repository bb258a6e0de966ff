"""The parts of the print edition that need no full layout: page ranges (and that a range is never
broken at its dash), [pdf] options, the glyph check (which builds a tiny synthetic corpus,
tests/fixtures/pdf-missing-glyph)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
import weasyprint
from weasyprint import HTML

from tei_edition.build import build
import pytest

from tei_edition.config import ConfigError, PdfOptions, load_config
from tei_edition.resources import XSLT_DIR
from tei_edition.writers.pdf.indexes import page_ranges
from tei_edition.writers.pdf.render import BASE, layout
from tei_edition.writers.pdf.volume import Metadata, html_page, settings_css, stylesheets
from tei_edition.writers.pdf.workarounds import RELAXED, footnotes_on_one_line

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_consecutive_pages_merge_into_ranges():
    ranges = page_ranges([(7, "", "c"), (5, "", "a"), (6, "", "b"), (6, "", "b2"), (9, "", "d")])
    assert [(r.first, r.last, r.href) for r in ranges] == [(5, 7, "#a"), (9, 9, "#d")]


def test_pages_with_a_role_stay_apart_and_keep_it():
    ranges = page_ranges([(5, "presided", "a"), (6, "", "b"), (7, "", "c"), (7, "speaker", "c2")])
    assert [(r.first, r.last, r.roles) for r in ranges] == [(5, 5, ("presided",)), (6, 6, ()), (7, 7, ("speaker",))]


@given(st.lists(st.tuples(st.integers(1, 60), st.sampled_from(["", "presided", "attended speaker"]),
                          st.text("abc", min_size=1, max_size=3)), max_size=40))
def test_page_ranges_cover_exactly_the_mentioned_pages(mentions):
    ranges = page_ranges(mentions)
    printed = [p for r in ranges for p in range(r.first, r.last + 1)]
    assert printed == sorted({page for page, _, _ in mentions})  # every page once, in order
    for r in ranges:
        roles = {x for page, role, _ in mentions if r.first <= page <= r.last for x in role.split()}
        assert set(r.roles) == roles  # pages merge only when they carry the same roles
        assert any(f"#{a}" == r.href and page == r.first for page, _, a in mentions)


def _config(tmp_path: Path, pdf_table: str):
    (tmp_path / "tei").mkdir()
    shutil.copy(FIXTURES / "pdf-missing-glyph" / "tei" / "synthetic-glyphs.xml", tmp_path / "tei")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\n' + pdf_table, encoding="utf-8")
    return load_config(tmp_path / "edition.toml")


def test_bad_pdf_options_are_all_reported_when_the_config_is_loaded(tmp_path):
    with pytest.raises(ConfigError) as raised:
        _config(tmp_path, '[pdf]\npage-size = "huge"\nfonts = []\npdfa = "pdf/x-1a"\ncss = "missing.css"\ncolour = 1\n')
    problems = raised.value.diagnostics
    messages = "\n".join(p.message for p in problems)
    for key in ("page-size", "fonts", "pdfa", "css", "colour"):
        assert f"[pdf] {key}" in messages
    assert all(p.path.endswith("edition.toml") and p.severity == "error" and p.rule == "config-pdf"
               for p in problems)
    # each at the line of its key (edition.toml: [edition], sources, [pdf], then the keys in order)
    assert sorted(p.line for p in problems) == [4, 5, 6, 7, 8]


def test_pdf_options_reach_the_stylesheet(tmp_path):
    config = _config(tmp_path, '[pdf]\npage-size = "A4"\nfonts = ["Noto Serif CJK SC"]\n')
    css = settings_css(config.pdf)
    assert "size: A4" in css and '"Noto Serif CJK SC"' in css


def test_a_character_without_glyph_is_reported_with_its_place(tmp_path):
    shutil.copytree(FIXTURES / "pdf-missing-glyph", tmp_path / "corpus")
    config = load_config(tmp_path / "corpus" / "edition.toml")
    log: list[str] = []
    code = build(config, only=["pdf"], jobs=1, log=log.append)
    text = "\n".join(log)
    assert code == 0, text  # a warning, not an error: the PDF is still made
    assert (config.output / "pdf" / "documents" / "synthetic-glyphs.pdf").is_file()
    lines = [l for l in text.splitlines() if "[pdf-glyph-missing]" in l]
    assert len(lines) == 2, text
    for code_point in ("U+E000", "U+2A6A5"):
        line = next(l for l in lines if code_point in l)
        assert "synthetic-glyphs.xml:24:" in line and ": warning: " in line
        assert "EB Garamond 12" in line
    assert "北" not in "".join(lines)  # the Chinese characters the fonts have are not reported
    assert ".notdef" not in text  # WeasyPrint's own report is replaced by the located one


def test_css_the_layout_ignores_is_reported_not_fatal(tmp_path):
    (tmp_path / "custom.css").write_text(".document { colour: red; background: url(http://127.0.0.1:9/x.png); }\n",
                                         encoding="utf-8")
    config = _config(tmp_path, '[pdf]\ncss = "custom.css"\n')
    log: list[str] = []
    assert build(config, only=["pdf"], jobs=1, log=log.append) == 0
    text = "\n".join(log)
    assert "warning: WeasyPrint: Ignored `colour: red`" in text and "[pdf-layout]" in text
    assert "disallowed protocol: http://127.0.0.1:9/x.png" in text  # no network access while printing
    assert (config.output / "pdf" / "volume.pdf").is_file()


def test_a_failed_build_keeps_the_previous_pdfs(tmp_path, monkeypatch):
    config = _config(tmp_path, "")
    assert build(config, only=["pdf"], jobs=1, log=lambda _: None) == 0
    volume = config.output / "pdf" / "volume.pdf"
    before = volume.read_bytes()

    from tei_edition.writers.pdf import render as print_render

    def broken_layout(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(print_render, "layout", broken_layout)
    log: list[str] = []
    # (a clean build: an incremental one would reuse the unchanged volume without laying it out)
    assert build(config, only=["pdf"], jobs=1, log=log.append, incremental=False) == 1
    text = "\n".join(log)
    assert "error: the PDF could not be made: OSError: No space left on device [pdf-render]" in text
    assert volume.read_bytes() == before  # the good output is still there, whole
    assert not [p.name for p in config.output.iterdir() if p.name.startswith(".pdf.")]  # no temporary folder left


def test_an_index_page_range_is_never_broken_at_its_dash(tmp_path):
    # entries of many widths, so that lines end at every place inside a range
    entries = []
    for k in range(30):
        ranges = ", ".join(f'<a class="page-range" href="#p">{n}–{n + 2 + k}</a>' for n in range(101 + k, 400, 13 + k))
        entries.append(f'<p class="index-entry"><span class="index-name">Synthetic {"n" * k}ame</span>'
                       f'<span class="pages">{ranges}</span></p>')
    html = (f'<html><head><link rel="stylesheet" href="{(XSLT_DIR / "print" / "print.css").as_uri()}"></head>'
            f'<body><section class="index"><div class="entries">{"".join(entries)}</div></section></body></html>')
    HTML(string=html).write_pdf(tmp_path / "index.pdf")
    lines = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "index.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    assert sum(line.count("–") for line in lines) == sum(e.count("–") for e in entries)  # all printed
    assert [line for line in lines if line.rstrip().endswith("–")] == []


def test_a_footnote_that_breaks_a_line_before_an_element_is_laid_out(tmp_path):
    # WeasyPrint 70 stops on such a footnote (AssertionError: "Got ' \n' between two lines"; a
    # letter of a real corpus has one); the print HTML has its line breaks made spaces first
    part = etree.fromstring('<p>Sunday<span class="footnote">written on \n   <span>Sunday</span>, sent later</span></p>')
    html = html_page([footnotes_on_one_line(part)], Metadata("t", [], "", [], "en"), "single-document")
    layout(html, stylesheets(PdfOptions()), BASE).write_pdf(tmp_path / "note.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "note.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "written on Sunday, sent later" in " ".join(text.split())


def _weasyprint_fault(real_layout, unless: str | None = None):
    """A stand-in for render.layout that fails as WeasyPrint's own code does (the build tells such
    a fault by the file it was raised in); with `unless`, it lays out when the CSS has that rule."""
    source = ("def fault(html, css, base):\n"
              "    if unless is not None and unless in css:\n"
              "        return real(html, css, base)\n"
              "    raise AssertionError(\"Got ' \\\\n' between two lines\")\n")
    namespace = {"real": real_layout, "unless": unless}
    exec(compile(source, str(Path(weasyprint.__file__).parent / "layout" / "page.py"), "exec"), namespace)
    return namespace["fault"]


def test_a_layout_weasyprint_stops_on_is_made_again_with_orphans_and_widows_relaxed(tmp_path, monkeypatch):
    config = _config(tmp_path, "")
    from tei_edition.writers.pdf import render as print_render

    monkeypatch.setattr(print_render, "layout", _weasyprint_fault(print_render.layout, unless=RELAXED))
    log: list[str] = []
    assert build(config, only=["pdf"], jobs=1, log=log.append) == 0
    text = "\n".join(log)
    for name in ("volume.pdf", "documents/synthetic-glyphs.pdf"):
        assert (f"warning: WeasyPrint: stopped on {name} (AssertionError: Got ' \\n' between two lines), a fault "
                "of WeasyPrint's; laid out again with orphans and widows of one line [pdf-layout]") in text
    assert (config.output / "pdf" / "volume.pdf").is_file() and (config.output / "pdf" / "documents").is_dir()


def test_a_document_weasyprint_cannot_lay_out_is_named_and_the_previous_pdfs_kept(tmp_path, monkeypatch):
    config = _config(tmp_path, "")
    assert build(config, only=["pdf"], jobs=1, log=lambda _: None) == 0
    volume = config.output / "pdf" / "volume.pdf"
    before = volume.read_bytes()

    from tei_edition.writers.pdf import render as print_render

    monkeypatch.setattr(print_render, "layout", _weasyprint_fault(print_render.layout))
    log: list[str] = []
    assert build(config, only=["pdf"], jobs=1, log=log.append, incremental=False) == 1
    text = "\n".join(log)
    assert "error: WeasyPrint could not lay out volume.pdf: AssertionError: Got ' \\n' between two lines" in text
    assert "synthetic-glyphs.xml:1:1: error: WeasyPrint could not lay out this document's PDF" in text
    assert "[pdf-layout-failed]" in text and "Traceback" not in text
    assert volume.read_bytes() == before  # the good output is still there, whole
