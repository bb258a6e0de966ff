"""Pre-flight: what a repository needs from the headers, checked before anything is written.

Repositories (Zenodo, ARCHE, TextGrid, GAMS, any DataCite client) refuse or mangle a deposit
without a title, a creator or editor with a role, a publisher, a date, an identifier, a
language and a licence URI. The edition header must give them all; each document needs its
own title and inherits the rest from the edition header. Every gap is reported at once, at
the nearest element that exists, naming the element to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from tei_edition.names import TEI_NS
from tei_edition.model.corpus import Corpus, Document
from tei_edition.model.facts import main_title
from tei_edition.diagnostics import Diagnostic, display_path

T = f"{{{TEI_NS}}}"
# An identifier and version become the package's folder and zip name.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class EditionFacts:
    """The few header values Python needs to name and date the package."""

    identifier: str
    version: str
    date: str  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD

    @property
    def name(self) -> str:
        return f"{self.identifier}-{self.version}"


def _is_date(when: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day (it becomes the package's timestamp)."""
    if not ISO_DATE.fullmatch(when):
        return False
    year, month, day = (when.split("-") + ["01", "01"])[:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _find(doc: Document, path: str):
    return doc.root.find(path.replace("tei:", T))


def _nearest(doc: Document, path: str) -> etree._Element:
    """The deepest element of `path` (tei:a/tei:b/...) that exists: where to add what is missing."""
    steps = path.split("/")
    for n in range(len(steps), 0, -1):
        el = _find(doc, "/".join(steps[:n]))
        if el is not None:
            return el
    return doc.root


def _gap(doc: Document, where: str, rule: str, message: str, hint: str) -> Diagnostic:
    line, col = doc.locate(_nearest(doc, where))
    return Diagnostic(doc.display, line, col, "error", message, f"deposit-{rule}", hint)


FILE_DESC = "tei:teiHeader/tei:fileDesc"
PUB = f"{FILE_DESC}/tei:publicationStmt"


def _title_gap(doc: Document) -> Diagnostic | None:
    if main_title(doc.root):  # the title every output states
        return None
    return _gap(doc, f"{FILE_DESC}/tei:titleStmt", "title", "a deposit needs a title; the header has none",
                "add <title> to teiHeader/fileDesc/titleStmt")


def check_edition_header(doc: Document) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if gap := _title_gap(doc):
        found.append(gap)

    creators = [el for el in doc.root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/*")
                if el.tag == f"{T}author" or (el.tag == f"{T}editor" and (el.get("role") or "").strip())]
    if not any(_text(el) for el in creators):
        found.append(_gap(doc, f"{FILE_DESC}/tei:titleStmt", "creator",
                          "a deposit needs at least one creator or editor with a role; the titleStmt names none",
                          'add <author>Name</author> or <editor role="editor">Name</editor> to teiHeader/fileDesc/titleStmt'))

    if not _text(_find(doc, f"{PUB}/tei:publisher")):
        found.append(_gap(doc, PUB, "publisher", "a deposit needs a publisher; the header names none",
                          "add <publisher>Name of the publishing institution</publisher> to teiHeader/fileDesc/publicationStmt"))

    pub_date = _find(doc, f"{PUB}/tei:date")
    when = (pub_date.get("when") or "").strip() if pub_date is not None else ""
    if not _is_date(when):
        found.append(_gap(doc, f"{PUB}/tei:date", "date",
                          "a deposit needs a publication date in ISO form; "
                          + ("publicationStmt has no <date>" if pub_date is None else f'<date when="{when}"> is not a date as YYYY[-MM[-DD]]'),
                          'add <date when="2026-11-29">2026</date> to teiHeader/fileDesc/publicationStmt'))

    idno = _text(_find(doc, f"{PUB}/tei:idno"))
    if not SAFE_NAME.fullmatch(idno):
        found.append(_gap(doc, f"{PUB}/tei:idno", "identifier",
                          "a deposit needs the edition's identifier; "
                          + ("publicationStmt has no <idno>" if not idno else f'idno "{idno}" is not usable as a package name'),
                          'add <idno type="edition">my-edition</idno> (letters, digits, ".", "_", "-") to '
                          "teiHeader/fileDesc/publicationStmt"))

    edition = _find(doc, f"{FILE_DESC}/tei:editionStmt/tei:edition")
    version = (edition.get("n") or "").strip() if edition is not None else ""
    if not SAFE_NAME.fullmatch(version):
        found.append(_gap(doc, f"{FILE_DESC}/tei:editionStmt/tei:edition", "version",
                          "a deposit needs the edition's version; "
                          + ("the header has no editionStmt/edition/@n" if not version else f'version "{version}" is not usable in a package name'),
                          'add <editionStmt><edition n="1.0.0">Version 1.0.0</edition></editionStmt> after titleStmt'))

    licence = _find(doc, f"{PUB}/tei:availability/tei:licence")
    if licence is None or not (licence.get("target") or "").strip():
        found.append(_gap(doc, f"{PUB}/tei:availability/tei:licence", "licence",
                          "a deposit needs a licence URI; "
                          + ("the header has no <licence>" if licence is None else "<licence> has no @target"),
                          'add <availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0'
                          "</licence></availability> to teiHeader/fileDesc/publicationStmt"))

    language = _find(doc, "tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language")
    if language is None or not (language.get("ident") or "").strip():
        found.append(_gap(doc, "tei:teiHeader/tei:profileDesc/tei:langUsage", "language",
                          "a deposit needs the language of the edition; the header declares none",
                          'add <langUsage><language ident="en">English</language></langUsage> to teiHeader/profileDesc'))
    return found


def preflight(corpus: Corpus) -> tuple[EditionFacts | None, list[Diagnostic]]:
    """The facts that name the package, or every gap that stops the deposit."""
    header = corpus.header
    if header is None:
        config = corpus.config.path
        return None, [Diagnostic(display_path(config), 1, 1, "error",
                                 "a deposit needs an edition header: the config names none", "deposit-header",
                                 'set header = "tei/edition.xml" in the [edition] table (a TEI file whose teiHeader '
                                 "describes the whole edition)")]
    found = check_edition_header(header)
    for doc in corpus.documents:
        if doc is not header and (gap := _title_gap(doc)):
            found.append(gap)
    if found:
        return None, found
    edition = _find(header, f"{FILE_DESC}/tei:editionStmt/tei:edition")
    date = _find(header, f"{PUB}/tei:date")
    return EditionFacts(_text(_find(header, f"{PUB}/tei:idno")), edition.get("n").strip(),
                        date.get("when").strip()), []
