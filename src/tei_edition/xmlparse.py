"""Parse XML safely: no network, no DTD, no external or internal entities, no XInclude.

A TEI file has no need for a DOCTYPE: schemas come from the config. So a file that declares
one is refused outright (the parser never loads what it names, nor expands what it defines),
which closes the door on external-entity reads, remote DTDs and entity-expansion bombs.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic

XINCLUDE = "{http://www.w3.org/2001/XInclude}include"


def secure_parser() -> etree.XMLParser:
    # resolve_entities=False keeps entity references unexpanded (no bombs, no file reads);
    # load_dtd/no_network stop every fetch; huge_tree=False keeps libxml2's size limits.
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                           dtd_validation=False, huge_tree=False, remove_comments=False,
                           collect_ids=False)


_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _doctype_position(data: bytes) -> int:
    """Offset of a DOCTYPE declaration in the prolog, or -1. Looks only before the root element."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while m := _PROLOG_ITEM.match(data, pos):
        pos = m.end()
    return pos if data.startswith(b"<!DOCTYPE", pos) else -1


def parse_bytes(data: bytes, display: str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse `data`; return the tree (or None when it must not be used) and the problems."""
    doctype = _doctype_position(data)
    if doctype >= 0:
        # Refused before the parser sees it: nothing the DOCTYPE names is ever read or expanded.
        line = data.count(b"\n", 0, doctype) + 1
        col = doctype - (data.rfind(b"\n", 0, doctype) + 1) + 1
        return None, [Diagnostic(display, line, col, "error",
                                 "DOCTYPE declaration refused: DTDs and entities are neither loaded nor expanded",
                                 "xml-doctype",
                                 "remove the DOCTYPE; write characters directly (UTF-8) instead of entities; "
                                 "schemas are named in edition.toml")]
    parser = secure_parser()
    try:
        root = etree.fromstring(data, parser, base_url=display)
    except etree.XMLSyntaxError as exc:
        log = parser.error_log
        entries = [e for e in log if e.level >= etree.ErrorLevels.ERROR] or list(log)
        if not entries:
            return None, [Diagnostic(display, exc.lineno or 1, exc.offset or 1, "error",
                                     f"not well-formed XML: {exc.msg}", "xml-wellformed",
                                     "fix the XML syntax at this place")]
        # Only the first error: the ones after it are mostly its echoes (every enclosing tag mismatches).
        first = entries[0]
        return None, [Diagnostic(display, first.line or 1, first.column or 1, "error",
                                 f"not well-formed XML: {first.message}", "xml-wellformed",
                                 "fix the XML syntax at this place (an XML editor shows it as you type)")]
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # a prolog the scan above missed (e.g. UTF-16)
        return None, [Diagnostic(display, 1, 1, "error", "DOCTYPE declaration refused: DTDs and entities are "
                                 "neither loaded nor expanded", "xml-doctype", "remove the DOCTYPE")]
    problems = []
    for inc in root.iter(XINCLUDE):
        problems.append(Diagnostic(display, inc.sourceline or 1, 1, "error",
                                   "XInclude is not processed: the included text would be missing",
                                   "xml-xinclude", "copy the included content into the file or make it its own document"))
    return tree, problems


def parse_file(path: Path, display: str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(display, 1, 1, "error", f"cannot read file: {exc.strerror}", "io",
                                 "check that the file exists and is readable")]
    return parse_bytes(data, display)
