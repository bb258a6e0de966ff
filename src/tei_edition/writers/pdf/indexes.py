"""Page numbers for the back-of-book index, read from the laid-out volume.

How the numbers are found (two passes, no guessing):

1. Every pointer from a document to a register entry is an anchor in the print HTML
   (`span.mention` with an id, `data-entity` and `data-role`; xslt/print/print-text.xsl).
2. The volume is laid out once with the back matter present but its page lists empty.
   WeasyPrint's `Document.pages[i].anchors` says on which page every anchor landed.
3. The anchors of each entry become sorted pages, merged into ranges (5, 6, 7 → 5–7; pages
   where the entry had a role such as "presided" are kept apart so the role can be shown).
4. The back matter is rendered with those numbers and the volume is laid out again. The back
   matter comes last, so nothing before it moves; the pages are checked again anyway and the
   layout repeated should anything have moved.

A back-of-book index made of `target-counter()` links would print one number per mention
(5, 5, 5, 6) and could not merge ranges; reading the layout gives a real index.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from tei_edition.names import TEI_NS
from tei_edition.model.index import Index

T = f"{{{TEI_NS}}}"
INDEX_KINDS = ("person", "place", "organisation")
SECTION_TITLES = {
    "event": "Chronology",
    "document": "Documents and literature",
    "person": "Index of persons",
    "place": "Index of places",
    "organisation": "Index of organisations",
}
SECTION_IDS = {"event": "chronology", "document": "bibliography", "person": "index-persons",
               "place": "index-places", "organisation": "index-organisations"}


@dataclass(frozen=True)
class Anchor:
    """One mention of a register entry in the print HTML of a document."""

    id: str
    entity: str
    role: str


@dataclass(frozen=True)
class PageRange:
    first: int
    last: int
    href: str
    roles: tuple[str, ...]
    volume: str = ""  # the volume's roman numeral, in the cumulative index of several volumes


def mention_anchors(html: etree._Element) -> list[Anchor]:
    """The index anchors inside the documents (back matter and front matter are not indexed)."""
    found = html.xpath("//article[contains(concat(' ', @class, ' '), ' document ')]//*[@data-entity][@id]")
    return [Anchor(el.get("id"), el.get("data-entity"), el.get("data-role") or "") for el in found]


def anchor_pages(document) -> dict[str, int]:
    """Anchor id → printed page number (1-based), from a laid-out WeasyPrint document."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def page_ranges(mentions: list[tuple[int, str, str]]) -> list[PageRange]:
    """(page, role, anchor id) of one entry → merged ranges.

    Consecutive pages merge when they carry the same roles: "5 (presided), 6–7".
    """
    by_page: dict[int, tuple[set[str], str]] = {}
    for page, role, anchor in sorted(mentions):
        roles, first_anchor = by_page.setdefault(page, (set(), anchor))
        if role:
            roles.update(role.split())
    out: list[PageRange] = []
    for page in sorted(by_page):
        roles, anchor = by_page[page]
        key = tuple(sorted(roles))
        if out and out[-1].last == page - 1 and out[-1].roles == key:
            out[-1] = PageRange(out[-1].first, page, out[-1].href, key)
        else:
            out.append(PageRange(page, page, f"#{anchor}", key))
    return out


def entity_pages(anchors: list[Anchor], pages: dict[str, int]) -> dict[str, list[PageRange]]:
    mentions: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for a in anchors:
        if a.id in pages:
            mentions[a.entity].append((pages[a.id], a.role, a.id))
    return {entity: page_ranges(found) for entity, found in mentions.items()}


def _sort_name(index: Index, entity_id: str) -> tuple:
    """Persons by surname where the register marks one, everything else by its main name."""
    entity = index.entities[entity_id]
    surname = entity.element.find(f".//{T}surname")
    key = " ".join("".join(surname.itertext()).split()) if surname is not None else entity.label
    return (key.casefold(), entity.label.casefold(), entity_id)


def _date_key(index: Index, entity_id: str) -> tuple:
    date = _event_date(index.entities[entity_id].element)
    return (date is None, date or "", index.entities[entity_id].label.casefold())


def _event_date(el: etree._Element) -> str | None:
    date = el.get("when") or el.get("from") or el.get("notBefore") or el.get("notAfter")
    if date is None:
        found = el.find(f".//{T}date")
        date = (found.get("when") or found.get("from")) if found is not None else None
    return date


def listed_entries(index: Index, bound: set) -> set[str]:
    """The entries the volume's chronology and bibliography list: those a bound document (file
    path in `bound`) mentions, and those such an entry mentions (a meeting's documents). A
    register of a whole edition (thousands of works) is not printed behind a volume of a few."""
    direct = {eid for eid, found in index.mentions.items() if any(m.doc.path in bound for m in found)}
    return direct | {eid for eid, found in index.mentions.items() if any(m.entry in direct for m in found)}


def back_matter(index: Index, indexed: set[str], pages: dict[str, list[PageRange]] | None,
                listed: set[str] | None = None, volume: str = "") -> etree._ElementTree:
    """The source of xslt/print/back.xsl: chronology, bibliography and the three indexes.

    `indexed` are the entries mentioned in the bound documents (they get an index entry even
    in the first pass, when `pages` is None, so the first layout has the final headings);
    `listed` (listed_entries) the events and documents the chronology and bibliography list
    (None: every one of the registers). `volume` (a roman numeral) is cited before each page
    when the edition is printed in several volumes ("II 214").
    """
    back = etree.Element("back")
    registered = {eid: e for eid, e in index.entities.items() if e.doc.role == "register"}
    for kind in ("event", "document") + INDEX_KINDS:
        if kind in INDEX_KINDS:
            ids = sorted((e for e in indexed if e in registered and registered[e].kind == kind),
                         key=lambda e: _sort_name(index, e))
        else:
            chosen = [e for e, ent in registered.items() if ent.kind == kind and (listed is None or e in listed)]
            ids = sorted(chosen, key=(lambda e: _date_key(index, e)) if kind == "event"
                         else (lambda e: _sort_name(index, e)))
        if not ids:
            continue
        section = etree.SubElement(back, "section", kind=kind, id=SECTION_IDS[kind], title=SECTION_TITLES[kind])
        for entity_id in ids:
            item = etree.SubElement(section, "item", entity=entity_id)
            if kind not in INDEX_KINDS:
                item.append(_copy(registered[entity_id].element))
            for r in (pages or {}).get(entity_id, []):
                cited = etree.SubElement(item, "range", {"from": str(r.first), "to": str(r.last),
                                                         "href": r.href, "roles": " ".join(r.roles)})
                if r.volume or volume:
                    cited.set("volume", r.volume or volume)
    return back.getroottree()


def add_letters(back: etree._ElementTree, letters_of: dict, letters: list) -> None:
    """Letters in the back matter (model/letters.py): under each correspondent's index entry the
    letters it sent and received (<letter action href title from to/>, href the chapter's anchor),
    and in the chronology every letter at its date (<item letter href title from to/>)."""
    root = back.getroot()
    for item in root.iterfind("section/item"):
        if item.getparent().get("kind") in INDEX_KINDS:
            for action, info in letters_of.get(item.get("entity"), ()):
                item.append(_letter("letter", info, action=action))
    if not letters:
        return
    chronology = root.find("section[@kind='event']")
    if chronology is None:
        chronology = etree.Element("section", kind="event", id=SECTION_IDS["event"], title=SECTION_TITLES["event"])
        root.insert(0, chronology)
    # the events are in order already; a letter goes after the events of its date (a stable sort)
    events = [((date is None, date or ""), item) for item in chronology for date in [_event_date(item[0])]]
    dated = [((info.date_from == "", info.date_from), _letter("item", info)) for info in letters]
    chronology[:] = [item for _, item in sorted(events + dated, key=lambda pair: pair[0])]


def _letter(tag: str, info, **extra) -> etree._Element:
    return etree.Element(tag, {**extra, "letter": info.id, "href": f"#doc--{info.id}", "title": info.doc.title,
                               "from": info.date_from, "to": info.date_to})


def _copy(el: etree._Element) -> etree._Element:
    duplicate = copy.deepcopy(el)  # not a parse of its text: a bad xml:id must not stop the print
    duplicate.tail = None
    return duplicate

