"""What a file's teiHeader lacks, for publication and for a deposit: found once, kept in the index's facts.

`header_facts()` lists each gap with a reason, a hint naming the element to add, and the nearest
element that exists (where to add it). validate/header.py reports the gaps every published file
must fill (`header-<field>`); the deposit pre-flight those a repository needs (`deposit-<field>`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from lxml import etree

from tei_edition.model.corpus import Document, spot_of
from tei_edition.model.facts import main_title, text_of
from tei_edition.names import TEI_NS, XML_LANG

T = f"{{{TEI_NS}}}"
FILE_DESC = "tei:teiHeader/tei:fileDesc"
PUB = f"{FILE_DESC}/tei:publicationStmt"
# An identifier and version become the package's folder and zip name.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

# What every file needs to be published (validation's header-<field> rules), and what of that a
# document may inherit from the edition header.
PUBLICATION = ("title", "publisher", "licence", "source", "language")
INHERITABLE = {"publisher", "licence", "language"}
# What a deposit needs from the edition header: gap → (rule field, what the message says is needed,
# the publication gap it says more precisely, if any: that one is not repeated).
DEPOSIT = {
    "title": ("title", "a title", "title"),
    "creator": ("creator", "at least one creator or editor with a role", None),
    "publisher": ("publisher", "a publisher", "publisher"),
    "date": ("date", "a publication date in ISO form", None),
    "identifier": ("identifier", "the edition's identifier", None),
    "version": ("version", "the edition's version", None),
    "licence": ("licence", "a licence URI", "licence"),
    "language-code": ("language", "the language of the edition", "language"),
}



def _find(doc: Document, path: str) -> etree._Element | None:
    return doc.root.find(path.replace("tei:", T))


def _nearest(doc: Document, path: str) -> etree._Element:
    """The deepest element of `path` (tei:a/tei:b/...) that exists: where to add what is missing."""
    steps = path.split("/")
    for n in range(len(steps), 0, -1):
        el = _find(doc, "/".join(steps[:n]))
        if el is not None:
            return el
    return doc.root


def _gaps(doc: Document) -> Iterator[tuple[str, str, str, str]]:
    """(gap, where to add it, reason, hint) for everything the header of `doc` lacks."""
    if not main_title(doc.root):  # the title every output states
        yield "title", f"{FILE_DESC}/tei:titleStmt", "the header has no title", \
            "add <title> to teiHeader/fileDesc/titleStmt"
    if not text_of(_find(doc, f"{PUB}/tei:publisher")):
        yield "publisher", PUB, "the header names no publisher", "add <publisher> to teiHeader/fileDesc/publicationStmt"
    licence = _find(doc, f"{PUB}/tei:availability/tei:licence")
    if licence is None:
        yield "licence", f"{PUB}/tei:availability/tei:licence", "the header has no licence", \
            ('add <availability><licence target="https://creativecommons.org/licenses/by/4.0/">…'
             "</licence></availability> to teiHeader/fileDesc/publicationStmt")
    elif not (licence.get("target") or "").strip():
        yield "licence", f"{PUB}/tei:availability/tei:licence", "the licence has no URI", \
            'add @target with the licence URI, e.g. target="https://creativecommons.org/licenses/by/4.0/"'
    source = _find(doc, f"{FILE_DESC}/tei:sourceDesc")
    if source is None or not (text_of(source) or len(source)):
        yield "source", f"{FILE_DESC}/tei:sourceDesc", "the header has no source description", \
            "describe the transcribed source in teiHeader/fileDesc/sourceDesc (a <bibl> or <p>)"
    language = _find(doc, "tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language")
    if language is None and not doc.root.get(XML_LANG):
        yield "language", "tei:teiHeader/tei:profileDesc/tei:langUsage", "the header declares no language", \
            'add <langUsage><language ident="en">English</language></langUsage> to teiHeader/profileDesc'
    if doc.role == "header":  # what only the edition header must give, for a deposit
        yield from _deposit_gaps(doc, language)


def _deposit_gaps(doc: Document, language) -> Iterator[tuple[str, str, str, str]]:
    creators = [el for el in doc.root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/*")
                if el.tag == f"{T}author" or (el.tag == f"{T}editor" and (el.get("role") or "").strip())]
    if not any(text_of(el) for el in creators):
        yield "creator", f"{FILE_DESC}/tei:titleStmt", "the titleStmt names none", \
            'add <author>Name</author> or <editor role="editor">Name</editor> to teiHeader/fileDesc/titleStmt'
    pub_date = _find(doc, f"{PUB}/tei:date")
    when = (pub_date.get("when") or "").strip() if pub_date is not None else ""
    if not is_date(when):
        yield "date", f"{PUB}/tei:date", ("publicationStmt has no <date>" if pub_date is None
                                          else f'<date when="{when}"> is not a date as YYYY[-MM[-DD]]'), \
            'add <date when="2026-11-29">2026</date> to teiHeader/fileDesc/publicationStmt'
    idno = text_of(_find(doc, f"{PUB}/tei:idno"))
    if not SAFE_NAME.fullmatch(idno):
        yield "identifier", f"{PUB}/tei:idno", ("publicationStmt has no <idno>" if not idno
                                                else f'idno "{idno}" is not usable as a package name'), \
            ('add <idno type="edition">my-edition</idno> (letters, digits, ".", "_", "-") to '
             "teiHeader/fileDesc/publicationStmt")
    edition = _find(doc, f"{FILE_DESC}/tei:editionStmt/tei:edition")
    version = (edition.get("n") or "").strip() if edition is not None else ""
    if not SAFE_NAME.fullmatch(version):
        yield "version", f"{FILE_DESC}/tei:editionStmt/tei:edition", (
            "the header has no editionStmt/edition/@n" if not version
            else f'version "{version}" is not usable in a package name'), \
            'add <editionStmt><edition n="1.0.0">Version 1.0.0</edition></editionStmt> after titleStmt'
    if language is None or not (language.get("ident") or "").strip():
        yield "language-code", "tei:teiHeader/tei:profileDesc/tei:langUsage", "the header declares none", \
            'add <langUsage><language ident="en">English</language></langUsage> to teiHeader/profileDesc'


def is_date(when: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day (it becomes the package's timestamp)."""
    if not ISO_DATE.fullmatch(when):
        return False
    year, month, day = (when.split("-") + ["01", "01"])[:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def header_facts(doc: Document) -> tuple[dict[str, list], list[int]]:
    """What the header of `doc` lacks (gap → [reason, hint, line, element name, ordinal] of the
    nearest element), and where validation reports it (the teiHeader); kept in the index's facts."""
    missing = {}
    for gap, where, reason, hint in _gaps(doc):
        spot = spot_of(_nearest(doc, where))
        missing[gap] = [reason, hint, spot.line, spot.name, spot.ordinal]
    if not missing:
        return missing, [1, 1]
    teiheader = doc.root.find(f"{T}teiHeader")
    return missing, list(doc.locate(teiheader) if teiheader is not None else (doc.root.sourceline or 1, 1))
