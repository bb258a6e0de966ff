"""The web edition: a static site in <output>/html, from XSLT stylesheets in xslt/html/.

Python decides what pages there are and where they go; each page is one call of a compiled
stylesheet with the TEI (a document, a register entry, or the edition header) as source and a
small `site` parameter built by `model.edition.Site` holding only what that page needs. Output goes
through `runtime.site_update.updated_output`, so a failed build leaves the previous site in place.

Config: `ctx.config.html` (the `[html]` table, checked when the config is loaded):
    base-url = "https://example.org/edition/"   stable URLs in "Cite this document"
    stylesheet = "xslt/profile.xsl"             the edition's profile over xslt/html (docs/xslt.md)

What the stylesheets report about a page (render.messages) travels back with it from the
worker, is kept with the page in the cache, and is returned with the writer's diagnostics.
"""

from __future__ import annotations

import copy
import itertools
import os
import shutil
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from lxml import etree

from tei_edition.names import TEI_NS, XML_LANG
from tei_edition.writers.html.guide import guide_body
from tei_edition.resources import ASSETS_DIR
from tei_edition.model.corpus import RECENT_SOURCES, Document, drop_parsed_sources
from tei_edition.cache.keys import code_key
from tei_edition.cache.store import Store, digest, keeping
from tei_edition.diagnostics import Diagnostic
from tei_edition.runtime.executor import ExecutorError, open_executor, workers_from
from tei_edition.runtime.memory import release
from tei_edition.cache.pages import PageCache
from tei_edition.runtime.progress import progress
from tei_edition.writers.html.changes import SiteChanges
from tei_edition.writers.html.extras import SiteFilesError, write_site_files
from tei_edition.writers.html.warnings import rendering_diagnostics, unresolved_warnings
from tei_edition.writers.html.facsimile import images_changed, page_slice
from tei_edition.model.addresses import KIND_FOLDERS, KIND_ORDER
from tei_edition.model.edition import Site
from tei_edition.render.messages import Message, failure, locator, to_diagnostics
from tei_edition.render.profile import compile_problems, profile_digest
from tei_edition.render.xslt import XsltError, render
from tei_edition.writers.base import BuildContext, WriterResult
from tei_edition.runtime.site_update import updated_output, updating
from tei_edition.search.pagefind import (BUNDLE, SearchError, indexing_beside, keep_published_bundle,
                                         search_failure, summary as search_summary)

T = f"{{{TEI_NS}}}"
PAGE_STYLESHEETS = ("html/document.xsl", "html/entry.xsl", "html/pages.xsl")
OUTPUT = "web edition"
# Worker processes pay a second or so to start and compile the stylesheets: worth it from here on.
PARALLEL_FROM = 200
RELEASE_EVERY = 500  # pages
# The site's own pages (lists over every document) are rendered by one new worker once the
# page workers have stopped: each of those holds 200-300 MB of Saxon's heap by then, and the
# lists made both grow further, at the main process's largest (10,000 documents: 1,137 MB).
META_PROCESSES = 1


def pool_from(total: int) -> int:
    """From how many pages to render they go to workers (runtime/executor.workers_from says why)."""
    return workers_from(total, PARALLEL_FROM, keeping())


class PageError(Exception):
    """A page could not be rendered; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def write(ctx: BuildContext) -> WriterResult:
    profile = ctx.config.html.stylesheet
    profile_version = profile_digest(profile)
    problems = compile_problems(profile, PAGE_STYLESHEETS, profile_version)
    if problems:
        return WriterResult.failed("config", problems)
    site = Site(ctx.index)
    diagnostics = unresolved_warnings(ctx)
    out = ctx.config.output / "html"
    store = Store(ctx.config.output, "html") if ctx.incremental else None
    cache = PageCache(out, store, pages_digest(profile_version))
    try:
        with updated_output(out, ctx.incremental) as tmp:
            writer = SiteWriter(ctx, site, tmp, cache)
            writer.write_all()
            site.forget_elements()  # the pages' slices are made: the site files need few of them
            if writer.rendered > RECENT_SOURCES:  # the sources parsed last are those of the last pages,
                drop_parsed_sources()             # not those a rebuild's site files will ask for again
            release()  # the pages that passed through this process (runtime/memory.py)
            # indexed before the swap, so a published site always has its search index (edition serve
            # publishes the pages with the last index first, then re-indexes: search.reindex_published)
            kept = ctx.options.get("search") == "later" and keep_published_bundle(tmp)
            with nullcontext(lambda: kept) if kept else indexing_beside(
                    tmp, tmp / BUNDLE, previous=out / BUNDLE if ctx.incremental else None, jobs=ctx.jobs,
                    cache=ctx.config.output if ctx.incremental else None) as search_outcome:
                extras = write_site_files(ctx, site, tmp, machine=ctx.options.get("machine") != "later")
                if any(d.severity == "error" for d in extras):
                    raise SiteFilesError(extras)
            diagnostics += extras
            searched = search_outcome()
            cache.forget_previous()  # the swap follows: until save(), no record describes the site
    except (SearchError, PageError, SiteFilesError, ExecutorError) as exc:
        ctx.log(f"html: nothing written, the previous site in {out} is kept")
        return _failed(exc, diagnostics, out, ctx)
    cache.save()
    for line in cache.report():
        ctx.log(line)
    ctx.log(f"html: {len(site.documents)} document(s), {len(ctx.index.entities)} register entries → {out}")
    ctx.log(f"search: {search_summary(searched)}")
    if writer.left_out:
        ctx.log(f"html: {len(writer.left_out)} page(s) could not be rendered and are left out (see the errors)")
    return WriterResult.built(diagnostics + writer.left_out + rendering_diagnostics(cache.diagnostics(), diagnostics))


def _failed(exc: Exception, diagnostics: list[Diagnostic], out: Path, ctx: BuildContext) -> WriterResult:
    """The result of a build stopped by `exc`, with what it had found so far."""
    if isinstance(exc, PageError):
        return WriterResult.failed("data", diagnostics + [exc.diagnostic])
    if isinstance(exc, SiteFilesError):
        return WriterResult.failed("data", diagnostics + exc.diagnostics)
    if isinstance(exc, SearchError):
        return WriterResult.failed("environment", diagnostics + [search_failure(out, exc)])
    return WriterResult.failed("environment", diagnostics + [Diagnostic(
        str(ctx.config.path), 1, 1, "error", f"the HTML build failed: {exc}", "html-worker",
        "build again with --jobs 1 to see which page fails")])


def renderer_digest() -> str:
    """What every page depends on besides its own data: the stylesheets and the rendering code."""
    return code_key("pages")


def pages_digest(profile_digest: str) -> str:
    """renderer_digest() and the edition's profile: a changed profile re-renders every page."""
    return digest(renderer_digest(), profile_digest) if profile_digest else renderer_digest()


class SiteWriter:
    def __init__(self, ctx: BuildContext, site: Site, out: Path, cache: PageCache | None = None):
        self.ctx, self.site, self.out, self.options = ctx, site, out, ctx.config.html
        self.left_out: list[Diagnostic] = []  # pages that could not be rendered (--keep-going)
        self.rendered = 0  # pages rendered (not reused)
        self.profile_version = profile_digest(self.options.stylesheet)
        self.cache = cache or PageCache(out, None, "")
        self._folders: set[str] = set()
        self._unparsed: dict[str, Document] = {}  # page path → document whose tree is not serialized yet
        # page path → (its TEI file, the element its source is a copy of; None: the document's root)
        self._origins: dict[str, tuple[Document, etree._Element | None]] = {}
        self._root = os.path.normpath(out.resolve())
        self.cache.update_in_place(updating(out))
        self.edition = site.edition_element()
        self.guide = guide_body(ctx.config)  # the encoding guidelines, from the project schema
        shared = digest(self.cache.renderer, etree.tostring(self.edition), self.options.base_url, repr(self.guide),
                        repr(self.options.image_hosts), repr(self.ctx.config.letters))
        self.changes = SiteChanges(site, shared, self.cache.previous_site_record)

    # -- pages ---------------------------------------------------------------------------------

    def write_all(self) -> None:
        shutil.copytree(ASSETS_DIR, self.out / "assets")
        total = len(self.site.documents) + len(self.ctx.index.entities)
        with progress("html pages", total) as bar:
            self._bar = bar
            pending = self._to_render(self._page_tasks(), bar)
            # look ahead: a few pages to render go to one worker, or are rendered here (pool_from)
            first = list(itertools.islice(pending, PARALLEL_FROM))
            wanted = len(first) if len(first) < PARALLEL_FROM else total
            with open_executor(self.ctx.jobs, self.ctx.executor, self.ctx.scheduler, tasks=wanted,
                               parallel_from=pool_from(total), processes=None if wanted == total else 1) as run:
                self._write_rendered(run.map(render_page, itertools.chain(first, pending)), bar)
                fresh = run.name == "local" and run.workers > 1
                if not fresh:
                    self._meta_pages(run)
            if fresh:  # (see META_PROCESSES)
                with open_executor(self.ctx.jobs, processes=META_PROCESSES) as run:  # (started if a page is rendered)
                    self._meta_pages(run)
        for info in self.site.documents:
            href = info.source_href
            if self.changes.same_file(info) and self.cache.keep_file(href, lambda h=href: self._target(h)):
                continue
            self._copy(info.doc.path, info.source_href)
        self.cache.site_record = self.changes.record()

    def _write_rendered(self, results, bar) -> None:
        for n, (path, result) in enumerate(results, start=1):
            self.rendered = n
            if n % RELEASE_EVERY == 0:
                release()  # the pages and their sources passed through here (runtime/memory.py)
            doc, element = self._origins.pop(path)
            where = locator(element if element is not None else doc.root, doc.locate)
            if result.error:
                problem = failure(result.error, result.messages, doc.display, where, OUTPUT, "html-xslt")
                if not self.ctx.keep_going:
                    raise PageError(problem)
                self.left_out.append(problem)  # --keep-going: the rest of the site is published
                bar.advance()
                continue
            self._write_text(path, result.text)
            self.cache.note(path, to_diagnostics(result.messages, doc.display, where, OUTPUT))
            bar.advance()

    def _to_render(self, tasks: Iterator[PageTask], bar) -> Iterator[PageTask]:
        """The tasks whose page the last build cannot give; the others are reused on the way."""
        for task in tasks:
            doc = self._unparsed.pop(task.path, None)
            # a document page's source is its file: an unchanged one is not even parsed
            source = task.source if doc is None else doc.path.read_bytes()
            if self.cache.fresh(task.path, source, task.site, kind=task.stylesheet.rsplit("/", 1)[-1][:-4]):
                self.cache.reuse(task.path, self._target(task.path))
                bar.advance()
            else:
                yield task if doc is None else replace(task, source=etree.tostring(doc.root))

    def _page_tasks(self) -> Iterator[PageTask]:
        """One task per document and per register entry: stylesheet, source, site slice, path.
        Pages whose inputs cannot have changed (site_changes) are kept here, without a slice."""
        docs = self.site.documents
        for i, info in enumerate(docs):
            if not (self.changes.document_may_change(info) or images_changed(info, self.ctx.config)) and self._kept(info.href):
                continue
            data = self._site_data(info.href, self.site.pointer_slice(info.doc))
            data.append(self.site.document_facts(info))
            if i > 0:
                data.append(_renamed(self.site.document_list_item(docs[i - 1]), "prev"))
            if i + 1 < len(docs):
                data.append(_renamed(self.site.document_list_item(docs[i + 1]), "next"))
            if self.options.base_url:
                etree.SubElement(data, "cite", url=self.options.base_url + info.href)
            data.extend(page_slice(info, self.ctx.config))  # the document's images, when it has a facsimile
            yield self._task("html/document.xsl", info.doc, None, data, info.href)
        for entity in sorted(self.ctx.index.entities.values(), key=lambda e: e.id):
            path = self.site.entity_href(entity)
            if not self.changes.entry_may_change(entity.id) and self._kept(path):
                continue
            data = self._site_data(path, self.site.pointer_slice(entity.doc, within=entity.id))
            self.site.add_entry_facts(data, entity)
            yield self._task("html/entry.xsl", entity.doc, _standalone(entity.element), data, path, entity.element)

    def _kept(self, path: str) -> bool:
        if self.cache.keep(path, lambda: self._target(path)):
            self._bar.advance()
            return True
        return False

    def _task(self, stylesheet: str, doc: Document, source, data: etree._Element, path: str,
              origin: etree._Element | None = None) -> PageTask:
        """`source` None: the document itself, parsed only if the page must be rendered;
        `origin`: the element `source` is a copy of (for the places of messages)."""
        self._target(path)  # refuses a path that leaves the output folder, before any work
        if source is None:
            self._unparsed[path] = doc
        self._origins[path] = (doc, origin)
        return PageTask(stylesheet, doc.display, etree.tostring(source) if source is not None else b"",
                        etree.tostring(data), path, str(self.options.stylesheet or ""),
                        self.profile_version)

    def _meta_pages(self, run) -> None:
        """The site's own pages (home, chronology, register lists, ...), rendered by `run`, a
        worker (or a cluster, or this process when it rendered the others too): this process
        need not load Saxon and the stylesheet for a dozen pages (about 115 MB at 500
        documents, more as the lists grow)."""
        header = self.ctx.corpus.header
        source = header.root if header is not None else etree.Element(f"{T}TEI")
        owner = header or (self.ctx.corpus.documents[0] if self.ctx.corpus.documents else None)
        pages = ["index.html", "about.html", "chronology.html", "registers.html", "search.html", "404.html"]
        pages += [f"{KIND_FOLDERS[k]}/index.html" for k in KIND_ORDER]
        guide = self.guide
        if guide is not None:
            pages.append("guide.html")
        source_bytes = etree.tostring(source)
        todo: list[PageTask] = []
        for path in pages:
            if not self.changes.site_page_may_change(path) and self.cache.keep(path, lambda p=path: self._target(p)):
                continue
            data = self._site_data(path, self.site.pointer_slice(header) if header is not None else etree.Element("site"))
            self.site.add_listing(data, path)
            if guide is not None:
                etree.SubElement(data, "guide")
            site = etree.tostring(data)
            if self.cache.fresh(path, source_bytes, site, guide if path == "guide.html" else ""):
                self.cache.reuse(path, self._target(path))
                continue
            todo.append(PageTask("html/pages.xsl", owner.display if owner is not None else "html/pages.xsl",
                                 source_bytes, site, path, str(self.options.stylesheet or ""), self.profile_version))
        where = locator(header.root if header is not None else None, header.locate if header is not None else None)
        for path, result in run.map(render_page, todo):
            display = owner.display if owner is not None else "html/pages.xsl"
            if result.error:
                raise PageError(failure(result.error, result.messages, display, where, OUTPUT, "html-xslt"))
            self.cache.note(path, to_diagnostics(result.messages, display, where, OUTPUT))
            html = result.text.replace("<!--guide-body-->", guide, 1) if path == "guide.html" else result.text
            self._write_text(path, html)

    # -- plumbing --------------------------------------------------------------------------------

    def _site_data(self, path: str, data: etree._Element) -> etree._Element:
        data.set("path", path)
        data.set("root", "../" * path.count("/"))
        data.insert(0, _copy_element(self.edition))
        return data

    def _write_text(self, path: str, text: str) -> None:
        with open(self._target(path), "w", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")

    def _copy(self, source: Path, path: str) -> None:
        shutil.copyfile(source, self._target(path))

    def _target(self, path: str) -> str:
        # normpath, not resolve(): no file system calls for each of thousands of pages; a string,
        # not a Path: a rebuild asks this of every page it keeps
        root = self._root
        target = os.path.normpath(os.path.join(root, path))
        if not target.startswith(root + os.sep):  # never write outside the output folder
            raise PageError(Diagnostic(path, 1, 1, "error", f"page path {path} leaves the output folder",
                                       "html-path", "use xml:ids without path characters"))
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return target


@dataclass(frozen=True)
class PageTask:
    """Everything a worker needs to render one page (picklable: XML as bytes)."""

    stylesheet: str
    display: str      # the TEI file, for messages
    source: bytes
    site: bytes
    path: str         # where the page goes in the site
    profile: str = ""  # the edition's profile over the stylesheet ("" none)
    version: str = ""  # the profile's digest


@dataclass(frozen=True)
class PageResult:
    """A rendered page and what the stylesheet said about it (picklable, for any executor);
    `error` set: the page failed, its messages locate the failure."""

    text: str
    messages: tuple[Message, ...] = ()
    error: str = ""


def render_page(task: PageTask) -> tuple[str, PageResult]:
    """Render one page (in any process or on any machine); a failure comes back as a result.

    Workers only render: the main process writes every file and turns the messages into
    diagnostics at the TEI's lines, so reuse, atomic output and the cache are decided in one
    place whichever executor ran the stylesheets.
    """
    try:
        rendered = render(task.stylesheet, task.source, {"site": task.site},
                          Path(task.profile) if task.profile else None, task.version)
    except XsltError as exc:
        return task.path, PageResult("", exc.messages, f"cannot render {task.path}: {exc}")
    return task.path, PageResult(_with_doctype(rendered.text), rendered.messages)


def _with_doctype(html: str) -> str:
    return html if html.startswith("<!DOCTYPE") else "<!DOCTYPE html>\n" + html


def _renamed(el: etree._Element, tag: str) -> etree._Element:
    el.tag = tag
    return el


def _copy_element(el: etree._Element) -> etree._Element:
    # deepcopy, not a serialize-and-parse round trip: that would refuse an xml:id which is not
    # an NCName (validation reports it; a --keep-going build must still render the rest)
    copy_ = copy.deepcopy(el)
    copy_.tail = None
    return copy_


def _standalone(el: etree._Element) -> etree._Element:
    """A copy of a register entry as its own document, keeping the language it is written in."""
    copy = _copy_element(el)
    if copy.get(XML_LANG) is None:
        lang = next((a.get(XML_LANG) for a in el.iterancestors() if a.get(XML_LANG)), None)
        if lang:
            copy.set(XML_LANG, lang)
    return copy
