"""The package's payload: the TEI files, the schemas, the PDFs and the metadata records.

The TEI files go in as they are; the stylesheets in xslt/deposit/ make the metadata records
from the TEI headers.

Python only decides what goes where and hands each stylesheet its document plus what the
index knows (pointers, mentions, the file inventory); every metadata value comes from XSLT.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tei_edition.render import xslt
from tei_edition.model.corpus import Document
from tei_edition.model.addresses import page_name
from tei_edition.model.facts import main_title
from tei_edition.writers.base import BuildContext
from tei_edition.writers.deposit.preflight import EditionFacts

MIME = {".pdf": "application/pdf", ".json": "application/json", ".jsonld": "application/ld+json",
        ".xsd": "application/xml", ".rng": "application/xml", ".sch": "application/xml",
        ".xml": "application/xml", ".txt": "text/plain"}


@dataclass
class Entry:
    """One payload file as METS lists it."""

    path: str  # relative to data/, with "/"
    use: str   # METS fileGrp USE
    mime: str
    doc: Document | None = None  # the TEI file this is, or (for a PDF) belongs to
    role: str | None = None      # header | register | source, for TEI files


def dmd_id(doc: Document) -> str:
    """An xs:ID for the document's descriptive metadata section."""
    return "dmd-" + re.sub(r"[^\w.-]", "-", doc.id)


def _common_parent(paths: list[Path]) -> Path:
    return Path(os.path.commonpath([p.parent for p in paths])) if paths else Path()


def _write(data: Path, rel: str, content: str | bytes) -> None:
    target = data / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    target.write_bytes(content)


def _json(text: str) -> str:
    """The stylesheets' JSON, checked and laid out the same way every time."""
    return json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def _xml(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _tree(tag: str, rows: list[dict[str, str]], row_tag: str) -> etree._Element:
    root = etree.Element(tag)
    for row in rows:
        etree.SubElement(root, row_tag, {k: v for k, v in row.items() if v is not None})
    return root


def titles(corpus, path_of=None, title_of=lambda doc: main_title(doc.root)) -> etree._Element:
    """The `$titles` parameter of xslt/deposit/common.xsl: the main title of every TEI file, as the
    web and print editions state it (model.facts.main_title; `title_of` another reading of it)."""
    root = etree.Element("titles")
    for doc in corpus.documents:
        row = {"base": path_of(doc) if path_of else None, "edition": "yes" if doc is corpus.header else None}
        etree.SubElement(root, "title", {k: v for k, v in row.items() if v}).text = title_of(doc)
    return root


class Payload:
    """Writes the payload of one package into `data` (the future bag's data/ folder)."""

    def __init__(self, ctx: BuildContext, facts: EditionFacts, data: Path, created: str):
        self.ctx, self.facts, self.data, self.created = ctx, facts, data, created
        self.corpus, self.index = ctx.corpus, ctx.index
        self.entries: list[Entry] = []
        documents = self.corpus.documents
        base = _common_parent([d.path for d in documents])
        # The TEI files keep their folder layout below tei/, so relative pointers still work.
        self.tei_path = {id(d): "tei/" + d.path.relative_to(base).as_posix() for d in documents}

    def path_of(self, doc: Document) -> str:
        return self.tei_path[id(doc)]

    def with_base(self, doc: Document) -> etree._Element:
        """A copy of the file with xml:base set to its path in the package, as in the teiCorpus:
        how the stylesheets find what Python knows of it (its title, in $titles)."""
        root = copy.deepcopy(doc.root)
        root.set("{http://www.w3.org/XML/1998/namespace}base", self.path_of(doc))
        return root

    def write_all(self) -> None:
        self.titles = xslt.node(titles(self.corpus, self.path_of))  # parsed once for every record
        self.copy_tei()
        self.copy_schemas()
        self.copy_pdfs()
        corpus = self.write_tei_corpus()
        self.write_datacite(corpus)
        self.write_dublin_core()
        self.write_jsonld()
        self.write_zenodo(corpus)
        self.write_mets(corpus)  # last: it lists and checksums every other file

    # -- files copied as they are ----------------------------------------------------------------

    def copy_tei(self) -> None:
        for doc in self.corpus.documents:
            _write(self.data, self.path_of(doc), doc.path.read_bytes())
            self.entries.append(Entry(self.path_of(doc), "TEI", "application/tei+xml", doc, doc.role))

    def copy_schemas(self) -> None:
        schemas = list(self.ctx.config.schemas)
        base = _common_parent(schemas)
        for schema in schemas:
            rel = "schema/" + schema.relative_to(base).as_posix()
            _write(self.data, rel, schema.read_bytes())
            self.entries.append(Entry(rel, "SCHEMA", MIME.get(schema.suffix, "application/xml")))

    def copy_pdfs(self) -> None:
        pdf_dir = self.ctx.config.output / "pdf"
        by_name = {}
        for doc in self.corpus.documents:
            by_name.setdefault(doc.id, doc)
            by_name.setdefault(doc.path.stem, doc)
        volume = pdf_dir / "volume-pdfa.pdf"
        if volume.is_file():
            _write(self.data, "pdf/volume-pdfa.pdf", volume.read_bytes())
            self.entries.append(Entry("pdf/volume-pdfa.pdf", "PDF", "application/pdf"))
        for pdf in sorted((pdf_dir / "documents").glob("*.pdf")):
            rel = f"pdf/documents/{pdf.name}"
            _write(self.data, rel, pdf.read_bytes())
            self.entries.append(Entry(rel, "PDF", "application/pdf", by_name.get(pdf.stem)))

    # -- metadata made by XSLT -------------------------------------------------------------------

    def write_tei_corpus(self):
        members = etree.Element("members")
        for doc in self.corpus.documents:
            member = etree.SubElement(members, "member", base=self.path_of(doc))
            member.append(copy.deepcopy(doc.root))
        text = xslt.transform("deposit/teicorpus.xsl", self.corpus.header.tree, {"members": members})
        _write(self.data, "teiCorpus.xml", _xml(text))
        self.entries.append(Entry("teiCorpus.xml", "TEI", "application/tei+xml"))
        return xslt.node(text)  # parsed once, the source of the edition-level records

    def _record(self, rel: str, text: str, use: str = "METADATA", mime: str | None = None) -> None:
        _write(self.data, rel, text)
        self.entries.append(Entry(rel, use, mime or MIME[Path(rel).suffix]))

    def write_datacite(self, corpus) -> None:
        text = xslt.transform("deposit/datacite.xsl", corpus, {"files": self.inventory(), "titles": self.titles})
        self._record("datacite.xml", _xml(text))

    def write_dublin_core(self) -> None:
        header = self.corpus.header
        edition = xslt.node(self.with_base(header))  # parsed once for every record, not once per record
        for doc in self.corpus.documents:
            text = xslt.transform("deposit/oai_dc.xsl", self.with_base(doc), {
                "edition": edition,
                "entities": self.entities_mentioned(doc),
                "path": self.path_of(doc),
                "edition-id": self.facts.identifier,
                "is-edition-header": doc is header,
                "titles": self.titles,
            })
            self._record(f"dc/{page_name(doc.id)}.xml", _xml(text))

    def write_jsonld(self) -> None:
        entities = _tree("entities", [
            {"id": e.id, "kind": e.kind, "iri": f"../{self.path_of(e.doc)}#{e.id}"}
            for e in sorted(self.index.entities.values(), key=lambda e: e.id)], "entity")
        mentions = []
        for entity_id in sorted(self.index.mentions):
            seen = set()
            for m in self.index.mentions[entity_id]:
                if m.doc.role == "source" and id(m.doc) not in seen:
                    seen.add(id(m.doc))
                    mentions.append({"entity": entity_id, "iri": f"../{self.path_of(m.doc)}", "title": m.doc.title})
        # parsed once for all registers
        entities, mentions_tree = xslt.node(entities), xslt.node(_tree("mentions", mentions, "mention"))
        for doc in self.corpus.registers:
            pointers = _tree("pointers", [{"value": v, "id": i} for v, i in sorted(self.index.pointer_map(doc).items())],
                             "pointer")
            text = xslt.transform("deposit/jsonld.xsl", doc.tree, {
                "base": f"../{self.path_of(doc)}", "entities": entities,
                "pointers": pointers, "mentions": mentions_tree})
            self._record(f"jsonld/{page_name(doc.id)}.jsonld", _json(text))

    def write_zenodo(self, corpus) -> None:
        upload_type = self.ctx.config.deposit.zenodo_upload_type
        text = xslt.transform("deposit/zenodo.xsl", corpus, {"upload-type": upload_type, "titles": self.titles})
        self._record("zenodo.json", _json(text))

    def write_mets(self, corpus) -> None:
        text = xslt.transform("deposit/mets.xsl", corpus, {"files": self.inventory(), "created": self.created,
                                                           "titles": self.titles})
        _write(self.data, "mets.xml", _xml(text))

    # -- what the stylesheets get from Python ----------------------------------------------------

    def entities_mentioned(self, doc: Document) -> etree._Element:
        """The register entries `doc` points to, in order of first mention (from the index)."""
        rows, seen = [], set()
        for pointer in self.index.pointers_in(doc):
            entity = self.index.entity_for(doc, pointer.value, pointer.attribute)
            if entity is not None and entity.id not in seen and entity.doc is not doc:
                seen.add(entity.id)
                rows.append({"id": entity.id, "kind": entity.kind, "label": entity.label})
        return _tree("entities", rows, "entity")

    def inventory(self) -> etree._Element:
        """Every payload file written so far, with size and SHA-256, for METS and DataCite."""
        rows = []
        for number, entry in enumerate(sorted(self.entries, key=lambda e: e.path), start=1):
            data = (self.data / entry.path).read_bytes()
            row = {"id": f"file-{number:04d}", "path": entry.path, "use": entry.use, "mime": entry.mime,
                   "size": str(len(data)), "sha256": hashlib.sha256(data).hexdigest(), "role": entry.role}
            if entry.doc is not None:
                row["dmd" if entry.use == "TEI" else "doc"] = dmd_id(entry.doc)
            rows.append(row)
        return _tree("files", rows, "file")
