"""The vocabulary of pointers: which attributes point, and what a resolved or unresolved one is.

model/index.py resolves them; docs/validation.md says how, for users.

How a pointer resolves (docs/validation.md says it for users):
- an xml:id is unique within its document (XML's rule); the same id in several documents is
  normal (header renditions, back lists that copy register entries);
- `#id` names an element of its own document first, then one of the edition's scope: any id of
  the registers and the edition header, and the TEI/@xml:id of every document. An id that two
  files of that scope hold is ambiguous (`ref-ambiguous`);
- a bare token (`ref="pmb2881"`), by the letter a relative URI, resolves the same way when it
  names an id, else as a file of the edition (`persons.xml`); when it names nothing, it is a
  dangling id if it looks like the edition's ids, otherwise a code (`ref-code`, a warning);
- relative URIs (`../registers/persons.xml#id`) and prefixDef URIs (`person:id`) as TEI says;
  absolute URIs (http:, urn:, doi: ...) are not checked;
- `@key` is an external code: it links to a register entry of that id when there is one, and
  is never reported; `@facs` names an image (not checked) or, with `#`, an element (surface,
  zone) of its own document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tei_edition.model.corpus import Document
from tei_edition.names import TEI_NS

T = f"{{{TEI_NS}}}"

# Attributes whose values are pointers (TEI teidata.pointer), each may hold several, space-separated.
# (@rendition is not among them: editions point it at renditions their stylesheets define.)
POINTER_ATTRIBUTES = ("ref", "who", "target", "corresp", "where", "sameAs", "resp", "source", "ana",
                      "hand", "wit", "scribeRef")
# @key is not a URI but an externally defined code; it is never checked. When it happens to
# name a register entry, pages link it (as they always have).
KEY_ATTRIBUTE = "key"
# @facs names an image (not checked) or, as #id, a surface or zone of the same document.
FACS_ATTRIBUTE = "facs"
INDEXED_ATTRIBUTES = POINTER_ATTRIBUTES + (FACS_ATTRIBUTE, KEY_ATTRIBUTE)
ATTRIBUTE_ORDER = {name: n for n, name in enumerate(INDEXED_ATTRIBUTES)}
# Attributes the outputs show as links: an undeclared prefix there breaks a link (an error);
# elsewhere (@ana, @who, @corresp ...) it is a code (a warning).
LINK_ATTRIBUTES = ("ref", "target")
# URI schemes that point outside the edition and are not checked.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "urn", "doi", "ftp", "data", "tel", "info", "file"}
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# A relative link to a page of a web site (the original edition's toc.html?...), not a TEI file.
WEB_PAGE = re.compile(r"[^#]*(?:\.(?:s?html?|php|aspx?|jsp)(?:[?#]|$)|\?)", re.I)
# A bare token that names a file rather than an id.
FILE_LIKE = re.compile(r"\.xml$", re.I)
# Where a back list copies register entries into a document (TEI back, standOff).
LIST_CONTAINERS = {"back", "standOff"}
LISTS = {"listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym", "listObject",
         "listRelation"}
_DIGITS = re.compile(r"\d+")


def is_bare(value: str) -> bool:
    """A token without "#", scheme or path: by convention an id."""
    return "#" not in value and "/" not in value and ":" not in value


def id_shape(value: str) -> str:
    """An id with its numbers blanked: "pmb2881" and "pmb30133" have the same shape."""
    return _DIGITS.sub("0", value)


ENTITY_KINDS = {
    "person": "person", "personGrp": "person",
    "place": "place",
    "org": "organisation",
    "event": "event",
    "bibl": "document", "biblStruct": "document", "msDesc": "document",
}
LABEL_ELEMENTS = ("persName", "placeName", "orgName", "label", "title", "name", "head")


# Target, Mention and Pointer: slots, and not frozen, because there are hundreds of thousands of
# them and a frozen dataclass takes four times as long to make; nothing changes them once made.
@dataclass(slots=True)
class Target:
    """Where a pointer leads: a document and, when it has a fragment, an xml:id in it."""

    doc: Document
    id: str | None


@dataclass(frozen=True)
class Unresolved:
    rule: str
    message: str
    hint: str


NOT_SHARED = (KEY_ATTRIBUTE, FACS_ATTRIBUTE)  # their "#id" resolves differently: not in `_elsewhere`


def malformed(value: str) -> Unresolved:
    what = "an empty fragment" if value == "#" else "a second \"#\" in the fragment"
    return Unresolved("ref-malformed", f'"{value}" is not a pointer: {what}',
                      'write "#" and the xml:id of the element meant (e.g. "#pmb2121"), or remove the attribute')


def no_document(value: str) -> Unresolved:
    return Unresolved("ref-document", f'"{value}" names a document that is not part of this edition '
                      "(no TEI/@xml:id of that name among its files)",
                      "add the document to the sources in edition.toml, correct the id, or link it with its full URI")


def web_page(value: str) -> Unresolved:
    return Unresolved("ref-web-page", f'"{value}" links to a page of a web site: not part of this edition',
                      "write the page's full URL (https://...) if it should stay a link, or point into the edition "
                      "with #id or file.xml#id")


# What TEI expects instead of a code, by attribute.
CODE_HINTS = {
    "who": 'define the person (a <person> or <respStmt> with xml:id) and write who="#{v}"; or declare a prefixDef',
    "resp": 'define the responsible party (a <respStmt> or <person> with xml:id) and write resp="#{v}"',
    "ana": 'point to an interpretation (<interp xml:id="{v}"> in the header) with ana="#{v}", declare a '
           "prefixDef, or keep the code in @type or @subtype",
    "corresp": 'point to what corresponds with "#id" or a URI, or keep the code in @type, @subtype or @key',
    "source": 'point to the source with "#id" or a URI (a <bibl> or <witness> with xml:id), or keep the code in @key',
}


def code_of(value: str, attribute: str) -> Unresolved:
    hint = CODE_HINTS.get(attribute, 'point with "#id" or a URI, declare a prefixDef, or keep the code in @key or @type')
    return Unresolved("ref-code", f'"{value}" names no xml:id, document or file: a code, not a pointer (TEI expects '
                      "a URI or #id here)", hint.format(v=value))
