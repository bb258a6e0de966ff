"""The print edition: output/pdf/volume.pdf, volume-pdfa.pdf and documents/<xml:id>.pdf.

When [pdf] cuts the edition into volumes (volumes.py) they are volume-1.pdf, volume-1-pdfa.pdf, ...
and index.pdf, index-pdfa.pdf: one index over all of them (cumulative.py).

TEI → print HTML by the stylesheets in xslt/print/, laid out by WeasyPrint with CSS Paged
Media (xslt/print/print.css). The volume's front and back matter are laid out a second time so
that the index prints the pages its entries are really on (indexes.py, relayout.py); the
documents' own PDFs are laid out by the build's executor (local worker processes or a Dask
cluster, as for the html pages) while the main process makes the volume. Workers only render;
this process writes every file, so the output is the same byte for byte whoever rendered it.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from pypdf import PdfReader

from tei_edition.cache.pages import link_or_copy
from tei_edition.cache.store import Store
from tei_edition.config import PdfOptions
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.model.addresses import page_name
from tei_edition.model.edition import Site
from tei_edition.render.messages import RenderFailed, summarise
from tei_edition.render.profile import compile_problems, profile_digest
from tei_edition.render.xslt import XsltError
from tei_edition.runtime.executor import ExecutorError, open_executor
from tei_edition.writers.base import BuildContext, WriterResult, atomic_output
from tei_edition.writers.pdf.fonts import check_glyphs
from tei_edition.writers.pdf.volume import Volume, metadata_of, stylesheets
from tei_edition.writers.pdf.volumes import estimate_pages, layout_key, split
from tei_edition.writers.pdf.workarounds import failure, inside_weasyprint
from tei_edition.writers.pdf.cumulative import STEM as CUMULATIVE, cumulative_html, pages_from_record, pages_record


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
            stats, messages, settled, reported, save_record = _write_all(ctx, options, tmp, print_render)
    except RenderFailed as exc:  # a stylesheet failed on an element: reported at its place
        return WriterResult.failed("data", problems + [exc.diagnostic])
    except LayoutFailed as exc:
        return WriterResult.failed("data", problems + exc.diagnostics)
    except XsltError as exc:
        return WriterResult.failed("data", problems + [Diagnostic(
            where, 1, 1, "error", str(exc), "pdf-xslt", "the print stylesheets in xslt/print/ failed on this corpus")])
    except (OSError, ValueError, RuntimeError, ExecutorError) as exc:  # no output is replaced
        return WriterResult.failed("environment", problems + [Diagnostic(
            where, 1, 1, "error", f"the PDF could not be made: {type(exc).__name__}: {exc}", "pdf-render",
            "check the [pdf] css file and the disk space; the previous output/pdf is kept")])
    save_record()  # after the swap: the record describes the PDFs that are published
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
    reused = f", {stats['reused']} volume(s) unchanged and kept" if stats["reused"] else ""
    reused += f", {stats['documents_kept']} document PDF(s) unchanged and kept" if stats.get("documents_kept") else ""
    reused += f", cumulative index {stats['index']}" if "index" in stats else ""
    bound = f"{stats['volumes']} volumes, {stats['pages']} pages" if stats["volumes"] > 1 else f"volume {stats['pages']} pages"
    ctx.log(f"pdf: {bound}, {stats['documents']} document PDF(s), "
            f"{stats['layouts']} layout(s) of the volume{reused}, {time.perf_counter() - started:.1f} s")
    return WriterResult.built(problems)


def _write_all(ctx: BuildContext, options: PdfOptions, tmp: Path, render) -> tuple[dict, list[str], bool, list,
                                                                                  Callable[[], None]]:
    """Write the volume(s), their PDF/A, the documents' PDFs and (with several volumes) the
    cumulative index into `tmp`; return counts, WeasyPrint's messages (each once, in order),
    whether the index pages settled, and what the stylesheets said. Each volume is laid out once
    for both variants (PDF and PDF/A are written from the same layout), and a volume whose print
    HTML is that of the last build is taken from it instead of being laid out again."""
    site = Site(ctx.index)
    where = display_path(ctx.config.path)
    whole = Volume(ctx.index, options, where, site=site)  # every chapter, rendered once
    header = ctx.corpus.header
    css = stylesheets(options, metadata_of(header).title if header is not None else "")
    documents = tmp / "documents"
    bound = whole.documents if options.documents else []
    if bound:
        documents.mkdir()
    # file names from xml:ids made safe: an id like "../x" must not write outside the output
    targets = [documents / f"{page_name(b.id)}.pdf" for b in bound]
    tasks = [(whole.document_html(b), css, f"documents/{t.name}") for b, t in zip(bound, targets, strict=True)]
    record = Store(ctx.config.output, "pdf")
    previous = ctx.config.output / "pdf"
    kept: dict[str, dict] = {"documents": {}}
    stats = {"pages": 0, "documents": len(targets), "layouts": 0, "reused": 0}
    # a document's PDF follows from its print HTML and the CSS: one unchanged since the last
    # build is linked from it, with the WeasyPrint messages it had then
    known_documents = record.data.get("documents", {}) if ctx.incremental else {}
    keys = [layout_key(html, css, "") for html, _, _ in tasks]
    redo = [i for i, target in enumerate(targets)
            if not _same(known_documents.get(target.name), keys[i], previous / "documents" / target.name)]

    # with --jobs 1 (or one document) no worker is started: the documents follow the volume here
    with open_executor(min(ctx.jobs, len(redo)), ctx.executor, ctx.scheduler) as run:
        results = run.map(render.render_document, [tasks[i] for i in redo])  # collected after the volumes
        rendered, counts = None, None
        if options.volume_by == "pages":  # the cut needs every document's pages: its PDF first
            rendered = dict(zip(redo, results, strict=True))
            counts = _page_counts(whole, targets, rendered, known_documents, previous)
        parts = split(whole.documents, options, counts, ctx.config.root)
        volumes = ([Volume(ctx.index, options, where, part=p, site=site, chapters_from=whole.chapters)
                    for p in parts] if parts else [whole])
        stats["volumes"] = len(volumes)
        with render.weasyprint_messages() as messages:
            try:
                settled, notes, pages = _volumes(ctx, volumes, css, options, render, tmp, record, kept, stats, messages)
                if parts:
                    _cumulative(ctx, whole, volumes, pages, css, options, render, tmp, record, kept, stats, messages)
            except LayoutFailed as exc:  # name the documents WeasyPrint stops on alone too
                done = rendered if rendered is not None else dict(zip(redo, results, strict=True))
                raise LayoutFailed(exc.diagnostics + _failed_documents(bound, done)) from None
        if rendered is None:
            rendered = dict(zip(redo, results, strict=True))
        if failed := _failed_documents(bound, rendered):
            raise LayoutFailed(failed)
        for i, target in enumerate(targets):
            if i in rendered:
                data, found, count = rendered[i]
                target.write_bytes(data)
            else:
                found, count = known_documents[target.name]["messages"], known_documents[target.name].get("pages")
                link_or_copy(previous / "documents" / target.name, target)
            kept["documents"][target.name] = {"key": keys[i], "messages": list(found), "pages": count}
            messages += found
    stats["documents_kept"] = len(targets) - len(redo)
    for note in notes:
        ctx.log(f"pdf: {note}")
    diagnostics = whole.diagnostics + [d for v in volumes if v is not whole for d in v.diagnostics]
    return stats, list(dict.fromkeys(messages)), settled, diagnostics, lambda: record.save(kept)


def _page_counts(whole: Volume, targets: list[Path], rendered: dict, known: dict, previous: Path) -> dict[str, int]:
    """The printed pages of each document, for volume-by = "pages": those of its own PDF (laid
    out now, or kept: from the record, else counted in the last build's file), or with [pdf]
    documents = false estimated from its text (volumes.estimate_pages)."""
    if not targets:
        return {b.id: estimate_pages(whole.chapters[b.id]) for b in whole.documents}
    counts = {}
    for i, (b, target) in enumerate(zip(whole.documents, targets, strict=True)):
        count = rendered[i][2] if i in rendered else known[target.name].get("pages")
        if not isinstance(count, int):
            count = len(PdfReader(previous / "documents" / target.name).pages)
        counts[b.id] = count
    return counts


def _volumes(ctx, volumes: list[Volume], css: list[str], options: PdfOptions, render, tmp: Path, record: Store,
             kept: dict, stats: dict, messages: list[str]) -> tuple[bool, list[str], list[dict]]:
    """Lay out (or keep) each volume; whether the index pages settled, notes for the log, and
    each volume's index pages (for the cumulative index)."""
    previous = ctx.config.output / "pdf"
    settled, notes, pages = True, [], []
    for volume in volumes:
        stem = volume.part.stem if volume.part is not None else "volume"
        names = [f"{stem}.pdf", f"{stem}-pdfa.pdf"]
        key = layout_key(volume.first_html(), css, options.pdfa)
        known = record.data.get(stem)
        found = pages_from_record(known.get("index")) if isinstance(known, dict) else None
        if (ctx.incremental and isinstance(known, dict) and known.get("key") == key and found is not None
                and isinstance(known.get("messages", []), list) and _reuse(previous, tmp, names)):
            kept[stem] = known
            messages += known.get("messages", [])  # what its layout said, said again
            stats["pages"] += known.get("pages", 0)
            stats["reused"] += 1
            pages.append(found)
            continue

        relaxed: list[str] = []  # what a fault of WeasyPrint's made this volume's layouts relax

        def lay_out(html: str, extra: list[str]):
            stats["layouts"] += 1  # the front and back matter laid out alone count as one
            return render.layout_relaxing(html, css + extra, relaxed, messages, names[0])

        before = len(messages)
        with _reported(ctx, names[0]):
            document, found_notes, done, html = volume.layout(lay_out, css)
            render.write(document, tmp / names[0], html)
            render.write(document, tmp / names[1], html, variant=options.pdfa)
        kept[stem] = {"key": key, "pages": len(document.pages), "messages": messages[before:],
                      "index": pages_record(volume.entity_pages)}
        stats["pages"] += len(document.pages)
        settled = settled and done
        notes += found_notes
        pages.append(volume.entity_pages)
        del document
    return settled, notes, pages


def _cumulative(ctx, whole: Volume, volumes: list[Volume], pages: list[dict], css: list[str], options: PdfOptions,
                render, tmp: Path, record: Store, kept: dict, stats: dict, messages: list[str]) -> None:
    """index.pdf and index-pdfa.pdf (cumulative.py), kept from the last build when its HTML,
    which holds every volume's page numbers, is the same."""
    html = cumulative_html(whole, volumes, pages)
    names = [f"{CUMULATIVE}.pdf", f"{CUMULATIVE}-pdfa.pdf"]
    key = layout_key(html, css, options.pdfa)
    known = record.data.get(CUMULATIVE)
    if (ctx.incremental and isinstance(known, dict) and known.get("key") == key
            and isinstance(known.get("messages", []), list) and _reuse(ctx.config.output / "pdf", tmp, names)):
        kept[CUMULATIVE] = known
        messages += known.get("messages", [])
        stats["index"] = "kept"
        return
    before = len(messages)
    with _reported(ctx, names[0]):
        document = render.layout_relaxing(html, css, [], messages, names[0])
        render.write(document, tmp / names[0], html)
        render.write(document, tmp / names[1], html, variant=options.pdfa)
    kept[CUMULATIVE] = {"key": key, "pages": len(document.pages), "messages": messages[before:]}
    stats["index"] = f"laid out ({len(document.pages)} pages)"


class LayoutFailed(Exception):
    """WeasyPrint stopped on the print HTML: a fault of its own, set off by something in the text."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@contextmanager
def _reported(ctx, name: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if isinstance(exc, (OSError, RenderFailed, XsltError)) or not inside_weasyprint(exc):
            raise  # reported by write() as they are, or a fault of ours: not to be passed off as WeasyPrint's
        raise LayoutFailed([Diagnostic(
            display_path(ctx.config.path), 1, 1, "error", f"WeasyPrint could not lay out {name}: {failure(exc)}",
            "pdf-layout-failed", "a fault inside WeasyPrint's layout, set off by the text and how it falls on "
            "the pages (a document whose own PDF fails too is named in an error of its own): report it to "
            "WeasyPrint. The previous output/pdf is kept; --only html builds the rest")]) from None


def _failed_documents(bound: list, rendered: dict) -> list[Diagnostic]:
    """A diagnostic for each document whose own PDF WeasyPrint could not lay out (render_document)."""
    return [Diagnostic(bound[i].doc.display, 1, 1, "error",
                       f"WeasyPrint could not lay out this document's PDF: {found[0]}", "pdf-layout-failed",
                       "a fault inside WeasyPrint, set off by this document's text: report it to WeasyPrint "
                       "with the document. The previous output/pdf is kept")
            for i, (data, found, _) in sorted(rendered.items()) if data is None]


def _same(known, key: str, previous: Path) -> bool:
    return (isinstance(known, dict) and known.get("key") == key and isinstance(known.get("messages"), list)
            and previous.is_file())


def _reuse(previous: Path, tmp: Path, names: list[str]) -> bool:
    """The last build's files `names` linked (or copied) into `tmp`; False if one is missing."""
    if not all((previous / name).is_file() for name in names):
        return False
    for name in names:
        link_or_copy(previous / name, tmp / name)
    return True
