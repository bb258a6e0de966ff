"""One index over all volumes: output/pdf/index.pdf and index-pdfa.pdf.

An edition printed in several volumes (volumes.py) has in each volume the indexes of its own
documents ("II 214"); the cumulative index lists every entry of the registers' indexes (persons,
places, organisations) once, citing volume and page in every volume it is on ("I 12, II 214").
The pages are those each volume's layout found for its anchors (Volume.entity_pages; a volume
kept from the last build brings them from the record, `pages_record`), so it is made after the
volumes, in one layout: nothing in it moves the volumes' pages. Its key is its print HTML, which
holds every page number, so a rebuild lays it out again only when a volume's pages changed.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from tei_edition.writers.pdf.indexes import INDEX_KINDS, PageRange, add_letters, back_matter
from tei_edition.writers.pdf.volume import Volume, html_page
from tei_edition.writers.pdf.volumes import roman

STEM = "index"


def pages_record(pages: dict[str, list[PageRange]]) -> dict[str, list]:
    """A volume's index pages as JSON for the build record (output/.cache/pdf.json)."""
    return {entity: [[r.first, r.last, r.href, list(r.roles)] for r in ranges] for entity, ranges in pages.items()}


def pages_from_record(data) -> dict[str, list[PageRange]] | None:
    """pages_record() read back; None if the record is not one."""
    if not isinstance(data, dict):
        return None
    try:
        return {entity: [PageRange(int(first), int(last), str(href), tuple(map(str, roles)))
                         for first, last, href, roles in ranges] for entity, ranges in data.items()}
    except (TypeError, ValueError):
        return None


def cumulative_html(whole: Volume, volumes: list[Volume], pages: list[dict[str, list[PageRange]]]) -> str:
    """The print HTML of the cumulative index: a title page and the indexes of the volumes, each
    entry citing the volumes and pages it is on (`pages`: each volume's, in volume order). The
    links of the volumes' indexes lead into other files, so here the numbers are plain text."""
    merged: dict[str, list[PageRange]] = {}
    letters_of: dict[str, list] = {}
    for volume, found in zip(volumes, pages, strict=True):
        label = volume.part.label if volume.part is not None else ""
        for entity, ranges in found.items():
            merged.setdefault(entity, []).extend(
                PageRange(r.first, r.last, r.href, r.roles, label) for r in ranges)
        for entity, pairs in volume.letters_of.items():
            letters_of.setdefault(entity, []).extend(pairs)
    indexed = set().union(*(v.indexed for v in volumes))
    source = back_matter(whole.index, indexed, merged, listed=set())  # no chronology, no bibliography
    for section in source.getroot().findall("section"):
        if section.get("kind") not in INDEX_KINDS:
            section.getparent().remove(section)
    add_letters(source, letters_of, [])
    back = whole.render_back(source)
    for link in back.iter("a"):
        link.attrib.pop("href", None)
    meta = replace(whole.metadata(), subject="Cumulative index")
    title = etree.Element("section", {"class": "title-page", "id": "title-page"})
    etree.SubElement(title, "h1", {"class": "edition-title"}).text = meta.title
    etree.SubElement(title, "p", {"class": "edition-volume"}).text = (
        f"Cumulative index to volumes I\u2013{roman(len(volumes))}")
    holder = etree.Element("div", {"class": "cumulative-index"})
    holder.extend([title, back])
    return html_page([holder], meta, "volume")
