"""Parse XML safely: no network, no DTD, no external or internal entities, no XInclude.

A TEI file has no need for a DOCTYPE: schemas come from the config. So a file that declares
one is refused outright (the parser never loads what it names, nor expands what it defines),
which closes the door on external-entity reads, remote DTDs and entity-expansion bombs.

Three locks, each enough on its own for what it guards:
1. the prolog is scanned for a DOCTYPE (in UTF-8, UTF-16, UTF-32 or the encoding its XML
   declaration names) before the parser starts;
2. the parser answers every external fetch (DTD, parameter or general entity) with empty
   text, so libxml2 opens no file and no socket whatever a document says (with
   collect_ids=False, libxml2 opens a local external DTD or parameter entity even though
   load_dtd=False, so this lock matters for any prolog the scan does not read);
3. a parsed document that turns out to have a DOCTYPE is refused all the same.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from lxml import etree

from tei_edition.diagnostics import Diagnostic

XINCLUDE = "{http://www.w3.org/2001/XInclude}include"

# The edition's documents are 5-20 KB and a register a few hundred KB; 16 MB leaves room for
# ~800 times the largest of them. A bigger file is refused before a byte of it is read: a
# parsed tree takes several times its file's size and a build keeps many sources parsed, so
# a stray 100 MB dump would cost seconds and hundreds of MB for a document nobody can edit.
MAX_FILE_BYTES = 16 * 1024 * 1024


class _NothingExternal(etree.Resolver):
    """Every DTD and entity a document names resolves to empty text, unread and unfetched."""

    def resolve(self, url, public_id, context):
        return self.resolve_string("", context)


def secure_parser() -> etree.XMLParser:
    # resolve_entities=False keeps entity references unexpanded (no bombs, no file reads);
    # load_dtd/no_network stop DTD loading and network fetches, but not all local reads:
    # collect_ids=False sets libxml2's loadsubset flag, which loads an external DTD subset from
    # a local file; the resolver answers that (and any other fetch) without opening anything.
    # huge_tree=False keeps libxml2's limits (256 levels of nesting, 10,000,000 characters in a
    # text node).
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             dtd_validation=False, huge_tree=False, remove_comments=False,
                             collect_ids=False)
    parser.resolvers.add(_NothingExternal())
    return parser


_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)

# How the first bytes tell the encoding of the prolog (XML 1.0, appendix F); otherwise the
# encoding the XML declaration names, else UTF-8.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_FIRST_CHAR = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
               (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))
_DECLARED = re.compile(rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)")


def _text(data: bytes) -> str:
    """The document as text, good enough to read its prolog (undecodable bytes are replaced)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    for start, codec in _FIRST_CHAR:
        if data.startswith(start):
            return data.decode(codec, "replace")
    if declared := _DECLARED.match(data):
        try:
            text = data.decode(declared[1].decode("ascii"), "replace")
            if text.startswith("<?xml"):  # a codec that reads its own declaration back
                return text
        except (LookupError, ValueError):  # one Python cannot read: the parser judges it (locks 2 and 3)
            pass
    return data.decode("utf-8", "replace")


def _doctype_position(text: str) -> int:
    """Offset of a DOCTYPE declaration in the prolog, or -1. Looks only before the root element."""
    pos = 0
    while m := _PROLOG_ITEM.match(text, pos):
        pos = m.end()
    return pos if text.startswith("<!DOCTYPE", pos) else -1


def _error(display: str, line: int, col: int, message: str, rule: str, hint: str) -> Diagnostic:
    return Diagnostic(display, line, col, "error", message, rule, hint)


def _doctype_refused(display: str, line: int, col: int) -> Diagnostic:
    return _error(display, line, col, "DOCTYPE declaration refused: DTDs and entities are neither loaded nor expanded",
                  "xml-doctype", "remove the DOCTYPE; write characters directly (UTF-8) instead of entities; "
                  "schemas are named in edition.toml")


# libxml2's words for what a user meets, and what to do about it.
_LIBXML_LIMIT = re.compile(r",?\s*(use|try) XML_PARSE_HUGE( option)?")
_EXPLAINED = (
    (re.compile(r"Excessive depth in document: (\d+)"),
     lambda m: f"refused: elements nested more than {m[1]} levels deep, beyond the XML parser's safety limit",
     "a TEI document needs a few dozen levels at most: look for start tags that are never closed"),
    (re.compile(r"Text node too long"),
     lambda m: "refused: a text of more than 10,000,000 characters without markup, beyond the XML parser's "
               "safety limit",
     "split the text into paragraphs, or the file into several documents"),
    (re.compile(r"Invalid bytes in character encoding|Input is not proper UTF-8"),
     lambda m: "cannot decode the text: bytes that are not valid in the file's encoding (UTF-8 unless the "
               "XML declaration names another)",
     ("save the file as UTF-8 (e.g. iconv -f windows-1252 -t utf-8 OLD > NEW), or name its real encoding "
      "in the XML declaration")),
    (re.compile(r"Start tag expected, '<' not found"),
     lambda m: "not XML: no element starts here (is it plain text, an image or a word-processor file?)",
     "a source must be a TEI XML file; remove this file or change the patterns in edition.toml"),
)


def _wellformedness(display: str, line: int, col: int, message: str) -> Diagnostic:
    message = "not well-formed XML: " + _LIBXML_LIMIT.sub(" (a safety limit of the XML parser)", message.strip())
    hint = "fix the XML syntax at this place (an XML editor shows it as you type)"
    for pattern, explain, advice in _EXPLAINED:
        if m := pattern.search(message):
            message, hint = explain(m), advice
            break
    return _error(display, line, col, message, "xml-wellformed", hint)


def parse_bytes(data: bytes, display: str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse `data`; return the tree (or None when it must not be used) and the problems."""
    text = _text(data)
    if not text or text.isspace():
        what = "the file is empty (0 bytes)" if not data else "the file holds only whitespace, no XML"
        return None, [_error(display, 1, 1, f"not well-formed XML: {what}", "xml-wellformed",
                             "write a TEI document into it, or remove it from the sources")]
    doctype = _doctype_position(text)
    if doctype >= 0:
        # Refused before the parser sees it: nothing the DOCTYPE names is ever read or expanded.
        line = text.count("\n", 0, doctype) + 1
        return None, [_doctype_refused(display, line, doctype - (text.rfind("\n", 0, doctype) + 1) + 1)]
    parser = secure_parser()
    try:
        root = etree.fromstring(data, parser, base_url=display)
    except etree.XMLSyntaxError as exc:
        log = parser.error_log
        entries = [e for e in log if e.level >= etree.ErrorLevels.ERROR] or list(log)
        if not entries:
            return None, [_wellformedness(display, exc.lineno or 1, exc.offset or 1, exc.msg)]
        # Only the first error: the ones after it are mostly its echoes (every enclosing tag mismatches).
        first = entries[0]
        return None, [_wellformedness(display, first.line or 1, first.column or 1, first.message)]
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # a prolog the scan above could not read
        return None, [_doctype_refused(display, 1, 1)]
    problems = []
    lines = None
    for inc in root.iter(XINCLUDE):
        lines = lines or xml_lines(text)
        line = inc.sourceline or 1
        found = re.search(r"<[\w.-]+:include\b", lines[line - 1] if line <= len(lines) else "")
        problems.append(_error(display, line, found.start() + 1 if found else 1,
                               "XInclude is not processed: the included text would be missing",
                               "xml-xinclude", "copy the included content into the file or make it its own document"))
    return tree, problems


def _unreadable(display: str, info: os.stat_result) -> Diagnostic | None:
    """Why a file with this status is not read as XML, or None when it may be."""
    if not stat.S_ISREG(info.st_mode):
        kind = ("a directory" if stat.S_ISDIR(info.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode)
                else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
        return _error(display, 1, 1, f"not a regular file but {kind}: not read", "io",
                      "the edition's files must be plain files; remove it or change the patterns in edition.toml")
    return _too_large(display, info.st_size) if info.st_size > MAX_FILE_BYTES else None


def _too_large(display: str, size: int) -> Diagnostic:
    return _error(display, 1, 1, f"file too large: {size:,} bytes, the limit is {MAX_FILE_BYTES:,} bytes "
                  f"({MAX_FILE_BYTES // 2**20} MB): not read", "xml-too-large",
                  "split the document into several files (one per letter, meeting or chapter)")


def xml_lines(text: str) -> list[str]:
    """`text` split at the line ends XML counts (LF, CR LF, CR), as the parser numbers lines:
    not str.splitlines(), which also splits at U+0085, U+2028, form feeds and others."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_file(path: Path, display: str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Read and parse one file of the edition; a directory, FIFO, device or over-large file is refused unread."""
    # Looked at before it is opened: opening a FIFO blocks forever, and opening a device may act.
    # O_NONBLOCK and the second look cover a file swapped for something else in between.
    try:
        refused = _unreadable(display, os.stat(path))
        if refused is not None:
            return None, [refused]
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            info = os.fstat(file.fileno())
            refused = _unreadable(display, info)
            if refused is not None:
                return None, [refused]
            # its size and one byte more (asking for the limit at once allocates 16 MB per file);
            # a file that grew since the look is read on, up to the limit
            data = file.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += file.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        return None, [_error(display, 1, 1, f"cannot read file: {exc.strerror}", "io",
                             "check that the file exists and is readable")]
    if len(data) > MAX_FILE_BYTES:  # it grew after the look
        return None, [_too_large(display, len(data))]
    return parse_bytes(data, display)
