"""The print edition: output/pdf/volume.pdf, volume-pdfa.pdf and documents/<xml:id>.pdf.

TEI → print HTML by the stylesheets in xslt/print/, laid out by WeasyPrint with CSS Paged
Media (xslt/print/print.css). The volume is laid out twice so that the index prints the pages
its entries are really on (print_index.py); the documents' own PDFs are laid out in parallel
worker processes while the main process makes the volume.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.writers.pdf.fonts import check_glyphs
from tei_edition.writers.pdf.options import PrintOptions
from tei_edition.writers.pdf.volume import Volume, metadata_of, stylesheets
from tei_edition.model.edition import page_name
from tei_edition.render.messages import RenderFailed, summarise
from tei_edition.render.profile import compile_problems
from tei_edition.render.xslt import XSLT_DIR, XsltError
from tei_edition.writers.base import BuildContext, atomic_output

BASE = XSLT_DIR / "print"
PART_STYLESHEETS = ("print/document.xsl", "print/front.xsl", "print/back.xsl")


def write(ctx: BuildContext) -> list[Diagnostic]:
    options, problems = PrintOptions.from_config(ctx.config)
    if not problems:
        problems += compile_problems(options.profile, PART_STYLESHEETS, options.profile_digest)
    if problems:
        return problems
    problems += check_glyphs(ctx.corpus, options.fonts, ctx.config)
    started = time.perf_counter()
    try:
        from tei_edition.writers.pdf import render as print_render
    except (ImportError, OSError) as exc:  # WeasyPrint needs Pango; say so instead of a traceback
        return problems + [Diagnostic(display_path(ctx.config.path), 1, 1, "error",
                                      f"cannot load WeasyPrint: {exc}", "pdf-environment",
                                      "pip install weasyprint and apt-get install libpango-1.0-0")]
    try:
        with atomic_output(ctx.config.output / "pdf") as tmp:
            stats = _write_all(ctx, options, tmp, print_render, problems)
    except RenderFailed as exc:
        return problems + [exc.diagnostic]
    except XsltError as exc:
        return problems + [Diagnostic(display_path(ctx.config.path), 1, 1, "error", str(exc), "pdf-xslt",
                                      "the print stylesheets in xslt/print/ failed on this corpus")]
    except (OSError, ValueError, RuntimeError) as exc:  # layout or writing failed: no output is replaced
        return problems + [Diagnostic(display_path(ctx.config.path), 1, 1, "error",
                                      f"the PDF could not be made: {type(exc).__name__}: {exc}", "pdf-render",
                                      "check the [pdf] css file and the disk space; the previous output/pdf is kept")]
    ctx.log(f"pdf: volume {stats['pages']} pages, {stats['documents']} document PDF(s), "
            f"{stats['layouts']} layout(s) of the volume, {time.perf_counter() - started:.1f} s")
    return problems


def _write_all(ctx: BuildContext, options: PrintOptions, tmp: Path, render, problems: list[Diagnostic]) -> dict:
    volume = Volume(ctx.index, options, display_path(ctx.config.path))
    header = ctx.corpus.header
    edition_title = metadata_of(header).title if header is not None else ""
    css = stylesheets(options, edition_title)
    where = display_path(ctx.config.path)

    documents = tmp / "documents"
    if options.documents:
        documents.mkdir()
    # file names from xml:ids made safe: an id like "../x" must not write outside the output
    jobs = [(volume.document_html(b), str(documents / f"{page_name(b.id)}.pdf"), b) for b in volume.documents] \
        if options.documents else []
    workers = max(1, min(ctx.jobs - 1, len(jobs)))  # the main process lays out the volume
    pool = None
    if jobs and ctx.jobs > 1:
        # spawn, not fork: the parent holds a Saxon (GraalVM) isolate that must not be forked
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [pool.submit(render.render_file, html, css, str(BASE), target) for html, target, _ in jobs] \
            if pool else []
        layouts = []

        def lay_out(html: str):
            layouts.append(html)
            return render.layout(html, css, BASE)

        with render.weasyprint_messages() as messages:
            document, notes = volume.layout(lay_out)
            render.write(document, tmp / "volume.pdf", layouts[-1])
            render.write(document, tmp / "volume-pdfa.pdf", layouts[-1], variant=options.pdfa)
        for note in notes:
            if note.startswith("index page numbers did not settle"):
                problems.append(Diagnostic(where, 1, 1, "warning", note, "pdf-index-pages",
                                           "report this with the corpus: the layout keeps moving the index"))
            else:
                ctx.log(f"pdf: {note}")
        if pool is None:
            results = [render.render_file(html, css, str(BASE), target) for html, target, _ in jobs]
        else:
            results = [f.result() for f in futures]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)  # after a failure, documents not yet started are dropped
    reported = {m.split()[1] for m in (d.message for d in problems if d.rule == "pdf-glyph-missing")}
    for text in dict.fromkeys(messages + [m for r in results for m in r]):
        if text.startswith(".notdef") and any(code in text for code in reported):
            continue  # already reported by the glyph check, with the place in the TEI
        problems.append(Diagnostic(where, 1, 1, "warning", f"WeasyPrint: {text}", "pdf-layout",
                                   "check print.css or the [pdf] css file"))
    problems += summarise(volume.diagnostics)
    return {"pages": len(document.pages), "documents": len(jobs), "layouts": len(layouts)}
