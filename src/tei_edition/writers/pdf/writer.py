"""The print edition: output/pdf/volume.pdf, volume-pdfa.pdf and documents/<xml:id>.pdf.

TEI → print HTML by the stylesheets in xslt/print/, laid out by WeasyPrint with CSS Paged
Media (xslt/print/print.css). The volume is laid out twice so that the index prints the pages
its entries are really on (indexes.py); the documents' own PDFs are laid out by the build's
executor (local worker processes or a Dask cluster, as for the html pages) while the main
process makes the volume. Workers only render; this process writes every file, so the output
is the same byte for byte whoever rendered it.
"""

from __future__ import annotations

import time
from pathlib import Path

from tei_edition.config import PdfOptions
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.model.addresses import page_name
from tei_edition.render.messages import RenderFailed, summarise
from tei_edition.render.profile import compile_problems, profile_digest
from tei_edition.render.xslt import XsltError
from tei_edition.runtime.executor import ExecutorError, open_executor
from tei_edition.writers.base import BuildContext, WriterResult, atomic_output
from tei_edition.writers.pdf.fonts import check_glyphs
from tei_edition.writers.pdf.volume import Volume, metadata_of, stylesheets


PART_STYLESHEETS = ("print/document.xsl", "print/front.xsl", "print/back.xsl")


def write(ctx: BuildContext) -> WriterResult:
    options = ctx.config.pdf
    where = display_path(ctx.config.path)
    compiled = compile_problems(options.stylesheet, PART_STYLESHEETS, profile_digest(options.stylesheet))
    if compiled:
        return WriterResult.failed("config", compiled)
    problems, missing = check_glyphs(ctx.corpus, options.fonts, ctx.config)
    started = time.perf_counter()
    try:
        from tei_edition.writers.pdf import render as print_render
    except (ImportError, OSError) as exc:  # WeasyPrint needs Pango; say so instead of a traceback
        return WriterResult.failed("environment", problems + [Diagnostic(
            where, 1, 1, "error", f"cannot load WeasyPrint: {exc}", "pdf-environment",
            "pip install weasyprint and apt-get install libpango-1.0-0")])
    try:
        with atomic_output(ctx.config.output / "pdf") as tmp:
            stats, messages, settled, reported = _write_all(ctx, options, tmp, print_render)
    except RenderFailed as exc:  # a stylesheet failed on an element: reported at its place
        return WriterResult.failed("data", problems + [exc.diagnostic])
    except XsltError as exc:
        return WriterResult.failed("data", problems + [Diagnostic(
            where, 1, 1, "error", str(exc), "pdf-xslt", "the print stylesheets in xslt/print/ failed on this corpus")])
    except (OSError, ValueError, RuntimeError, ExecutorError) as exc:  # no output is replaced
        return WriterResult.failed("environment", problems + [Diagnostic(
            where, 1, 1, "error", f"the PDF could not be made: {type(exc).__name__}: {exc}", "pdf-render",
            "check the [pdf] css file and the disk space; the previous output/pdf is kept")])
    if not settled:
        problems.append(Diagnostic(where, 1, 1, "warning",
                                   "index page numbers did not settle; they are those of the last layout but one",
                                   "pdf-index-pages", "report this with the corpus: the layout keeps moving the index"))
    shown = {f"U+{code:04X}" for code in missing}
    for text in messages:
        if text.startswith(".notdef") and any(code in text for code in shown):
            continue  # already reported by the glyph check, with the place in the TEI
        problems.append(Diagnostic(where, 1, 1, "warning", f"WeasyPrint: {text}", "pdf-layout",
                                   "check print.css or the [pdf] css file"))
    problems += summarise(reported)
    ctx.log(f"pdf: volume {stats['pages']} pages, {stats['documents']} document PDF(s), "
            f"{stats['layouts']} layout(s) of the volume, {time.perf_counter() - started:.1f} s")
    return WriterResult.built(problems)


def _write_all(ctx: BuildContext, options: PdfOptions, tmp: Path, render) -> tuple[dict, list[str], bool, list]:
    """Write the volume, its PDF/A and the documents' PDFs into `tmp`; return counts, WeasyPrint's
    messages (each once, in order), whether the index pages settled, and what the stylesheets said."""
    volume = Volume(ctx.index, options, display_path(ctx.config.path))
    header = ctx.corpus.header
    css = stylesheets(options, metadata_of(header).title if header is not None else "")
    documents = tmp / "documents"
    bound = volume.documents if options.documents else []
    if bound:
        documents.mkdir()
    # file names from xml:ids made safe: an id like "../x" must not write outside the output
    targets = [documents / f"{page_name(b.id)}.pdf" for b in bound]
    tasks = [(volume.document_html(b), css) for b in bound]
    layouts: list[str] = []

    def lay_out(html: str):
        layouts.append(html)
        return render.layout(html, css, render.BASE)

    # with --jobs 1 (or one document) no worker is started: the documents follow the volume here
    with open_executor(min(ctx.jobs, len(tasks)), ctx.executor, ctx.scheduler) as run:
        results = run.map(render.render_document, tasks)  # started now, collected after the volume
        with render.weasyprint_messages() as messages:
            document, notes, settled = volume.layout(lay_out)
            render.write(document, tmp / "volume.pdf", layouts[-1])
            render.write(document, tmp / "volume-pdfa.pdf", layouts[-1], variant=options.pdfa)
        for target, (data, found) in zip(targets, results, strict=True):
            target.write_bytes(data)
            messages += found
    for note in notes:
        ctx.log(f"pdf: {note}")
    stats = {"pages": len(document.pages), "documents": len(targets), "layouts": len(layouts)}
    return stats, list(dict.fromkeys(messages)), settled, volume.diagnostics
