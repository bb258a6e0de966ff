"""Where things are in the web edition: page file names, folders per kind, a document's place in lists.

Page addresses are relative to the site root (`documents/x.html`); the stylesheets prefix the
path back to the root of the page they render, so the site works from disk and from a sub-path.
"""

from __future__ import annotations

from functools import lru_cache

import re
from dataclasses import dataclass
from urllib.parse import quote

from tei_edition.model.corpus import Document

# One folder per kind of register entry; the key is tei_edition.model.index.ENTITY_KINDS' value.
KIND_FOLDERS = {
    "person": "persons",
    "place": "places",
    "organisation": "organisations",
    "event": "events",
    "document": "bibliography",
}
KIND_ORDER = tuple(KIND_FOLDERS)


def page_name(ident: str) -> str:
    """A file name for an xml:id; xml:ids are NCNames (no '/'), but stay safe for any input."""
    name = re.sub(r"[^\w.-]", "_", ident).lstrip(".") or "_"
    return name


def document_page_name(ident: str) -> str:
    """A document page's file name: page_name without a trailing ".xml" (some editions put the
    file name into TEI/@xml:id, "D_000001-001-000.xml", which would make "….xml.html")."""
    return page_name(re.sub(r"\.xml$", "", ident, flags=re.IGNORECASE) or ident)


def href_of(folder: str, ident: str, suffix: str = ".html") -> str:
    return f"{folder}/{_quoted_name(ident)}{suffix}"


@lru_cache(maxsize=1 << 16)
def _quoted_name(ident: str) -> str:
    # asked for each page and source of the site on every build: 16,000 quotes a rebuild at 2,000 documents
    return quote(page_name(ident))


@dataclass
class DocumentInfo:
    """One document of the edition as the site lists it."""

    doc: Document
    date_from: str = ""
    date_to: str = ""
    date_text: str = ""
    place: str | None = None   # entity id
    event: str | None = None   # entity id of the meeting (events register)

    @property
    def id(self) -> str:
        return self.doc.id

    page: str = ""             # file name without suffix; unique in the site (see Site.__post_init__)

    @property
    def href(self) -> str:
        return href_of("documents", self.page or self.doc.id)

    @property
    def source_href(self) -> str:
        return href_of("documents", self.page or self.doc.id, ".xml")

    @property
    def sort_key(self):
        # undated documents go last, in title order
        return (self.date_from == "", self.date_from, self.date_to, self.doc.title, self.doc.id)
