"""URLs and identifiers that deceive: unsafe link schemes, invisible characters in ids and pointers.

Link schemes that run code or read local files; invisible characters in xml:ids and pointers.

`url-unsafe-scheme` (error): a URL whose scheme, read the way a browser reads a link, runs
script or reaches outside the web: javascript:, vbscript:, data:, file: ... Browsers drop tabs
and newlines anywhere in a URL and spaces and control characters around it, and do not care
about case, so "java&#x09;script:", " JavaScript:" and "JAVASCRIPT:" are all javascript:; the
check reads the value that way too (and also with its character and percent escapes decoded,
so that a disguise is reported even where a browser would not fall for it). The writers never
link such a value whatever validation says (xslt/common/urls.xsl: only http, https and mailto
become links); this check tells the encoder.

Schemes that are neither safe nor dangerous (urn:, doi:, private prefixes like person:) are
left to the reference check (tei_edition.model.index), which resolves or reports them. A dangerous
value in a pointer attribute would also fail to resolve there; `only_clear_messages` drops
that second, misleading report ("declare the prefix javascript:") in favour of this one.

`id-invisible-char` (warning): bidi controls and zero-width characters in xml:ids and pointers
make two different ids look the same (or one look like another). Text keeps them: they are
only reported where they identify something.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Iterator
from urllib.parse import unquote


from tei_edition.names import XML_ID
from tei_edition.model.attributes import attributed
from tei_edition.model.corpus import Document
from tei_edition.validate.characters import bytes_search, document_bytes
from tei_edition.diagnostics import INVISIBLE, Diagnostic, visible
from tei_edition.model.pointers import KEY_ATTRIBUTE, POINTER_ATTRIBUTES

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Attributes that hold URLs but are not pointers the index resolves: only a link scheme
# makes sense in them.
URL_ATTRIBUTES = ("url", "facs", "href", "replacementPattern", XML_BASE)
SAFE_SCHEMES = {"http", "https", "mailto"}
# Schemes a browser (or the system it hands a link to) runs, or that read local data.
UNSAFE_SCHEMES = {"javascript", "vbscript", "livescript", "data", "file", "blob", "filesystem",
                  "jar", "view-source", "about", "chrome", "resource", "ms-msdt", "search-ms"}
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# What browsers remove from a URL before they read it: tabs and newlines anywhere ...
BROWSER_REMOVES = re.compile(r"[\t\n\r]")
# ... and C0 controls and spaces around it.
BROWSER_STRIPS = "".join(chr(c) for c in range(0x21))
# attribute → True when it holds a URL (every scheme but http, https, mailto refused), False for a pointer
URL_CHECKED = {**{a: False for a in POINTER_ATTRIBUTES}, **{a: True for a in URL_ATTRIBUTES}}
IDENTIFYING = {XML_ID, *POINTER_ATTRIBUTES, KEY_ATTRIBUTE}
HIDDEN = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(INVISIBLE)) + "]")
has_hidden = bytes_search(chr(c) for c in INVISIBLE)  # (in a document's UTF-8 bytes)


def check_urls(doc: Document) -> Iterator[Diagnostic]:
    """Every URL attribute of one document, and every xml:id and pointer (a pure function)."""
    any_hidden = has_hidden(document_bytes(doc))
    # the elements with attributes, from the document's one walk; most attributes hold no colon
    # (written or escaped) and, unless the document has one somewhere, no invisible character
    checked = URL_CHECKED.keys()
    for el, _tag, _line, _n, attrib in attributed(doc.root):
        if not any_hidden:
            if checked.isdisjoint(attrib):
                continue  # (no URL and no pointer: nothing to report here)
            values = "".join(attrib.values())  # (one look per element instead of one per attribute)
            if ":" not in values and "&" not in values and "%" not in values:
                continue
        # each attribute the element has, once (most have one or two; probing every name is slow)
        for attribute, value in attrib.items():
            strict = URL_CHECKED.get(attribute)
            # a scheme needs a colon, written or escaped (&#58; &colon; %3A)
            if strict is not None and (":" in value or "&" in value or "%" in value):
                scheme = unsafe_scheme(value, strict=strict)
                if scheme is not None:
                    line, col = doc.locate(el, attribute)
                    yield Diagnostic(doc.display, line, col, "error",
                                     f'@{_name(attribute)}="{visible(value)}" is a {scheme}: URL, which a '
                                     "browser would run or use to read local files; it is shown as text, never as a link",
                                     "url-unsafe-scheme",
                                     "only http:, https: and mailto: URLs become links; point into the edition "
                                     "with #id, a relative path or a declared prefix, or remove it")
            if any_hidden and attribute in IDENTIFYING and HIDDEN.search(value):
                hidden = sorted({ord(c) for c in value if ord(c) in INVISIBLE})
                what = "xml:id" if attribute == XML_ID else "pointer"
                line, col = doc.locate(el, attribute)
                yield Diagnostic(doc.display, line, col, "warning",
                                 f'{what} @{_name(attribute)}="{visible(value)}" contains '
                                 + ", ".join(f"U+{c:04X} {unicodedata.name(chr(c), '')}" for c in hidden)
                                 + ": invisible, it makes different ids look the same",
                                 "id-invisible-char",
                                 "remove the invisible characters from the id and from every pointer to it")


@lru_cache(maxsize=8192)  # (a corpus writes the same pointers again and again)
def unsafe_scheme(value: str, strict: bool = False) -> str | None:
    """The scheme of `value` (lower case) when it must never be a link, else None.

    Each space-separated token is read, and the whole value the way a browser reads an href.
    `strict`: the attribute holds a URL, not a pointer, so every scheme but http, https and
    mailto is refused (private prefixes and identifiers are the pointers' business).
    """
    for form in _readings(value):
        match = SCHEME.match(form)
        if match is None:
            continue
        scheme = match.group(1).lower()
        if scheme in UNSAFE_SCHEMES or (strict and scheme not in SAFE_SCHEMES):
            return scheme
    return None


def _readings(value: str) -> Iterable[str]:
    """The value as a browser reads it, its tokens (before and after the browser removes tabs
    and newlines), and each of those with its escapes decoded; in a fixed order."""
    candidates = [value, *value.split(), *BROWSER_REMOVES.sub("", value).split(" ")]
    decoded = [form for text in candidates
               for form in (text, html.unescape(text), unquote(text), unquote(html.unescape(text)))]
    for text in dict.fromkeys(decoded):
        yield BROWSER_REMOVES.sub("", text).strip(BROWSER_STRIPS)


def only_clear_messages(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop the reference check's report of a pointer that is an unsafe URL: the
    url-unsafe-scheme error at the same place says what is wrong and what to do."""
    unsafe = {(d.path, d.line, d.col) for d in diagnostics if d.rule == "url-unsafe-scheme"}
    return [d for d in diagnostics
            if not (d.rule.startswith("ref-") and (d.path, d.line, d.col) in unsafe)]


def _name(attribute: str) -> str:
    return "xml:" + attribute.split("}")[1] if attribute.startswith("{") else attribute
