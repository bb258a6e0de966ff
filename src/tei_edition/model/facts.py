"""What the index keeps of each document besides ids and pointers: meetings, header gaps, xml-models.

Computed once per document when its facts are collected (model/index.py) and cached with them;
the checks in validate/ report from these facts, so they live below both.
"""

from __future__ import annotations

import re

from lxml import etree

from tei_edition.names import TEI_NS, XML_LANG
from tei_edition.model.corpus import Document, spot_of

T = f"{{{TEI_NS}}}"
FILE_DESC = f"{T}teiHeader/{T}fileDesc"
PSEUDO_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


# ---- meetings (reported by validate/dates.py) ------------------------------------------------


def meeting_facts(doc: Document) -> list:
    """The meetings a document records: [event pointer, [from, to] or None, Spot of the date]
    for each teiHeader//setting with an event name and a date (kept in the index's facts)."""
    found = []
    for setting in doc.root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}settingDesc/{T}setting"):
        name = setting.find(f"{T}name[@type='event']")
        date = setting.find(f"{T}date")
        if name is None or date is None or not name.get("ref"):
            continue
        span = date_span(date)
        spot = spot_of(date)
        found.append([name.get("ref").split()[0], list(span) if span else None, spot.line, spot.ordinal])
    return found


def date_span(el: etree._Element) -> tuple[str, str] | None:
    when = el.get("when")
    if when:
        return when, when
    if el.get("from") or el.get("to"):
        return el.get("from") or "", el.get("to") or ""
    return None


# ---- header completeness (reported by validate/header.py) ------------------------------------


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


def header_facts(doc: Document) -> tuple[dict[str, list[str]], list[int]]:
    """What the header of `doc` lacks, and where to report it (kept in the index's facts)."""
    missing = {field: list(text) for field, text in _missing(doc).items()}
    if not missing:
        return missing, [1, 1]
    teiheader = doc.root.find(f"{T}teiHeader")
    return missing, list(doc.locate(teiheader) if teiheader is not None else (doc.root.sourceline or 1, 1))


# ---- xml-model instructions (reported by validate/xmlmodel.py) -------------------------------


def xml_models(doc: Document) -> list[tuple[etree._ProcessingInstruction, dict[str, str]]]:
    """The xml-model instructions before the root element, with their pseudo-attributes."""
    found = []
    for node in reversed(list(doc.root.itersiblings(preceding=True))):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            attrs = {m[1]: m[2] if m[2] is not None else m[3] for m in PSEUDO_ATTRIBUTE.finditer(node.text or "")}
            found.append((node, attrs))
    return found
