"""A large edition printed as several volumes: how they are cut, named and keyed for reuse.

`[pdf] volume-size` (documents per volume), `volume-by = "year"`, `"pages"` (volumes of at most
about volume-size printed pages) or `"series"` (one volume per folder of sources) cut the
documents, in the order they are bound, into volumes; each is laid out on its own (its own
contents, back matter and indexes, which cite "II 214": volume and page), so one layout never
holds the whole edition, and a rebuild lays out again only the volumes whose print HTML changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from lxml import etree

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import digest
from tei_edition.config import PdfOptions
from tei_edition.writers.pdf.data import BoundDocument

# what a page of a document holds at the default page size and type (156 × 234 mm), and the
# room its heading (title, date, source) takes on its first page, in characters of text: fitted
# to the synthetic corpus's documents (2,900-11,900 characters; their own PDFs have 3-7 pages,
# every one estimated right); used when no PDF is laid out to count
CHARACTERS_PER_PAGE = 2200
HEADING = 2000


@dataclass(frozen=True)
class Part:
    """One volume of several: its documents, its number (1-based), how many there are, and the
    series it prints (volume-by = "series"), named on its title page."""

    documents: list[BoundDocument]
    number: int
    total: int
    series: str = ""

    @property
    def label(self) -> str:
        return roman(self.number)

    @property
    def stem(self) -> str:
        return f"volume-{self.number}"


def split(documents: list[BoundDocument], options: PdfOptions, pages: dict[str, int] | None = None,
          root: Path | None = None) -> list[Part] | None:
    """The volumes of the print edition; None when it is one volume (volume.pdf, as always).
    `pages`: the printed pages of each document (by id), for volume-by = "pages"; `root`: the
    edition's folder, which the series (volume-by = "series") are named relative to."""
    titles: list[str] = []
    if options.volume_by == "year":
        groups = [list(g) for _, g in groupby(documents, key=lambda b: b.date[:4])]
    elif options.volume_by == "pages":
        groups = by_pages(documents, pages or {}, options.volume_size)
    elif options.volume_by == "series":
        found = series(documents, root)
        groups, titles = list(found.values()), [series_title(s, options) for s in found]
    elif options.volume_size:
        groups = [documents[i:i + options.volume_size] for i in range(0, len(documents), options.volume_size)]
    else:
        return None
    if len(groups) < 2:
        return None
    titles = titles or [""] * len(groups)
    return [Part(group, number, len(groups), title)
            for number, (group, title) in enumerate(zip(groups, titles, strict=True), start=1)]


def by_pages(documents: list[BoundDocument], pages: dict[str, int], size: int) -> list[list[BoundDocument]]:
    """Documents in their order into volumes of at most `size` pages; a document is never split
    (a longer one is a volume of its own). Each boundary follows from the page counts before it
    only, so an edit that keeps a document's page count moves no boundary."""
    groups: list[list[BoundDocument]] = []
    filled = size + 1  # no volume open yet
    for b in documents:
        count = max(1, pages.get(b.id, 1))
        if filled + count > size:
            groups.append([])
            filled = 0
        groups[-1].append(b)
        filled += count
    return groups


def series(documents: list[BoundDocument], root: Path | None) -> dict[str, list[BoundDocument]]:
    """The series of the edition: the folder of each source relative to the edition (as the OAI
    interface's collections), in the order of their paths, each with its documents in the order
    of the volume."""
    found: dict[str, list[BoundDocument]] = {}
    for b in documents:
        folder = Path(b.doc.path).parent
        if root is not None:
            try:
                folder = folder.resolve().relative_to(root.resolve())
            except ValueError:
                pass  # a source outside the edition's folder: its full path names the series
        found.setdefault(folder.as_posix(), []).append(b)
    return {name: found[name] for name in sorted(found)}


def series_title(folder: str, options: PdfOptions) -> str:
    """`[pdf] series-titles` for the folder (by its path or its name), else the folder's name:
    "tei/letters" → "Letters"."""
    name = folder.rsplit("/", 1)[-1]
    titles = dict(options.series_titles)
    given = titles.get(folder) or titles.get(name)
    if given:
        return given
    name = name.replace("_", " ").replace("-", " ").strip()
    return name[:1].upper() + name[1:]


def estimate_pages(chapter: etree._Element) -> int:
    """A document's printed pages from its text, when its own PDF is not made ([pdf] documents =
    false): its characters (spaces collapsed) and its heading over CHARACTERS_PER_PAGE, rounded up."""
    characters = len(" ".join("".join(chapter.itertext()).split()))
    return max(1, math.ceil((characters + HEADING) / CHARACTERS_PER_PAGE))


def roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def layout_key(first_html: str, css: list[str], variant: str) -> str:
    """What a volume's PDFs depend on: the print HTML of its first layout (every later layout
    follows from it and the layout code), the CSS, the PDF/A variant, WeasyPrint's version and
    the code of the pdf writer."""
    import weasyprint

    return digest(code_key("volumes"), weasyprint.__version__, first_html, *css, variant)
