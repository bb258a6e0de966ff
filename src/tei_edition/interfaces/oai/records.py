"""The OAI-PMH records of an edition: one per TEI file, made by the deposit's stylesheets.

Every TEI file is a record in `oai_dc` (xslt/deposit/oai_dc.xsl, as in the deposit's dc/ folder)
and `tei` (the file itself, unchanged). The edition header's record is also disseminated as `oai_datacite`
(xslt/deposit/datacite.xsl, the deposit's DataCite record of the whole edition): DataCite
describes a citable resource with its own identifier, which the edition has and its documents,
as a rule, do not.

A record's datestamp is the day of its last recorded change (the latest `revisionDesc/change/@when`
of its header), else the edition header's, else the edition's publication date, else the build's
day (SOURCE_DATE_EPOCH or today): it is what the editors say changed, not a file's mtime, so
the same sources give the same datestamps on every machine.
"""

from __future__ import annotations

import copy
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from lxml import etree

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import Store, digest, file_digest, keeping
from tei_edition.model.addresses import page_name
from tei_edition.model.corpus import Document
from tei_edition.model.facts import main_title, text_of
from tei_edition.interfaces.oai.named import entities_element, named
from tei_edition.interfaces.oai.transforms import PARALLEL_FROM, Job, Runs
from tei_edition.render import xslt
from tei_edition.runtime.executor import workers_from
from tei_edition.runtime.epoch import build_day
from tei_edition.validate.header import DEPOSIT, deposit_gaps
from tei_edition.writers.base import BuildContext
from tei_edition.writers.deposit.records import titles

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str


FORMATS = (
    Format("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    Format("oai_datacite", "https://schema.datacite.org/meta/kernel-4.7/metadata.xsd",
           "http://datacite.org/schema/kernel-4"),
    Format("tei", "https://www.tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd", TEI_NS),
)


@dataclass
class Record:
    name: str                          # the identifier's last part, unique in the edition
    datestamp: str                     # YYYY-MM-DD
    sets: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # prefix → the record as text
    repository: str = ""
    source: Path | None = None         # the TEI file: the `tei` record, as it is

    @property
    def metadata(self) -> dict[str, etree._Element]:
        """prefix → the record's root element (parsed when asked for: a rebuild whose records
        did not change does not parse them)."""
        if getattr(self, "_parsed", None) is None or self._parsed.keys() != self.texts.keys():
            self._parsed = {prefix: _root(text) for prefix, text in self.texts.items()}
        return self._parsed

    @property
    def identifier(self) -> str:
        return oai_identifier(self.repository, self.name)


def oai_identifier(repository: str, name: str) -> str:
    """A record's OAI identifier: "oai:", the repository's id, ":", the TEI file's id."""
    return f"oai:{repository}:{name}"


def name_of(identifier: str) -> str:
    return identifier.rsplit(":", 1)[-1]


@dataclass
class Edition:
    """What the build knows of the repository: its name, contact, sets and records."""

    name: str
    admin_email: str
    repository_id: str
    sets: dict[str, str]               # setSpec → setName, in order
    records: list[Record]
    problems: list[tuple[Document, str]] = field(default_factory=list)  # records that could not be made


def _day(value: str) -> str | None:
    return value[:10] if DAY.match(value or "") else None


def last_change(root: etree._Element) -> str | None:
    """The day of the latest dated `change` of a header's revisionDesc."""
    days = [d for c in root.iterfind(f"{T}teiHeader/{T}revisionDesc//{T}change") if (d := _day(c.get("when", "")))]
    return max(days, default=None)


def header_email(root: etree._Element) -> str:
    """The first e-mail address the edition header gives (titleStmt or publicationStmt)."""
    for path in (f"{T}teiHeader/{T}fileDesc/{T}publicationStmt", f"{T}teiHeader/{T}fileDesc/{T}titleStmt"):
        for el in root.iterfind(f"{path}//{T}email"):
            if text_of(el):
                return text_of(el)
    return ""


def repository_id(ctx: BuildContext) -> str:
    """The namespace part of the records' `oai:` identifiers: the host of [html] base-url, else
    the edition's idno, else the name of the config's folder."""
    host = re.sub(r"^[a-z]+://", "", ctx.config.html.base_url).split("/")[0].split(":")[0]
    if host:
        return host
    header = ctx.corpus.header
    idno = header.root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}idno") if header else None
    return re.sub(r"[^\w.-]", "-", text_of(idno)) or page_name(ctx.config.root.name)


def collections(ctx: BuildContext) -> dict[int, str]:
    """The collection of each source: the folder it lies in, when the sources lie in several."""
    folders = {id(d): d.path.parent for d in ctx.corpus.sources}
    if len(set(folders.values())) < 2:
        return {}
    return {key: folder.name for key, folder in folders.items() if SET_SPEC.fullmatch(folder.name)}


def edition_records(ctx: BuildContext, pages: dict[int, str] | None = None) -> Edition:
    """Every TEI file's record. `pages`: the site page of each document (by id()), relative to the
    site; with [html] base-url its address is the record's dc:identifier, as readers reach it."""
    corpus, header = ctx.corpus, ctx.corpus.header
    base_url, pages = ctx.config.html.base_url, pages or {}
    documents = corpus.documents
    base = Path(os.path.commonpath([d.path.parent for d in documents])) if documents else Path()
    path_of = {id(d): "tei/" + d.path.relative_to(base).as_posix() for d in documents}
    fallback = ((last_change(header.root) if header else None) or _publication_day(header) or build_day())
    repo = repository_id(ctx)
    idno = header.root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}idno") if header else None
    edition_id = text_of(idno)
    # the titles the index keeps (Document.title), so that an unchanged file is not parsed again
    title_element = titles(corpus, lambda d: path_of[id(d)], lambda d: d.title)
    # the stylesheets run in workers (transforms.py); their shared parameters, as text
    common = {"titles": _text(title_element)}
    if header is not None:
        common["edition"] = _text(_with_base(header, path_of))
    # a few records of a large edition in a worker too (runtime/executor.workers_from)
    runs = Runs(common, ctx.jobs, ctx.executor, ctx.scheduler, workers_from(len(documents), PARALLEL_FROM, keeping()))

    def made(doc: Document, record: Record, prefix: str, name: str):
        """What to do with the text of `record`'s `prefix` format, or the error, when it comes back."""
        def done(text: str, error: str) -> None:
            if error:
                problems.append((doc, f"no {prefix} record: {error}"))
                del kept[name]  # (its place in the cache, kept in the order of the documents)
            else:
                kept[name][1] = record.texts[prefix] = text
        return done
    # a document's oai_dc record is kept while everything it is made from is unchanged
    store = Store(ctx.config.output, "oai") if ctx.incremental else None
    known, kept = (store.data if store is not None else {}), {}
    shared = digest(code_key("oai"), file_digest(header.path) if header else "", etree.tostring(title_element),
                    base_url, edition_id or repo)
    sets: dict[str, str] = {}
    problems: list[tuple[Document, str]] = []
    in_collection = collections(ctx)
    records = []
    taken: dict[str, int] = {}

    def unique(name: str) -> str:
        """Files that share an id (validation reports it) get "-2", "-3", as their pages do."""
        taken[name.casefold()] = taken.get(name.casefold(), 0) + 1
        return name if taken[name.casefold()] == 1 else f"{name}-{taken[name.casefold()]}"

    labels: dict[str, str] = {}
    targets: dict[int, object] = {}
    holders: dict[int, str] = {}

    def holder(doc: Document) -> str:
        found = holders.get(id(doc))
        if found is None:
            found = holders[id(doc)] = f"{doc.path}\0{file_digest(doc.path)}"
        return found

    # the edition's DataCite record is made from every file's extract, taken while the file is
    # parsed for its own record (a source is parsed again once dropped: corpus.RECENT_SOURCES)
    datacite = header is not None and not deposit_gaps(ctx.index, header, DEPOSIT)[0]
    extracts = _Extracts(known, kept)
    with runs:
        for doc in documents:
            record = Record(unique(page_name(doc.id)), fallback, repository=repo)
            letter = bool(ctx.index.facts[str(doc.path)].listing.get("correspondence"))
            record.sets = _sets_of(doc, letter, in_collection, sets)
            entries, names = named(ctx, doc, targets, holder)
            path = base_url + pages[id(doc)] if base_url and id(doc) in pages else path_of[id(doc)]
            key = digest(shared, file_digest(doc.path), path_of[id(doc)], path, str(doc is header), names)
            cached = known.get(str(doc.path))
            if isinstance(cached, list) and len(cached) == 3 and cached[0] == key:  # nothing parsed
                record.texts["oai_dc"], kept[str(doc.path)] = cached[1], cached
                record.datestamp = cached[2] or fallback
            else:
                changed = last_change(doc.root)
                record.datestamp = changed or fallback
                kept[str(doc.path)] = [key, None, changed or ""]  # the text comes from the worker
                entities = _text(entities_element(entries, labels))
                runs.add(Job("oai_dc", _text(_with_base(doc, path_of)), (("entities", entities),), (
                    ("path", path), ("edition-id", edition_id or repo), ("is-edition-header", doc is header))),
                    made(doc, record, "oai_dc", str(doc.path)))
            if datacite:
                extracts.digest(doc)
            if doc is header:
                header_record = record
            record.source = doc.path
            records.append(record)
        # DataCite needs what a deposit needs of the header (its pre-flight says what is missing)
        if datacite:
            # made from the whole corpus: kept while no file's extract (all the stylesheet reads
            # of it) changed, so an edit of a document's text does not make it again
            key = digest(shared, *(f"{d.path}\0{extracts.digest(d)}\0{path_of[id(d)]}" for d in documents))
            cached = known.get("@datacite")
            if isinstance(cached, list) and len(cached) == 2 and cached[0] == key:
                header_record.texts["oai_datacite"], kept["@datacite"] = cached[1], cached
            else:
                kept["@datacite"] = [key, None]
                if runs.local:
                    job = Job("datacite", _text(header.tree), files=(
                        ("members", runs.file(lambda out: write_members(out, ctx, path_of, extracts))),))
                else:
                    job = Job("datacite", _text(header.tree), (("members", members_text(ctx, path_of, extracts)),))
                runs.add(job, made(header, header_record, "oai_datacite", "@datacite"))
    if store is not None and kept != known:
        store.save(kept)
    name = main_title(header.root) if header else page_name(ctx.config.root.name)
    email = ctx.config.oai.admin_email or (header_email(header.root) if header else "")
    return Edition(name, email, repo, sets, records, problems)


def _publication_day(header: Document | None) -> str | None:
    date = header.root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date") if header else None
    when = date.get("when", "") if date is not None else ""
    return _day(when) or (f"{when[:4]}-01-01" if re.fullmatch(r"\d{4}(-\d{2})?", when) else None)


def _sets_of(doc: Document, letter: bool, in_collection: dict[int, str], sets: dict[str, str]) -> list[str]:
    """documents (and documents:<folder> per collection), letters (a correspondence fact), registers."""
    found = []
    if doc.role == "source":
        found.append(("documents", "Documents"))
        if id(doc) in in_collection:
            found.append((f"documents:{in_collection[id(doc)]}", f"Documents: {in_collection[id(doc)]}"))
        if letter:
            found.append(("letters", "Letters"))
    elif doc.role == "register":
        found.append(("registers", "Registers"))
    for spec, name in found:
        sets.setdefault(spec, name)
    return [spec for spec, _ in found]


def _with_base(doc: Document, path_of: dict[int, str]) -> etree._Element:
    root = copy.deepcopy(doc.root)
    root.set(XML_BASE, path_of[id(doc)])
    return root


def _members(ctx: BuildContext, path_of: dict[int, str], extracts: "_Extracts | None" = None) -> etree._Element:
    """The members xslt/deposit/teicorpus.xsl makes the edition's teiCorpus of (for the DataCite
    stylesheet). With `extracts`, each member is only what that stylesheet reads of it
    (datacite_extract), kept from the last build while its file is unchanged, so one edit does
    not parse every file again."""
    members = etree.Element("members")
    for doc in ctx.corpus.documents:
        member = extracts.of(doc) if extracts is not None else copy.deepcopy(doc.root)
        etree.SubElement(members, "member", base=path_of[id(doc)]).append(member)
    return members


def members_text(ctx: BuildContext, path_of: dict[int, str], extracts: "_Extracts") -> str:
    """`_text(_members(ctx, path_of, extracts))`, joined from the extracts' texts without
    parsing them into one tree (at 10,000 documents that tree and its text held some 200 MB in
    the main process)."""
    out = io.StringIO()
    write_members(out, ctx, path_of, extracts)
    return out.getvalue()


def write_members(out: TextIO, ctx: BuildContext, path_of: dict[int, str], extracts: "_Extracts") -> None:
    """`members_text` written to `out` a member at a time. lxml writes an extract appended to a
    <member> as it wrote it alone: it declares its own namespaces and nothing outside refers to them."""
    if not ctx.corpus.documents:
        out.write("<members/>")
        return
    out.write("<members>")
    for doc in ctx.corpus.documents:
        start = _text(etree.Element("member", base=path_of[id(doc)]))  # <member base="…"/>, escaped as lxml does
        out.write(start[:-2] + ">")
        out.write(extracts.text(doc))
        out.write("</member>")
    out.write("</members>")


def _corpus(ctx: BuildContext, path_of: dict[int, str], extracts: "_Extracts | None" = None):
    """The teiCorpus the DataCite stylesheet describes the edition from (as transforms.py makes it)."""
    return xslt.node(xslt.transform("deposit/teicorpus.xsl", ctx.corpus.header.tree,
                                    {"members": _members(ctx, path_of, extracts)}))


def _text(xml) -> str:
    """XML for a worker, as xslt.node() would serialise it."""
    return etree.tostring(xml, encoding="unicode")


REGISTER_ENTRIES = ("person", "place", "org", "event")


def datacite_extract(root: etree._Element) -> etree._Element:
    """What xslt/deposit/datacite.xsl reads of a member TEI file: its teiHeader, and every person,
    place, org and event in it (authority ids, coordinates), which a copy of the outermost ones
    outside the header keeps, each once. Its description of the edition is the same."""
    out = etree.Element(root.tag, dict(root.attrib))
    header = root.find(f"{T}teiHeader")
    if header is not None:
        out.append(copy.deepcopy(header))
    holder = etree.SubElement(out, f"{T}text")
    entries = {f"{T}{name}" for name in REGISTER_ENTRIES}
    for el in root.iter(*entries):
        inside = any(a.tag in entries or a is header for a in el.iterancestors())
        if not inside:
            entry = copy.deepcopy(el)
            entry.tail = None  # the text after it belongs to its old parent
            holder.append(entry)
    return out


class _Extracts:
    """Each file's extract for the DataCite record, from the cache while the file is unchanged
    (kept as [key, text, digest of the text])."""

    def __init__(self, known: dict, kept: dict):
        self.known, self.kept = known, kept

    @staticmethod
    def name(doc: Document) -> str:
        return f"@extract:{doc.path}"

    def _entry(self, doc: Document) -> list:
        name = self.name(doc)
        if name not in self.kept:
            key = digest(code_key("oai"), file_digest(doc.path))
            cached = self.known.get(name)
            if not (isinstance(cached, list) and len(cached) == 3 and cached[0] == key):
                text = etree.tostring(datacite_extract(doc.root), encoding="unicode")
                cached = [key, text, digest(text)]
            self.kept[name] = cached
        return self.kept[name]

    def digest(self, doc: Document) -> str:
        return self._entry(doc)[2]

    def text(self, doc: Document) -> str:
        return self._entry(doc)[1]

    def of(self, doc: Document) -> etree._Element:
        return etree.fromstring(self.text(doc), _OWN_TEXT)


# our own serialisation read back: an xml:id that is no NCName (validation reports it) must not stop it
_OWN_TEXT = etree.XMLParser(collect_ids=False, resolve_entities=False, no_network=True, huge_tree=True)


def _root(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))
