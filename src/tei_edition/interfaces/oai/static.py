"""Writes the edition's OAI-PMH Static Repository (oai/static.xml), its sets and its TEI records.

A static host cannot answer OAI-PMH requests; a Static Repository Gateway does, from one XML
file it fetches (OAI-PMH "Specification for an OAI Static Repository and an OAI Static
Repository Gateway"). That file holds Identify, ListMetadataFormats and one ListRecords per
format; its baseURL is the gateway's URL, "/", and the file's URL without "http://" ([oai]
gateway and [html] base-url). The spec's conformance rules are checked before writing
(check_static), since no package we can install ships the Static Repository schema.

What the static file cannot hold goes beside it, for `edition serve`'s /oai:
- oai/sets.xml: the sets (static repositories have none);
- oai/tei/<name>.xml: the `tei` records, each TEI file as it is. The files of one edition may
  repeat each other's xml:ids (letters that copy register entries into their back lists), and
  one XML document may not, so TEI documents cannot share the static file (nor one response:
  the endpoint sends them one per ListRecords page).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import Store, digest, file_digest
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.interfaces.oai.published import PublishedFiles
from tei_edition.interfaces.oai.records import FORMATS, Edition, edition_records
from tei_edition.model.edition import Site
from tei_edition.writers.base import BuildContext

SR = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SETS = "urn:tei-edition:oai-sets"
FOLDER = "oai/"  # every file this writer makes is inside
STATIC_FILE, SETS_FILE, TEI_FOLDER = FOLDER + "static.xml", FOLDER + "sets.xml", FOLDER + "tei"
PLACEHOLDER_EMAIL = "adminEmail-not-configured@example.invalid"


def static_url(ctx: BuildContext) -> str:
    """The baseURL a gateway gives this static repository, or "" when it cannot be known."""
    gateway, site = ctx.config.oai.gateway, ctx.config.html.base_url
    if not (gateway and site):
        return ""
    # the spec (2004) strips "http://"; an https address loses its scheme the same way
    return gateway.rstrip("/") + "/" + re.sub(r"^https?://", "", site) + STATIC_FILE


def _oai(parent: etree._Element, name: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, f"{{{OAI}}}{name}", attrs)
    el.text = text
    return el


def static_repository(edition: Edition, base_url: str) -> etree._Element:
    root = etree.Element(f"{{{SR}}}Repository", nsmap={None: SR, "oai": OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{SR} http://www.openarchives.org/OAI/2.0/static-repository.xsd")
    identify = etree.SubElement(root, f"{{{SR}}}Identify")
    _oai(identify, "repositoryName", edition.name)
    _oai(identify, "baseURL", base_url)
    _oai(identify, "protocolVersion", "2.0")
    _oai(identify, "adminEmail", edition.admin_email or PLACEHOLDER_EMAIL)
    _oai(identify, "earliestDatestamp", min((r.datestamp for r in edition.records), default="1970-01-01"))
    _oai(identify, "deletedRecord", "no")
    _oai(identify, "granularity", "YYYY-MM-DD")
    formats = etree.SubElement(root, f"{{{SR}}}ListMetadataFormats")
    used = [f for f in FORMATS if any(f.prefix in r.metadata for r in edition.records)]
    for fmt in used:
        el = _oai(formats, "metadataFormat")
        _oai(el, "metadataPrefix", fmt.prefix)
        _oai(el, "schema", fmt.schema)
        _oai(el, "metadataNamespace", fmt.namespace)
    for fmt in used:
        listing = etree.SubElement(root, f"{{{SR}}}ListRecords", metadataPrefix=fmt.prefix)
        for record in edition.records:
            if fmt.prefix in record.metadata:
                el = _oai(listing, "record")
                header = _oai(el, "header")
                _oai(header, "identifier", record.identifier)
                _oai(header, "datestamp", record.datestamp)
                _oai(el, "metadata").append(record.metadata[fmt.prefix])
    return root


def set_hierarchy(edition: Edition) -> etree._Element:
    """<sets><set spec name><record identifier/>…</set>…</sets>: who belongs to which set."""
    root = etree.Element(f"{{{SETS}}}sets", nsmap={None: SETS})
    for spec, name in edition.sets.items():
        el = etree.SubElement(root, f"{{{SETS}}}set", spec=spec, name=name)
        for record in edition.records:
            if spec in record.sets:
                etree.SubElement(el, f"{{{SETS}}}record", identifier=record.identifier)
    return root


def check_static(root: etree._Element) -> list[str]:
    """What breaks the Static Repository conformance rules (empty when nothing does)."""
    problems = []
    identify = root.find(f"{{{SR}}}Identify")
    if root.tag != f"{{{SR}}}Repository" or identify is None or root.find(f"{{{SR}}}ListMetadataFormats") is None:
        return ["the root must be sr:Repository with sr:Identify and sr:ListMetadataFormats"]
    if identify.findtext(f"{{{OAI}}}deletedRecord") != "no":
        problems.append("a static repository must say deletedRecord no")
    granularity = identify.findtext(f"{{{OAI}}}granularity")
    prefixes = [p.text for p in root.iterfind(f"{{{SR}}}ListMetadataFormats/{{{OAI}}}metadataFormat/{{{OAI}}}metadataPrefix")]
    listed = [el.get("metadataPrefix") for el in root.iterfind(f"{{{SR}}}ListRecords")]
    if sorted(prefixes) != sorted(listed) or len(set(listed)) != len(listed):
        problems.append(f"one ListRecords per metadata format is needed: formats {prefixes}, ListRecords {listed}")
    for listing in root.iterfind(f"{{{SR}}}ListRecords"):
        seen = set()
        for header in listing.iterfind(f"{{{OAI}}}record/{{{OAI}}}header"):
            identifier, stamp = header.findtext(f"{{{OAI}}}identifier"), header.findtext(f"{{{OAI}}}datestamp") or ""
            if identifier in seen:
                problems.append(f"{identifier} appears twice in ListRecords {listing.get('metadataPrefix')}")
            seen.add(identifier)
            if header.find(f"{{{OAI}}}setSpec") is not None or header.get("status"):
                problems.append(f"{identifier}: a static repository has no sets and no deleted records")
            if len(stamp) != (10 if granularity == "YYYY-MM-DD" else 20):
                problems.append(f"{identifier}: datestamp {stamp!r} is not of the granularity {granularity}")
    return problems


def write_oai_files(ctx: BuildContext, site: Site, folder: Path) -> list[Diagnostic]:
    """SITE_FILES entry: oai/static.xml and oai/sets.xml below the web edition's staging folder."""
    edition = edition_records(ctx, {id(info.doc): info.href for info in site.documents})
    base_url = static_url(ctx)
    where = display_path(ctx.config.path)
    found = []
    published = bool(ctx.config.html.base_url)  # a preview-only edition is not told about harvesting
    if published and not base_url:
        found.append(Diagnostic(where, 1, 1, "warning", "oai/static.xml has no baseURL a gateway accepts",
                                "oai-static-url", "set [oai] gateway in edition.toml to the static repository gateway "
                                "that will make it harvestable"))
    if published and not edition.admin_email:
        found.append(Diagnostic(where, 1, 1, "warning", "the OAI-PMH repository has no contact (adminEmail)",
                                "oai-admin-email", "add an <email> to the edition header's publicationStmt, "
                                "or set [oai] admin-email in edition.toml"))
    for doc, message in edition.problems:
        found.append(Diagnostic(doc.display, 1, 1, "warning", message, "oai-record",
                                "the record is left out of oai/static.xml; fix what the message names"))
    files = PublishedFiles(Store(ctx.config.output, "oai-files") if ctx.incremental else None,
                           ctx.config.output / "html", folder)
    (folder / TEI_FOLDER).mkdir(parents=True)
    # static.xml and sets.xml say what the records say: made again when a record, its datestamp
    # or sets, or what Identify states changed (an edit of a document's text, as a rule, does not)
    said = digest(code_key("oai"), file_digest(Path(__file__)), base_url or STATIC_FILE, edition.name, edition.admin_email, edition.repository_id,
                  *(f"{spec}\0{name}" for spec, name in edition.sets.items()),
                  *(f"{r.identifier}\0{r.datestamp}\0{' '.join(r.sets)}\0" + "\0".join(
                      f"{p}\0{t}" for p, t in sorted(r.texts.items())) for r in edition.records))
    if not all(files.reuse(rel, said) for rel in (STATIC_FILE, SETS_FILE)):
        root = static_repository(edition, base_url or STATIC_FILE)
        problems = check_static(root)
        if problems:
            return found + [Diagnostic(where, 1, 1, "error", f"oai/static.xml breaks the static repository rules: {p}",
                                       "oai-static", "report this: the records the build made are inconsistent")
                            for p in problems]
        for rel, tree in ((STATIC_FILE, root), (SETS_FILE, set_hierarchy(edition))):
            if rel not in files.new:
                files.write(rel, said, etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    for record in edition.records:
        if record.source is not None:
            rel = f"{TEI_FOLDER}/{record.name}.xml"
            key = file_digest(record.source)
            if not files.reuse(rel, key):
                files.write(rel, key, record.source.read_bytes())
    files.save()
    return found
