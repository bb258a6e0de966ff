"""A large edition printed as several volumes: how they are cut, named and keyed for reuse.

`[pdf] volume-size` (documents per volume) or `volume-by = "year"` cut the documents, in the
order they are bound, into volumes; each is laid out on its own (its own contents, back matter
and indexes, which cite "II 214": volume and page), so one layout never holds the whole
edition, and a rebuild lays out again only the volumes whose print HTML changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import digest
from tei_edition.config import PdfOptions
from tei_edition.writers.pdf.data import BoundDocument


@dataclass(frozen=True)
class Part:
    """One volume of several: its documents, its number (1-based) and how many there are."""

    documents: list[BoundDocument]
    number: int
    total: int

    @property
    def label(self) -> str:
        return roman(self.number)

    @property
    def stem(self) -> str:
        return f"volume-{self.number}"


def split(documents: list[BoundDocument], options: PdfOptions) -> list[Part] | None:
    """The volumes of the print edition; None when it is one volume (volume.pdf, as always)."""
    if options.volume_by == "year":
        groups = [list(g) for _, g in groupby(documents, key=lambda b: b.date[:4])]
    elif options.volume_size:
        groups = [documents[i:i + options.volume_size] for i in range(0, len(documents), options.volume_size)]
    else:
        return None
    if len(groups) < 2:
        return None
    return [Part(group, number, len(groups)) for number, group in enumerate(groups, start=1)]


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
