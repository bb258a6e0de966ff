"""What the index keeps of each document for the checks: its meetings and its xml-model instructions.

Computed once per document when its facts are collected (model/index.py) and cached with them;
the checks in validate/ report from these facts, so they live below both.
"""

from __future__ import annotations

import re

from lxml import etree

from tei_edition.names import TEI_NS
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


# ---- xml-model instructions (reported by validate/xmlmodel.py) -------------------------------


def xml_models(doc: Document) -> list[tuple[etree._ProcessingInstruction, dict[str, str]]]:
    """The xml-model instructions before the root element, with their pseudo-attributes."""
    found = []
    for node in reversed(list(doc.root.itersiblings(preceding=True))):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            attrs = {m[1]: m[2] if m[2] is not None else m[3] for m in PSEUDO_ATTRIBUTE.finditer(node.text or "")}
            found.append((node, attrs))
    return found
