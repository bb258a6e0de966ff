"""The print volume: TEI → print HTML (xslt/print/) → laid out and written by WeasyPrint.

The volume is bound from three kinds of parts, each one stylesheet call:
front (edition header: title page, imprint, contents, introduction, principles, part title),
one chapter per document (document.xsl, the same markup as the document's own PDF), and the
back matter (chronology, bibliography, indexes; back.xsl). Python binds the parts into one
HTML page, adds the metadata WeasyPrint turns into PDF metadata, and lays it out, then its
front and back matter again, to get the index page numbers (writers/pdf/indexes.py, relayout.py).
A volume of several (volumes.py) binds only its own documents, with its own contents and back
matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from tei_edition.names import TEI_NS, XML_LANG
from tei_edition.model.corpus import Document
from tei_edition.model.index import Index
from tei_edition.model.edition import Site
from tei_edition.model.facts import edition_facts, text_of
from tei_edition.writers.pdf.data import BoundDocument, bound_documents, site_for
from tei_edition.writers.pdf.volumes import Part
from tei_edition.writers.pdf.workarounds import footnotes_on_one_line
from tei_edition.writers.pdf.relayout import Plan, back_numbering, joined, number_links, plan
from tei_edition.writers.pdf.indexes import (INDEX_KINDS, SECTION_IDS, PageRange, SECTION_TITLES, add_letters, anchor_pages,
                          back_matter, entity_pages, listed_entries, mention_anchors)
from tei_edition.config import PdfOptions
from tei_edition.diagnostics import Diagnostic
from tei_edition.render.messages import RenderFailed, failure, locator, to_diagnostics
from tei_edition.render.profile import profile_digest
from tei_edition.render.xslt import XSLT_DIR, XsltError, render

T = f"{{{TEI_NS}}}"
PRINT_CSS = XSLT_DIR / "print" / "print.css"
MAX_LAYOUTS = 3  # the index pages are stable after the second layout; a third is a safety net
OUTPUT = "print edition"


@dataclass
class Metadata:
    """What WeasyPrint writes into the PDF's document information and XMP."""

    title: str
    authors: list[str]
    subject: str
    keywords: list[str]
    lang: str
    created: str = ""
    version: str = ""



def metadata_of(doc: Document, subject: str = "") -> Metadata:
    """The PDF metadata of a document or of the edition (its header): title, subtitle and
    version as every output states them (model/facts.py), editors and authors, keywords."""
    facts = edition_facts(doc.root)
    authors = [text_of(e) for e in doc.root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}editor")]
    authors += [text_of(e) for e in doc.root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}author")]
    keywords = [text_of(e) for e in doc.root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}textClass/{T}keywords/{T}term")]
    date = doc.root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date")
    return Metadata(title=facts["title"] or doc.title, authors=[a for a in dict.fromkeys(authors) if a],
                    subject=subject or facts.get("subtitle", ""), keywords=keywords,
                    lang=doc.root.get(XML_LANG) or "en",
                    created=(date.get("when") if date is not None else "") or "",
                    version=facts.get("version", ""))


def html_page(parts: list[etree._Element], meta: Metadata, kind: str) -> str:
    """One HTML page holding `parts`, with the metadata in its head; `kind` is the body's class
    ("volume" or "single-document") for print.css."""
    html = etree.Element("html", lang=meta.lang)
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "title").text = meta.title
    for author in meta.authors:
        etree.SubElement(head, "meta", name="author", content=author)
    if meta.subject:
        etree.SubElement(head, "meta", name="description", content=meta.subject)
    if meta.keywords:
        etree.SubElement(head, "meta", name="keywords", content=", ".join(meta.keywords))
    if meta.created:
        # a fixed date from the TEI keeps the PDF reproducible (no build-time clock)
        etree.SubElement(head, "meta", name="dcterms.created", content=meta.created)
        etree.SubElement(head, "meta", name="dcterms.modified", content=meta.created)
    etree.SubElement(head, "meta", name="generator", content="tei-edition (XSLT 3.0, WeasyPrint)")
    body = etree.SubElement(html, "body", {"class": kind})
    for part in parts:
        body.append(part)
    return "<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="unicode")


def css_string(text: str) -> str:
    return '"' + "".join(c if c.isalnum() or c in " .,:;-()'" else f"\\{ord(c):x} " for c in text) + '"'


def settings_css(options: PdfOptions) -> str:
    """The page size and fonts of [pdf] as CSS."""
    families = ", ".join('"' + f.replace('"', "") + '"' for f in options.fonts)
    return f"@page {{ size: {options.page_size}; }}\nhtml {{ font-family: {families}; }}\n"


def stylesheets(options: PdfOptions, edition_title: str = "") -> list[str]:
    """print.css, the settings from edition.toml, then the user's own CSS (which wins).

    The edition title is the running head of left-hand pages from the first page on, also in
    a document's own PDF, which has no title page to take it from.
    """
    out = [PRINT_CSS.read_text(encoding="utf-8"), settings_css(options)]
    if edition_title:
        out.append(f"html {{ string-set: edition-title {css_string(edition_title)}; }}")
    if options.css is not None:
        out.append(options.css.read_text(encoding="utf-8"))
    return out


def _fragment(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))


@dataclass
class Volume:
    """The parts of the volume, rendered once by the stylesheets and reused for every layout."""

    index: Index
    options: PdfOptions
    where: str = ""  # the file named by messages about the back matter (built here, not in the TEI)
    part: Part | None = None  # one volume of several (None: the whole edition in one)
    site: Site | None = None  # the semantic layer, shared by the volumes of one build
    chapters_from: dict[str, etree._Element] | None = None  # chapters rendered already (by id)
    documents: list[BoundDocument] = field(init=False)
    chapters: dict[str, etree._Element] = field(init=False)
    # what the stylesheets said while rendering the parts (render.messages)
    diagnostics: list[Diagnostic] = field(init=False, default_factory=list)

    def __post_init__(self):
        self.profile_version = profile_digest(self.options.stylesheet)
        if self.site is None:
            self.site = Site(self.index)  # the semantic layer: cards, document facts, the edition
        self.documents = self.part.documents if self.part is not None else bound_documents(self.site)
        shared = self.chapters_from or {}  # rendered once per build, for the volume that binds them
        self.chapters = {b.id: shared[b.id] if b.id in shared else self._document_chapter(b.doc)
                         for b in self.documents}
        self.entity_pages: dict[str, list[PageRange]] = {}  # the index's pages, once laid out
        self._first: str | None = None
        self._front_part: etree._Element | None = None
        self._back_ids: list[str] = []  # the back matter's sections, as the last HTML made has them

    # what the back matter needs, made when it is needed: the whole edition's Volume of a build in
    # several volumes only renders the chapters they share
    @cached_property
    def anchors(self) -> list:
        return [a for b in self.documents for a in mention_anchors(self._wrap(self.chapters[b.id]))]

    @cached_property
    def _bound(self) -> set:
        return {b.doc.path for b in self.documents}

    @cached_property
    def letters(self) -> list:  # the letters of this volume
        return [info for info in self.site.letters if info.doc.path in self._bound]

    @cached_property
    def letters_of(self) -> dict:
        return {e: kept for e, pairs in self.site.letters_of.items()
                if (kept := [(action, info) for action, info in pairs if info.doc.path in self._bound])}

    @cached_property
    def indexed(self) -> set[str]:
        """The entries of this volume's indexes: those its documents mention, and a letter's sender
        and addressee (in the index with their letters, named in the text or not)."""
        found = {a.entity for a in self.anchors
                 if a.entity in self.index.entities and self.index.entities[a.entity].kind in INDEX_KINDS}
        return found | {e for e in self.letters_of if self.index.entities[e].kind in INDEX_KINDS}

    @cached_property
    def listed(self) -> set[str]:
        return listed_entries(self.index, self._bound)

    @staticmethod
    def _wrap(el: etree._Element) -> etree._Element:
        holder = etree.Element("body")
        holder.append(etree.fromstring(etree.tostring(el)))
        return holder

    def _document_chapter(self, doc: Document) -> etree._Element:
        site = site_for(self.index, [doc], site=self.site)
        return self._render("print/document.xsl", doc, doc.tree, {"site": site, "scope": doc.id})

    def _render(self, stylesheet: str, doc: Document | None, source, params: dict) -> etree._Element:
        """A part of the volume from `stylesheet` (with the edition's profile); its messages are
        kept at `doc`'s lines (None: a source built here, reported at `where`)."""
        display = doc.display if doc is not None else self.where
        where = locator(doc.root if doc is not None else None, doc.locate if doc is not None else None)
        try:
            rendered = render(stylesheet, source, params, self.options.stylesheet, self.profile_version)
        except XsltError as exc:
            raise RenderFailed(failure(str(exc), exc.messages, display, where, OUTPUT, "pdf-xslt")) from None
        self.diagnostics += to_diagnostics(rendered.messages, display, where, OUTPUT)
        return footnotes_on_one_line(_fragment(rendered.text))

    def document_html(self, bound: BoundDocument) -> str:
        """The HTML of one document's own PDF: the same chapter as in the volume."""
        header = self.index.corpus.header
        subject = metadata_of(header).title if header is not None else ""
        meta = metadata_of(bound.doc, subject=subject)
        chapter = etree.fromstring(etree.tostring(self.chapters[bound.id]))
        return html_page([chapter], meta, "single-document")

    def _front(self) -> etree._Element:
        header = self.index.corpus.header
        contents = etree.Element("contents")
        if self.part is not None:
            contents.set("volume", self.part.label)
            if self.part.series:
                contents.set("series", self.part.series)
        for b in self.documents:
            entry = etree.SubElement(contents, "entry", href=b.anchor, level="2", date=b.date)
            entry.set("class", "document")
            entry.text = b.doc.title
        present = {s.get("kind") for s in self._back_source(None).getroot()}
        for kind in ("event", "document") + INDEX_KINDS:
            if kind in present:
                entry = etree.SubElement(contents, "entry", href=f"#{SECTION_IDS[kind]}", level="1")
                entry.set("class", "back")
                entry.text = SECTION_TITLES[kind]
        if header is None:
            return etree.Element("div", {"class": "front"})
        site = site_for(self.index, [header], site=self.site)
        return self._render("print/front.xsl", header, header.tree,
                            {"site": site, "scope": "front", "contents": contents.getroottree()})

    def _back_source(self, pages) -> etree._ElementTree:
        source = back_matter(self.index, self.indexed, pages, self.listed,
                             volume=self.part.label if self.part is not None else "")
        add_letters(source, self.letters_of, self.letters)
        return source

    def _back(self, pages) -> etree._Element:
        return self.render_back(self._back_source(pages))

    def render_back(self, source: etree._ElementTree) -> etree._Element:
        """Back matter (indexes.back_matter) → its print HTML, by back.xsl."""
        site = site_for(self.index, self.index.corpus.registers, extra=self.index.entities, site=self.site)
        return self._render("print/back.xsl", None, source, {"site": site, "scope": "back"})

    def metadata(self) -> Metadata:
        header = self.index.corpus.header
        if header is None:  # the title the web edition gives an edition without a header
            return Metadata(self.site.edition_element().get("title"), [], "", [], "en")
        return metadata_of(header)

    def first_html(self) -> str:
        """The print HTML of the first layout (the index without page numbers): everything the
        volume's PDF follows from (volumes.layout_key)."""
        if self._first is None:
            self._first = self._html(None)
        return self._first

    def _html(self, pages) -> str:
        if self._front_part is None:  # rendered once: its messages are reported once
            self._front_part = self._front()
        front = self._front_part
        parts = [front] if len(front) else []  # no edition header: the volume opens with the documents
        chapters = [etree.fromstring(etree.tostring(self.chapters[b.id])) for b in self.documents]
        back = self._back(pages)
        self._back_ids = [section.get("id") for section in back if section.get("id")]
        return html_page([*parts, *chapters, back], self.metadata(), "volume")

    def layout(self, render, css: list[str]) -> tuple[object, list[str], bool, str]:
        """Lay the volume out until the index page numbers are those of the layout they print.

        `render(html, extra_css) -> weasyprint.Document`; `css` is what it lays out with. The
        first layout is of the whole volume; the later ones, where they can, of the front and
        back matter only, joined to the first layout's pages of the documents (relayout.py).
        Returns the final document, notes for the log, whether the index page numbers settled
        (else they are those of the layout but one), and the whole volume's HTML of the final
        layout (what its PDF follows from).
        """
        pages, notes = None, []
        html = self.first_html()
        document = first = render(html, [])
        first_document = self.chapters[self.documents[0].id].get("id") if self.documents else None
        again = plan(first, first_document, self._back_ids, css,
                     self.options.css.read_text(encoding="utf-8") if self.options.css is not None else None)
        for attempt in range(1, MAX_LAYOUTS + 1):
            if pages is not None:
                html = self._html(pages)
                document = (again and self._without_documents(render, pages, first, again)) or render(html, [])
            found = entity_pages(self.anchors, anchor_pages(document))
            self.entity_pages = found  # where the entries really are (the cumulative index cites them)
            if found == pages:
                return document, notes, True, html
            if pages is not None:
                notes.append(f"index pages moved in layout {attempt}; laid out again")
            pages = found
        return document, notes, False, html

    def _without_documents(self, render, pages, first, again: Plan):
        """The volume laid out again without its documents (relayout.py); None if that did not
        give the pages the whole volume would have."""
        front = number_links(etree.fromstring(etree.tostring(self._front_part)), again)
        parts = [front] if len(front) else []
        back = number_links(self._back(pages), again)
        second = render(html_page([*parts, back], self.metadata(), "volume"), [back_numbering(again)])
        return joined(first, again, second, self._back_ids[0])
