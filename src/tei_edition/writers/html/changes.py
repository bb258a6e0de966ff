"""Which pages of the web edition a rebuild must look at again.

Every page's *site slice* (model.edition.Site: the cards, mentions and neighbours it shows) is a
function of the index. Computing the slice of every page only to find that almost all are
unchanged was the largest cost of a rebuild (32,000 pages at 10,000 documents). So the HTML
writer first asks this module which pages *can* show something new, computes slices for those
only, and takes every other page from the last build as it is.

Each build records, per source document in date order: its path (relative to the edition's
folder, so a copied or moved edition keeps its record), the hash of its bytes, its
page name, the hash of its *list item* (id, address, title, date, place, meeting: how other
pages show it) and its *mentions* (register entry → the roles and count its page shows).

Why the narrowing is safe. It is used only when the last build recorded the same *basis*:

- the renderer (stylesheets, rendering code), the code that computes slices, lxml's version;
- the `edition` element every page carries (the header's title, licence ..., the build date),
  the base URL and the encoding guide;
- the header and every register: paths, roles, order and bytes;
- that no source document holds the xml:id of a register entry (see below).

With the basis unchanged, only source documents differ from the last build (edited, added or
removed; or renamed: a page name moves when a document with the same id comes or goes). For an
unchanged document everything recorded is unchanged: its list item and mentions come from its
own bytes, the registers and the header (cards, labels, which entry a pointer leads to: that
depends on the document, the header's prefixDefs and the xml:ids of the file pointed into, and
a source document could only change that by holding a register entry's xml:id, which the basis
rules out). The date order of two unchanged documents cannot change either (same sort keys),
unless the configuration lists the sources in another order: that is checked, and then every
page is computed. So a changed document D reaches only:

- its own page;
- its neighbours' pages (prev/next), if the neighbours changed or D's list item did;
- the page of an entry that D mentions, before or after, if D's list item changed (also its
  place in date order and its meeting, a related event) or what D's page shows for the entry
  (roles, count) changed or D started or stopped mentioning it;
- home and chronology if the date order or a list item changed (chronology also if a mention of
  an event came or went); a register list if a mention of one of its entries came or went (its
  document counts). The other site pages show only the header and registers.

Pages that are computed still go through the page cache's comparison of their three hashes,
so a page that turns out unchanged is reused all the same.
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import cached_property

from lxml import etree

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import digest, file_digest
from tei_edition.model.index import Index, Target
from tei_edition.model.addresses import KIND_FOLDERS, DocumentInfo
from tei_edition.model.edition import Site
from tei_edition.model.letters import context_elements

# The code whose result a page's slice is: a change to it means every slice is computed.
class SiteChanges:
    def __init__(self, site: Site, basis: str, previous: dict | None):
        """`basis`: a hash of what every page shares (renderer, edition element, base URL,
        guide); `previous`: what the last build recorded (`record()`), or None."""
        self.site = site
        index = site.index
        self._root = str(index.corpus.config.root) + os.sep
        holds_entry_ids = any(doc.role == "source" for ident in index.entities for doc, _ in index.ids[ident])
        shared = [part for doc in index.corpus.documents if doc.role != "source"
                  for part in (self._key(doc.path), doc.role, file_digest(doc.path))]
        self.basis = digest(basis, code_key("slices"), etree.__version__, str(holds_entry_ids), *shared)
        self._info = {self._key(info.doc.path): info for info in site.documents}
        self.order = list(self._info)
        self.now = {key: [file_digest(info.doc.path), info.page] for key, info in self._info.items()}
        # what a letter's page shows of the letters its correspContext names (their titles and
        # pages): a letter added, removed or retitled elsewhere changes it
        self.context = {key: digest(*(etree.tostring(e) for e in context_elements(site, info)))
                        if index.facts[str(info.doc.path)].listing.get("context") else ""
                        for key, info in self._info.items()}
        old = _rows(previous)
        self._old = {row[0]: row for row in old}
        self.changed = {p for p in self.now.keys() | self._old.keys()
                        if p not in self.now or p not in self._old or self._old[p][1:3] != self.now[p]}
        self._new: dict[str, list] = {}  # path → [list item hash, mentions], computed when asked for
        self.narrowed = False
        if self._old and previous.get("basis") == self.basis and not holds_entry_ids:
            self._narrow([row[0] for row in old])

    def _narrow(self, old_order: list[str]) -> None:
        changed = self.changed
        if [p for p in old_order if p not in changed] != [p for p in self.order if p not in changed]:
            return  # unchanged documents in another order: the sources are listed differently
        self.narrowed = True
        before, after = _neighbours(old_order), _neighbours(self.order)
        relisted = {p for p in changed if self._old_of(p)[0] != self._new_of(p)[0]}  # list item changed
        self.documents = {p for p in self.order
                          if p in changed or before.get(p) != after[p] or any(n in relisted for n in after[p])
                          or self._old.get(p, [])[5:6] != [self.context[p]]}
        self.entries: set[str] = set()
        came_or_went: set[str] = set()  # entries that a changed document started or stopped mentioning
        for p in changed:
            old, new = self._old_of(p)[1], self._new_of(p)[1]
            came_or_went |= old.keys() ^ new.keys()
            self.entries |= {e for e in old.keys() | new.keys() if p in relisted or old.get(e) != new.get(e)}
        kinds = {self.site.index.entities[e].kind for e in came_or_went if e in self.site.index.entities}
        listing = bool(relisted) or old_order != self.order
        self.site_pages = {path for path, wanted in (
            ("index.html", listing),
            ("chronology.html", listing or "event" in kinds),
            *((f"{folder}/index.html", kind in kinds) for kind, folder in KIND_FOLDERS.items())) if wanted}

    def document_may_change(self, info: DocumentInfo) -> bool:
        """Can the page of this document differ from the last build's?"""
        return not self.narrowed or self._key(info.doc.path) in self.documents

    def entry_may_change(self, ident: str) -> bool:
        """Can the page of the register entry `ident` differ from the last build's?"""
        return not self.narrowed or ident in self.entries

    def site_page_may_change(self, path: str) -> bool:
        """Can the site page at `path` (home, chronology, lists, about ...) differ?"""
        return not self.narrowed or path in self.site_pages

    def same_file(self, info: DocumentInfo) -> bool:
        """Is this document byte for byte the one the last build published at its address?"""
        return self._key(info.doc.path) not in self.changed

    def record(self) -> dict:
        """What the next build compares with: per document in date order, its path, hash, page
        name, list item hash, mentions and the hash of its letter context."""
        rows = []
        for p in self.order:
            kept = self.narrowed and p not in self.changed  # else the basis changed: a register ...
            rows.append([p, *self.now[p], *(self._old[p][3:5] if kept else self._new_of(p)), self.context[p]])
        return {"basis": self.basis, "documents": rows}

    def _key(self, path) -> str:
        """How the record names a file: relative to the edition's folder when it is inside."""
        path = str(path)
        return path[len(self._root):] if path.startswith(self._root) else path

    def _old_of(self, path: str) -> list:
        return self._old[path][3:5] if path in self._old else ["", {}]

    def _new_of(self, path: str) -> list:
        if path not in self.now:
            return ["", {}]
        if path not in self._new:
            info = self._info[path]
            item = digest(etree.tostring(self.site.document_list_item(info)))
            mentions = (_mentions_of(self.site.index, info.doc) if self.narrowed
                        else self._all_mentions.get(path, {}))
            self._new[path] = [item, mentions]
        return self._new[path]

    @cached_property
    def _all_mentions(self) -> dict[str, dict[str, str]]:
        """The mentions of every document at once (a build that computes every page)."""
        return {self._key(path): found for path, found in _mentions_by_document(self.site.index).items()}


def _mentions_of(index: Index, doc) -> dict[str, str]:
    """Register entry → what the document's mentions of it show on the entry's page: roles, count."""
    entries = {p.target.id for p in index.pointers_in(doc) if isinstance(p.target, Target) and p.target.id in index.entities}
    return {e: _shown([m for m in index.mentions[e] if m.doc is doc]) for e in sorted(entries)}


def _mentions_by_document(index: Index) -> dict[str, dict[str, str]]:
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for ident, mentions in index.mentions.items():
        for m in mentions:
            if m.doc.role == "source":
                grouped[str(m.doc.path)][ident].append(m)
    return {path: {e: _shown(ms) for e, ms in sorted(by.items())} for path, by in grouped.items()}


def _shown(mentions) -> str:
    """What model.edition.Site.add_entry_facts shows of one document's mentions of an entry."""
    return " ".join(sorted({m.role for m in mentions if m.role})) + "|" + str(sum(not m.in_header for m in mentions))


def _rows(previous) -> list[list]:
    """The documents the last build recorded; none if the record is missing or malformed."""
    rows = previous.get("documents") if isinstance(previous, dict) else None
    if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == 6 and all(isinstance(v, str) for v in r[:4])
            and isinstance(r[4], dict) and isinstance(r[5], str) for r in rows):
        return []
    return rows


def _neighbours(order: list[str]) -> dict[str, tuple[str | None, str | None]]:
    return {p: (order[i - 1] if i else None, order[i + 1] if i + 1 < len(order) else None)
            for i, p in enumerate(order)}
