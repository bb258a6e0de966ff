"""Header completeness: what publication and deposit need to know about each file.

These are this project's policy, not TEI's: warnings by default (tei_edition.rules); an edition
makes them errors in its [validation] table (the bundled edition does).

The edition header (when the config names one) states what holds for the whole edition; a
document or register may leave out what the edition header already gives (publisher, licence,
language), but every file needs its own title and source description.
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from .. import TEI_NS, XML_LANG
from ..corpus import Document
from ..diagnostics import Diagnostic
from ..rules import default_severity

T = f"{{{TEI_NS}}}"
FILE_DESC = f"{T}teiHeader/{T}fileDesc"


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _missing(doc: Document) -> dict[str, tuple[str, str]]:
    """What this file lacks: field → (message, hint naming the element to add)."""
    root = doc.root
    out: dict[str, tuple[str, str]] = {}
    if not _text(root.find(f"{FILE_DESC}/{T}titleStmt/{T}title")):
        out["title"] = ("the header has no title",
                        "add <title> to teiHeader/fileDesc/titleStmt")
    if not _text(root.find(f"{FILE_DESC}/{T}publicationStmt/{T}publisher")):
        out["publisher"] = ("the header names no publisher",
                            "add <publisher> to teiHeader/fileDesc/publicationStmt")
    licence = root.find(f"{FILE_DESC}/{T}publicationStmt/{T}availability/{T}licence")
    if licence is None:
        out["licence"] = ("the header has no licence",
                          'add <availability><licence target="https://creativecommons.org/licenses/by/4.0/">…'
                          "</licence></availability> to teiHeader/fileDesc/publicationStmt")
    elif not (licence.get("target") or "").strip():
        out["licence"] = ("the licence has no URI",
                          'add @target with the licence URI, e.g. target="https://creativecommons.org/licenses/by/4.0/"')
    source = root.find(f"{FILE_DESC}/{T}sourceDesc")
    if source is None or not (_text(source) or len(source)):
        out["source"] = ("the header has no source description",
                         "describe the transcribed source in teiHeader/fileDesc/sourceDesc (a <bibl> or <p>)")
    if root.find(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language") is None and not root.get(XML_LANG):
        out["language"] = ("the header declares no language",
                           'add <langUsage><language ident="en">English</language></langUsage> to teiHeader/profileDesc')
    return out


INHERITABLE = {"publisher", "licence", "language"}


def header_facts(doc: Document) -> tuple[dict[str, list[str]], list[int]]:
    """What the header of `doc` lacks, and where to report it (kept in the index's facts)."""
    missing = {field: list(text) for field, text in _missing(doc).items()}
    if not missing:
        return missing, [1, 1]
    teiheader = doc.root.find(f"{T}teiHeader")
    return missing, list(doc.locate(teiheader) if teiheader is not None else (doc.root.sourceline or 1, 1))


def check_headers(index) -> Iterator[Diagnostic]:
    """Reported from the index's facts of each document (see header_facts)."""
    header = index.corpus.header
    for doc in index.corpus.documents:
        facts = index.facts[str(doc.path)]
        line, col = facts.header_at
        for field, (message, hint) in facts.header_missing.items():
            if header is not None and doc is not header and field in INHERITABLE:
                continue  # stated (or reported missing) once, in the edition header
            rule = f"header-{field}"
            yield Diagnostic(doc.display, line, col, default_severity(rule) or "warning", message, rule, hint)
